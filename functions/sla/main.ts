import type { Clients } from '../adapters/clients.js';
import { scheduleRateFromEnv } from '../adapters/env.js';
import { sqsRouteQueue } from '../adapters/queue.js';
import { adaptersFor, type CompositionOptions } from '../shared/composition.js';
import { linksToApiFor } from '../shared/links.js';
import { mailerFor } from '../shared/mail.js';
import { createSlaHandler } from './handler.js';

/** The SLA job, composed at cold start (see functions/shared/composition.ts): its table, the route queue, SES. */
export async function composeSla(
  env: NodeJS.ProcessEnv,
  clients: Pick<Clients, 'dynamo' | 'sqs' | 'ses'>,
  options: CompositionOptions = {},
) {
  const adapters = adaptersFor('sla', env, clients, options);
  return adapters.instrument(
    createSlaHandler({
      ...adapters.common,
      officials: adapters.officials(),
      rateMinutes: scheduleRateFromEnv('sla', env),
      queue: sqsRouteQueue(clients.sqs, adapters.resources.queue('route')),
      mailer: mailerFor(env, clients.ses, options),
      links: await linksToApiFor('sla', env, adapters.common.clock),
    }),
  );
}
