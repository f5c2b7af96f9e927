import { randomBytes } from 'node:crypto';
import { publicBaseUrlFromEnv, secretFromEnv } from '../adapters/link-key.js';
import type { FunctionName } from '../declaration.js';
import { actionLinkMaker } from '../domain/action-link.js';

/** The action-link key (fetched once), for a function that declares the secret. */
export const linkKeyFor = (fn: FunctionName, env: NodeJS.ProcessEnv) =>
  secretFromEnv(fn, 'actionLinkKey', env);

/** Signs action links to the public API, for a function that declares `linksToApi`. */
export async function linksToApiFor(fn: FunctionName, env: NodeJS.ProcessEnv, clock: () => Date) {
  return actionLinkMaker({
    key: await linkKeyFor(fn, env),
    baseUrl: publicBaseUrlFromEnv(fn, env),
    clock,
    randomBytes,
  });
}
