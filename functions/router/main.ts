import type { Clients } from '../adapters/clients.js';
import { adaptersFor, type CompositionOptions } from '../shared/composition.js';
import { linksToApiFor } from '../shared/links.js';
import { mailerFor } from '../shared/mail.js';
import { createRouterHandler } from './handler.js';

/** The router, composed at cold start (see functions/shared/composition.ts): its table and SES. */
export async function composeRouter(
  env: NodeJS.ProcessEnv,
  clients: Pick<Clients, 'dynamo' | 'ses'>,
  options: CompositionOptions = {},
) {
  const adapters = adaptersFor('router', env, clients);
  return adapters.instrument(
    createRouterHandler({
      ...adapters.common,
      officials: adapters.officials(),
      mailer: mailerFor(env, clients.ses, options),
      links: await linksToApiFor('router', env, adapters.common.clock),
    }),
  );
}
