import { type DynamoDBDocumentClient, paginateQuery, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod';
import type { Allowance, LimitKind } from '../domain/intake-limits.js';
import type { CountedRequests, RequestCounter, RequestCounts } from '../domain/ports.js';
import { applied } from './cases.js';

/** A day: how long a window's count outlives the window before DynamoDB's TTL removes it. */
const KEEP_AFTER_WINDOW_S = 86_400;

/** The partition of one kind's counts of one key: a window per item. */
const partitionOf = (kind: LimitKind, key: string) => `LIMIT#${kind}#${key}`;

/**
 * The intake's request counts in the cases table: one item per kind, hashed address and window
 * (`pk = LIMIT#<kind>#<key>`, `sk = <window start>`), counted by one conditional update that fails when the
 * window is full. Read by key only, never scanned; TTL removes each a day after its window.
 */
export function dynamoRequestCounter(db: DynamoDBDocumentClient, table: string): RequestCounter {
  return {
    take: (allowance: Allowance) =>
      applied(
        db.send(
          new UpdateCommand({
            TableName: table,
            Key: { pk: partitionOf(allowance.kind, allowance.key), sk: allowance.windowStart.toISOString() },
            UpdateExpression: 'ADD #count :one SET expiresAt = if_not_exists(expiresAt, :expiresAt)',
            ConditionExpression: 'attribute_not_exists(#count) OR #count < :max',
            ExpressionAttributeNames: { '#count': 'requests' },
            ExpressionAttributeValues: {
              ':one': 1,
              ':max': allowance.max,
              ':expiresAt': Math.ceil(allowance.windowEnd.getTime() / 1000) + KEEP_AFTER_WINDOW_S,
            },
          }),
        ),
      ),
  };
}

/** A count's item as `take` writes it. */
const countItem = z.looseObject({
  sk: z.iso.datetime(),
  requests: z.number().int(),
  expiresAt: z.number(),
});

/**
 * The counts still stored for one kind and key (one Query of its partition, oldest window first), for a
 * person's request about their data: the windows DynamoDB's TTL has not removed yet.
 */
export function dynamoRequestCounts(db: DynamoDBDocumentClient, table: string): RequestCounts {
  return {
    async countsOf(kind, key) {
      const counts: CountedRequests[] = [];
      for await (const page of paginateQuery(
        { client: db },
        {
          TableName: table,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': partitionOf(kind, key) },
          ConsistentRead: true,
        },
      ))
        for (const item of page.Items ?? []) {
          const { sk, requests, expiresAt } = countItem.parse(item);
          counts.push({ windowStart: sk, requests, expiresAt: new Date(expiresAt * 1000).toISOString() });
        }
      return counts;
    },
  };
}
