import type { Clients } from '../adapters/clients.js';
import { scheduleRateFromEnv } from '../adapters/env.js';
import { adaptersFor, type CompositionOptions } from '../shared/composition.js';
import { createSlaHandler } from './handler.js';

/** The SLA job, composed at cold start (see functions/shared/composition.ts). */
export async function composeSla(env: NodeJS.ProcessEnv, clients: Clients, options: CompositionOptions = {}) {
  const adapters = adaptersFor('sla', env, clients);
  return adapters.instrument(
    createSlaHandler({
      ...adapters.common,
      officials: adapters.officials(),
      rateMinutes: scheduleRateFromEnv('sla', env),
      queue: adapters.routeQueue(),
      mailer: adapters.mailer(options),
      links: await adapters.linksToApi(),
    }),
  );
}
