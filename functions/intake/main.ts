import { randomBytes } from 'node:crypto';
import type { Clients } from '../adapters/clients.js';
import { sqsRouteQueue } from '../adapters/queue.js';
import { adaptersFor } from '../shared/composition.js';
import { createIntakeHandler } from './handler.js';

/** The intake, composed at cold start (see functions/shared/composition.ts): its table and the route queue. */
export async function composeIntake(env: NodeJS.ProcessEnv, clients: Pick<Clients, 'dynamo' | 'sqs'>) {
  const adapters = adaptersFor('intake', env, clients);
  return adapters.instrument(
    createIntakeHandler({
      ...adapters.common,
      queue: sqsRouteQueue(clients.sqs, adapters.resources.queue('route')),
      randomBytes,
    }),
  );
}
