import { type DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Allowance } from '../domain/intake-limits.js';
import type { RequestCounter } from '../domain/ports.js';
import { applied } from './cases.js';

/** A day: how long a window's count outlives the window before DynamoDB's TTL removes it. */
const KEEP_AFTER_WINDOW_S = 86_400;

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
            Key: { pk: `LIMIT#${allowance.kind}#${allowance.key}`, sk: allowance.windowStart.toISOString() },
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
