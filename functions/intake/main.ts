import { randomBytes } from 'node:crypto';
import type { Clients } from '../adapters/clients.js';
import { adaptersFor } from '../shared/composition.js';
import { createIntakeHandler } from './handler.js';

/** The intake, composed at cold start (see functions/shared/composition.ts). */
export async function composeIntake(env: NodeJS.ProcessEnv, clients: Clients) {
  const adapters = adaptersFor('intake', env, clients);
  return adapters.instrument(
    createIntakeHandler({ ...adapters.common, queue: adapters.routeQueue(), randomBytes }),
  );
}
