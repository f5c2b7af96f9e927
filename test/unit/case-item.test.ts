import { describe, expect, it } from 'vitest';
import { municipality as configured } from '../../config/index.js';
import { routeMessage } from '../../events/route-message.js';
import { caseFromItem, caseItem } from '../../functions/adapters/cases.js';
import { type Case, historyOf } from '../../functions/domain/case.js';
import { describeReason } from '../../functions/domain/mail/describe.js';
import { explainClock, SUPERSEDED } from '../../functions/domain/sla.js';
import { statusJson } from '../../functions/intake/status-json.js';
import { createRouterHandler } from '../../functions/router/handler.js';
import { fixedClock, required, staticOfficials, submittedCase } from '../support/cases.js';
import { lambdaContext, sqsEvent, sqsRecord } from '../support/events.js';
import {
  countingMetrics,
  memoryCaseStore,
  memoryDigestStore,
  memoryMailer,
  memoryQueue,
  silentLog,
  testLinks,
  testSatisfactionLinks,
} from '../support/fakes.js';
import { itemSize } from '../support/item-size.js';
import { informingAtOnce } from '../support/municipalities.js';

/** Every department informed by an e-mail per case (`immediate`): the behaviour before the daily digests. */
const municipality = informingAtOnce(configured);

const NOW = '2025-03-03T09:02:00.000Z';
const SAMPLE = 'AP-2345-6789';
const calendar = municipality.sla.calendar;

/** The sample case as the router leaves it: assigned, its three e-mails sent and recorded. */
async function routedSample(): Promise<Case> {
  const cases = memoryCaseStore();
  await cases.create(submittedCase(SAMPLE));
  const handler = createRouterHandler({
    cases,
    officials: staticOfficials(municipality.officials),
    digests: memoryDigestStore(),
    mailer: memoryMailer(),
    queue: memoryQueue(),
    municipality,
    clock: fixedClock(NOW),
    links: testLinks(fixedClock(NOW)),
    satisfactionLinks: testSatisfactionLinks(fixedClock(NOW)),
    log: silentLog,
    metrics: countingMetrics(),
  });
  await handler(sqsEvent(sqsRecord('m1', JSON.stringify(routeMessage(SAMPLE)))), lambdaContext());
  return required(await cases.get(SAMPLE), 'routed case');
}

/**
 * The routed sample as earlier versions stored it: each clock with its explanation as text (the first
 * contact's moved by a resume of 2 working days), and an event per e-mail in the history.
 */
function earlierItem(c: Case): Record<string, unknown> {
  const first = required(c.clocks.firstContact, 'first-contact clock');
  const decision = required(c.clocks.decision, 'decision clock');
  return {
    ...caseItem(c),
    reference: c.reference,
    clocks: {
      firstContact: {
        ...first,
        steps: { ...first.steps, breach: first.due },
        explanation: {
          nl: '3 werkdagen (weekenden tellen niet mee); verlengd met 2 werkdagen (gepauzeerd)',
          en: '3 working days (weekends do not count); extended by 2 working days (paused)',
        },
      },
      decision: {
        ...decision,
        steps: { ...decision.steps, breach: decision.due },
        explanation: {
          nl: '20 werkdagen (weekenden tellen niet mee)',
          en: '20 working days (weekends do not count)',
        },
      },
    },
    history: [
      ...c.history,
      { type: 'notified', version: 1, at: NOW, notification: 'assignment' },
      { type: 'notified', version: 1, at: NOW, notification: 'department:duurzaamheid' },
      { type: 'notified', version: 1, at: NOW, notification: 'enterprise' },
    ],
  };
}

describe('the stored case item (2 KB at most for the routed sample)', () => {
  it('of the routed sample holds no explanation, no e-mail events and its reference only in the key, and fits in 2 KB as DynamoDB counts it', async () => {
    const c = await routedSample();

    const item = caseItem(c);

    for (const clock of Object.values(c.clocks)) {
      expect(clock).not.toHaveProperty('explanation');
      expect(clock.steps).not.toHaveProperty('breach');
    }
    expect(c.history.map((h) => h.type)).toEqual(['submitted', 'assigned']);
    expect(Object.keys(c.notifications)).toEqual(['assignment', 'department:duurzaamheid', 'enterprise']);
    expect(item).not.toHaveProperty('reference');
    expect(item.pk).toBe(`CASE#${SAMPLE}`);
    expect(caseFromItem(item)).toEqual(c);
    expect(itemSize(item)).toBeLessThanOrEqual(2048);
  });

  it('renders the explanation of each promise and the e-mails of the history when shown', async () => {
    const c = await routedSample();

    const status = statusJson(c, municipality, 'nl');

    expect(status.promises).toEqual({
      firstContact: {
        due: '2025-03-06T16:00:00.000Z',
        explanation: '3 werkdagen (weekenden tellen niet mee)',
        stopped: false,
      },
      decision: {
        due: '2025-03-31T15:00:00.000Z',
        explanation: '20 werkdagen (weekenden tellen niet mee)',
        stopped: false,
      },
    });
    expect(status.history).toEqual([
      { type: 'submitted', at: '2025-03-03T09:00:00.000Z' },
      { type: 'assigned', at: NOW },
      { type: 'notified', at: NOW },
      { type: 'notified', at: NOW },
      { type: 'notified', at: NOW },
    ]);
    expect(status.departments[0]?.reasons).toEqual([
      describeReason({ kind: 'goal', goal: 'work' }, municipality, 'nl'),
    ]);
  });

  it('of an earlier version still reads: its reference attribute and explanations are dropped (keeping a resume), its e-mails shown once', async () => {
    const routed = await routedSample();

    const c = caseFromItem(earlierItem(routed));

    for (const clock of Object.values(c.clocks)) {
      expect(clock).not.toHaveProperty('explanation');
      expect(clock.steps).not.toHaveProperty('breach');
    }
    expect(c.clocks).toEqual({
      firstContact: { ...routed.clocks.firstContact, extendedWorkingDays: 2 },
      decision: routed.clocks.decision,
    });
    const first = required(c.clocks.firstContact, 'first-contact clock');
    expect(first.extendedWorkingDays).toBe(2);
    expect(c.clocks.decision?.extendedWorkingDays).toBeUndefined();
    expect(explainClock(first, calendar, 'nl')).toBe(
      '3 werkdagen (weekenden tellen niet mee); verlengd met 2 werkdagen (gepauzeerd)',
    );
    expect(explainClock(first, calendar, 'en')).toBe(
      '3 working days (weekends do not count); extended by 2 working days (paused)',
    );
    expect(historyOf(c)).toEqual(historyOf(routed));
    expect(historyOf(c).filter((h) => h.type === 'notified')).toHaveLength(3);
    // Written again, the clocks carry no explanation and the reference is in the key only.
    expect(c.reference).toBe(SAMPLE);
    expect(caseItem(c).clocks).toEqual(c.clocks);
    expect(caseItem(c)).not.toHaveProperty('reference');
  });
});

describe('historyOf', () => {
  const base = submittedCase(SAMPLE);

  it('merges the e-mails into the stored events in time order, leaving out superseded ones', () => {
    const c: Case = {
      ...base,
      history: [
        ...base.history,
        { type: 'paused', version: 1, at: '2025-03-05T10:00:00.000Z', by: 'a-jansen', reason: 'Cijfers' },
      ],
      notifications: {
        'firstContact:breach:coordinator': { at: '2025-03-06T09:00:10.000Z', messageId: 'ses-4' },
        'firstContact:breach': { at: '2025-03-06T09:00:10.000Z', messageId: 'ses-3' },
        'firstContact:reminder': { at: '2025-03-06T09:00:10.000Z', messageId: SUPERSEDED },
        enterprise: { at: '2025-03-03T09:02:00.000Z', messageId: 'ses-2' },
        assignment: { at: '2025-03-03T09:02:00.000Z', messageId: 'ses-1' },
      },
    };

    expect(historyOf(c)).toEqual([
      { type: 'submitted', version: 1, at: '2025-03-03T09:00:00.000Z' },
      { type: 'notified', version: 1, at: '2025-03-03T09:02:00.000Z', notification: 'assignment' },
      { type: 'notified', version: 1, at: '2025-03-03T09:02:00.000Z', notification: 'enterprise' },
      { type: 'paused', version: 1, at: '2025-03-05T10:00:00.000Z', by: 'a-jansen', reason: 'Cijfers' },
      {
        type: 'reminded',
        version: 1,
        at: '2025-03-06T09:00:10.000Z',
        clock: 'firstContact',
        step: 'breach',
        notification: 'firstContact:breach',
      },
      {
        type: 'escalated',
        version: 1,
        at: '2025-03-06T09:00:10.000Z',
        clock: 'firstContact',
        to: 'coordinator',
        notification: 'firstContact:breach:coordinator',
      },
    ]);
  });

  it('shows a stored e-mail event once, and keeps one the record does not match', () => {
    const c: Case = {
      ...base,
      history: [
        ...base.history,
        { type: 'notified', version: 1, at: '2025-03-03T09:02:00.000Z', notification: 'assignment' },
      ],
      notifications: {
        assignment: { at: '2025-03-03T09:02:00.000Z', messageId: 'ses-1' },
        enterprise: { at: '2025-03-03T09:03:00.000Z', messageId: 'ses-2' },
      },
    };

    expect(historyOf(c).map((h) => ('notification' in h ? h.notification : h.type))).toEqual([
      'submitted',
      'assignment',
      'enterprise',
    ]);
  });
});
