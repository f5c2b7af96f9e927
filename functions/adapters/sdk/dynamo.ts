import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { captured } from '../tracing.js';
import { clientOptions } from './options.js';

/**
 * The DynamoDB document client of a function that declares a table, captured by the tracer. It shares the
 * middleware stack of the DynamoDB client it wraps, so the local runtime can still add the benchmark's call
 * counter to it (infra/local/instrumentation/); a deployed function never does.
 */
export function createDynamo(): DynamoDBDocumentClient {
  const base = captured(new DynamoDBClient(clientOptions()));
  return DynamoDBDocumentClient.from(base, { marshallOptions: { removeUndefinedValues: true } });
}
