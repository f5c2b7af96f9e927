import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { SESv2Client } from '@aws-sdk/client-sesv2';
import type { SQSClient } from '@aws-sdk/client-sqs';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Clients } from '../../../functions/adapters/clients.js';
import { declaration } from '../../../functions/declaration.js';
import type { Mailer } from '../../../functions/domain/ports.js';
import { callCountingEnabled, countCalls, countedInvocation, recordItemSizes } from './call-counter.js';
import { crashingMailer, faultsFromEnv, injectSesThrottling } from './faults.js';
import { injectLatency, latencyFromEnv, ROUND_TRIP_MS } from './latency.js';

/**
 * What the local runtime injects into the functions it composes, for the benchmark and the chaos run only:
 * the call counter (`AANSPREEKPUNT_COUNT_CALLS=true`, set by bench/env.ts), an AWS-like round trip per call
 * (`AANSPREEKPUNT_LATENCY=aws`, set by `npm run bench -- --latency aws`) and fault injection
 * (`AANSPREEKPUNT_FAULTS`, set by test/chaos). A deployed bundle has none of them: the Lambda entries
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

/**
 * What the environment asks to add to one SDK client, per service: the counter (DynamoDB with its
 * consumed capacity and the sizes of the items put), the round trip, SES's throttling. The runtime applies
 * it to each function's clients; the bench's floor to its own, so that both see the same network.
 */
export function clientInstrumentationFromEnv(env: NodeJS.ProcessEnv = process.env) {
  const counting = callCountingEnabled(env);
  const faults = faultsFromEnv(env);
  const roundTrip = ROUND_TRIP_MS[latencyFromEnv(env)];
  const itemKey = declaration.tables.cases?.partitionKey;
  return {
    dynamodb<C extends DynamoDBClient | DynamoDBDocumentClient>(client: C): C {
      // The document client shares the stack of the client it wraps.
      if (counting) {
        countCalls(client, 'dynamodb', { consumedCapacity: true });
        if (itemKey !== undefined) recordItemSizes(client, itemKey);
      }
      return injectLatency(client, roundTrip.dynamodb);
    },
    sqs(client: SQSClient): SQSClient {
      if (counting) countCalls(client, 'sqs');
      return injectLatency(client, roundTrip.sqs);
    },
    ses(client: SESv2Client): SESv2Client {
      if (counting) countCalls(client, 'ses');
      // SES answers some attempts with its throttling error.
      if (faults !== undefined) injectSesThrottling(client, faults['ses-throttle']);
      return injectLatency(client, roundTrip.ses);
    },
  };
}

/**
 * The instrumentation the environment asks for (`AANSPREEKPUNT_COUNT_CALLS`, `AANSPREEKPUNT_LATENCY`,
 * `AANSPREEKPUNT_FAULTS`).
 */
export function instrumentationFromEnv(env: NodeJS.ProcessEnv = process.env): Instrumentation {
  const counting = callCountingEnabled(env);
  const faults = faultsFromEnv(env);
  const client = clientInstrumentationFromEnv(env);
  return {
    clients(_fn, clients) {
      if (clients.dynamo !== undefined) client.dynamodb(clients.dynamo);
      if (clients.sqs !== undefined) client.sqs(clients.sqs);
      if (clients.ses !== undefined) client.ses(clients.ses);
      return clients;
    },
    // The router fails before some e-mails, as a crash would.
    mailer: (fn, mailer) =>
      fn === 'router' && faults !== undefined ? crashingMailer(mailer, faults['router-crash']) : mailer,
    // Attributes the AWS calls to the function and times the invocation.
    invocation: (fn, run) => (counting ? countedInvocation(fn, run) : run()),
  };
}
