import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, DynamoDBDocumentClient, paginateScan, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { municipality } from '../../config/index.js';
import { DUE_SHARD, dynamoCaseStore } from '../../functions/adapters/cases.js';
import { addWorkingDays } from '../../functions/domain/calendar.js';
import {
  assign,
  type Case,
  type ContactChoice,
  historyOf,
  submitCase,
  tagDepartments,
} from '../../functions/domain/case.js';
import { routingDigests, routingNotifications } from '../../functions/domain/mail/notifications.js';
import { IN_DIGEST, notificationKey, sentIn } from '../../functions/domain/notification-kind.js';
import {
  nextStepAt,
  type SlaClock,
  type SlaClocks,
  startClocks,
  workingDaysBefore,
} from '../../functions/domain/sla.js';
import { hashToken } from '../../functions/domain/token.js';
import { SLA_BATCH } from '../../functions/sla/handler.js';
import { required } from '../support/cases.js';
import { type RoutingSystem, requestBody, startRoutingSystem } from '../support/local.js';
import type { StoredEmail } from '../support/mailbox.js';

/** A description in which no keyword rule of the example finds anything. */
const PLAIN = 'Wij repareren fietsen met mensen die lang thuis zaten';
/** Zorg leads (the first goal), duurzaamheid and economie (partnership) are involved too. */
const GOALS = ['care', 'environment'];
const COORDINATOR = 'coordinator@voorbeeld.example';

const leadDepartment = required(
  municipality.departments.find(
    (d) => d.id === municipality.goals.find((g) => g.id === GOALS[0])?.department,
  ),
  'the department of the first goal',
);
/** The official of the lead department that `assignedCases` makes the contact. */
const leadOfficial = required(
  municipality.officials.find((o) => o.departments.includes(leadDepartment.id)),
  'an official of the lead department',
);
const otherWethouders = municipality.departments
  .map((d) => d.wethouder.office)
  .filter((office) => office !== leadDepartment.wethouder.office);

const plus = (iso: string, ms: number) => new Date(Date.parse(iso) + ms).toISOString();
/** Half an hour: a step at 17:00 seen half an hour late is still within working hours (until 18:00). */
const HALF_HOUR = 1_800_000;
const recipients = (mails: readonly StoredEmail[]) => mails.flatMap((m) => m.destination.to).sort();
const sentKinds = (c: Case) => sentIn(c.notifications);
/** The e-mails in a case's history whose kind starts with `prefix`, as `event type: kind`. */
const notifiedInHistory = (c: Case, prefix: string) =>
  historyOf(c).flatMap((h) =>
    'notification' in h && h.notification.startsWith(prefix) ? [`${h.type}: ${h.notification}`] : [],
  );

const ALPHABET = '23456789ABCDEFGHJKMNPQRSTVWXYZ';
/** A reference in the format the intake hands out, numbered within a block. */
const referenceOf = (block: string, n: number) =>
  `AP-${block}-${Array.from({ length: 4 }, (_, i) => ALPHABET[Math.floor(n / ALPHABET.length ** (3 - i)) % ALPHABET.length]).join('')}`;

describe('the SLA job on the embedded emulators, replaying moments of the reminder ladder', () => {
  let local: RoutingSystem;
  /** Cases a test made: afterwards the job stops looking at them, so no test sees another's steps. */
  const made: string[] = [];
  /** Other things a test leaves behind that later tests must not see. */
  const cleanups: (() => Promise<void>)[] = [];
  let kvk = 52_000_000;

  beforeAll(async () => {
    local = await startRoutingSystem('sla');
  });

  afterEach(async () => {
    for (const reference of made.splice(0)) await local.cases.clearNextAt(reference);
    for (const cleanup of cleanups.splice(0)) await cleanup();
  });

  afterAll(async () => {
    await local?.stop();
  });

  const runJob = (moment: string) => local.system.invoke('sla', { scheduledTime: moment });

  /** A real request through POST /cases, routed, with its clocks as the router stored them. */
  async function routedCase() {
    kvk++;
    const body = requestBody({
      kvkNumber: String(kvk),
      goals: GOALS,
      requestType: 'partnership',
      description: `${PLAIN} (verzoek ${kvk}).`,
    });
    const { reference, statusUrl } = await local.submit(body);
    made.push(reference);
    const { c, contact } = await local.routed(reference);
    return {
      reference,
      statusUrl,
      contact,
      enterprise: body.contact.email,
      firstContact: required(c.clocks.firstContact, 'the first-contact clock'),
      decision: required(c.clocks.decision, 'the decision clock'),
    };
  }

  /** The e-mails of the case that the SES emulator received while `act` ran. */
  async function mailsDuring<T>(reference: string, act: () => Promise<T>) {
    const before = new Set((await local.mailsOf(reference)).map((m) => m.messageId));
    const result = await act();
    const mails = (await local.mailsOf(reference)).filter((m) => !before.has(m.messageId));
    return { result, mails };
  }

  const stored = async (reference: string) => required(await local.cases.get(reference), `case ${reference}`);

  /**
   * Assigned cases as the router stores them, submitted at `submittedAt`, each of its own enterprise,
   * all with the same official of the lead department as their contact. `earlier` stores them as an
   * earlier version did instead: with these clocks, and the next look at this moment.
   */
  async function assignedCases(
    block: string,
    count: number,
    submittedAt: Date,
    earlier?: { readonly clocks: SlaClocks; readonly nextAt: string },
  ): Promise<string[]> {
    const official = leadOfficial;
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
    // A document client configured as the functions' own (undefined optional fields are left out)
    const writer = documentClient(local.system.urls.dynamodb);
    const store = dynamoCaseStore(writer.db, local.system.tables.cases);
    const references = Array.from({ length: count }, (_, n) => referenceOf(block, n));
    try {
      for (const reference of references) {
        kvk++;
        const request = requestBody({
          kvkNumber: String(kvk),
          goals: GOALS,
          requestType: 'partnership',
          description: `${PLAIN} (verzoek ${kvk}).`,
        });
        const c = submitCase({ request, reference, tokenHash: hashToken(reference), now: submittedAt });
        if ((await store.create(c)) !== 'created') throw new Error(`test setup: ${reference} exists`);
        const assignment = assign(
          c,
          tagDepartments(request, municipality),
          chosen,
          new Date(submittedAt.getTime() + 60_000),
          municipality.sla,
        );
        const assigned = await store.assign(
          earlier === undefined ? assignment : { ...assignment, clocks: earlier.clocks },
        );
        if (assigned === undefined) throw new Error(`test setup: ${reference} not assigned`);
        // Routed completely: every e-mail of the assignment went out, and the other departments have the case
        // in their digest, so only the clocks are left.
        for (const { kind } of routingNotifications(assigned, chosen.contact, municipality, undefined))
          await store.recordNotification(
            reference,
            kind,
            `ses-${notificationKey(kind)}`,
            new Date(assignment.assignedAt),
          );
        for (const kind of routingDigests(assigned, chosen.contact, municipality))
          await store.recordNotification(reference, kind, IN_DIGEST, new Date(assignment.assignedAt));
        await store.scheduleNext(
          reference,
          earlier?.nextAt ?? nextStepAt(assigned.clocks, () => false, municipality.sla.calendar),
        );
        made.push(reference);
      }
    } finally {
      writer.close();
    }
    return references;
  }

  it('sends nothing before the reminder moment', async () => {
    // Prepare
    const { reference, firstContact } = await routedCase();

    // Act
    const { result, mails } = await mailsDuring(reference, () =>
      runJob(plus(firstContact.steps.reminder, -1)),
    );

    // Assess
    expect(mails).toEqual([]);
    expect(result).toMatchObject({ emails: 0, steps: 0, failed: 0 });
    expect((await stored(reference)).nextAt).toBe(firstContact.steps.reminder);
  });

  it('sends one reminder to the contact at the reminder moment, and nothing more when run again then', async () => {
    // Prepare
    const { reference, contact, firstContact } = await routedCase();

    // Act
    const first = await mailsDuring(reference, () => runJob(firstContact.steps.reminder));
    const again = await mailsDuring(reference, () => runJob(firstContact.steps.reminder));

    // Assess
    expect(recipients(first.mails)).toEqual([contact.email]);
    expect(first.mails[0]?.subject).toContain(`Herinnering ${reference}`);
    expect(first.result).toMatchObject({ due: 1, steps: 1, emails: 1, failed: 0 });
    expect(again.mails).toEqual([]);
    expect(again.result).toMatchObject({ steps: 0, emails: 0, failed: 0 });
    expect((await stored(reference)).nextAt).toBe(firstContact.due);
  });

  it('tells the contact, the coordinator and the enterprise once at the breach moment, and nothing more when run again', async () => {
    // Prepare: the reminder went out on time
    const { reference, contact, enterprise, firstContact } = await routedCase();
    await runJob(firstContact.steps.reminder);

    // Act
    const first = await mailsDuring(reference, () => runJob(firstContact.due));
    const again = await mailsDuring(reference, () => runJob(firstContact.due));

    // Assess
    expect(recipients(first.mails)).toEqual([COORDINATOR, contact.email, enterprise].sort());
    const toEnterprise = required(
      first.mails.find((m) => m.destination.to.includes(enterprise)),
      'the e-mail to the enterprise',
    );
    expect(toEnterprise.subject).toContain('later dan beloofd');
    expect(toEnterprise.body.text).toContain(contact.name);
    expect(first.mails.some((m) => m.subject.startsWith('Herinnering'))).toBe(false);
    expect(first.result).toMatchObject({ steps: 1, emails: 3, failed: 0 });
    expect(again.mails).toEqual([]);
    expect(again.result).toMatchObject({ steps: 0, emails: 0, failed: 0 });
    expect((await stored(reference)).nextAt).toBe(firstContact.steps.escalation);
  });

  it("escalates to the wethouder's office of the lead department, then leaves only the decision clock running", async () => {
    // Prepare: reminder and breach went out on time
    const { reference, firstContact, decision } = await routedCase();
    await runJob(firstContact.steps.reminder);
    await runJob(firstContact.due);

    // Act
    const { result, mails } = await mailsDuring(reference, () => runJob(firstContact.steps.escalation));

    // Assess: one e-mail, to the office of zorg's wethouder, none to the other wethouders
    expect(recipients(mails)).toEqual([leadDepartment.wethouder.office]);
    expect(mails[0]?.subject).toContain(`Escalatie ${reference}`);
    expect(mails[0]?.body.text).toContain(leadDepartment.wethouder.name);
    expect(recipients(mails).some((to) => otherWethouders.includes(to))).toBe(false);
    expect(result).toMatchObject({ steps: 1, emails: 1, failed: 0 });
    const after = await stored(reference);
    expect(
      nextStepAt({ firstContact: after.clocks.firstContact }, sentKinds(after), municipality.sla.calendar),
    ).toBeUndefined();
    expect(after.nextAt).toBe(decision.steps.reminder);
    const again = await mailsDuring(reference, () => runJob(firstContact.steps.escalation));
    expect(again.mails).toEqual([]);
  });

  it('sends the breach e-mails but not the stale reminder to a case first seen after its breach', async () => {
    // Prepare
    const { reference, contact, enterprise, firstContact } = await routedCase();

    // Act: the job's first look at the case is half an hour after the breach (e.g. after downtime)
    const { result, mails } = await mailsDuring(reference, () => runJob(plus(firstContact.due, HALF_HOUR)));

    // Assess
    expect(recipients(mails)).toEqual([COORDINATOR, contact.email, enterprise].sort());
    expect(mails.some((m) => m.subject.includes('Herinnering'))).toBe(false);
    expect(result).toMatchObject({ steps: 1, emails: 3, failed: 0 });
    const after = await stored(reference);
    expect(after.notifications['firstContact:reminder']?.messageId).toBe('superseded');
    expect(after.notifications['firstContact:breach']?.messageId).not.toBe('superseded');
    expect(after.nextAt).toBe(firstContact.steps.escalation);
  });

  it('records each step in the history of the case as a reminded or escalated event, in the order they fired', async () => {
    // Prepare
    const { reference, firstContact } = await routedCase();

    // Act
    await runJob(firstContact.steps.reminder);
    await runJob(firstContact.due);
    await runJob(firstContact.steps.escalation);

    // Assess
    const after = await stored(reference);
    expect(notifiedInHistory(after, 'firstContact:')).toEqual([
      'reminded: firstContact:reminder',
      'reminded: firstContact:breach',
      'escalated: firstContact:breach:coordinator',
      'notified: firstContact:breach:enterprise',
      'escalated: firstContact:escalation',
    ]);
    expect(notifiedInHistory(after, 'decision:')).toEqual([]);
  });

  it('shows an assigned case its promises with the due moments, on the status page and in the JSON status', async () => {
    // Prepare
    const { statusUrl, firstContact, decision } = await routedCase();
    // The enterprise is promised a day: "donderdag 10 december 2026"
    const day = (iso: string) =>
      new Intl.DateTimeFormat('nl-NL', {
        weekday: 'long',
        day: 'numeric',
        month: 'long',
        year: 'numeric',
        timeZone: 'Europe/Amsterdam',
      }).format(new Date(iso));

    // Act
    const page = await fetch(statusUrl, { headers: { accept: 'text/html' } });
    const html = await page.text();
    const status = await fetch(statusUrl, { headers: { accept: 'application/json' } });
    const shown = (await status.json()) as { promises: Record<string, { due: string; stopped: boolean }> };

    // Assess
    expect(page.status).toBe(200);
    expect(html).toContain('Onze toezeggingen');
    expect(html).toContain(`Eerste contact uiterlijk ${day(firstContact.due)}: 3 werkdagen`);
    expect(html).toContain(`Besluit uiterlijk ${day(decision.due)}: 20 werkdagen`);
    expect(shown.promises).toEqual({
      firstContact: expect.objectContaining({ due: firstContact.due, stopped: false }),
      decision: expect.objectContaining({ due: decision.due, stopped: false }),
    });
  });

  it('makes a case submitted at 22:52 on a Monday due at 17:00 on its third working day, and tells the breach at 17:00', async () => {
    // Prepare: submitted Monday 7 December 2026 at 22:52 (UTC+1)
    const [reference = ''] = await assignedCases('WKND', 1, new Date('2026-12-07T21:52:00.000Z'));
    const { firstContact } = (await stored(reference)).clocks;

    // Act: the reminder on Wednesday at 17:00, the breach on Thursday at 17:00
    const reminder = await mailsDuring(reference, () => runJob('2026-12-09T16:00:00.000Z'));
    const breach = await mailsDuring(reference, () => runJob('2026-12-10T16:00:00.000Z'));

    // Assess: due Thursday 10 December at 17:00, not at 22:52; each step at its moment
    expect(firstContact?.due).toBe('2026-12-10T16:00:00.000Z');
    expect(firstContact?.steps.reminder).toBe('2026-12-09T16:00:00.000Z');
    expect(recipients(reminder.mails)).toEqual([leadOfficial.email]);
    expect(breach.result).toMatchObject({ steps: 1, emails: 3, failed: 0 });
    expect(recipients(breach.mails)).toContain(COORDINATOR);
    const toContact = required(
      breach.mails.find((m) => m.destination.to.includes(leadOfficial.email)),
      'the breach e-mail to the contact',
    );
    expect(toContact.body.text).toContain('is verstreken op donderdag 10 december 2026 om 17:00.');
  });

  it('sends a step due at 22:00 not at 22:00 but at 08:00 the next working day (a case an earlier version stored)', async () => {
    // Prepare: submitted Monday 7 December 2026 at 22:00 and stored as earlier versions did, every moment at
    // the submission's time of day: the first-contact reminder on Wednesday 9 December at 22:00, the next look too
    const submittedAt = new Date('2026-12-07T21:00:00.000Z');
    const firstContact = earlierClock(submittedAt, 3);
    const clocks = { firstContact, decision: earlierClock(submittedAt, 20) };
    const [reference = ''] = await assignedCases('NGHT', 1, submittedAt, {
      clocks,
      nextAt: firstContact.steps.reminder,
    });
    const thursdayAtEight = '2026-12-10T07:00:00.000Z';

    // Act: the job at 22:00, at 04:00 in the night, and at 08:00 on Thursday
    const atTen = await mailsDuring(reference, () => runJob(firstContact.steps.reminder));
    const lookAgain = (await stored(reference)).nextAt;
    const atFour = await mailsDuring(reference, () => runJob('2026-12-10T03:00:00.000Z'));
    const atEight = await mailsDuring(reference, () => runJob(thursdayAtEight));

    // Assess
    expect(firstContact.steps.reminder).toBe('2026-12-09T21:00:00.000Z');
    expect(atTen.result).toMatchObject({ due: 1, steps: 0, emails: 0, failed: 0 });
    expect(atTen.mails).toEqual([]);
    expect(lookAgain).toBe(thursdayAtEight);
    expect(atFour.mails).toEqual([]);
    expect(recipients(atEight.mails)).toEqual([leadOfficial.email]);
    expect(atEight.mails[0]?.subject).toContain(`Herinnering ${reference}`);
    expect(atEight.result).toMatchObject({ steps: 1, emails: 1, failed: 0 });
    expect((await stored(reference)).nextAt).toBe('2026-12-11T07:00:00.000Z'); // the breach: Friday 08:00
  });

  it('sends nothing when it runs at night, not even a breach it missed at 17:00, and sends that at 08:00', async () => {
    // Prepare: submitted Monday 7 December 2026 at 22:52, due Thursday at 17:00; the reminder went out
    const [reference = ''] = await assignedCases('LATE', 1, new Date('2026-12-07T21:52:00.000Z'));
    await runJob('2026-12-09T16:00:00.000Z');

    // Act: the job did not run on Thursday at 17:00; its first run after is at 23:00, the next on Friday at 08:00
    const atNight = await mailsDuring(reference, () => runJob('2026-12-10T22:00:00.000Z'));
    const lookAgain = (await stored(reference)).nextAt;
    const inTheMorning = await mailsDuring(reference, () => runJob('2026-12-11T07:00:00.000Z'));

    // Assess: at night nothing, and the case waits for 08:00 instead of being read by every run of the night
    expect(atNight.mails).toEqual([]);
    expect(atNight.result).toMatchObject({ steps: 0, emails: 0, failed: 0 });
    expect(lookAgain).toBe('2026-12-11T07:00:00.000Z');
    expect(inTheMorning.result).toMatchObject({ steps: 1, emails: 3, failed: 0 });
    expect(recipients(inTheMorning.mails)).toContain(leadOfficial.email);
    expect(recipients(inTheMorning.mails)).toContain(COORDINATOR);
    // The enterprise is told the day it was promised and the new day: Friday + 2 working days
    const toEnterprise = required(
      inTheMorning.mails.find((m) => m.subject.includes('later dan beloofd')),
      'the e-mail to the enterprise',
    );
    expect(toEnterprise.body.text).toContain(
      'uiterlijk donderdag 10 december 2026 contact met u op te nemen',
    );
    expect(toEnterprise.body.text).toContain('neemt uiterlijk dinsdag 15 december 2026 contact met u op');
  });

  it('reads only the due cases from the due index: 20 due among 10,000 closed cases', async () => {
    // Prepare: 10,000 closed cases, written straight into the table (not in the due index)
    const table = local.system.tables.cases;
    const closed = Array.from({ length: 10_000 }, (_, n) => {
      const reference = referenceOf('CCCC', n);
      return {
        pk: `CASE#${reference}`,
        sk: 'CASE',
        reference,
        status: 'assigned',
        submittedAt: '2024-01-08T09:00:00.000Z',
      };
    });
    await putAll(local.db, table, closed);

    // ...and 20 assigned cases whose first-contact reminder is due at the moment the job runs
    const submittedAt = new Date('2025-04-25T07:00:00.000Z');
    const due = await assignedCases('DDDD', 20, submittedAt);
    const reminder = startClocks(submittedAt, 'partnership', municipality.sla).firstContact.steps.reminder;
    const moment = plus(reminder, HALF_HOUR);
    const counted = documentClient(local.system.urls.dynamodb);

    // Act: the due query as the job makes it, counted, and the job itself
    const found = await dynamoCaseStore(counted.db, table).due(new Date(moment), SLA_BATCH);
    counted.close();
    const wholeIndex = await local.db.send(
      new QueryCommand({
        TableName: table,
        IndexName: 'due',
        KeyConditionExpression: 'dueShard = :shard',
        ExpressionAttributeValues: { ':shard': DUE_SHARD },
        ReturnConsumedCapacity: 'INDEXES',
      }),
    );
    const result = await runJob(moment);

    // Assess
    expect(await countItems(local.db, table, 'CASE#AP-CCCC-')).toBe(10_000);
    expect([...found.references].sort()).toEqual([...due].sort());
    expect(found.next).toBeUndefined();
    expect(counted.returned).toBe(20);
    expect(counted.scanned).toBe(20);
    expect(wholeIndex.Items).toHaveLength(20);
    expect(wholeIndex.ScannedCount).toBe(20);
    expect(wholeIndex.ConsumedCapacity?.GlobalSecondaryIndexes?.due?.CapacityUnits).toBeLessThanOrEqual(1);
    expect(result).toMatchObject({ due: 20, requeued: 0, steps: 20, emails: 20, failed: 0 });
  });

  it('still reaches a due case behind a full batch of cases that fail every run', async () => {
    // Prepare: SLA_BATCH cases the job cannot read (e.g. stored by an older version), due since January...
    const table = local.system.tables.cases;
    const broken = Array.from({ length: SLA_BATCH }, (_, n) => ({
      pk: `CASE#${referenceOf('BBBB', n)}`,
      sk: 'CASE',
      status: 'assigned',
      dueShard: DUE_SHARD,
      nextAt: '2025-01-06T08:00:00.000Z',
    }));
    await putAll(local.db, table, broken);
    cleanups.push(() => deleteAll(local.db, table, broken));
    // ...and one good case whose first-contact reminder is due later, but before the job runs
    const submittedAt = new Date('2025-04-25T07:00:00.000Z');
    const [good] = await assignedCases('GGGG', 1, submittedAt);
    const reference = required(good, 'the good case');
    const reminder = startClocks(submittedAt, 'partnership', municipality.sla).firstContact.steps.reminder;

    // Act
    const { result, mails } = await mailsDuring(reference, () => runJob(plus(reminder, HALF_HOUR)));

    // Assess: the broken cases fail (and stay due), the good one gets its reminder all the same
    expect(result).toMatchObject({ failed: SLA_BATCH, steps: 1, emails: 1 });
    expect(mails).toHaveLength(1);
    expect((await stored(reference)).notifications['firstContact:reminder']).toBeDefined();
  });
});

/**
 * A clock as earlier versions started it: due at the start's time of day, `workingDays` working days on,
 * reminded one working day before and escalated two after, at that time too.
 */
function earlierClock(start: Date, workingDays: number): SlaClock {
  const { calendar } = municipality.sla;
  const due = addWorkingDays(start, workingDays, calendar).due;
  return {
    startedAt: start.toISOString(),
    workingDays,
    due: due.toISOString(),
    steps: {
      reminder: workingDaysBefore(due, 1, calendar).toISOString(),
      escalation: addWorkingDays(due, 2, calendar).due.toISOString(),
    },
  };
}

/** Writes items in batches of 25, some batches at a time, retrying what DynamoDB leaves unprocessed. */
async function putAll(db: DynamoDBDocumentClient, table: string, items: readonly Record<string, unknown>[]) {
  const batches: Record<string, unknown>[][] = [];
  for (let i = 0; i < items.length; i += 25) batches.push(items.slice(i, i + 25));
  let next = 0;
  const worker = async () => {
    for (let batch = batches[next++]; batch !== undefined; batch = batches[next++]) {
      let requests = batch.map((Item) => ({ PutRequest: { Item } }));
      while (requests.length > 0) {
        const result = await db.send(new BatchWriteCommand({ RequestItems: { [table]: requests } }));
        requests = (result.UnprocessedItems?.[table] ?? []).flatMap((r) =>
          r.PutRequest?.Item === undefined ? [] : [{ PutRequest: { Item: r.PutRequest.Item } }],
        );
      }
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
}

/** Deletes the items (by their keys) in batches of 25. */
async function deleteAll(
  db: DynamoDBDocumentClient,
  table: string,
  items: readonly { pk: string; sk: string }[],
) {
  for (let i = 0; i < items.length; i += 25) {
    let requests: { DeleteRequest: { Key: Record<string, unknown> } }[] = items
      .slice(i, i + 25)
      .map(({ pk, sk }) => ({ DeleteRequest: { Key: { pk, sk } } }));
    while (requests.length > 0) {
      const result = await db.send(new BatchWriteCommand({ RequestItems: { [table]: requests } }));
      requests = (result.UnprocessedItems?.[table] ?? []).flatMap((r) =>
        r.DeleteRequest?.Key === undefined ? [] : [{ DeleteRequest: { Key: r.DeleteRequest.Key } }],
      );
    }
  }
}

/** How many items of the table have a key starting with `prefix`. */
async function countItems(db: DynamoDBDocumentClient, table: string, prefix: string): Promise<number> {
  let count = 0;
  const pages = paginateScan(
    { client: db },
    {
      TableName: table,
      Select: 'COUNT',
      FilterExpression: 'begins_with(pk, :prefix)',
      ExpressionAttributeValues: { ':prefix': prefix },
    },
  );
  for await (const page of pages) count += page.Count ?? 0;
  return count;
}

/**
 * A document client as the functions build theirs (`removeUndefinedValues`), that also counts the items
 * its reads evaluated (ScannedCount) and returned (Count).
 */
function documentClient(endpoint: string) {
  const client = new DynamoDBClient({
    endpoint,
    region: 'eu-west-1',
    credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
  });
  const counts = { scanned: 0, returned: 0 };
  client.middlewareStack.add(
    (next) => async (args) => {
      const result = await next(args);
      const output: object = result.output;
      if ('ScannedCount' in output && typeof output.ScannedCount === 'number')
        counts.scanned += output.ScannedCount;
      if ('Count' in output && typeof output.Count === 'number') counts.returned += output.Count;
      return result;
    },
    { step: 'initialize', name: 'countReadItems' },
  );
  return {
    db: DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } }),
    get scanned() {
      return counts.scanned;
    },
    get returned() {
      return counts.returned;
    },
    close: () => client.destroy(),
  };
}
