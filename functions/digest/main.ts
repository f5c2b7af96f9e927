import type { Clients } from '../adapters/clients.js';
import { adaptersFor, type CompositionOptions } from '../shared/composition.js';
import { officialLinksToApiFor } from '../shared/links.js';
import { mailerFor } from '../shared/mail.js';
import { createDigestHandler } from './handler.js';

/**
 * The digest job, composed at cold start (see functions/shared/composition.ts): its table, SES, and the key
 * that signs the action links and the links to "Mijn zaken" in the officials' digests.
 */
export async function composeDigest(
  env: NodeJS.ProcessEnv,
  clients: Pick<Clients, 'dynamo' | 'ses'>,
  options: CompositionOptions = {},
) {
  const adapters = adaptersFor('digest', env, clients, options);
  return adapters.instrument(
    createDigestHandler({
      ...adapters.common,
      digests: adapters.digests(),
      officials: adapters.officials(),
      mailer: mailerFor(env, clients.ses, options),
      ...(await officialLinksToApiFor('digest', env, adapters.common.clock)),
    }),
  );
}
