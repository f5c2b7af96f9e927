import type { SESv2Client } from '@aws-sdk/client-sesv2';
import type { SQSClient } from '@aws-sdk/client-sqs';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { FunctionDeclaration } from '../declaration.js';

/**
 * The SDK clients a function may have, built once per process (module scope in each Lambda entry; the local
 * runtime builds a set per function when it composes them). Each is built by its own module
 * (`functions/adapters/sdk/`), so a function's bundle holds only the clients it uses: the ones its declaration
 * says (`clientsUsedBy`). Endpoints and region come from the standard environment (`AWS_REGION`,
 * `AWS_ENDPOINT_URL_DYNAMODB`, `AWS_ENDPOINT_URL_SQS`, `AWS_ENDPOINT_URL_SESV2`), which is how the local
 * runner points them at the emulators. Every client has timeouts (`sdk/options.ts`) and is captured by the
 * tracer (a subsegment per AWS call on Lambda; unchanged where tracing is off).
 */
export interface Clients {
  readonly dynamo: DynamoDBDocumentClient;
  readonly sqs: SQSClient;
  readonly ses: SESv2Client;
}
export type ClientName = keyof Clients;

/** The clients a declared function uses: DynamoDB for its tables, SQS for its queues, SES if it sends mail. */
export function clientsUsedBy(fn: FunctionDeclaration): ClientName[] {
  const used: ClientName[] = [];
  if (Object.keys(fn.tables).length > 0) used.push('dynamo');
  if (Object.keys(fn.queues).length > 0) used.push('sqs');
  if (fn.sendsMail) used.push('ses');
  return used;
}
