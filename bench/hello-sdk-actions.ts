import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { clientOptions } from '../functions/adapters/sdk/options.js';

/**
 * The actions function's cold-start reference (bench/cold-start.ts): hello world plus the SDK clients it
 * builds at init, DynamoDB (document client) and SQS, with the same options, and the Secrets Manager client
 * it loads to fetch its link key (built only where the key is not in the environment: on AWS, not here),
 * bundled like the functions.
 */
const dynamo = DynamoDBDocumentClient.from(new DynamoDBClient(clientOptions()));
const sqs = new SQSClient(clientOptions());

export const handler = async () => ({
  statusCode: 200,
  body: `${typeof dynamo}${typeof sqs}${typeof SecretsManagerClient}`,
});
