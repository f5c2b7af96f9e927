import {
  type AttributeDefinition,
  CreateTableCommand,
  DescribeTableCommand,
  type DynamoDBClient,
  ResourceNotFoundException,
} from '@aws-sdk/client-dynamodb';
import { AlreadyExistsException, CreateEmailIdentityCommand, type SESv2Client } from '@aws-sdk/client-sesv2';
import { CreateQueueCommand, GetQueueAttributesCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { QueueDeclaration, TableDeclaration } from '../../functions/declaration.js';

const DAY_SECONDS = 86_400;

/**
 * Creates a declared table unless it exists. An existing table must have the declared indexes:
 * a data folder made by an older version is reported, not silently used with a different shape.
 */
export async function ensureTable(
  db: DynamoDBClient,
  name: string,
  table: TableDeclaration,
): Promise<'created' | 'exists'> {
  try {
    const existing = await db.send(new DescribeTableCommand({ TableName: name }));
    const have = new Set((existing.Table?.GlobalSecondaryIndexes ?? []).map((i) => i.IndexName));
    const missing = Object.keys(table.indexes).filter((index) => !have.has(index));
    if (missing.length > 0)
      throw new Error(
        `table ${name} in the data folder lacks the index(es) ${missing.join(', ')}: it was made by an older version. ` +
          'Move the data folder away (or set DATA_DIR to a new one) and start again.',
      );
    await untilActive(db, name);
    return 'exists';
  } catch (error) {
    if (!(error instanceof ResourceNotFoundException)) throw error;
  }
  const attributes = new Set([table.partitionKey, table.sortKey]);
  for (const index of Object.values(table.indexes)) attributes.add(index.partitionKey).add(index.sortKey);
  const definitions: AttributeDefinition[] = [...attributes].map((AttributeName) => ({
    AttributeName,
    AttributeType: 'S',
  }));
  await db.send(
    new CreateTableCommand({
      TableName: name,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: definitions,
      KeySchema: [
        { AttributeName: table.partitionKey, KeyType: 'HASH' },
        { AttributeName: table.sortKey, KeyType: 'RANGE' },
      ],
      GlobalSecondaryIndexes: Object.entries(table.indexes).map(([IndexName, index]) => ({
        IndexName,
        KeySchema: [
          { AttributeName: index.partitionKey, KeyType: 'HASH' },
          { AttributeName: index.sortKey, KeyType: 'RANGE' },
        ],
        Projection: {
          ProjectionType: ({ all: 'ALL', keys: 'KEYS_ONLY', include: 'INCLUDE' } as const)[index.projection],
          NonKeyAttributes: index.attributes,
        },
      })),
    }),
  );
  await untilActive(db, name);
  return 'created';
}

/**
 * Waits until the table is ACTIVE: as on AWS, the embedded DynamoDB answers writes to a table that is
 * still CREATING with ResourceNotFoundException (it flips the status on a timer, late on a busy machine).
 */
async function untilActive(db: DynamoDBClient, name: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const described = await db.send(new DescribeTableCommand({ TableName: name }));
    const ready =
      described.Table?.TableStatus === 'ACTIVE' &&
      (described.Table.GlobalSecondaryIndexes ?? []).every(
        (i) => i.IndexStatus === undefined || i.IndexStatus === 'ACTIVE',
      );
    if (ready) return;
    if (Date.now() > deadline) throw new Error(`table ${name} did not become ACTIVE within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

export interface ProvisionedQueue {
  readonly url: string;
  readonly arn: string;
  readonly deadLetterUrl: string;
}

/** Creates a declared queue and its DLQ (idempotent: same attributes, same queue). */
export async function ensureQueue(
  sqs: SQSClient,
  names: { queue: string; deadLetter: string },
  queue: QueueDeclaration,
): Promise<ProvisionedQueue> {
  const dlq = await sqs.send(
    new CreateQueueCommand({
      QueueName: names.deadLetter,
      Attributes: { MessageRetentionPeriod: String(queue.deadLetter.retentionDays * DAY_SECONDS) },
    }),
  );
  if (dlq.QueueUrl === undefined) throw new Error(`no URL for ${names.deadLetter}`);
  const dlqArn = await queueArn(sqs, dlq.QueueUrl);
  const main = await sqs.send(
    new CreateQueueCommand({
      QueueName: names.queue,
      Attributes: {
        VisibilityTimeout: String(queue.visibilityTimeoutSeconds),
        MessageRetentionPeriod: String(queue.retentionDays * DAY_SECONDS),
        RedrivePolicy: JSON.stringify({
          deadLetterTargetArn: dlqArn,
          maxReceiveCount: queue.deadLetter.maxReceiveCount,
        }),
      },
    }),
  );
  if (main.QueueUrl === undefined) throw new Error(`no URL for ${names.queue}`);
  return { url: main.QueueUrl, arn: await queueArn(sqs, main.QueueUrl), deadLetterUrl: dlq.QueueUrl };
}

async function queueArn(sqs: SQSClient, url: string): Promise<string> {
  const result = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['QueueArn'] }),
  );
  const arn = result.Attributes?.QueueArn;
  if (arn === undefined) throw new Error(`no ARN for ${url}`);
  return arn;
}

/**
 * Verifies an e-mail identity (the sender) on an SES that needs one, such as moto server; idempotent.
 * Not for the embedded SES, which sends from any address and does not answer identity calls.
 */
export async function ensureEmailIdentity(ses: SESv2Client, address: string): Promise<'created' | 'exists'> {
  try {
    await ses.send(new CreateEmailIdentityCommand({ EmailIdentity: address }));
    return 'created';
  } catch (error) {
    if (error instanceof AlreadyExistsException) return 'exists';
    throw error;
  }
}
