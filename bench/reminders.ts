import { performance } from 'node:perf_hooks';
import { BatchWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { municipality } from '../config/index.js';
import { storedCaseRequestSchema } from '../events/case-request.js';
import { dynamoCaseStore } from '../functions/adapters/cases.js';
import { assign, type ContactChoice, submitCase, tagDepartments } from '../functions/domain/case.js';
import { routingNotifications } from '../functions/domain/mail/notifications.js';
import { notificationKey } from '../functions/domain/notification-kind.js';
import { nextStepAt, startClocks } from '../functions/domain/sla.js';
import { hashToken } from '../functions/domain/token.js';
import type { SlaRun } from '../functions/sla/handler.js';
import { callCounter } from '../infra/local/instrumentation/call-counter.js';
import type { LocalSystem } from '../infra/local/runtime.js';
import { inParallel, requestBody } from './pipeline.js';
import type { Progress } from './progress.js';

const ALPHABET = '23456789ABCDEFGHJKMNPQRSTVWXYZ';
/** A reference in the intake's format, numbered within a block of 30^4. */
export const referenceOf = (block: string, n: number) =>
  `AP-${block}-${Array.from({ length: 4 }, (_, i) => ALPHABET[Math.floor(n / ALPHABET.length ** (3 - i)) % ALPHABET.length]).join('')}`;

/** Writes items with BatchWriteItem (25 a request, 8 at a time), retrying what is left unprocessed. */
async function putAll(db: DynamoDBDocumentClient, table: string, items: readonly Record<string, unknown>[]) {
  const batches: Record<string, unknown>[][] = [];
  for (let i = 0; i < items.length; i += 25) batches.push(items.slice(i, i + 25));
  await inParallel(batches.length, 8, async (b) => {
    let requests = (batches[b] ?? []).map((Item) => ({ PutRequest: { Item } }));
    while (requests.length > 0) {
      const result = await db.send(new BatchWriteCommand({ RequestItems: { [table]: requests } }));
      requests = (result.UnprocessedItems?.[table] ?? []).flatMap((r) =>
        r.PutRequest?.Item === undefined ? [] : [{ PutRequest: { Item: r.PutRequest.Item } }],
      );
    }
  });
}

/** One run of the SLA job: `due` cases due among `closed` closed ones. */
export interface ReminderRound {
  readonly closed: number;
  readonly due: number;
}

export interface ReminderRun {
  readonly closed: number;
  readonly due: number;
  readonly ms: number;
  /** Entries of the `due` index the job's queries evaluated (ScannedCount). */
  readonly indexItemsRead: number;
  /** Whole case items the job read (GetItem, BatchGetItem). */
  readonly caseItemsRead: number;
  readonly result: SlaRun;
}

/**
 * Figure 4: the SLA job at one moment, round after round, with `due` cases due among growing numbers of closed
 * cases (a round with as many closed cases as the one before adds none). The closed
 * cases are written straight into the table (outside every index, as a resolved case is); the due cases are
 * stored as the router leaves them (assigned, e-mails sent), their first-contact reminder due 40 minutes
 * before the moment.
 */
export async function runReminders(
  system: LocalSystem,
  db: DynamoDBDocumentClient,
  options: { rounds: readonly ReminderRound[]; settleMs: number; progress?: Progress },
): Promise<ReminderRun[]> {
  const table = system.tables.cases;
  const store = dynamoCaseStore(db, table);
  const submittedAt = new Date('2025-04-25T07:00:00.000Z');
  const reminder = startClocks(submittedAt, 'partnership', municipality.sla).firstContact.steps.reminder;
  // Forty minutes after the reminder moment (17:40, within working hours, when the job sends): not in the
  // first minutes of an hour, when the job also reads the open-cases index for the hourly OpenCases figure
  // (its reads grow with the open cases).
  const moment = new Date(Date.parse(reminder) + 40 * 60_000).toISOString();
  const official = municipality.officials.find((o) => o.departments.includes('werk'));
  if (official === undefined) throw new Error('no official of the department werk');
  const chosen: ContactChoice = {
    contact: {
      kind: 'official',
      id: official.id,
      name: official.name,
      email: official.email,
      language: official.language,
      departments: [...official.departments],
    },
    choice: 'coverage',
  };

  const runs: ReminderRun[] = [];
  let closed = 0;
  for (const [round, { closed: size, due }] of options.rounds.entries()) {
    options.progress?.stage(
      `reminder job: ${size.toLocaleString('en-US')} closed cases, ${due.toLocaleString('en-US')} due`,
      Math.max(0, size - closed) + due,
    );
    const batch = 5_000;
    while (closed < size) {
      const count = Math.min(batch, size - closed);
      const items = Array.from({ length: count }, (_, k) => {
        const reference = referenceOf('CCCC', closed + k);
        return {
          pk: `CASE#${reference}`,
          sk: 'CASE',
          reference,
          status: 'resolved',
          submittedAt: '2024-01-08T09:00:00.000Z',
        };
      });
      await putAll(db, table, items);
      closed += count;
      options.progress?.tick(count);
    }
    // Fresh due cases for this round; the previous round's moved on to their next step (after the moment).
    const block = `DDD${ALPHABET[round % ALPHABET.length]}`;
    await inParallel(due, 8, async (n) => {
      const reference = referenceOf(block, n);
      const c = submitCase({
        request: storedCaseRequestSchema.parse(requestBody(900_000 + round * 10_000 + n)),
        reference,
        tokenHash: hashToken(reference),
        now: submittedAt,
      });
      if ((await store.create(c)) !== 'created') throw new Error(`bench setup: ${reference} exists`);
      const assignment = assign(
        c,
        tagDepartments(c.request, municipality),
        chosen,
        new Date(submittedAt.getTime() + 60_000),
        municipality.sla,
      );
      const assigned = await store.assign(assignment);
      if (assigned === undefined) throw new Error(`bench setup: ${reference} not assigned`);
      // Routed completely, as the router leaves a case: its e-mails recorded, the next look at the clocks.
      for (const { kind } of routingNotifications(assigned, chosen.contact, municipality, undefined))
        await store.recordNotification(
          reference,
          kind,
          `ses-${notificationKey(kind)}`,
          new Date(assignment.assignedAt),
        );
      await store.scheduleNext(
        reference,
        nextStepAt(assigned.clocks, () => false, municipality.sla.calendar),
      );
      options.progress?.tick(1);
    });

    // Let the store settle after the bulk writes (LevelDB compacts in this same process).
    await new Promise((resolve) => setTimeout(resolve, options.settleMs));
    callCounter.reset();
    const started = performance.now();
    const result = (await system.invoke('sla', { scheduledTime: moment })) as SlaRun;
    const ms = performance.now() - started;
    const calls = callCounter.snapshot().calls.filter((c) => c.fn === 'sla' && c.service === 'dynamodb');
    const sum = (operation: string) =>
      calls.filter((c) => c.operation === operation).reduce((total, c) => total + c.itemsRead, 0);
    if (result.due !== due || result.failed !== 0)
      throw new Error(`reminder job saw ${result.due} due (${result.failed} failed), expected ${due}`);
    runs.push({
      closed: size,
      due,
      ms,
      indexItemsRead: sum('Query'),
      caseItemsRead: sum('GetItem') + sum('BatchGetItem'),
      result,
    });
  }
  return runs;
}
