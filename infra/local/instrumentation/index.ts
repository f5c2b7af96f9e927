import type { Clients } from '../../../functions/adapters/clients.js';
import type { Mailer } from '../../../functions/domain/ports.js';
import { callCountingEnabled, countCalls, countedInvocation } from './call-counter.js';
import { crashingMailer, faultsFromEnv, injectSesThrottling } from './faults.js';

/**
 * What the local runtime injects into the functions it composes, for the benchmark and the chaos run only:
 * the call counter (`AANSPREEKPUNT_COUNT_CALLS=true`, set by bench/env.ts) and fault injection
 * (`AANSPREEKPUNT_FAULTS`, set by test/chaos). A deployed bundle has neither: the Lambda entries
 * (`functions/<name>/index.ts`) compose with the plain clients, and nothing under functions/ imports this
 * folder (checked by `npm run lint` and by test/infra/bundles.test.ts).
 */
export interface Instrumentation {
  /** Adds middleware to a function's SDK clients (those it uses), before their first call. */
  clients<C extends Partial<Clients>>(fn: string, clients: C): C;
  /** Wraps the mailer of a function that sends mail. */
  mailer(fn: string, mailer: Mailer): Mailer;
  /** Runs one invocation of a function. */
  invocation<R>(fn: string, run: () => Promise<R>): Promise<R>;
}

/** The instrumentation the environment asks for (`AANSPREEKPUNT_COUNT_CALLS`, `AANSPREEKPUNT_FAULTS`). */
export function instrumentationFromEnv(env: NodeJS.ProcessEnv = process.env): Instrumentation {
  const counting = callCountingEnabled(env);
  const faults = faultsFromEnv(env);
  return {
    clients(_fn, clients) {
      // Counts every call, with DynamoDB's consumed capacity (the document client shares the stack).
      if (counting) {
        if (clients.dynamo !== undefined) countCalls(clients.dynamo, 'dynamodb', { consumedCapacity: true });
        if (clients.sqs !== undefined) countCalls(clients.sqs, 'sqs');
        if (clients.ses !== undefined) countCalls(clients.ses, 'ses');
      }
      // SES answers some attempts with its throttling error.
      if (faults !== undefined && clients.ses !== undefined)
        injectSesThrottling(clients.ses, faults['ses-throttle']);
      return clients;
    },
    // The router fails before some e-mails, as a crash would.
    mailer: (fn, mailer) =>
      fn === 'router' && faults !== undefined ? crashingMailer(mailer, faults['router-crash']) : mailer,
    // Attributes the AWS calls to the function and times the invocation.
    invocation: (fn, run) => (counting ? countedInvocation(fn, run) : run()),
  };
}
