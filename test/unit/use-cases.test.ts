import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { municipality } from '../../config/index.js';
import type { Log, RouteQueue } from '../../functions/domain/ports.js';
import { anonymise, deletionRecordOf } from '../../functions/domain/retention.js';
import { supersededSteps } from '../../functions/domain/sla.js';
import { applyAction, reviewAction } from '../../functions/use-cases/apply-action.js';
import { routeCase } from '../../functions/use-cases/route-case.js';
import { runSlaJob } from '../../functions/use-cases/run-sla-job.js';
import { submitRequest } from '../../functions/use-cases/submit-request.js';
import { viewStatus } from '../../functions/use-cases/view-status.js';
import {
  fixedClock,
  required,
  resolvedCase,
  sampleRequest,
  staticOfficials,
  submittedCase,
  TOKEN,
} from '../support/cases.js';
import {
  countingMetrics,
  memoryCaseStore,
  memoryDigestStore,
  memoryMailer,
  memoryQueue,
  memoryRequestCounter,
  silentLog,
  TEST_LINK_KEY,
  testLinks,
  testSatisfactionLinks,
} from '../support/fakes.js';

const REFERENCE = 'AP-2345-6789';
const ROUTED_AT = '2025-03-03T09:02:00.000Z';
const NOW = '2025-03-04T08:30:00.000Z';

/** A log that keeps its warnings. */
function warningLog(): Log & { warnings: string[] } {
  const warnings: string[] = [];
  return { ...silentLog, warnings, warn: (message) => void warnings.push(message) };
}

const downQueue: RouteQueue = {
  async send() {
    throw new Error('queue unavailable');
  },
};

/** A case routed to Anouk Jansen, as the router leaves it. */
async function routedStore() {
  const cases = memoryCaseStore();
  await cases.create(submittedCase(REFERENCE));
  await routeCase(
    {
      cases,
      officials: staticOfficials(municipality.officials),
      digests: memoryDigestStore(),
      mailer: memoryMailer(),
      municipality,
      clock: fixedClock(ROUTED_AT),
      links: testLinks(fixedClock(ROUTED_AT)),
      satisfactionLinks: testSatisfactionLinks(fixedClock(ROUTED_AT)),
      log: silentLog,
      metrics: countingMetrics(),
    },
    { reference: REFERENCE },
  );
  return cases;
}

describe('submit a request', () => {
  it('answers keyReused, storing and queueing nothing more, for a key sent again with another request', async () => {
    // Prepare: a first submission with a key
    const cases = memoryCaseStore();
    const queue = memoryQueue();
    const deps = {
      cases,
      queue,
      requestCounts: memoryRequestCounter(),
      intakeLimits: municipality.intakeLimits,
      clock: fixedClock(NOW),
      randomBytes,
      log: silentLog,
      metrics: countingMetrics(),
    };
    const statusUrlOf = (reference: string, token: string) =>
      `https://x.example/cases/${reference}?token=${token}`;
    const idempotencyKey = 'key-0123456789abcdef';
    const first = await submitRequest(deps, {
      request: sampleRequest(),
      idempotencyKey,
      statusUrlOf,
      source: '192.0.2.1',
    });

    // Act: the same key with another description
    const again = await submitRequest(deps, {
      request: sampleRequest({ description: 'Een heel andere vraag over een pand aan de haven.' }),
      idempotencyKey,
      statusUrlOf,
      source: '192.0.2.1',
    });

    // Assess
    expect(first.outcome).toBe('created');
    expect(again).toEqual({ outcome: 'keyReused' });
    expect(cases.items.size).toBe(1);
    expect(queue.sent).toHaveLength(1);
    expect(queue.sent[0]?.statusUrl).toMatch(/^https:\/\/x\.example\/cases\/AP-/);
  });
});

describe('apply an official’s action', () => {
  it('reviews a tampered link as invalid without reading the case', async () => {
    // Prepare
    const cases = await routedStore();
    let reads = 0;
    const metrics = countingMetrics();
    const deps = {
      cases: {
        get: async (reference: string) => {
          reads++;
          return cases.get(reference);
        },
        record: async (reference: string) => {
          reads++;
          return cases.record(reference);
        },
      },
      officials: staticOfficials(municipality.officials),
      digests: memoryDigestStore(),
      key: TEST_LINK_KEY,
      clock: fixedClock(NOW),
      metrics,
    };

    // Act
    const review = await reviewAction(deps, 'not-a-signed-link');

    // Assess
    expect(review).toEqual({ outcome: 'invalid' });
    expect(reads).toBe(0);
    expect(metrics.counts.get('ActionLinksInvalid')).toBe(1);
  });

  it('hands a case back to routing even when the queue is down, leaving it due for the SLA job', async () => {
    // Prepare: a valid hand-over link of the contact, reviewed
    const cases = await routedStore();
    const link = testLinks(fixedClock(ROUTED_AT))({
      reference: REFERENCE,
      official: 'a-jansen',
      lang: 'nl',
      action: 'hand-over',
    });
    const token = link.split('/').pop() ?? '';
    const metrics = countingMetrics();
    const log = warningLog();
    const review = await reviewAction(
      {
        cases,
        officials: staticOfficials(municipality.officials),
        key: TEST_LINK_KEY,
        clock: fixedClock(NOW),
        metrics,
      },
      token,
    );
    if (review.outcome !== 'ready') throw new Error(`the link does not apply: ${review.outcome}`);

    // Act
    const result = await applyAction(
      { cases, municipality, queue: downQueue, links: testLinks(fixedClock(NOW)), log, metrics },
      review,
      { handOverTo: 'routing' },
      'nl',
    );

    // Assess: applied; the failure counted and logged; the case waits for routing with a next look set
    expect(result).toEqual({ outcome: 'applied', resumeUrl: undefined, handedTo: 'routing' });
    expect(metrics.counts.get('RouteEnqueueFailed')).toBe(1);
    expect(log.warnings).toEqual(['handover not queued; the SLA job queues it again']);
    const stored = required(await cases.get(REFERENCE), 'case');
    expect(stored.status).toBe('submitted');
    expect(stored.nextAt).toBeDefined();
  });
});

describe('run the SLA job', () => {
  it('runs at the moment it is given, not the clock’s, and says what it did', async () => {
    // Prepare: a routed case whose first-contact reminder is due; the clock stands a year later
    const cases = await routedStore();
    const reminder = required(required(await cases.get(REFERENCE), 'case').clocks.firstContact, 'clock').steps
      .reminder;
    const mailer = memoryMailer();

    // Act
    const run = await runSlaJob(
      {
        cases,
        officials: staticOfficials(municipality.officials),
        digests: memoryDigestStore(),
        rateMinutes: 5,
        queue: memoryQueue(),
        mailer,
        municipality,
        clock: fixedClock('2026-03-04T08:30:00.000Z'),
        links: testLinks(),
        log: silentLog,
        metrics: countingMetrics(),
      },
      new Date(reminder),
    );

    // Assess: only the reminder (the breach is not due at that moment)
    expect(run).toEqual({ now: reminder, due: 1, requeued: 0, steps: 1, emails: 1, failed: 0, deferred: 0 });
    expect(mailer.sent.map((m) => m.subject)).toEqual([expect.stringMatching(/^Herinnering AP-2345-6789/)]);
  });
});

describe('the superseded reminder', () => {
  it('supersedes a reminder due together with a later step of its clock, and only that', () => {
    // Act
    const { send, superseded } = supersededSteps([
      { clock: 'firstContact', step: 'reminder' },
      { clock: 'firstContact', step: 'breach' },
      { clock: 'decision', step: 'reminder' },
    ]);

    // Assess
    expect(superseded).toEqual([{ clock: 'firstContact', step: 'reminder' }]);
    expect(send).toEqual([
      { clock: 'firstContact', step: 'breach' },
      { clock: 'decision', step: 'reminder' },
    ]);
  });

  it('sends a reminder that is due alone', () => {
    expect(supersededSteps([{ clock: 'decision', step: 'reminder' }])).toEqual({
      send: [{ clock: 'decision', step: 'reminder' }],
      superseded: [],
    });
  });
});

describe('view a case status', () => {
  it('shows the case for its status token, however the reference is typed, and nothing for a wrong token or reference', async () => {
    // Prepare
    const cases = memoryCaseStore();
    await cases.create(submittedCase(REFERENCE));

    // Act
    const typed = await viewStatus({ cases }, { reference: 'ap-2345-6789', token: TOKEN });
    const wrongToken = await viewStatus({ cases }, { reference: REFERENCE, token: 'not-the-token' });
    const noToken = await viewStatus({ cases }, { reference: REFERENCE, token: undefined });
    const unknown = await viewStatus({ cases }, { reference: 'AP-9999-9999', token: TOKEN });
    const garbage = await viewStatus({ cases }, { reference: '../../etc', token: TOKEN });

    // Assess
    expect(typed).toMatchObject({ kind: 'case', c: { reference: REFERENCE } });
    expect([wrongToken, noToken, unknown, garbage]).toEqual([undefined, undefined, undefined, undefined]);
  });

  it('shows what retention left of a case for its status token: its anonymised record, then its deletion record', async () => {
    // Prepare: a resolved case whose personal data were removed, and a second one destroyed
    const cases = memoryCaseStore();
    const closedAt = new Date('2025-03-04T09:00:00Z');
    const kept = resolvedCase(municipality, { result: 'granted', closedAt, reference: REFERENCE });
    const gone = resolvedCase(municipality, { result: 'rejected', closedAt, reference: 'AP-3456-789A' });
    for (const c of [kept, gone]) await cases.create(c);
    const yearLater = new Date('2026-03-04T01:00:00Z');
    await cases.anonymise(kept, anonymise(kept, yearLater));
    await cases.destroy(gone, deletionRecordOf(gone, yearLater));

    // Act
    const anonymised = await viewStatus({ cases }, { reference: REFERENCE, token: TOKEN });
    const destroyed = await viewStatus({ cases }, { reference: 'ap-3456-789a', token: TOKEN });
    const wrongAnonymised = await viewStatus({ cases }, { reference: REFERENCE, token: 'not-the-token' });
    const wrongDestroyed = await viewStatus({ cases }, { reference: 'AP-3456-789A', token: 'not-it' });

    // Assess
    expect(anonymised).toMatchObject({
      kind: 'anonymised',
      c: { reference: REFERENCE, anonymisedAt: yearLater.toISOString() },
    });
    expect(destroyed).toMatchObject({
      kind: 'destroyed',
      record: { reference: 'AP-3456-789A', destroyedAt: yearLater.toISOString() },
    });
    expect([wrongAnonymised, wrongDestroyed]).toEqual([undefined, undefined]);
  });
});
