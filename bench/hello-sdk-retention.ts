import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { clientOptions } from '../functions/adapters/sdk/options.js';

/**
 * The retention function's cold-start reference (bench/cold-start.ts): hello world plus the one SDK client it
 * builds at init, DynamoDB (document client), with the same options, bundled like the functions.
 */
const dynamo = DynamoDBDocumentClient.from(new DynamoDBClient(clientOptions()));

export const handler = async () => ({ statusCode: 200, body: typeof dynamo });
