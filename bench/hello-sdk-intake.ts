import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { clientOptions } from '../functions/adapters/sdk/options.js';

/**
 * The intake's cold-start reference (bench/cold-start.ts): hello world plus the SDK clients the intake builds
 * at init, DynamoDB (document client) and SQS, with the same options, bundled like the functions. The gap to
 * `hello` is what those clients cost; the gap from here to the intake is the intake's own init.
 */
const dynamo = DynamoDBDocumentClient.from(new DynamoDBClient(clientOptions()));
const sqs = new SQSClient(clientOptions());

export const handler = async () => ({ statusCode: 200, body: `${typeof dynamo}${typeof sqs}` });
