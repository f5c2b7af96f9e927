import { createHash } from 'node:crypto';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  paginateQuery,
  QueryCommand,
  type QueryCommandInput,
  UpdateCommand,
  type UpdateCommandInput,
} from '@aws-sdk/lib-dynamodb';
import * as z from 'zod';
import type { ClockRewrite } from '../domain/actions.js';
import { type Case, caseSchema, closedAt } from '../domain/case.js';
import { notificationKey } from '../domain/notification-kind.js';
import type { CaseRecord, CaseStore, DuePage, SuppressionReason } from '../domain/ports.js';
import {
  type AnonymisedCase,
  anonymisedCaseSchema,
  type DeletionRecord,
  deletionRecordSchema,
  nextRetention,
} from '../domain/retention.js';

/**
 * Cases in the single table: `pk = CASE#<reference>`, `sk = CASE`. Index attributes are derived from
 * the case on every write, never set by hand:
 * - `kvkNumber` and `contactId` (byEnterprise: an enterprise's cases and who was their contact);
 * - `openAssignee` while the case is assigned and open (openByOfficial, sparse);
 * - `closedBy` + `closedAt` once it is resolved, until its personal data are removed (closedByOfficial,
 *   sparse: an official's "Mijn zaken" page lists the cases they closed lately);
 * - `dueShard` + `nextAt` while the SLA job must look at the case (due, sparse);
 * - `retentionShard` + `retentionOn` once it is closed, until its last retention step (retention, sparse).
 * A case whose personal data were removed keeps its item (with `anonymisedAt`); a destroyed case leaves a
 * deletion record in its partition, `sk = DESTROYED`, in the retention index under the year it was destroyed.
 * Only single-item conditional writes: the embedded DynamoDB has no transactions.
 */
export const DUE_SHARD = 'DUE';
/** The retention index's partition of the cases waiting for a retention step. */
export const RETENTION_SHARD = 'RETENTION';
/** The retention index's partition of the deletion records of a year. */
const destroyedShard = (year: number) => `DESTROYED#${year}`;
/** The sort key of a case's item (its partition also holds its deletion record, once destroyed). */
export const CASE_SK = 'CASE';
const SK = CASE_SK;
const DESTROYED_SK = 'DESTROYED';
const CASE_PREFIX = 'CASE#';
const key = (reference: string) => ({ pk: `${CASE_PREFIX}${reference}`, sk: SK });

/** The reference in a case's partition key; undefined for any other key. */
const referenceOfPk = (pk: string): string | undefined =>
  pk.startsWith(CASE_PREFIX) ? pk.slice(CASE_PREFIX.length) : undefined;

/** The reference of a case's item from its keys; undefined for any other item (a deletion record, a claim). */
export const referenceOfCaseItem = (item: Record<string, unknown>): string | undefined =>
  typeof item.pk === 'string' && item.pk.startsWith(CASE_PREFIX) && item.sk === SK
    ? item.pk.slice(CASE_PREFIX.length)
    : undefined;
const DERIVED = [
  'pk',
  'sk',
  'kvkNumber',
  'contactId',
  'openAssignee',
  'closedBy',
  'closedAt',
  'dueShard',
  'retentionShard',
  'retentionOn',
  'expiresAt',
] as const;

/** The retention index's attributes of a case (undefined while no retention step waits). */
const retentionIndexOf = (c: Parameters<typeof nextRetention>[0]) => {
  const next = nextRetention(c);
  return next === undefined
    ? { retentionShard: undefined, retentionOn: undefined }
    : { retentionShard: RETENTION_SHARD, retentionOn: next.on };
};

/** The closed-cases index's attributes: who closed the case and when, until its personal data are removed. */
const closedIndexOf = (c: Omit<Case, 'reference'> | Omit<AnonymisedCase, 'reference'>) => {
  const at = 'anonymisedAt' in c ? undefined : closedAt(c);
  return at === undefined
    ? { closedBy: undefined, closedAt: undefined }
    : { closedBy: c.contact?.id, closedAt: at };
};

/** The case's item: its reference is in the key only (an item of an earlier version also holds it). */
function toItem({ reference, ...c }: Case | AnonymisedCase) {
  return {
    ...key(reference),
    ...c,
    kvkNumber: c.request.organisation.kvkNumber,
    contactId: c.contact?.id,
    openAssignee: c.status === 'assigned' ? c.contact?.id : undefined,
    ...closedIndexOf(c),
    dueShard: c.nextAt === undefined ? undefined : DUE_SHARD,
    ...retentionIndexOf(c),
  };
}

/** The stored attributes without the derived ones, and the reference from the key. */
function stored(item: Record<string, unknown>): Record<string, unknown> {
  const rest = { ...item };
  for (const attribute of DERIVED) delete rest[attribute];
  const pk = item.pk;
  const reference = typeof pk === 'string' && pk.startsWith(CASE_PREFIX) ? pk.slice(CASE_PREFIX.length) : pk;
  return { ...rest, reference };
}

function fromItem(item: Record<string, unknown>): Case {
  return caseSchema.parse(stored(item));
}

/** A case item whose personal data were removed. */
const isAnonymised = (item: Record<string, unknown>) => item.anonymisedAt !== undefined;

/** The item a case is stored as: the case with its derived index attributes (undefined ones are not stored). */
export const caseItem = (c: Case): Record<string, unknown> => toItem(c);

/** A stored case item as the domain's case: the derived attributes dropped, the schema checked (throws). */
export const caseFromItem = (item: Record<string, unknown>): Case => fromItem(item);

/** The sparse indexes read up to a moment, a page at a time: their partition and sort key attributes. */
const SPARSE_INDEXES = {
  due: { shard: 'dueShard', sort: 'nextAt' },
  retention: { shard: 'retentionShard', sort: 'retentionOn' },
} as const;
type SparseIndex = keyof typeof SPARSE_INDEXES;

/** Where a page of a sparse index ends: the keys of its last item (the index's and the table's). */
const cursorOf = (index: SparseIndex) =>
  z.strictObject({
    [SPARSE_INDEXES[index].shard]: z.string(),
    [SPARSE_INDEXES[index].sort]: z.string(),
    pk: z.string(),
    sk: z.string(),
  });

/**
 * The suppression list: one item per address, `pk = SUPPRESSED#<hash>`, keyed by the SHA-256 of the address
 * in lower case (the address itself is never stored), with why and since when.
 */
const SUPPRESSED_SK = 'SUPPRESSED';
const suppressedKey = (address: string) => ({
  pk: `SUPPRESSED#${createHash('sha256').update(address.trim().toLowerCase()).digest('base64url')}`,
  sk: SUPPRESSED_SK,
});
/** A suppression-list item: why and since when. */
const suppressionItem = z.looseObject({
  reason: z.enum(['bounce', 'complaint']) satisfies z.ZodType<SuppressionReason>,
  at: z.iso.datetime({ offset: true }),
});
/** BatchGetItem reads at most 100 keys per call. */
const BATCH_GET_MAX = 100;

/** The note that a department was full on a day (one item per department). */
const DEPARTMENT_FULL_PK = 'NOTICE#departmentFull';

const conditionFailed = (error: unknown) => error instanceof ConditionalCheckFailedException;

/** Sends a conditional write: true when it was applied, false when its condition did not hold. */
export async function applied(write: Promise<unknown>): Promise<boolean> {
  try {
    await write;
    return true;
  } catch (error) {
    if (conditionFailed(error)) return false;
    throw error;
  }
}
/** DynamoDB refuses to set a path inside a map that does not exist. */
const missingUsedLinks = (error: unknown) =>
  error instanceof Error && error.name === 'ValidationException' && /document path/i.test(error.message);

/**
 * The clocks a change writes whole (a pause, a resume, an answer), each only if it is still as the planner
 * saw it: its conditions and values are added, and the SET clauses returned.
 */
function clockRewrites(
  rewrite: readonly ClockRewrite[],
  conditions: string[],
  values: Record<string, unknown>,
): string[] {
  return rewrite.map((r) => {
    conditions.push(`attribute_not_exists(clocks.${r.name}.stoppedAt)`);
    if (r.pausedAt === undefined) conditions.push(`attribute_not_exists(clocks.${r.name}.pausedAt)`);
    else {
      conditions.push(`clocks.${r.name}.pausedAt = :was_${r.name}`);
      values[`:was_${r.name}`] = r.pausedAt;
    }
    values[`:clock_${r.name}`] = r.clock;
    return `clocks.${r.name} = :clock_${r.name}`;
  });
}

export function dynamoCaseStore(db: DynamoDBDocumentClient, table: string): CaseStore {
  /** An update of one case's item, by its reference. */
  const updateOf = (reference: string, input: Omit<UpdateCommandInput, 'TableName' | 'Key'>) =>
    new UpdateCommand({ TableName: table, Key: key(reference), ...input });
  const write = (command: PutCommand | UpdateCommand | DeleteCommand) =>
    applied(
      command instanceof PutCommand
        ? db.send(command)
        : command instanceof UpdateCommand
          ? db.send(command)
          : db.send(command),
    );

  /** Reads items by key, `BATCH_GET_MAX` a call, with the keys DynamoDB left unprocessed tried again. */
  async function batchGet(
    keys: readonly { pk: string; sk: string }[],
    what: string,
    projection?: string,
  ): Promise<Record<string, unknown>[]> {
    const items: Record<string, unknown>[] = [];
    let pending = [...keys];
    for (let attempt = 0; pending.length > 0; attempt++) {
      const batch = pending.slice(0, BATCH_GET_MAX);
      const result = await db.send(
        new BatchGetCommand({
          RequestItems: {
            [table]: { Keys: batch, ConsistentRead: true, ProjectionExpression: projection },
          },
        }),
      );
      items.push(...(result.Responses?.[table] ?? []));
      const unprocessed = (result.UnprocessedKeys?.[table]?.Keys ?? []) as typeof pending;
      if (unprocessed.length > 0 && attempt >= 5)
        throw new Error(`${what} could not be read (keys left unprocessed)`);
      pending = [...unprocessed, ...pending.slice(BATCH_GET_MAX)];
    }
    return items;
  }

  /** The query of a contact's open cases in the sparse open-cases index (keys only, no case is read). */
  const openCasesQuery = (id: string): QueryCommandInput => ({
    TableName: table,
    IndexName: 'openByOfficial',
    KeyConditionExpression: 'openAssignee = :id',
    ExpressionAttributeValues: { ':id': id },
  });
  /** Every page of a contact's open cases, each item with the attributes `projection` names. */
  const openCasesOf = (id: string, projection: string) =>
    paginateQuery({ client: db }, { ...openCasesQuery(id), ProjectionExpression: projection });

  /**
   * A page of the cases in a sparse index's shard whose sort key is at or before `upTo`, earliest first, from
   * `after` (the `next` of the page before; absent on the last page).
   */
  async function sparsePage(
    index: SparseIndex,
    shard: string,
    upTo: string,
    limit: number,
    after: string | undefined,
  ): Promise<DuePage> {
    const keys = SPARSE_INDEXES[index];
    const result = await db.send(
      new QueryCommand({
        TableName: table,
        IndexName: index,
        KeyConditionExpression: `${keys.shard} = :shard AND ${keys.sort} <= :upTo`,
        ExpressionAttributeValues: { ':shard': shard, ':upTo': upTo },
        Limit: limit,
        ExclusiveStartKey: after === undefined ? undefined : cursorOf(index).parse(JSON.parse(after)),
      }),
    );
    const references = (result.Items ?? []).flatMap((item) => referenceOfCaseItem(item) ?? []);
    const last = result.LastEvaluatedKey;
    return last === undefined ? { references } : { references, next: JSON.stringify(last) };
  }

  async function get(reference: string): Promise<Case | undefined> {
    const result = await db.send(
      new GetCommand({ TableName: table, Key: key(reference), ConsistentRead: true }),
    );
    // A case whose personal data were removed is no case the workflow acts on any more (`record` reads it).
    return result.Item === undefined || isAnonymised(result.Item) ? undefined : fromItem(result.Item);
  }

  async function record(reference: string): Promise<CaseRecord | undefined> {
    const { Item } = await db.send(
      new GetCommand({ TableName: table, Key: key(reference), ConsistentRead: true }),
    );
    if (Item !== undefined)
      return isAnonymised(Item)
        ? { kind: 'anonymised', c: anonymisedCaseSchema.parse(stored(Item)) }
        : { kind: 'case', c: fromItem(Item) };
    const destroyed = await db.send(
      new GetCommand({
        TableName: table,
        Key: { pk: `${CASE_PREFIX}${reference}`, sk: DESTROYED_SK },
        ConsistentRead: true,
      }),
    );
    return destroyed.Item === undefined
      ? undefined
      : { kind: 'destroyed', record: deletionRecordSchema.parse(destroyed.Item.deleted) };
  }

  /** Deletes the fingerprint claim of a case, if it is still that case's. */
  const dropFingerprint = (fingerprint: string, reference: string) =>
    write(
      new DeleteCommand({
        TableName: table,
        Key: { pk: `FINGERPRINT#${fingerprint}`, sk: 'FINGERPRINT' },
        ConditionExpression: '#reference = :reference',
        ExpressionAttributeNames: { '#reference': 'reference' },
        ExpressionAttributeValues: { ':reference': reference },
      }),
    );

  return {
    async create(c) {
      if (
        !(await write(
          new PutCommand({
            TableName: table,
            Item: toItem(c),
            ConditionExpression: 'attribute_not_exists(pk)',
          }),
        ))
      )
        return 'exists';
      return 'created';
    },

    get,

    record,

    retentionDue: (day, limit, after) => sparsePage('retention', RETENTION_SHARD, day, limit, after),

    async anonymise(c, anonymised) {
      await dropFingerprint(c.fingerprint, c.reference);
      // The whole item is replaced, if it is still the case as read: nothing of the personal data is left.
      return write(
        new PutCommand({
          TableName: table,
          Item: toItem(anonymised),
          ConditionExpression:
            'attribute_exists(pk) AND attribute_not_exists(anonymisedAt) AND size(history) = :length',
          ExpressionAttributeValues: { ':length': c.history.length },
        }),
      );
    },

    async destroy(c, deletion) {
      // The deletion record first: a run that stops after it destroys the case on its next run, and the
      // record of the first attempt stays (a second put does not replace it).
      await write(
        new PutCommand({
          TableName: table,
          Item: {
            pk: `${CASE_PREFIX}${c.reference}`,
            sk: DESTROYED_SK,
            retentionShard: destroyedShard(new Date(deletion.destroyedAt).getUTCFullYear()),
            retentionOn: deletion.destroyedAt,
            deleted: deletion,
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      if ('fingerprint' in c) await dropFingerprint(c.fingerprint, c.reference);
      return write(
        new DeleteCommand({
          TableName: table,
          Key: key(c.reference),
          ConditionExpression: 'retentionOn = :on',
          ExpressionAttributeValues: { ':on': deletion.actionDate },
        }),
      );
    },

    async destroyedIn(year) {
      const records: DeletionRecord[] = [];
      for await (const page of paginateQuery(
        { client: db },
        {
          TableName: table,
          IndexName: 'retention',
          KeyConditionExpression: 'retentionShard = :shard',
          ExpressionAttributeValues: { ':shard': destroyedShard(year) },
        },
      ))
        for (const item of page.Items ?? []) records.push(deletionRecordSchema.parse(item.deleted));
      return records;
    },

    async claimFingerprint(fingerprint, reference, now, windowMs, force = false) {
      const fingerprintKey = { pk: `FINGERPRINT#${fingerprint}`, sk: 'FINGERPRINT' };
      if (
        await write(
          new PutCommand({
            TableName: table,
            Item: {
              ...fingerprintKey,
              reference,
              claimedAt: now.toISOString(),
              // Retention: DynamoDB removes the claim some time after the window.
              expiresAt: Math.ceil((now.getTime() + windowMs) / 1000),
            },
            ConditionExpression: force ? undefined : 'attribute_not_exists(pk) OR claimedAt < :windowStart',
            ExpressionAttributeValues: force
              ? undefined
              : { ':windowStart': new Date(now.getTime() - windowMs).toISOString() },
          }),
        )
      )
        return reference;
      const claim = await db.send(
        new GetCommand({ TableName: table, Key: fingerprintKey, ConsistentRead: true }),
      );
      const owner = claim.Item?.reference;
      if (typeof owner !== 'string') throw new Error(`fingerprint claim ${fingerprint} vanished`);
      return owner;
    },

    async addToken(reference, tokenHash, same, max) {
      if (
        await write(
          updateOf(reference, {
            ConditionExpression:
              'attribute_exists(pk) AND (requestHash = :requestHash OR fingerprint = :fingerprint) AND size(tokenHashes) < :max',
            UpdateExpression: 'SET tokenHashes = list_append(tokenHashes, :token)',
            ExpressionAttributeValues: {
              ':requestHash': same.requestHash,
              ':fingerprint': same.fingerprint,
              ':max': max,
              ':token': [tokenHash],
            },
          }),
        )
      )
        return 'added';
      const current = await get(reference);
      if (current === undefined) return 'missing';
      if (current.requestHash !== same.requestHash && current.fingerprint !== same.fingerprint)
        return 'different';
      return 'full';
    },

    async assign(a, claim) {
      if (a.contact === undefined) throw new Error('an assignment needs a contact');
      const claims = (claim?.kinds ?? []).map((kind, i) => ({
        name: `#claim${i}`,
        key: notificationKey(kind),
      }));
      const set = [
        '#status = :assigned',
        'tags = :tags',
        'contact = :contact',
        'assignedAt = :at',
        'openAssignee = :assignee',
        'contactId = :assignee',
        'clocks = :clocks',
        'history = list_append(history, :history)',
        ...(a.nextAt === undefined ? [] : ['nextAt = :next', 'dueShard = :shard']),
        ...claims.map((c) => `sending.${c.name} = :until`),
      ];
      try {
        const result = await db.send(
          updateOf(a.reference, {
            ConditionExpression: '#status = :submitted',
            UpdateExpression: `SET ${set.join(', ')}${a.nextAt === undefined ? ' REMOVE nextAt, dueShard' : ''}`,
            ExpressionAttributeNames: {
              '#status': 'status',
              ...Object.fromEntries(claims.map((c) => [c.name, c.key])),
            },
            ExpressionAttributeValues: {
              ':submitted': 'submitted',
              ':assigned': a.status,
              ':tags': a.tags,
              ':contact': a.contact,
              ':at': a.assignedAt,
              ':assignee': a.contact.id,
              ':clocks': a.clocks,
              ':history': [a.history],
              ...(a.nextAt === undefined ? {} : { ':next': a.nextAt, ':shard': DUE_SHARD }),
              ...(claims.length === 0 ? {} : { ':until': claim?.until }),
            },
            ReturnValues: 'ALL_NEW',
          }),
        );
        return result.Attributes === undefined ? undefined : fromItem(result.Attributes);
      } catch (error) {
        if (conditionFailed(error)) return undefined;
        throw error;
      }
    },

    async claimNotification(reference, kind, now, leaseMs) {
      if (
        await write(
          updateOf(reference, {
            ConditionExpression:
              'attribute_exists(pk) AND attribute_not_exists(notifications.#kind) AND ' +
              '(attribute_not_exists(sending.#kind) OR sending.#kind <= :now)',
            UpdateExpression: 'SET sending.#kind = :until',
            ExpressionAttributeNames: { '#kind': notificationKey(kind) },
            ExpressionAttributeValues: {
              ':now': now.toISOString(),
              ':until': new Date(now.getTime() + leaseMs).toISOString(),
            },
          }),
        )
      )
        return 'claimed';
      // The embedded DynamoDB returns no item on a failed condition: read it to tell why.
      const current = await get(reference);
      if (current === undefined) throw new Error(`case ${reference} not found`);
      return current.notifications[notificationKey(kind)] !== undefined ? 'sent' : 'busy';
    },

    async releaseNotification(reference, kind, now, leaseMs) {
      await write(
        updateOf(reference, {
          ConditionExpression: 'sending.#kind = :until',
          UpdateExpression: 'REMOVE sending.#kind',
          ExpressionAttributeNames: { '#kind': notificationKey(kind) },
          ExpressionAttributeValues: { ':until': new Date(now.getTime() + leaseMs).toISOString() },
        }),
      );
    },

    async recordNotification(reference, kind, messageId, at) {
      return write(
        updateOf(reference, {
          ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(notifications.#kind)',
          // The record is the one fact of the e-mail: the history shows it from here (`historyOf`).
          UpdateExpression: 'SET notifications.#kind = :sent REMOVE sending.#kind',
          ExpressionAttributeNames: { '#kind': notificationKey(kind) },
          ExpressionAttributeValues: { ':sent': { at: at.toISOString(), messageId } },
        }),
      );
    },

    async claimNotifications(reference, kinds, now, leaseMs) {
      if (kinds.length === 0) return true;
      const names = kinds.map((kind, i) => ({ name: `#kind${i}`, key: notificationKey(kind) }));
      return write(
        updateOf(reference, {
          ConditionExpression: [
            'attribute_exists(pk)',
            ...names.map(
              ({ name }) =>
                `attribute_not_exists(notifications.${name}) AND (attribute_not_exists(sending.${name}) OR sending.${name} <= :now)`,
            ),
          ].join(' AND '),
          UpdateExpression: `SET ${names.map(({ name }) => `sending.${name} = :until`).join(', ')}`,
          ExpressionAttributeNames: Object.fromEntries(names.map(({ name, key }) => [name, key])),
          ExpressionAttributeValues: {
            ':now': now.toISOString(),
            ':until': new Date(now.getTime() + leaseMs).toISOString(),
          },
        }),
      );
    },

    async recordNotifications(reference, sent, at, schedule) {
      if (sent.length === 0 && schedule === undefined) return true;
      const when = at.toISOString();
      const records = sent.map((s, i) => ({ ...s, name: `#kind${i}`, value: `:sent${i}` }));
      // The records are the one fact of the e-mails: the history shows them from here (`historyOf`).
      const values: Record<string, unknown> = Object.fromEntries(
        records.map((r) => [r.value, { at: when, messageId: r.messageId }]),
      );
      const set = records.map((r) => `notifications.${r.name} = ${r.value}`);
      const remove = records.map((r) => `sending.${r.name}`);
      const conditions = [
        'attribute_exists(pk)',
        ...records.map((r) => `attribute_not_exists(notifications.${r.name})`),
      ];
      if (schedule !== undefined) {
        conditions.push('size(history) = :length');
        values[':length'] = schedule.historyLength;
        if (schedule.nextAt === undefined) remove.push('nextAt', 'dueShard');
        else {
          set.push('nextAt = :next', 'dueShard = :shard');
          values[':next'] = schedule.nextAt;
          values[':shard'] = DUE_SHARD;
        }
      }
      return write(
        updateOf(reference, {
          ConditionExpression: conditions.join(' AND '),
          UpdateExpression:
            `${set.length > 0 ? `SET ${set.join(', ')} ` : ''}${remove.length > 0 ? `REMOVE ${remove.join(', ')}` : ''}`.trim(),
          ExpressionAttributeNames:
            records.length === 0
              ? undefined
              : Object.fromEntries(records.map((r) => [r.name, notificationKey(r.kind)])),
          ExpressionAttributeValues: values,
        }),
      );
    },

    async lastContactOf(kvkNumber, except) {
      const result = await db.send(
        new QueryCommand({
          TableName: table,
          IndexName: 'byEnterprise',
          KeyConditionExpression: 'kvkNumber = :kvk',
          ExpressionAttributeValues: { ':kvk': kvkNumber },
          ScanIndexForward: false,
          Limit: 20,
        }),
      );
      for (const item of result.Items ?? [])
        if (item.pk !== key(except).pk && typeof item.contactId === 'string') return item.contactId;
      return undefined;
    },

    async openCaseCount(officialId, atMost) {
      // Keys only, and no further than `atMost`: the cost does not grow with the official's backlog.
      let count = 0;
      let start: Record<string, unknown> | undefined;
      while (count < atMost) {
        const page = await db.send(
          new QueryCommand({
            ...openCasesQuery(officialId),
            Select: 'COUNT',
            Limit: atMost - count,
            ExclusiveStartKey: start,
          }),
        );
        count += page.Count ?? 0;
        start = page.LastEvaluatedKey;
        if (start === undefined) break;
      }
      return Math.min(count, atMost);
    },

    async noteDepartmentFull(department, day) {
      return write(
        new PutCommand({
          TableName: table,
          Item: {
            pk: DEPARTMENT_FULL_PK,
            sk: department,
            day,
            // Retention: DynamoDB removes the note some days after.
            expiresAt: Math.ceil(Date.parse(`${day}T00:00:00Z`) / 1000) + 3 * 86_400,
          },
          ConditionExpression: 'attribute_not_exists(pk) OR #day <> :day',
          ExpressionAttributeNames: { '#day': 'day' },
          ExpressionAttributeValues: { ':day': day },
        }),
      );
    },

    async openCaseSubmissions(contactIds) {
      const submitted: string[] = [];
      for (const id of contactIds)
        for await (const page of openCasesOf(id, 'submittedAt'))
          for (const item of page.Items ?? [])
            if (typeof item.submittedAt === 'string') submitted.push(item.submittedAt);
      return submitted;
    },

    async openCaseReferences(contactId) {
      const references: string[] = [];
      for await (const page of openCasesOf(contactId, 'pk'))
        for (const item of page.Items ?? []) {
          const reference = typeof item.pk === 'string' ? referenceOfPk(item.pk) : undefined;
          if (reference !== undefined) references.push(reference);
        }
      return references;
    },

    async closedCaseReferences(officialId, since) {
      const references: string[] = [];
      const pages = paginateQuery(
        { client: db },
        {
          TableName: table,
          IndexName: 'closedByOfficial',
          KeyConditionExpression: 'closedBy = :id AND closedAt >= :since',
          ExpressionAttributeValues: { ':id': officialId, ':since': since.toISOString() },
          ProjectionExpression: 'pk',
          // The latest first.
          ScanIndexForward: false,
        },
      );
      for await (const page of pages)
        for (const item of page.Items ?? []) {
          const reference = typeof item.pk === 'string' ? referenceOfPk(item.pk) : undefined;
          if (reference !== undefined) references.push(reference);
        }
      return references;
    },

    due: (now, limit, after) => sparsePage('due', DUE_SHARD, now.toISOString(), limit, after),

    async postpone(reference, nextAt) {
      return write(
        updateOf(reference, {
          // Open, or resolved and still in the due index (its satisfaction e-mail not yet recorded): a case
          // that left the index meanwhile does not come back.
          ConditionExpression: '#status IN (:submitted, :assigned) OR attribute_exists(nextAt)',
          UpdateExpression: 'SET nextAt = :next, dueShard = :shard',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: {
            ':submitted': 'submitted',
            ':assigned': 'assigned',
            ':next': nextAt.toISOString(),
            ':shard': DUE_SHARD,
          },
        }),
      );
    },

    async answerQuestion(change) {
      const conditions = ['attribute_exists(pk)', '#status = :assigned'];
      const values: Record<string, unknown> = { ':assigned': 'assigned', ':history': [change.history] };
      const set = [
        'history = list_append(history, :history)',
        ...clockRewrites(change.rewrite, conditions, values),
      ];
      const remove: string[] = [];
      if (change.nextAt === undefined) remove.push('nextAt', 'dueShard');
      else {
        set.push('nextAt = :next', 'dueShard = :shard');
        values[':next'] = change.nextAt;
        values[':shard'] = DUE_SHARD;
      }
      return write(
        updateOf(change.reference, {
          ConditionExpression: conditions.join(' AND '),
          UpdateExpression: `SET ${set.join(', ')}${remove.length > 0 ? ` REMOVE ${remove.join(', ')}` : ''}`,
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: values,
        }),
      );
    },

    async scheduleNext(reference, nextAt) {
      await db.send(
        updateOf(reference, {
          ConditionExpression: 'attribute_exists(pk)',
          UpdateExpression:
            nextAt === undefined ? 'REMOVE nextAt, dueShard' : 'SET nextAt = :next, dueShard = :shard',
          ExpressionAttributeValues:
            nextAt === undefined ? undefined : { ':next': nextAt, ':shard': DUE_SHARD },
        }),
      );
    },

    async applyAction(change) {
      const names: Record<string, string> = { '#status': 'status', '#link': change.linkId };
      const values: Record<string, unknown> = {
        ':assigned': 'assigned',
        ':at': change.at,
        ':history': [change.history],
      };
      if (change.official !== undefined) values[':official'] = change.official;
      // An official's link works while they are the contact; a department's join on any open case.
      if (change.official === undefined) values[':submitted'] = 'submitted';
      const conditions = [
        'attribute_exists(pk)',
        change.official === undefined ? '#status IN (:assigned, :submitted)' : '#status = :assigned',
        ...(change.official === undefined ? [] : ['contact.id = :official']),
        'attribute_not_exists(usedLinks.#link)',
        ...change.requireRunning.map((clock) => `attribute_not_exists(clocks.${clock}.stoppedAt)`),
      ];
      const rewrites = clockRewrites(change.rewrite, conditions, values);
      const set = [
        'usedLinks.#link = :at',
        'history = list_append(history, :history)',
        ...change.stop.map(
          (clock) => `clocks.${clock}.stoppedAt = if_not_exists(clocks.${clock}.stoppedAt, :at)`,
        ),
        ...rewrites,
      ];
      const remove: string[] = [];
      if (change.status !== undefined) {
        set.push('#status = :newStatus');
        values[':newStatus'] = change.status;
        // A closed case, or one handed back to routing, leaves the open-cases index.
        remove.push('openAssignee');
        // A resolved case enters the closed-cases index of the official who closed it (the contact).
        if (change.status === 'resolved' && change.official !== undefined)
          set.push('closedBy = :official', 'closedAt = :at');
      }
      if (change.contact === null) remove.push('contact', 'contactId');
      else if (change.contact !== undefined) {
        // Handed over: the new contact, their open-cases entry and the enterprise's continuity.
        set.push('contact = :contact', 'contactId = :contactId', 'openAssignee = :contactId');
        values[':contact'] = change.contact;
        values[':contactId'] = change.contact.id;
      }
      if (change.nextAt === undefined) remove.push('nextAt', 'dueShard');
      else {
        set.push('nextAt = :next', 'dueShard = :shard');
        values[':next'] = change.nextAt;
        values[':shard'] = DUE_SHARD;
      }
      if (change.archive !== undefined && change.anonymiseOn !== undefined) {
        // Resolved: the archive consequences, and the case enters the retention index.
        const next = nextRetention({
          status: 'resolved',
          archive: change.archive,
          anonymiseOn: change.anonymiseOn,
        });
        // `archive` is a reserved word of DynamoDB's expressions.
        names['#archive'] = 'archive';
        set.push('#archive = :archive', 'anonymiseOn = :anonymiseOn');
        values[':archive'] = change.archive;
        values[':anonymiseOn'] = change.anonymiseOn;
        if (next !== undefined) {
          set.push('retentionShard = :retentionShard', 'retentionOn = :retentionOn');
          values[':retentionShard'] = RETENTION_SHARD;
          values[':retentionOn'] = next.on;
        }
      }
      const update = `SET ${set.join(', ')}${remove.length > 0 ? ` REMOVE ${remove.join(', ')}` : ''}`;
      const send = () =>
        db.send(
          updateOf(change.reference, {
            ConditionExpression: conditions.join(' AND '),
            UpdateExpression: update,
            ExpressionAttributeNames: names,
            ExpressionAttributeValues: values,
          }),
        );
      try {
        await send();
        return true;
      } catch (error) {
        if (conditionFailed(error)) return false;
        if (!missingUsedLinks(error)) throw error;
      }
      // A case stored before action links existed has no `usedLinks` map to add to: add it, then retry.
      await db.send(
        updateOf(change.reference, {
          ConditionExpression: 'attribute_exists(pk)',
          UpdateExpression: 'SET usedLinks = if_not_exists(usedLinks, :empty)',
          ExpressionAttributeValues: { ':empty': {} },
        }),
      );
      return applied(send());
    },

    async recordRating(change) {
      return write(
        updateOf(change.reference, {
          ConditionExpression:
            'attribute_exists(pk) AND #status = :resolved AND attribute_not_exists(anonymisedAt) AND size(history) = :length',
          UpdateExpression: 'SET history = list_append(history, :history)',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: {
            ':resolved': 'resolved',
            ':length': change.historyLength,
            ':history': [change.history],
          },
        }),
      );
    },

    async noteBounce(reference, kind, at) {
      try {
        const { Attributes } = await db.send(
          updateOf(reference, {
            ConditionExpression:
              'attribute_exists(notifications.#kind) AND attribute_not_exists(notifications.#kind.bounced)',
            UpdateExpression: 'SET notifications.#kind.bounced = :at',
            ExpressionAttributeNames: { '#kind': notificationKey(kind) },
            ExpressionAttributeValues: { ':at': at.toISOString() },
            ReturnValues: 'ALL_NEW',
          }),
        );
        if (Attributes !== undefined) return { outcome: 'noted', c: fromItem(Attributes) };
      } catch (error) {
        if (!conditionFailed(error)) throw error;
      }
      const c = await get(reference);
      if (c === undefined) return { outcome: 'missing' };
      return c.notifications[notificationKey(kind)]?.bounced !== undefined
        ? { outcome: 'again', c }
        : { outcome: 'unrecorded' };
    },

    async suppressed(addresses) {
      const byPk = new Map<string, string[]>();
      for (const address of addresses) {
        const { pk } = suppressedKey(address);
        byPk.set(pk, [...(byPk.get(pk) ?? []), address]);
      }
      const found = new Set<string>();
      const keys = [...byPk.keys()].map((pk) => ({ pk, sk: SUPPRESSED_SK }));
      for (const item of await batchGet(keys, 'the suppression list', 'pk'))
        for (const address of byPk.get(String(item.pk)) ?? []) found.add(address);
      return found;
    },

    async getMany(references) {
      const items = await batchGet([...new Set(references)].map(key), 'the cases');
      const byReference = new Map(
        items.filter((item) => !isAnonymised(item)).map((item) => [String(item.pk), fromItem(item)]),
      );
      return references.flatMap((reference) => {
        const c = byReference.get(key(reference).pk);
        return c === undefined ? [] : [c];
      });
    },

    async suppress(address, reason, at) {
      return write(
        new PutCommand({
          TableName: table,
          Item: { ...suppressedKey(address), reason, at: at.toISOString() },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
    },

    async suppression(address) {
      const { Item } = await db.send(
        new GetCommand({ TableName: table, Key: suppressedKey(address), ConsistentRead: true }),
      );
      if (Item === undefined) return undefined;
      const { reason, at } = suppressionItem.parse(Item);
      return { reason, since: at };
    },

    async clearNextAt(reference) {
      await db.send(
        updateOf(reference, {
          UpdateExpression: 'REMOVE nextAt, dueShard',
        }),
      );
    },
  };
}
