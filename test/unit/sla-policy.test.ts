import { describe, expect, it } from 'vitest';
import { type SlaPolicy, slaPolicySchema } from '../../config/sla.js';
import { type NotificationKind, notificationKey } from '../../functions/domain/notification-kind.js';
import {
  dueSteps,
  explainClock,
  nextStepAt,
  type SlaClocks,
  startClocks,
  stepAt,
  stepKinds,
  workingDaysBefore,
} from '../../functions/domain/sla.js';

/** Friday 25 April 2025, 09:00 in Amsterdam (summer time): Koningsdag falls on the Saturday after. */
const FRIDAY_BEFORE_KINGS_DAY = new Date('2025-04-25T07:00:00.000Z');

const policy: SlaPolicy = slaPolicySchema.parse({
  firstContactDays: 3,
  decisionDays: 20,
  byRequestType: { question: { firstContactDays: 2, decisionDays: 10 }, financing: { decisionDays: 40 } },
  remindWorkingDaysBefore: 1,
  escalateAfterWorkingDays: 2,
  calendar: { goodFriday: false, liberationDay: 'lustrum', closures: [] },
});

const nothingSent = () => false;
/** Only the e-mails with these stored keys went out. */
const sentOnly =
  (...keys: string[]) =>
  (kind: NotificationKind) =>
    keys.includes(notificationKey(kind));
/** The stored keys of a step's e-mails. */
const stepKeys = (...args: Parameters<typeof stepKinds>) => stepKinds(...args).map(notificationKey);
const plusMs = (iso: string, ms: number) => new Date(Date.parse(iso) + ms);

describe('SLA clocks: due moments counted in working days', () => {
  it('counts 3 working days from Friday 09:00 to Wednesday 09:00 over Koningsdag and the weekend, and says why', () => {
    // Act
    const { firstContact } = startClocks(FRIDAY_BEFORE_KINGS_DAY, 'partnership', policy);

    // Assess: Sat 26 April (Koningsdag) and Sun 27 April do not count; Mon, Tue, Wed do
    expect(firstContact.startedAt).toBe('2025-04-25T07:00:00.000Z');
    expect(firstContact.workingDays).toBe(3);
    expect(firstContact.due).toBe('2025-04-30T07:00:00.000Z');
    expect(stepAt(firstContact, 'breach')).toBe(firstContact.due);
    expect(firstContact.steps).not.toHaveProperty('breach');
    expect(explainClock(firstContact, policy.calendar, 'nl')).toBe(
      '3 werkdagen (weekenden tellen niet mee); overgeslagen: 26 april (Koningsdag)',
    );
    expect(explainClock(firstContact, policy.calendar, 'en')).toBe(
      "3 working days (weekends do not count); skipped: 26 April (King's Day)",
    );
    // Rendered, not stored.
    expect(firstContact).not.toHaveProperty('explanation');
  });

  it('reminds the contact one working day before the due moment, at the same time of day', () => {
    const { firstContact } = startClocks(FRIDAY_BEFORE_KINGS_DAY, 'partnership', policy);

    expect(firstContact.steps.reminder).toBe('2025-04-29T07:00:00.000Z'); // Tuesday 09:00
    expect(
      workingDaysBefore(new Date(firstContact.due), policy.remindWorkingDaysBefore, policy.calendar),
    ).toEqual(new Date(firstContact.steps.reminder));
  });

  it('counts the reminder back over a holiday and a weekend to the last working day before', () => {
    // Monday 5 May 2025 is Bevrijdingsdag (a lustrum year): one working day before Tuesday 6 May 10:00 is Friday 2 May 10:00
    expect(workingDaysBefore(new Date('2025-05-06T08:00:00.000Z'), 1, policy.calendar)).toEqual(
      new Date('2025-05-02T08:00:00.000Z'),
    );
  });

  it('escalates escalateAfterWorkingDays working days after the due moment', () => {
    const twoDays = startClocks(FRIDAY_BEFORE_KINGS_DAY, 'partnership', policy).firstContact;
    const fourDays = startClocks(
      FRIDAY_BEFORE_KINGS_DAY,
      'partnership',
      slaPolicySchema.parse({ ...policy, escalateAfterWorkingDays: 4 }),
    ).firstContact;

    // Wednesday 30 April + 2 working days: Thursday 1 May, Friday 2 May
    expect(twoDays.steps.escalation).toBe('2025-05-02T07:00:00.000Z');
    // + 4: Thursday, Friday, (Monday 5 May Bevrijdingsdag skipped) Tuesday 6, Wednesday 7 May
    expect(fourDays.steps.escalation).toBe('2025-05-07T07:00:00.000Z');
  });

  it('takes the targets of a request type from byRequestType, and the defaults for what it leaves out', () => {
    const question = startClocks(FRIDAY_BEFORE_KINGS_DAY, 'question', policy);
    const financing = startClocks(FRIDAY_BEFORE_KINGS_DAY, 'financing', policy);
    const other = startClocks(FRIDAY_BEFORE_KINGS_DAY, 'partnership', policy);

    expect(question.firstContact.workingDays).toBe(2);
    expect(question.firstContact.due).toBe('2025-04-29T07:00:00.000Z');
    expect(question.decision.workingDays).toBe(10);
    expect(financing.firstContact.workingDays).toBe(3);
    expect(financing.decision.workingDays).toBe(40);
    expect(other.firstContact.workingDays).toBe(3);
    expect(other.decision.workingDays).toBe(20);
    // 20 working days, skipping Koningsdag, Bevrijdingsdag (5 May 2025) and the weekends: Monday 26 May
    expect(other.decision.due).toBe('2025-05-26T07:00:00.000Z');
  });
});

describe('SLA ladder: which steps are due', () => {
  const clocks = startClocks(FRIDAY_BEFORE_KINGS_DAY, 'partnership', policy);
  const { firstContact, decision } = clocks;

  it('has nothing due before the reminder moment', () => {
    expect(dueSteps(clocks, plusMs(firstContact.steps.reminder, -1), nothingSent)).toEqual([]);
  });

  it('has only the reminder due from the reminder moment until the breach', () => {
    expect(dueSteps(clocks, new Date(firstContact.steps.reminder), nothingSent)).toEqual([
      { clock: 'firstContact', step: 'reminder' },
    ]);
    expect(dueSteps(clocks, plusMs(stepAt(firstContact, 'breach'), -1), nothingSent)).toEqual([
      { clock: 'firstContact', step: 'reminder' },
    ]);
  });

  it('has the reminder and the breach due from the breach moment, not yet the escalation', () => {
    expect(dueSteps(clocks, new Date(stepAt(firstContact, 'breach')), nothingSent)).toEqual([
      { clock: 'firstContact', step: 'reminder' },
      { clock: 'firstContact', step: 'breach' },
    ]);
  });

  it('does not offer a step again once every e-mail of it was sent', () => {
    const now = new Date(stepAt(firstContact, 'breach'));

    const afterReminder = dueSteps(clocks, now, sentOnly('firstContact:reminder'));
    const afterAll = dueSteps(
      clocks,
      now,
      sentOnly(...stepKeys('firstContact', 'reminder'), ...stepKeys('firstContact', 'breach')),
    );

    expect(afterReminder).toEqual([{ clock: 'firstContact', step: 'breach' }]);
    expect(afterAll).toEqual([]);
  });

  it('keeps a step due while one of its e-mails has not gone out', () => {
    const now = new Date(stepAt(firstContact, 'breach'));
    const partly = sentOnly(
      'firstContact:reminder',
      'firstContact:breach',
      'firstContact:breach:coordinator',
    );

    expect(dueSteps(clocks, now, partly)).toEqual([{ clock: 'firstContact', step: 'breach' }]);
  });

  it('schedules the next look at the earliest step not fired yet, across both clocks', () => {
    const firstContactDone = sentOnly(
      ...stepKeys('firstContact', 'reminder'),
      ...stepKeys('firstContact', 'breach'),
      ...stepKeys('firstContact', 'escalation'),
    );

    expect(nextStepAt(clocks, nothingSent)).toBe(firstContact.steps.reminder);
    expect(nextStepAt(clocks, sentOnly('firstContact:reminder'))).toBe(stepAt(firstContact, 'breach'));
    expect(nextStepAt(clocks, firstContactDone)).toBe(decision.steps.reminder);
  });

  it('has no due steps and no next step for a stopped clock', () => {
    const stopped: SlaClocks = { firstContact: { ...firstContact, stoppedAt: '2025-04-28T08:00:00.000Z' } };
    const farLater = new Date('2026-01-01T00:00:00.000Z');

    expect(dueSteps(stopped, farLater, nothingSent)).toEqual([]);
    expect(nextStepAt(stopped, nothingSent)).toBeUndefined();
  });

  it('has no due steps and no next step for a paused clock', () => {
    const paused: SlaClocks = { firstContact: { ...firstContact, pausedAt: '2025-04-28T08:00:00.000Z' } };
    const farLater = new Date('2026-01-01T00:00:00.000Z');

    expect(dueSteps(paused, farLater, nothingSent)).toEqual([]);
    expect(nextStepAt(paused, nothingSent)).toBeUndefined();
  });

  it('keeps the other clock running when one clock stops', () => {
    const oneStopped: SlaClocks = {
      firstContact: { ...firstContact, stoppedAt: '2025-04-28T08:00:00.000Z' },
      decision,
    };

    expect(dueSteps(oneStopped, new Date(decision.steps.reminder), nothingSent)).toEqual([
      { clock: 'decision', step: 'reminder' },
    ]);
    expect(nextStepAt(oneStopped, nothingSent)).toBe(decision.steps.reminder);
  });
});

describe('SLA ladder: who hears of a step', () => {
  it('tells the contact, the coordinator and the enterprise of a broken first-contact promise', () => {
    expect(stepKeys('firstContact', 'breach')).toEqual([
      'firstContact:breach',
      'firstContact:breach:coordinator',
      'firstContact:breach:enterprise',
    ]);
  });

  it('tells the contact and the coordinator of a broken decision promise, not the enterprise', () => {
    const kinds = stepKeys('decision', 'breach');

    expect(kinds).toEqual(['decision:breach', 'decision:breach:coordinator']);
    expect(kinds.some((kind) => kind.endsWith(':enterprise'))).toBe(false);
  });

  it('has one e-mail for a reminder and one for an escalation', () => {
    expect(stepKeys('firstContact', 'reminder')).toEqual(['firstContact:reminder']);
    expect(stepKeys('decision', 'escalation')).toEqual(['decision:escalation']);
  });
});
