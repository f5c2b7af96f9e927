import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { tracer } from './tracing.js';

/**
 * The SDK clients, built once per process (module scope in each Lambda entry; the local runtime builds a set
 * per function when it composes them). Endpoints and region come
 * from the standard environment (`AWS_REGION`, `AWS_ENDPOINT_URL_DYNAMODB`, `AWS_ENDPOINT_URL_SQS`,
 * `AWS_ENDPOINT_URL_SESV2`), which is how the local runner points them at the emulators.
 * Every client has timeouts: a hung dependency fails the call instead of the whole invocation, and is
 * captured by the tracer (a subsegment per AWS call on Lambda; unchanged where tracing is off).
 * The document client shares the middleware stack of the DynamoDB client it wraps, so the local runtime can
 * still add the benchmark's call counter to it (infra/local/instrumentation/); a deployed function never does.
 */
export function createClients() {
  const requestHandler = { connectionTimeout: 2_000, requestTimeout: 5_000 };
  const base = tracer.captureAWSv3Client(new DynamoDBClient({ requestHandler, maxAttempts: 3 }));
  const sqs = tracer.captureAWSv3Client(new SQSClient({ requestHandler, maxAttempts: 3 }));
  const ses = tracer.captureAWSv3Client(new SESv2Client({ requestHandler, maxAttempts: 3 }));
  const dynamo = DynamoDBDocumentClient.from(base, { marshallOptions: { removeUndefinedValues: true } });
  return { dynamo, sqs, ses };
}
export type Clients = ReturnType<typeof createClients>;
