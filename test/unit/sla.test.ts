import { describe, expect, it } from 'vitest';
import { municipality } from '../../config/index.js';
import { assign, chooseContact, ROUTING_GRACE_MS, tagDepartments } from '../../functions/domain/case.js';
import { notificationKeyCodec } from '../../functions/domain/notification-kind.js';
import { type CaseStore, MailDeferredError } from '../../functions/domain/ports.js';
import { SUPERSEDED } from '../../functions/domain/sla.js';
import { createSlaHandler, SLA_BATCH, type SlaDeps } from '../../functions/sla/handler.js';
import { required, SUBMITTED_AT, staticOfficials, submittedCase } from '../support/cases.js';
import {
  countedStore,
  countingMetrics,
  memoryCaseStore,
  memoryMailer,
  memoryQueue,
  silentLog,
  testLinks,
} from '../support/fakes.js';

const at = (msAfterSubmit: number) => new Date(SUBMITTED_AT.getTime() + msAfterSubmit).toISOString();

function setup(overrides: Partial<SlaDeps> = {}) {
  const cases = memoryCaseStore();
  const queue = memoryQueue();
  const metrics = countingMetrics();
  const mailer = memoryMailer();
  const handler = createSlaHandler({
    cases,
    officials: staticOfficials(municipality.officials),
    rateMinutes: 5,
    queue,
    mailer,
    municipality,
    clock: () => new Date(),
    links: testLinks(),
    log: silentLog,
    metrics,
    ...overrides,
  });
  return { cases, queue, metrics, mailer, handler };
}

describe('sla job', () => {
  it('queues a submitted case again once its routing grace has passed', async () => {
    const { handler, cases, queue } = setup();
    await cases.create(submittedCase('AP-2345-6789'));

    const result = await handler({ scheduledTime: at(ROUTING_GRACE_MS + 60_000) });

    expect(queue.sent).toEqual([{ type: 'case.submitted', version: 1, reference: 'AP-2345-6789' }]);
    expect(result).toMatchObject({ now: at(ROUTING_GRACE_MS + 60_000), due: 1, requeued: 1 });
  });

  it('moves nextAt of a queued case one grace period past the scheduled time', async () => {
    const { handler, cases, metrics } = setup();
    await cases.create(submittedCase('AP-2345-6789'));
    const scheduledTime = at(ROUTING_GRACE_MS + 60_000);

    await handler({ scheduledTime });

    const c = required(await cases.get('AP-2345-6789'), 'case');
    expect(c.nextAt).toBe(new Date(Date.parse(scheduledTime) + ROUTING_GRACE_MS).toISOString());
    expect(metrics.counts.get('CasesRequeued')).toBe(1);
  });

  it('takes the scheduled time with an offset as the moment to replay', async () => {
    const { handler, cases, queue } = setup();
    await cases.create(submittedCase('AP-2345-6789'));

    // 10:06 in Amsterdam (UTC+1) is 09:06 UTC: past the 09:05 grace.
    const result = await handler({ scheduledTime: '2025-03-03T10:06:00+01:00' });

    expect(result.now).toBe('2025-03-03T09:06:00.000Z');
    expect(queue.sent).toHaveLength(1);
  });

  it('leaves a case alone that is not due yet', async () => {
    const { handler, cases, queue } = setup();
    await cases.create(submittedCase('AP-2345-6789'));
    const before = await cases.get('AP-2345-6789');

    const result = await handler({ scheduledTime: at(ROUTING_GRACE_MS - 1) });

    expect(queue.sent).toEqual([]);
    expect(await cases.get('AP-2345-6789')).toEqual(before);
    expect(result).toMatchObject({ due: 0, requeued: 0 });
  });

  it('clears nextAt of a case that was assigned meanwhile, without queueing it', async () => {
    const { handler, cases, queue } = setup();
    await cases.create({ ...submittedCase('AP-2345-6789'), status: 'assigned' });

    await handler({ scheduledTime: at(ROUTING_GRACE_MS + 60_000) });

    expect(required(await cases.get('AP-2345-6789'), 'case').nextAt).toBeUndefined();
    expect(queue.sent).toEqual([]);
  });

  it('asks the store for due cases at the scheduled time, at most one batch', async () => {
    const store = memoryCaseStore();
    const asked: { now: string; limit: number }[] = [];
    const cases: CaseStore = {
      ...store,
      async due(now, limit) {
        asked.push({ now: now.toISOString(), limit });
        return store.due(now, limit);
      },
    };
    const { handler } = setup({ cases });

    await handler({ scheduledTime: '2025-03-03T12:00:00Z' });

    expect(asked).toEqual([{ now: '2025-03-03T12:00:00.000Z', limit: SLA_BATCH }]);
  });

  it('sends the breach and the escalation to a case it first sees after its escalation, superseding only the reminder', async () => {
    // Prepare: an assigned case whose first-contact escalation moment has passed without any run
    const { handler, cases, mailer } = setup();
    const assigned = await routed(cases, 'AP-2345-6789');
    const escalation = required(assigned.clocks.firstContact, 'first-contact clock').steps.escalation;

    // Act
    const run = await handler({ scheduledTime: escalation });

    // Assess: breach (contact, coordinator, enterprise) and escalation sent; the reminder only recorded
    const kinds = Object.keys(required(cases.items.get(assigned.reference), 'case').notifications).sort();
    expect(kinds).toEqual([
      'firstContact:breach',
      'firstContact:breach:coordinator',
      'firstContact:breach:enterprise',
      'firstContact:escalation',
      'firstContact:reminder',
    ]);
    expect(cases.items.get(assigned.reference)?.notifications['firstContact:reminder']?.messageId).toBe(
      SUPERSEDED,
    );
    expect(mailer.sent.map((m) => m.to)).toContain(municipality.coordinator.email);
    expect(mailer.sent.some((m) => m.subject.startsWith('Herinnering'))).toBe(false);
    expect(run).toMatchObject({ steps: 2, emails: 4 });
  });

  it.each([
    ['without scheduledTime', {}],
    ['with a scheduledTime that is not a time', { scheduledTime: 'tomorrow' }],
    ['with an unknown field', { scheduledTime: '2025-03-03T12:00:00Z', force: true }],
    ['that is not an object', 'tick'],
  ])('throws for an event %s', async (_, event) => {
    const { handler, queue } = setup();

    const run = handler(event);

    await expect(run).rejects.toThrow();
    expect(queue.sent).toEqual([]);
  });
});

/** A submitted case assigned as the router would, at its submission moment. */
async function routed(cases: CaseStore, reference: string) {
  const c = submittedCase(reference);
  await cases.create(c);
  const tags = tagDepartments(c.request, municipality);
  const now = new Date(c.submittedAt);
  const chosen = chooseContact({
    tags,
    officials: municipality.officials,
    openCases: new Map(),
    now,
    municipality,
  });
  return required(await cases.assign(assign(c, tags, chosen, now, municipality.sla)), 'assigned case');
}

/** Records the routing e-mails of a case routed by `routed` as sent (the assignment, the department, the enterprise). */
async function routingMailsSent(cases: CaseStore, reference: string) {
  for (const key of ['assignment', 'department:duurzaamheid', 'enterprise'])
    await cases.recordNotification(
      reference,
      notificationKeyCodec.decode(key),
      `message-${key}`,
      SUBMITTED_AT,
    );
}

describe('sla job: the figures for the ops dashboard', () => {
  it('counts a breached promise per lead department, once', async () => {
    const { handler, cases, metrics } = setup();
    const c = await routed(cases, 'AP-2345-6789');
    const breach = required(c.clocks.firstContact, 'clock').due;

    await handler({ scheduledTime: breach });
    await handler({ scheduledTime: breach });

    expect(metrics.counts.get('SlaBreached{department=werk}')).toBe(1);
  });

  it('reports the open cases by age in the run of the first minutes of each hour only', async () => {
    const { handler, cases, metrics } = setup();
    await routed(cases, 'AP-2345-6789');
    // The case was submitted 3 March 2025; on 20 March it is 17 days old.
    await handler({ scheduledTime: '2025-03-20T10:35:00.000Z' });
    const between = new Map(metrics.counts);
    await handler({ scheduledTime: '2025-03-20T11:00:00.000Z' });

    expect([...between.keys()].filter((k) => k.startsWith('OpenCases'))).toEqual([]);
    expect(metrics.counts.get('OpenCases{age=0-7d}')).toBe(0);
    expect(metrics.counts.get('OpenCases{age=8-28d}')).toBe(1);
    expect(metrics.counts.get('OpenCases{age=29-90d}')).toBe(0);
    expect(metrics.counts.get('OpenCases{age=90d+}')).toBe(0);
  });
});

describe('sla job: e-mails of an assignment whose route message was lost', () => {
  it('queues an assigned case again when its routing e-mails have not all gone out by the grace', async () => {
    const { handler, cases, queue } = setup();
    const assigned = await routed(cases, 'AP-2345-6789');
    const grace = required(assigned.nextAt, 'nextAt');

    const run = await handler({ scheduledTime: grace });

    expect(run.requeued).toBe(1);
    expect(queue.sent).toEqual([{ type: 'case.submitted', version: 1, reference: 'AP-2345-6789' }]);
  });

  it('leaves an assigned case alone whose routing e-mails all went out, and then looks at its clocks', async () => {
    const { handler, cases, queue } = setup();
    const assigned = await routed(cases, 'AP-2345-6789');
    await routingMailsSent(cases, assigned.reference);

    const run = await handler({ scheduledTime: required(assigned.nextAt, 'nextAt') });

    expect(run.requeued).toBe(0);
    expect(queue.sent).toEqual([]);
    expect((await cases.get(assigned.reference))?.nextAt).toBe(assigned.clocks.firstContact?.steps.reminder);
  });
});

describe('sla job: within working hours only', () => {
  it('sends no reminder when it runs at night, puts the case off to 08:00, and sends the reminder then', async () => {
    // Prepare: submitted Monday 3 March 2025 10:00, first contact due Thursday 17:00, reminder Wednesday 17:00
    const { handler, cases, mailer } = setup();
    const assigned = await routed(cases, 'AP-2345-6789');
    await routingMailsSent(cases, assigned.reference);

    // Act: the job missed 17:00 and runs at 22:30 on Wednesday, then at 08:00 on Thursday
    const atNight = await handler({ scheduledTime: '2025-03-05T21:30:00.000Z' });
    const lookAgain = (await cases.get(assigned.reference))?.nextAt;
    const inTheMorning = await handler({ scheduledTime: '2025-03-06T07:00:00.000Z' });

    // Assess
    expect(assigned.clocks.firstContact?.steps.reminder).toBe('2025-03-05T16:00:00.000Z');
    expect(atNight).toMatchObject({ due: 1, steps: 0, emails: 0, failed: 0 });
    expect(lookAgain).toBe('2025-03-06T07:00:00.000Z');
    expect(inTheMorning).toMatchObject({ due: 1, steps: 1, emails: 1, failed: 0 });
    expect(mailer.sent.map((m) => m.subject)).toEqual([expect.stringMatching(/^Herinnering AP-2345-6789/)]);
  });
});

describe('sla job: reads and writes per due case', () => {
  it('reads a due case and the suppression list once, and writes its e-mails, the superseded reminder and the next look in one write', async () => {
    // Prepare: an assigned case first seen after its first-contact escalation
    const { cases, calls } = countedStore();
    const { handler } = setup({ cases });
    const assigned = await routed(cases, 'AP-2345-6789');
    await routingMailsSent(cases, assigned.reference);
    const escalation = required(assigned.clocks.firstContact, 'clock').steps.escalation;
    calls.clear();

    // Act
    const run = await handler({ scheduledTime: escalation });

    // Assess (the run at the top of the hour also reads the open-cases index for its figure)
    calls.delete('openCaseSubmissions');
    expect(run).toMatchObject({ due: 1, steps: 2, emails: 4, failed: 0 });
    expect(Object.fromEntries(calls)).toEqual({
      due: 1,
      get: 1,
      claimNotifications: 1,
      suppressed: 1,
      recordNotifications: 1,
    });
    const after = required(cases.items.get(assigned.reference), 'case');
    expect(after.nextAt).toBe(assigned.clocks.decision?.steps.reminder);
  });

  it('counts a case whose e-mails SES cannot take yet as put off, not failed, and sends them on the next run', async () => {
    // Prepare: an assigned case at its escalation, while SES throttles
    const cases = memoryCaseStore();
    let throttling = true;
    const inner = memoryMailer();
    const mailer = {
      async send(mail: Parameters<typeof inner.send>[0]) {
        if (throttling)
          throw new MailDeferredError(
            'throttled',
            'SES refused the e-mail (TooManyRequestsException)',
            undefined,
          );
        return inner.send(mail);
      },
    };
    const { handler, metrics } = setup({ cases, mailer });
    const assigned = await routed(cases, 'AP-2345-6789');
    await routingMailsSent(cases, assigned.reference);
    const escalation = required(assigned.clocks.firstContact, 'clock').steps.escalation;

    // Act
    const first = await handler({ scheduledTime: escalation });
    throttling = false;
    const second = await handler({ scheduledTime: escalation });

    // Assess: no job failure (no SlaJobFailures alarm for a throttle); the next run sends the e-mails
    expect(first).toMatchObject({ due: 1, failed: 0, deferred: 1, emails: 0 });
    expect(metrics.counts.get('SlaJobFailures')).toBeUndefined();
    expect(metrics.counts.get('SlaStepsDeferred')).toBe(1);
    expect(second).toMatchObject({ due: 1, failed: 0, deferred: 0, emails: 4 });
    expect(inner.sent).toHaveLength(4);
  });

  it('pages on from where each page ended, so every due case is seen once, however many pages', async () => {
    const { cases, calls } = countedStore();
    const { handler, queue } = setup({ cases });
    const total = 2 * SLA_BATCH + 50;
    for (let i = 0; i < total; i++)
      await cases.create(submittedCase(`AP-${(1_100 + i).toString(32).toUpperCase()}-2345`));
    calls.clear();

    const run = await handler({ scheduledTime: at(ROUTING_GRACE_MS + 60_000) });

    expect(run).toMatchObject({ due: total, requeued: total, failed: 0 });
    expect(calls.get('due')).toBe(3);
    expect(calls.get('get')).toBe(total);
    expect(new Set(queue.sent.map((m) => m.reference)).size).toBe(total);
  });
});
