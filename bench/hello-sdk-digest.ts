import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { clientOptions } from '../functions/adapters/sdk/options.js';

/**
 * The digest job's cold-start reference (bench/cold-start.ts): hello world plus the SDK clients it builds at
 * init, DynamoDB (document client) and SES, with the same options, and the Secrets Manager client it loads to
 * fetch its link key (built only where the key is not in the environment: on AWS, not here), bundled like the
 * functions.
 */
const dynamo = DynamoDBDocumentClient.from(new DynamoDBClient(clientOptions()));
const ses = new SESv2Client(clientOptions());

export const handler = async () => ({
  statusCode: 200,
  body: `${typeof dynamo}${typeof ses}${typeof SecretsManagerClient}`,
});
