import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { clientOptions } from '../functions/adapters/sdk/options.js';

/**
 * The mail-events function's cold-start reference (bench/cold-start.ts): hello world plus the SDK clients it
 * builds at init, DynamoDB (document client), SES (the one e-mail to a contact whose enterprise's address
 * bounced) and SQS (a case handed on goes to the router), with the same options, bundled like the functions.
 * It holds no action-link key, so no Secrets Manager client.
 */
const dynamo = DynamoDBDocumentClient.from(new DynamoDBClient(clientOptions()));
const ses = new SESv2Client(clientOptions());
const sqs = new SQSClient(clientOptions());

export const handler = async () => ({
  statusCode: 200,
  body: `${typeof dynamo}${typeof ses}${typeof sqs}`,
});
