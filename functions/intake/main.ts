import { randomBytes } from 'node:crypto';
import type { Clients } from '../adapters/clients.js';
import { sqsRouteQueue } from '../adapters/queue.js';
import { dynamoRequestCounter } from '../adapters/request-counter.js';
import { adaptersFor, type CompositionOptions } from '../shared/composition.js';
import { behindEdge, edgeOriginFromEnv } from '../web/edge.js';
import { createIntakeHandler } from './handler.js';

/** The intake, composed at cold start (see functions/shared/composition.ts): its table (the cases and the request counts) and the route queue. */
export async function composeIntake(
  env: NodeJS.ProcessEnv,
  clients: Pick<Clients, 'dynamo' | 'sqs'>,
  options: CompositionOptions = {},
) {
  const adapters = adaptersFor('intake', env, clients, options);
  // Behind the edge (context `edge=true`) only requests through CloudFront reach the handler.
  return adapters.instrument(
    behindEdge(
      createIntakeHandler({
        ...adapters.common,
        queue: sqsRouteQueue(clients.sqs, adapters.resources.queue('route')),
        requestCounts: dynamoRequestCounter(clients.dynamo, adapters.resources.table('cases')),
        randomBytes,
      }),
      edgeOriginFromEnv(env),
    ),
  );
}
