import { randomBytes } from 'node:crypto';
import type { Clients } from '../adapters/clients.js';
import { sqsRouteQueue } from '../adapters/queue.js';
import { actionLinkMaker } from '../domain/action-link.js';
import { adaptersFor, type CompositionOptions } from '../shared/composition.js';
import { linkKeyFor } from '../shared/links.js';
import { behindEdge, edgeOriginFromEnv } from '../web/edge.js';
import { createActionsHandler } from './handler.js';

/** The officials' actions, composed at cold start (see functions/shared/composition.ts): its table, the route queue. */
export async function composeActions(
  env: NodeJS.ProcessEnv,
  clients: Pick<Clients, 'dynamo' | 'sqs'>,
  options: CompositionOptions = {},
) {
  const adapters = adaptersFor('actions', env, clients, options);
  const key = await linkKeyFor('actions', env);
  // Behind the edge (context `edge=true`) only requests through CloudFront reach the handler.
  return adapters.instrument(
    behindEdge(
      createActionsHandler({
        ...adapters.common,
        key,
        officials: adapters.officials(),
        queue: sqsRouteQueue(clients.sqs, adapters.resources.queue('route')),
        // Links this function shows on its own pages are relative: they open on the same host.
        links: actionLinkMaker({ key, baseUrl: '', clock: adapters.common.clock, randomBytes }),
      }),
      edgeOriginFromEnv(env),
    ),
  );
}
