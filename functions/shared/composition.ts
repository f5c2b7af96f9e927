import { randomBytes } from 'node:crypto';
import { municipality } from '../../config/index.js';
import { dynamoCaseStore } from '../adapters/cases.js';
import type { Clients } from '../adapters/clients.js';
import { resourcesFromEnv } from '../adapters/env.js';
import { publicBaseUrlFromEnv, secretFromEnv } from '../adapters/link-key.js';
import { sesMailer } from '../adapters/mailer.js';
import { observability } from '../adapters/observability.js';
import { dynamoOfficialDirectory } from '../adapters/officials.js';
import { sqsRouteQueue } from '../adapters/queue.js';
import { type FunctionName, MAIL_CONFIGURATION_SET_ENV } from '../declaration.js';
import { actionLinkMaker } from '../domain/action-link.js';
import type { Mailer } from '../domain/ports.js';

/**
 * How a function is put together. Each function has a composition module (`functions/<name>/main.ts`) that
 * builds its handler from its environment and SDK clients, once, at cold start; its Lambda entry
 * (`index.ts`) calls it with the real clients. The local runtime calls the same composition with clients and
 * a mailer it may wrap (the benchmark's call counter, the chaos run's faults: infra/local/instrumentation/),
 * so nothing of that instrumentation is part of a deployed bundle.
 */
export interface CompositionOptions {
  /** Wraps the mailer of a function that sends mail. Default: the SES mailer as it is. */
  readonly mailer?: (mailer: Mailer) => Mailer;
}

/** A handler of any trigger (its event and context types are the function's own). */
export type AnyHandler = (event: never, context: never) => Promise<unknown>;

export type Composition = (
  env: NodeJS.ProcessEnv,
  clients: Clients,
  options?: CompositionOptions,
) => Promise<AnyHandler>;

/**
 * The adapters a function is made of, from its environment (read and checked now: a missing resource name
 * is a startup error) and its SDK clients.
 */
export function adaptersFor(fn: FunctionName, env: NodeJS.ProcessEnv, clients: Clients) {
  const resources = resourcesFromEnv(fn, env);
  const { logger, counter, instrument } = observability(fn);
  const clock = () => new Date();
  const casesTable = resources.table('cases');
  return {
    /** Flushes the invocation's metrics at its end. */
    instrument,
    /** What every handler takes. */
    common: {
      cases: dynamoCaseStore(clients.dynamo, casesTable),
      municipality,
      clock,
      log: logger,
      metrics: counter,
    },
    officials: () => dynamoOfficialDirectory(clients.dynamo, casesTable),
    routeQueue: () => sqsRouteQueue(clients.sqs, resources.queue('route')),
    /** SES, through the configuration set the stack names (none locally), wrapped as `options` ask. */
    mailer: (options: CompositionOptions): Mailer => {
      const mailer = sesMailer(clients.ses, {
        configurationSet: env[MAIL_CONFIGURATION_SET_ENV] || undefined,
      });
      return options.mailer?.(mailer) ?? mailer;
    },
    /** The action-link key (fetched once), for a function that declares the secret. */
    linkKey: () => secretFromEnv(fn, 'actionLinkKey', env),
    /** Signs action links to the public API, for a function that declares `linksToApi`. */
    linksToApi: async () =>
      actionLinkMaker({
        key: await secretFromEnv(fn, 'actionLinkKey', env),
        baseUrl: publicBaseUrlFromEnv(fn, env),
        clock,
        randomBytes,
      }),
  };
}
