import { randomBytes } from 'node:crypto';
import type { Clients } from '../adapters/clients.js';
import { actionLinkMaker } from '../domain/action-link.js';
import { adaptersFor } from '../shared/composition.js';
import { createActionsHandler } from './handler.js';

/** The officials' actions, composed at cold start (see functions/shared/composition.ts). */
export async function composeActions(env: NodeJS.ProcessEnv, clients: Clients) {
  const adapters = adaptersFor('actions', env, clients);
  const key = await adapters.linkKey();
  return adapters.instrument(
    createActionsHandler({
      ...adapters.common,
      key,
      officials: adapters.officials(),
      queue: adapters.routeQueue(),
      // Links this function shows on its own pages are relative: they open on the same host.
      links: actionLinkMaker({ key, baseUrl: '', clock: adapters.common.clock, randomBytes }),
    }),
  );
}
