import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

/**
 * A second cold-start reference: hello world plus the SDK clients every function builds at init (the SDK is
 * external, as on the Lambda runtime). The gap between the two references is what the SDK costs.
 */
const dynamo = DynamoDBDocumentClient.from(new DynamoDBClient({}));
const sqs = new SQSClient({});
const ses = new SESv2Client({});

export const handler = async () => ({ statusCode: 200, body: `${typeof dynamo}${typeof sqs}${typeof ses}` });
