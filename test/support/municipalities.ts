import type { Municipality } from '../../config/schema.js';

/**
 * A second municipality, Lindehoven: other departments, goals and officials than the demo's, and every
 * address on a real-looking domain, so that a stack can be built from it (the demo's addresses are on
 * `.example`, which the stack refuses). Nothing sends to it: the infra tests only synthesize, and the local
 * runtime's SES emulator keeps every e-mail.
 */
export const DEPLOYABLE_MUNICIPALITY = 'test/fixtures/municipalities/lindehoven.json';

/** The municipality with every department informed by an e-mail per case (`inform: immediate`), as before digests. */
export const informingAtOnce = (m: Municipality): Municipality => ({
  ...m,
  departments: m.departments.map((d) => ({ ...d, inform: 'immediate' })),
});
