import { describe, expect, it } from 'vitest';
import { municipality } from '../../config/index.js';
import { type SlaPolicy, slaPolicySchema } from '../../config/sla.js';
import { type Case, contactOf } from '../../functions/domain/case.js';
import { coordinatorAgenda, inDueOrder } from '../../functions/domain/digest.js';
import { type NotificationKind, notificationKey } from '../../functions/domain/notification-kind.js';
import {
  dueSteps,
  explainClock,
  nextStepAt,
  type SlaClock,
  type SlaClocks,
  startClocks,
  stepAt,
  stepKinds,
  workingDaysBefore,
} from '../../functions/domain/sla.js';
import { required, sampleRequest, submittedCase } from '../support/cases.js';

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
const at = (iso: string) => new Date(iso);
/** Only the e-mails with these stored keys went out. */
const sentOnly =
  (...keys: string[]) =>
  (kind: NotificationKind) =>
    keys.includes(notificationKey(kind));
/** The stored keys of a step's e-mails. */
const stepKeys = (...args: Parameters<typeof stepKinds>) => stepKinds(...args).map(notificationKey);
const plusMs = (iso: string, ms: number) => new Date(Date.parse(iso) + ms);

describe('SLA clocks: due moments counted in working days', () => {
  it('counts 3 working days from Friday 09:00 to Wednesday 17:00 over Koningsdag and the weekend, and says why', () => {
    // Act
    const { firstContact } = startClocks(FRIDAY_BEFORE_KINGS_DAY, 'partnership', policy);

    // Assess: Sat 26 April (Koningsdag) and Sun 27 April do not count; Mon, Tue, Wed do
    expect(firstContact.startedAt).toBe('2025-04-25T07:00:00.000Z');
    expect(firstContact.workingDays).toBe(3);
    expect(firstContact.due).toBe('2025-04-30T15:00:00.000Z');
    expect(stepAt(firstContact, 'breach', policy.calendar)).toBe(firstContact.due);
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

    expect(firstContact.steps.reminder).toBe('2025-04-29T15:00:00.000Z'); // Tuesday 17:00
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

    // Wednesday 30 April 17:00 + 2 working days: Thursday 1 May, Friday 2 May 17:00
    expect(twoDays.steps.escalation).toBe('2025-05-02T15:00:00.000Z');
    // + 4: Thursday, Friday, (Monday 5 May Bevrijdingsdag skipped) Tuesday 6, Wednesday 7 May 17:00
    expect(fourDays.steps.escalation).toBe('2025-05-07T15:00:00.000Z');
  });

  it('takes the targets of a request type from byRequestType, and the defaults for what it leaves out', () => {
    const question = startClocks(FRIDAY_BEFORE_KINGS_DAY, 'question', policy);
    const financing = startClocks(FRIDAY_BEFORE_KINGS_DAY, 'financing', policy);
    const other = startClocks(FRIDAY_BEFORE_KINGS_DAY, 'partnership', policy);

    expect(question.firstContact.workingDays).toBe(2);
    expect(question.firstContact.due).toBe('2025-04-29T15:00:00.000Z');
    expect(question.decision.workingDays).toBe(10);
    expect(financing.firstContact.workingDays).toBe(3);
    expect(financing.decision.workingDays).toBe(40);
    expect(other.firstContact.workingDays).toBe(3);
    expect(other.decision.workingDays).toBe(20);
    // 20 working days, skipping Koningsdag, Bevrijdingsdag (5 May 2025) and the weekends: Monday 26 May 17:00
    expect(other.decision.due).toBe('2025-05-26T15:00:00.000Z');
  });
});

describe('SLA ladder: which steps are due', () => {
  const clocks = startClocks(FRIDAY_BEFORE_KINGS_DAY, 'partnership', policy);
  const { firstContact, decision } = clocks;

  it('has nothing due before the reminder moment', () => {
    expect(dueSteps(clocks, plusMs(firstContact.steps.reminder, -1), nothingSent, policy.calendar)).toEqual(
      [],
    );
  });

  it('has only the reminder due from the reminder moment until the breach', () => {
    expect(dueSteps(clocks, new Date(firstContact.steps.reminder), nothingSent, policy.calendar)).toEqual([
      { clock: 'firstContact', step: 'reminder' },
    ]);
    expect(
      dueSteps(
        clocks,
        plusMs(stepAt(firstContact, 'breach', policy.calendar), -1),
        nothingSent,
        policy.calendar,
      ),
    ).toEqual([{ clock: 'firstContact', step: 'reminder' }]);
  });

  it('has the reminder and the breach due from the breach moment, not yet the escalation', () => {
    expect(
      dueSteps(
        clocks,
        new Date(stepAt(firstContact, 'breach', policy.calendar)),
        nothingSent,
        policy.calendar,
      ),
    ).toEqual([
      { clock: 'firstContact', step: 'reminder' },
      { clock: 'firstContact', step: 'breach' },
    ]);
  });

  it('does not offer a step again once every e-mail of it was sent', () => {
    const now = new Date(stepAt(firstContact, 'breach', policy.calendar));

    const afterReminder = dueSteps(clocks, now, sentOnly('firstContact:reminder'), policy.calendar);
    const afterAll = dueSteps(
      clocks,
      now,
      sentOnly(...stepKeys('firstContact', 'reminder'), ...stepKeys('firstContact', 'breach')),
      policy.calendar,
    );

    expect(afterReminder).toEqual([{ clock: 'firstContact', step: 'breach' }]);
    expect(afterAll).toEqual([]);
  });

  it('keeps a step due while one of its e-mails has not gone out', () => {
    const now = new Date(stepAt(firstContact, 'breach', policy.calendar));
    const partly = sentOnly(
      'firstContact:reminder',
      'firstContact:breach',
      'firstContact:breach:coordinator',
    );

    expect(dueSteps(clocks, now, partly, policy.calendar)).toEqual([
      { clock: 'firstContact', step: 'breach' },
    ]);
  });

  it('schedules the next look at the earliest step not fired yet, across both clocks', () => {
    const firstContactDone = sentOnly(
      ...stepKeys('firstContact', 'reminder'),
      ...stepKeys('firstContact', 'breach'),
      ...stepKeys('firstContact', 'escalation'),
    );

    expect(nextStepAt(clocks, nothingSent, policy.calendar)).toBe(firstContact.steps.reminder);
    expect(nextStepAt(clocks, sentOnly('firstContact:reminder'), policy.calendar)).toBe(
      stepAt(firstContact, 'breach', policy.calendar),
    );
    expect(nextStepAt(clocks, firstContactDone, policy.calendar)).toBe(decision.steps.reminder);
  });

  it('has no due steps and no next step for a stopped clock', () => {
    const stopped: SlaClocks = { firstContact: { ...firstContact, stoppedAt: '2025-04-28T08:00:00.000Z' } };
    // Monday 5 January 2026, 11:00: within working hours, long after every step
    const farLater = new Date('2026-01-05T10:00:00.000Z');

    expect(dueSteps(stopped, farLater, nothingSent, policy.calendar)).toEqual([]);
    expect(nextStepAt(stopped, nothingSent, policy.calendar)).toBeUndefined();
  });

  it('has no due steps and no next step for a paused clock', () => {
    const paused: SlaClocks = { firstContact: { ...firstContact, pausedAt: '2025-04-28T08:00:00.000Z' } };
    // Monday 5 January 2026, 11:00: within working hours, long after every step
    const farLater = new Date('2026-01-05T10:00:00.000Z');

    expect(dueSteps(paused, farLater, nothingSent, policy.calendar)).toEqual([]);
    expect(nextStepAt(paused, nothingSent, policy.calendar)).toBeUndefined();
  });

  it('keeps the other clock running when one clock stops', () => {
    const oneStopped: SlaClocks = {
      firstContact: { ...firstContact, stoppedAt: '2025-04-28T08:00:00.000Z' },
      decision,
    };

    expect(dueSteps(oneStopped, new Date(decision.steps.reminder), nothingSent, policy.calendar)).toEqual([
      { clock: 'decision', step: 'reminder' },
    ]);
    expect(nextStepAt(oneStopped, nothingSent, policy.calendar)).toBe(decision.steps.reminder);
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

describe('working hours: a promise falls due at the end of its working day', () => {
  /** Monday 7 December 2026, 22:52 in Amsterdam (winter time, UTC+1). */
  const MONDAY_LATE = at('2026-12-07T21:52:00.000Z');

  it('makes a case submitted at 22:52 on a Monday due at 17:00 on its third working day, Thursday', () => {
    // Act
    const { firstContact } = startClocks(MONDAY_LATE, 'partnership', policy);

    // Assess: Tuesday, Wednesday, Thursday count; due Thursday 10 December 17:00, not 22:52
    expect(firstContact.due).toBe('2026-12-10T16:00:00.000Z');
    expect(explainClock(firstContact, policy.calendar, 'nl')).toBe('3 werkdagen (weekenden tellen niet mee)');
  });

  it('counts 22:52 on a Thursday over the weekend and Koningsdag to Wednesday 17:00', () => {
    // Prepare: Thursday 23 April 2026, 22:52 (summer time, UTC+2); Monday 27 April 2026 is Koningsdag
    const thursdayLate = at('2026-04-23T20:52:00.000Z');

    // Act
    const { firstContact } = startClocks(thursdayLate, 'partnership', policy);

    // Assess: Friday 24, (weekend, Koningsdag) Tuesday 28, Wednesday 29 April at 17:00
    expect(firstContact.due).toBe('2026-04-29T15:00:00.000Z');
    expect(explainClock(firstContact, policy.calendar, 'en')).toBe(
      "3 working days (weekends do not count); skipped: 27 April (King's Day)",
    );
  });

  it("never counts the start's own day, however early: Monday 08:30 + 3 is Thursday 17:00 too", () => {
    const { firstContact } = startClocks(at('2026-12-07T07:30:00.000Z'), 'partnership', policy);

    expect(firstContact.due).toBe('2026-12-10T16:00:00.000Z');
  });

  it('reminds and escalates at 17:00 too: the working day before the due day and two working days after', () => {
    const { firstContact } = startClocks(MONDAY_LATE, 'partnership', policy);

    expect(firstContact.steps.reminder).toBe('2026-12-09T16:00:00.000Z'); // Wednesday 17:00
    expect(firstContact.steps.escalation).toBe('2026-12-14T16:00:00.000Z'); // Monday 17:00
  });

  it("lists cases due at the same end of a working day in an official's digest in the order they came in", () => {
    // Prepare: three cases submitted on Monday 7 December 2026 at 09:15, 13:40 and 22:52: all due Thursday 17:00
    const submitted = (reference: string, iso: string): Case => ({
      ...submittedCase(reference, sampleRequest(), at(iso)),
      status: 'assigned',
      clocks: startClocks(at(iso), 'partnership', policy),
    });
    const morning = submitted('AP-9999-9992', '2026-12-07T08:15:00.000Z');
    const afternoon = submitted('AP-2222-2223', '2026-12-07T12:40:00.000Z');
    const evening = submitted('AP-5555-5554', '2026-12-07T21:52:00.000Z');

    // Act
    const order = inDueOrder([evening, morning, afternoon]);

    // Assess
    expect(new Set([morning, afternoon, evening].map((c) => c.clocks.firstContact?.due))).toEqual(
      new Set(['2026-12-10T16:00:00.000Z']),
    );
    expect(order.map((c) => c.reference)).toEqual(['AP-9999-9992', 'AP-2222-2223', 'AP-5555-5554']);
  });

  it('takes the time of day a promise falls due from the policy', () => {
    const noon = slaPolicySchema.parse({ ...policy, dueAt: '12:00' });

    expect(startClocks(MONDAY_LATE, 'partnership', noon).firstContact.due).toBe('2026-12-10T11:00:00.000Z');
  });
});

describe('working hours: an SLA step outside them waits for the next working hour', () => {
  /**
   * A clock as an earlier version stored it: started Wednesday 9 December 2026 at 22:00, due Monday
   * 14 December at 22:00, its reminder on Friday 11 December at 22:00, its escalation on Wednesday at 22:00.
   */
  const NIGHT_CLOCK: SlaClock = {
    startedAt: '2026-12-09T21:00:00.000Z',
    workingDays: 3,
    due: '2026-12-14T21:00:00.000Z',
    steps: { reminder: '2026-12-11T21:00:00.000Z', escalation: '2026-12-16T21:00:00.000Z' },
  };
  const reminded = sentOnly('firstContact:reminder');

  it('sends a breach due at 22:00 at 08:00 the next working day', () => {
    expect(stepAt(NIGHT_CLOCK, 'breach', policy.calendar)).toBe('2026-12-15T07:00:00.000Z'); // Tuesday 08:00
  });

  it('sends a step due on Friday at 22:00 on Monday at 08:00', () => {
    expect(stepAt(NIGHT_CLOCK, 'reminder', policy.calendar)).toBe('2026-12-14T07:00:00.000Z');
  });

  it('leaves a step within working hours where it is: a breach at 17:00 is sent at 17:00', () => {
    const { firstContact } = startClocks(FRIDAY_BEFORE_KINGS_DAY, 'partnership', policy);

    expect(stepAt(firstContact, 'breach', policy.calendar)).toBe(firstContact.due);
    expect(stepAt(firstContact, 'reminder', policy.calendar)).toBe(firstContact.steps.reminder);
    expect(dueSteps({ firstContact }, at(firstContact.due), reminded, policy.calendar)).toEqual([
      { clock: 'firstContact', step: 'breach' },
    ]);
  });

  it('has the step due at 22:00 not due at 22:00 nor before 08:00, and due at 08:00 the next working day', () => {
    const clocks: SlaClocks = { firstContact: NIGHT_CLOCK };

    expect(dueSteps(clocks, at(NIGHT_CLOCK.due), reminded, policy.calendar)).toEqual([]);
    expect(dueSteps(clocks, at('2026-12-15T06:59:59.999Z'), reminded, policy.calendar)).toEqual([]);
    expect(dueSteps(clocks, at('2026-12-15T07:00:00.000Z'), reminded, policy.calendar)).toEqual([
      { clock: 'firstContact', step: 'breach' },
    ]);
  });

  it('schedules the next look at the shifted moment, so the SLA job does not look at night', () => {
    expect(nextStepAt({ firstContact: NIGHT_CLOCK }, reminded, policy.calendar)).toBe(
      '2026-12-15T07:00:00.000Z',
    );
  });

  it('sends nothing while the job runs outside working hours, even for a step whose moment has passed', () => {
    // Prepare: due Thursday 10 December 2026 at 17:00, its reminder sent
    const { firstContact } = startClocks(at('2026-12-07T21:52:00.000Z'), 'partnership', policy);
    const clocks: SlaClocks = { firstContact };

    // Act: the job runs that night at 23:30, and the next morning at 08:00
    const atNight = dueSteps(clocks, at('2026-12-10T22:30:00.000Z'), reminded, policy.calendar);
    const inTheMorning = dueSteps(clocks, at('2026-12-11T07:00:00.000Z'), reminded, policy.calendar);

    // Assess
    expect(atNight).toEqual([]);
    expect(inTheMorning).toEqual([{ clock: 'firstContact', step: 'breach' }]);
  });

  it('sends a reminder held to a start at 22:52 at 08:00 the next working day', () => {
    // Prepare: one working day to first contact, reminded one working day before: not before the start
    const oneDay = slaPolicySchema.parse({ ...policy, firstContactDays: 1 });
    const { firstContact } = startClocks(at('2026-12-07T21:52:00.000Z'), 'partnership', oneDay);

    // Act
    const sent = stepAt(firstContact, 'reminder', oneDay.calendar);

    // Assess: stored at the start, Monday 22:52; sent Tuesday 08:00; due Tuesday 17:00
    expect(firstContact.steps.reminder).toBe('2026-12-07T21:52:00.000Z');
    expect(sent).toBe('2026-12-08T07:00:00.000Z');
    expect(firstContact.due).toBe('2026-12-08T16:00:00.000Z');
    expect(nextStepAt({ firstContact }, nothingSent, oneDay.calendar)).toBe(sent);
  });

  it('counts a promise due at 22:00 as broken from 22:00, while its breach e-mail waits for 08:00', () => {
    // Prepare: a case with the night clock, assigned to an official
    const official = { ...required(municipality.officials[0], 'an official'), absences: [] };
    const c: Case = {
      ...submittedCase('AP-2345-6789', sampleRequest(), at(NIGHT_CLOCK.startedAt)),
      status: 'assigned',
      contact: contactOf(official),
      clocks: { firstContact: NIGHT_CLOCK },
    };

    // Act: the coordinator's agenda at 22:30 that night
    const agenda = coordinatorAgenda([c], [], at('2026-12-14T21:30:00.000Z'));

    // Assess
    expect(agenda.breached.map((b) => b.reference)).toEqual(['AP-2345-6789']);
    expect(dueSteps(c.clocks, at('2026-12-14T21:30:00.000Z'), reminded, policy.calendar)).toEqual([]);
  });
});
