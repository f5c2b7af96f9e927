import type { Clients } from '../adapters/clients.js';
import { adaptersFor, type CompositionOptions } from '../shared/composition.js';
import { createRetentionHandler } from './handler.js';

/** The retention job, composed at cold start (see functions/shared/composition.ts): its table only. */
export async function composeRetention(
  env: NodeJS.ProcessEnv,
  clients: Pick<Clients, 'dynamo'>,
  options: CompositionOptions = {},
) {
  const adapters = adaptersFor('retention', env, clients, options);
  const { cases, log, metrics } = adapters.common;
  return adapters.instrument(createRetentionHandler({ cases, log, metrics }));
}
