import type { Clients } from '../adapters/clients.js';
import { adaptersFor, type CompositionOptions } from '../shared/composition.js';
import { createRouterHandler } from './handler.js';

/** The router, composed at cold start (see functions/shared/composition.ts). */
export async function composeRouter(
  env: NodeJS.ProcessEnv,
  clients: Clients,
  options: CompositionOptions = {},
) {
  const adapters = adaptersFor('router', env, clients);
  return adapters.instrument(
    createRouterHandler({
      ...adapters.common,
      officials: adapters.officials(),
      mailer: adapters.mailer(options),
      links: await adapters.linksToApi(),
    }),
  );
}
