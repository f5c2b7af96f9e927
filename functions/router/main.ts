import { randomBytes } from 'node:crypto';
import type { Clients } from '../adapters/clients.js';
import { publicBaseUrlFromEnv } from '../adapters/link-key.js';
import { sqsRouteQueue } from '../adapters/queue.js';
import { adaptersFor, type CompositionOptions } from '../shared/composition.js';
import { routingLinksToApiFor } from '../shared/links.js';
import { mailerFor } from '../shared/mail.js';
import { createRouterHandler } from './handler.js';

/**
 * The router, composed at cold start (see functions/shared/composition.ts): its table, SES, and the route
 * queue (a case put off while SES cannot take its e-mails goes back on it, delayed).
 */
export async function composeRouter(
  env: NodeJS.ProcessEnv,
  clients: Pick<Clients, 'dynamo' | 'ses' | 'sqs'>,
  options: CompositionOptions = {},
) {
  const adapters = adaptersFor('router', env, clients, options);
  return adapters.instrument(
    createRouterHandler({
      ...adapters.common,
      officials: adapters.officials(),
      digests: adapters.digests(),
      queue: sqsRouteQueue(clients.sqs, adapters.resources.queue('route')),
      mailer: mailerFor(env, clients.ses, options),
      ...(await routingLinksToApiFor('router', env, adapters.common.clock)),
      // The status link of a question e-mail to the enterprise.
      statusLinks: { randomBytes, baseUrl: publicBaseUrlFromEnv('router', env) },
    }),
  );
}
