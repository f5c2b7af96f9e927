import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { type Official, officialSchema } from '../../config/schema.js';
import type { OfficialDirectory } from '../domain/ports.js';

/**
 * Officials live in the cases table under one partition (`pk = OFFICIAL`, `sk = <id>`), so that
 * their availability can change without a deploy. They are seeded from the municipality config.
 */
const PK = 'OFFICIAL';

export function dynamoOfficialDirectory(
  db: DynamoDBDocumentClient,
  table: string,
  options: { cacheMs?: number; now?: () => number } = {},
): OfficialDirectory & { seed(officials: readonly Official[]): Promise<number> } {
  const cacheMs = options.cacheMs ?? 60_000;
  const now = options.now ?? Date.now;
  let cached: { at: number; officials: Official[] } | undefined;

  return {
    async list() {
      if (cached !== undefined && now() - cached.at < cacheMs) return cached.officials;
      const officials: Official[] = [];
      let startKey: Record<string, unknown> | undefined;
      do {
        const page = await db.send(
          new QueryCommand({
            TableName: table,
            KeyConditionExpression: 'pk = :pk',
            ExpressionAttributeValues: { ':pk': PK },
            ExclusiveStartKey: startKey,
          }),
        );
        for (const { pk: _pk, sk: _sk, ...official } of page.Items ?? [])
          officials.push(officialSchema.parse(official));
        startKey = page.LastEvaluatedKey;
      } while (startKey !== undefined);
      cached = { at: now(), officials };
      return officials;
    },

    /** Adds the officials that are not there yet; existing ones (and their changes) are kept. */
    async seed(officials) {
      let added = 0;
      for (const official of officials) {
        try {
          await db.send(
            new PutCommand({
              TableName: table,
              Item: { pk: PK, sk: official.id, ...official },
              ConditionExpression: 'attribute_not_exists(pk)',
            }),
          );
          added++;
        } catch (error) {
          if (!(error instanceof ConditionalCheckFailedException)) throw error;
        }
      }
      cached = undefined;
      return added;
    },
  };
}
