import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  paginateQuery,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import * as z from 'zod';
import type { DigestKey } from '../domain/digest.js';
import type { DigestLedger, DigestQueue } from '../domain/ports.js';
import { applied } from './cases.js';

/**
 * The digests in the cases table. A department's partition, `pk = DIGEST#department#<id>`, holds:
 * - one entry per case waiting for its digest, `sk = QUEUED#<reference>` (the reference and when it was
 *   queued, no personal data), marked `listedIn` with the digest's period once listed, and then removed by
 *   TTL some weeks later (an entry still waiting never expires);
 * - one record per digest, `sk = PERIOD#<YYYY-MM-DD>`: the claim while it is sent, then when it went out,
 *   its message id and the references it listed. An official's digests are recorded the same way, in
 *   `pk = DIGEST#official#<id>`. Records expire after a year.
 * Single-item conditional writes only, like the cases.
 */
const QUEUED = 'QUEUED#';
const PERIOD = 'PERIOD#';
const partition = (audience: DigestKey['audience'], id: string) => `DIGEST#${audience}#${id}`;
const recordKey = ({ audience, id, period }: DigestKey) => ({
  pk: partition(audience, id),
  sk: `${PERIOD}${period}`,
});

const DAY_S = 86_400;
/** How long a listed entry is kept (for a look at what a digest held), and a digest's record. */
const LISTED_KEPT_S = 35 * DAY_S;
const RECORD_KEPT_S = 366 * DAY_S;

const queuedItem = z.looseObject({ reference: z.string(), queuedAt: z.string() });
const recordItem = z.looseObject({
  sentAt: z.string(),
  messageId: z.string(),
  references: z.array(z.string()),
  completedAt: z.string().optional(),
});

export function dynamoDigestStore(db: DynamoDBDocumentClient, table: string): DigestQueue & DigestLedger {
  async function digestRecord(key: DigestKey) {
    const { Item } = await db.send(
      new GetCommand({ TableName: table, Key: recordKey(key), ConsistentRead: true }),
    );
    if (Item?.sentAt === undefined) return undefined;
    const { sentAt, messageId, references, completedAt } = recordItem.parse(Item);
    return completedAt === undefined
      ? { sentAt, messageId, references }
      : { sentAt, messageId, references, completedAt };
  }

  return {
    digestRecord,

    async enqueue(department, reference, at) {
      // Conditional: an entry listed already stays listed (a retry of the router must not list it again).
      await applied(
        db.send(
          new PutCommand({
            TableName: table,
            Item: {
              pk: partition('department', department),
              sk: `${QUEUED}${reference}`,
              reference,
              queuedAt: at.toISOString(),
            },
            ConditionExpression: 'attribute_not_exists(pk)',
          }),
        ),
      );
    },

    async waiting(department) {
      const found: { reference: string; queuedAt: string }[] = [];
      const pages = paginateQuery(
        { client: db },
        {
          TableName: table,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :queued)',
          FilterExpression: 'attribute_not_exists(listedIn)',
          ExpressionAttributeValues: { ':pk': partition('department', department), ':queued': QUEUED },
          ConsistentRead: true,
        },
      );
      for await (const page of pages) for (const item of page.Items ?? []) found.push(queuedItem.parse(item));
      return found
        .sort((a, b) => (a.queuedAt < b.queuedAt ? -1 : a.queuedAt > b.queuedAt ? 1 : 0))
        .map((entry) => entry.reference);
    },

    async markListed(department, references, period) {
      const expiresAt = Math.ceil(Date.parse(`${period}T00:00:00Z`) / 1000) + LISTED_KEPT_S;
      await Promise.all(
        references.map((reference) =>
          applied(
            db.send(
              new UpdateCommand({
                TableName: table,
                Key: { pk: partition('department', department), sk: `${QUEUED}${reference}` },
                ConditionExpression: 'attribute_exists(pk)',
                UpdateExpression: 'SET listedIn = :period, expiresAt = :expires',
                ExpressionAttributeValues: { ':period': period, ':expires': expiresAt },
              }),
            ),
          ),
        ),
      );
    },

    async claimDigest(key, now, leaseMs) {
      if (
        await applied(
          db.send(
            new UpdateCommand({
              TableName: table,
              Key: recordKey(key),
              ConditionExpression:
                'attribute_not_exists(sentAt) AND (attribute_not_exists(sending) OR sending <= :now)',
              UpdateExpression: 'SET sending = :until',
              ExpressionAttributeValues: {
                ':now': now.toISOString(),
                ':until': new Date(now.getTime() + leaseMs).toISOString(),
              },
            }),
          ),
        )
      )
        return 'claimed';
      return (await digestRecord(key)) === undefined ? 'busy' : 'sent';
    },

    async releaseDigest(key, now, leaseMs) {
      await applied(
        db.send(
          new UpdateCommand({
            TableName: table,
            Key: recordKey(key),
            ConditionExpression: 'sending = :until AND attribute_not_exists(sentAt)',
            UpdateExpression: 'REMOVE sending',
            ExpressionAttributeValues: { ':until': new Date(now.getTime() + leaseMs).toISOString() },
          }),
        ),
      );
    },

    async completeDigest(key, at) {
      await db.send(
        new UpdateCommand({
          TableName: table,
          Key: recordKey(key),
          ConditionExpression: 'attribute_exists(sentAt)',
          UpdateExpression: 'SET completedAt = if_not_exists(completedAt, :at)',
          ExpressionAttributeValues: { ':at': at.toISOString() },
        }),
      );
    },

    async recordDigest(key, { sentAt, messageId, references, completedAt }) {
      return applied(
        db.send(
          new UpdateCommand({
            TableName: table,
            Key: recordKey(key),
            ConditionExpression: 'attribute_not_exists(sentAt)',
            UpdateExpression: `SET sentAt = :at, messageId = :id, #references = :references, expiresAt = :expires${completedAt === undefined ? '' : ', completedAt = :completed'} REMOVE sending`,
            ExpressionAttributeNames: { '#references': 'references' },
            ExpressionAttributeValues: {
              ':at': sentAt,
              ':id': messageId,
              ':references': references,
              ':expires': Math.ceil(Date.parse(sentAt) / 1000) + RECORD_KEPT_S,
              ...(completedAt === undefined ? {} : { ':completed': completedAt }),
            },
          }),
        ),
      );
    },
  };
}
