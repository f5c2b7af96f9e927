import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  paginateQuery,
  UpdateCommand,
  type UpdateCommandInput,
} from '@aws-sdk/lib-dynamodb';
import * as z from 'zod';
import {
  type Absence,
  absenceSchema,
  type Official,
  officialSchema,
  type StoredOfficial,
  storedOfficialSchema,
} from '../../config/schema.js';
import type { OfficialDirectory, ReachabilityStore } from '../domain/ports.js';
import { applied } from './cases.js';

/**
 * Officials live in the cases table under one partition (`pk = OFFICIAL`, `sk = <id>`), so that
 * their availability can change without a deploy. They are seeded from the municipality config.
 */
const PK = 'OFFICIAL';
const key = (id: string) => ({ pk: PK, sk: id });

function fromItem(item: Record<string, unknown>): StoredOfficial {
  const { pk: _pk, sk: _sk, ...official } = item;
  return storedOfficialSchema.parse(official);
}

/** Raised when a write names an official that is not in the table. */
export class UnknownOfficialError extends Error {
  constructor(readonly id: string) {
    super(`unknown official "${id}"`);
    this.name = 'UnknownOfficialError';
  }
}

/** What the officials command needs on top of what the router reads. */
export interface ManagedOfficialDirectory extends OfficialDirectory, ReachabilityStore {
  list(): Promise<StoredOfficial[]>;
  /** The official as stored now (not cached); undefined when there is none with this id. */
  get(id: string): Promise<StoredOfficial | undefined>;
  /**
   * Replaces the absences of an existing official (one conditional write) and returns the official as
   * stored after it; `UnknownOfficialError` when there is no official with this id.
   */
  setAbsences(id: string, absences: readonly Absence[]): Promise<StoredOfficial>;
  /** Makes an unreachable official reachable again; false when they were not marked (or unknown). */
  markReachable(id: string): Promise<boolean>;
  /** Adds the officials that are not there yet; existing ones (and their changes) are kept. */
  seed(officials: readonly Official[]): Promise<number>;
  /**
   * Writes an official's details (one write): adds them without absences, or replaces the details of an
   * existing one and keeps their absences.
   */
  save(official: Omit<Official, 'absences'>): Promise<void>;
}

export function dynamoOfficialDirectory(
  db: DynamoDBDocumentClient,
  table: string,
  options: { cacheMs?: number; now?: () => number } = {},
): ManagedOfficialDirectory {
  const cacheMs = options.cacheMs ?? 60_000;
  const now = options.now ?? Date.now;
  let cached: { at: number; officials: StoredOfficial[] } | undefined;

  /** Marks an official reachable or not (one conditional write): false when its condition did not hold. */
  const reachability = async (
    id: string,
    update: Pick<
      UpdateCommandInput,
      'UpdateExpression' | 'ConditionExpression' | 'ExpressionAttributeValues'
    >,
  ): Promise<boolean> => {
    try {
      return await applied(db.send(new UpdateCommand({ TableName: table, Key: key(id), ...update })));
    } finally {
      cached = undefined;
    }
  };

  return {
    async list() {
      if (cached !== undefined && now() - cached.at < cacheMs) return cached.officials;
      const officials: StoredOfficial[] = [];
      const pages = paginateQuery(
        { client: db },
        { TableName: table, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': PK } },
      );
      for await (const page of pages) for (const item of page.Items ?? []) officials.push(fromItem(item));
      cached = { at: now(), officials };
      return officials;
    },

    async get(id) {
      const result = await db.send(new GetCommand({ TableName: table, Key: key(id), ConsistentRead: true }));
      return result.Item === undefined ? undefined : fromItem(result.Item);
    },

    async setAbsences(id, absences) {
      const checked = z.array(absenceSchema).parse(absences);
      try {
        const result = await db.send(
          new UpdateCommand({
            TableName: table,
            Key: key(id),
            UpdateExpression: 'SET absences = :absences',
            ConditionExpression: 'attribute_exists(pk)',
            ExpressionAttributeValues: { ':absences': checked },
            ReturnValues: 'ALL_NEW',
          }),
        );
        if (result.Attributes === undefined) throw new Error(`no official returned for "${id}"`);
        return fromItem(result.Attributes);
      } catch (error) {
        if (error instanceof ConditionalCheckFailedException) throw new UnknownOfficialError(id);
        throw error;
      } finally {
        cached = undefined;
      }
    },

    async markUnreachable(id, since) {
      return reachability(id, {
        UpdateExpression: 'SET unreachable = :unreachable',
        ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(unreachable)',
        ExpressionAttributeValues: { ':unreachable': { since: since.toISOString() } },
      });
    },

    async markReachable(id) {
      return reachability(id, {
        UpdateExpression: 'REMOVE unreachable',
        ConditionExpression: 'attribute_exists(unreachable)',
      });
    },

    async seed(officials) {
      let added = 0;
      for (const official of officials) {
        try {
          await db.send(
            new PutCommand({
              TableName: table,
              Item: { ...key(official.id), ...official },
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

    async save(official) {
      const { deputy, ...details } = officialSchema.omit({ absences: true }).parse(official);
      const fields = Object.keys(details) as (keyof typeof details)[];
      const set = [...fields.map((f) => `#${f} = :${f}`), '#absences = if_not_exists(#absences, :none)'];
      if (deputy !== undefined) set.push('#deputy = :deputy');
      await db.send(
        new UpdateCommand({
          TableName: table,
          Key: key(details.id),
          UpdateExpression: `SET ${set.join(', ')}${deputy === undefined ? ' REMOVE #deputy' : ''}`,
          ExpressionAttributeNames: Object.fromEntries(
            [...fields, 'absences', 'deputy'].map((f) => [`#${f}`, f]),
          ),
          ExpressionAttributeValues: {
            ...Object.fromEntries(fields.map((f) => [`:${f}`, details[f]])),
            ':none': [],
            ...(deputy === undefined ? {} : { ':deputy': deputy }),
          },
        }),
      );
      cached = undefined;
    },
  };
}
