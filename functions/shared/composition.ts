import { municipality as configured } from '../../config/index.js';
import type { Municipality } from '../../config/schema.js';
import { dynamoCaseStore } from '../adapters/cases.js';
import type { ClientName, Clients } from '../adapters/clients.js';
import { dynamoDigestStore } from '../adapters/digests.js';
import { resourcesFromEnv } from '../adapters/env.js';
import { observability } from '../adapters/observability.js';
import { dynamoOfficialDirectory } from '../adapters/officials.js';
import type { FunctionName } from '../declaration.js';
import type { Mailer } from '../domain/ports.js';

/**
 * How a function is put together. Each function has a composition module (`functions/<name>/main.ts`) that
 * builds its handler from its environment and the SDK clients it uses, once, at cold start; its Lambda entry
 * (`index.ts`) calls it with the real clients, built by one module per client (`functions/adapters/sdk/`), so
 * the bundle holds no client the function does not use. The local runtime calls the same composition with
 * clients and a mailer it may wrap (the benchmark's call counter, the chaos run's faults:
 * infra/local/instrumentation/), so nothing of that instrumentation is part of a deployed bundle.
 * The parts a function uses besides its table come from their own modules, for the same reason: the route
 * queue (`adapters/queue.ts`), the mailer (`shared/mail.ts`, SES) and the action links (`shared/links.ts`,
 * Secrets Manager).
 */
export interface CompositionOptions {
  /** Wraps the mailer of a function that sends mail. Default: the SES mailer as it is. */
  readonly mailer?: (mailer: Mailer) => Mailer;
  /**
   * The municipality to serve instead of the configured one (config/index.ts): a run that needs other
   * settings of the same municipality, such as the benchmark's and the chaos run's own intake limits.
   */
  readonly municipality?: Municipality;
}

/** A handler of any trigger (its event and context types are the function's own). */
export type AnyHandler = (event: never, context: never) => Promise<unknown>;

/** A function's composition as a runtime that composes the functions itself (the local one) sees it. */
export interface Composition {
  /** The SDK clients the function uses: those its declaration says (`clientsUsedBy`, checked by a test). */
  readonly clients: readonly ClientName[];
  /** Composes the function; `clients` must hold each of `clients` above (a startup error otherwise). */
  compose(
    env: NodeJS.ProcessEnv,
    clients: Partial<Clients>,
    options?: CompositionOptions,
  ): Promise<AnyHandler>;
}

/**
 * A composition and the clients it uses, paired. The compiler checks that `uses` names every client the
 * composition takes (`N` is inferred from `uses` alone); composing checks that the runtime gave them.
 */
export function composition<N extends ClientName>(
  uses: readonly N[],
  compose: (
    env: NodeJS.ProcessEnv,
    clients: Pick<Clients, NoInfer<N>>,
    options?: CompositionOptions,
  ) => Promise<AnyHandler>,
): Composition {
  return {
    clients: uses,
    compose: async (env, clients, options) => compose(env, pickClients(uses, clients), options),
  };
}

function pickClients<N extends ClientName>(uses: readonly N[], clients: Partial<Clients>): Pick<Clients, N> {
  const missing = uses.filter((name) => clients[name] === undefined);
  if (missing.length > 0) throw new Error(`missing SDK client(s): ${missing.join(', ')}`);
  // Every client in `uses` is present (checked above).
  return clients as Pick<Clients, N>;
}

/**
 * What every function is made of, from its environment (read and checked now: a missing resource name is a
 * startup error) and its DynamoDB client.
 */
export function adaptersFor(
  fn: FunctionName,
  env: NodeJS.ProcessEnv,
  clients: Pick<Clients, 'dynamo'>,
  options: CompositionOptions = {},
) {
  const resources = resourcesFromEnv(fn, env);
  const { logger, counter, instrument } = observability(fn);
  const clock = () => new Date();
  const casesTable = resources.table('cases');
  return {
    /** The resource names the function declares. */
    resources,
    /** Flushes the invocation's metrics at its end. */
    instrument,
    /** What every handler takes. */
    common: {
      cases: dynamoCaseStore(clients.dynamo, casesTable),
      municipality: options.municipality ?? configured,
      clock,
      log: logger,
      metrics: counter,
    },
    officials: () => dynamoOfficialDirectory(clients.dynamo, casesTable),
    /** The digests' entries and records (in the cases table). */
    digests: () => dynamoDigestStore(clients.dynamo, casesTable),
  };
}
