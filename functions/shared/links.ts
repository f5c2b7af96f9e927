import { randomBytes } from 'node:crypto';
import { publicBaseUrlFromEnv, secretFromEnv } from '../adapters/link-key.js';
import type { FunctionName } from '../declaration.js';
import { actionLinkMaker, myCasesLinkMaker, satisfactionLinkMaker } from '../domain/action-link.js';

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

/** Signs action links and links to the officials' "Mijn zaken" pages on the public API (one key fetch). */
export async function officialLinksToApiFor(fn: FunctionName, env: NodeJS.ProcessEnv, clock: () => Date) {
  const key = await linkKeyFor(fn, env);
  const baseUrl = publicBaseUrlFromEnv(fn, env);
  return {
    links: actionLinkMaker({ key, baseUrl, clock, randomBytes }),
    myCases: myCasesLinkMaker({ key, baseUrl }),
  };
}

/**
 * Signs action links and the enterprises' links to the satisfaction form on the public API (one key fetch):
 * the router's, which sends both.
 */
export async function routingLinksToApiFor(fn: FunctionName, env: NodeJS.ProcessEnv, clock: () => Date) {
  const key = await linkKeyFor(fn, env);
  const baseUrl = publicBaseUrlFromEnv(fn, env);
  return {
    links: actionLinkMaker({ key, baseUrl, clock, randomBytes }),
    satisfactionLinks: satisfactionLinkMaker({ key, baseUrl, clock }),
  };
}
