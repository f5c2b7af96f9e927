import type { Clients } from '../adapters/clients.js';
import { sqsRouteQueue } from '../adapters/queue.js';
import { adaptersFor, type CompositionOptions } from '../shared/composition.js';
import { mailerFor } from '../shared/mail.js';
import { createMailEventsHandler } from './handler.js';

/**
 * The mail-events function, composed at cold start (see functions/shared/composition.ts): its table (the
 * cases, the officials, the suppression list), the route queue (a case handed on goes to the router) and SES
 * (the one e-mail to a contact whose enterprise's address bounced).
 */
export async function composeMailEvents(
  env: NodeJS.ProcessEnv,
  clients: Pick<Clients, 'dynamo' | 'ses' | 'sqs'>,
  options: CompositionOptions = {},
) {
  const adapters = adaptersFor('mailEvents', env, clients, options);
  return adapters.instrument(
    createMailEventsHandler({
      ...adapters.common,
      officials: adapters.officials(),
      queue: sqsRouteQueue(clients.sqs, adapters.resources.queue('route')),
      mailer: mailerFor(env, clients.ses, options),
    }),
  );
}
