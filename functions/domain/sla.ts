import * as z from 'zod';
import type { CalendarConfig } from '../../config/calendar.js';
import type { SlaPolicy } from '../../config/sla.js';
import {
  addWorkingDays,
  amsterdamInstant,
  amsterdamWallClock,
  explain,
  inWorkingHours,
  isWorkingDay,
  nextWorkingMoment,
} from './calendar.js';

/**
 * The SLA clocks of a case: when each promise of the policy (config/sla.ts) is due (at `dueAt` on its last
 * working day), and when each step of its ladder (reminder, breach, escalation) fires: at its moment, or,
 * when that falls outside the working hours of the calendar, at the next working-hours moment.
 */
export type { SlaPolicy };

export const CLOCKS = ['firstContact', 'decision'] as const;
export type ClockName = (typeof CLOCKS)[number];
export const STEPS = ['reminder', 'breach', 'escalation'] as const;
export type Step = (typeof STEPS)[number];

const at = z.iso.datetime({ offset: true });

/**
 * The moments of the reminder and the escalation; the breach's is the due moment. Each is sent at its moment
 * or, outside working hours, at the next working-hours moment (`stepAt`).
 */
const stepsSchema = z.strictObject({
  reminder: at,
  /** Stored by earlier versions, always the due moment: read, never written, and ignored. */
  breach: at.optional(),
  escalation: at,
});

/** The working days added to a clock by resumes, as its explanation of earlier versions said. */
const EXTENDED_IN_TEXT = /; extended by (\d+) working days? \(paused\)/g;

/**
 * One running promise: when it is due, and when each step of the ladder fires. How the due moment was
 * computed is rendered from it when needed (`explainClock`), never stored.
 */
export const slaClockSchema = z
  .strictObject({
    startedAt: at,
    /** The working days promised, counted from `startedAt`. */
    workingDays: z.number().int(),
    /** Working days the clock was moved by resumes after a pause, in total; absent when none. */
    extendedWorkingDays: z.number().int().min(1).optional(),
    due: at,
    /**
     * Stored by earlier versions: how the due moment was computed, as text. Read, never written, and
     * ignored: only the days it says resumes added are kept (as `extendedWorkingDays`).
     */
    explanation: z.strictObject({ nl: z.string(), en: z.string() }).optional(),
    steps: stepsSchema,
    /** Set when the clock stopped (contact made, decision taken, case closed). */
    stoppedAt: at.optional(),
    /** Set while the clock is paused (waiting for the enterprise). */
    pausedAt: at.optional(),
  })
  .transform(({ explanation, steps: { reminder, escalation }, ...rest }) => {
    const clock = { ...rest, steps: { reminder, escalation } };
    if (explanation === undefined || clock.extendedWorkingDays !== undefined) return clock;
    let extended = 0;
    for (const match of explanation.en.matchAll(EXTENDED_IN_TEXT)) extended += Number(match[1]);
    return extended > 0 ? { ...clock, extendedWorkingDays: extended } : clock;
  });
export type SlaClock = z.infer<typeof slaClockSchema>;
export type SlaClocks = Partial<Record<ClockName, SlaClock>>;

const targetOf = (policy: SlaPolicy, clock: ClockName, requestType: string) =>
  policy.byRequestType[requestType]?.[clock === 'firstContact' ? 'firstContactDays' : 'decisionDays'] ??
  (clock === 'firstContact' ? policy.firstContactDays : policy.decisionDays);

/** The same time of day, `n` working days earlier. */
export function workingDaysBefore(moment: Date, n: number, config: CalendarConfig): Date {
  const wall = amsterdamWallClock(moment);
  let day = new Date(`${wall.date}T12:00:00Z`);
  for (let left = n; left > 0; ) {
    day = new Date(day.getTime() - 86_400_000);
    if (isWorkingDay(day.toISOString().slice(0, 10), config)) left--;
  }
  return amsterdamInstant({ ...wall, date: day.toISOString().slice(0, 10) });
}

/**
 * A clock that starts at `start` and runs `workingDays`: due at `policy.dueAt` on the last of them (the
 * start's own day never counts), reminded `remindWorkingDaysBefore` working days earlier at the same time
 * (not before the start), escalated `escalateAfterWorkingDays` working days later at the same time.
 */
export function startClock(start: Date, workingDays: number, policy: SlaPolicy): SlaClock {
  const due = addWorkingDays(start, workingDays, policy.calendar, policy.dueAt).due;
  const escalation = addWorkingDays(due, policy.escalateAfterWorkingDays, policy.calendar).due;
  return {
    startedAt: start.toISOString(),
    workingDays,
    due: due.toISOString(),
    steps: {
      reminder: new Date(
        Math.max(
          start.getTime(),
          workingDaysBefore(due, policy.remindWorkingDaysBefore, policy.calendar).getTime(),
        ),
      ).toISOString(),
      escalation: escalation.toISOString(),
    },
  };
}

/** The promises of a new case, counted from its submission. */
export function startClocks(submittedAt: Date, requestType: string, policy: SlaPolicy): Required<SlaClocks> {
  return {
    firstContact: startClock(submittedAt, targetOf(policy, 'firstContact', requestType), policy),
    decision: startClock(submittedAt, targetOf(policy, 'decision', requestType), policy),
  };
}

const EXTENDED = {
  nl: (n: number) => `; verlengd met ${n} ${n === 1 ? 'werkdag' : 'werkdagen'} (gepauzeerd)`,
  en: (n: number) => `; extended by ${n} ${n === 1 ? 'working day' : 'working days'} (paused)`,
};

/**
 * How a clock's due moment was computed, in words: "3 werkdagen; overgeslagen: 26 april (Koningsdag)",
 * and "; verlengd met 2 werkdagen (gepauzeerd)" when resumes moved it. Rendered from the clock and the
 * calendar it is counted on (the municipality's), for every text that shows it.
 */
export function explainClock(clock: SlaClock, calendar: CalendarConfig, lang: 'nl' | 'en'): string {
  const counted = explain(addWorkingDays(new Date(clock.startedAt), clock.workingDays, calendar), lang);
  const extended = clock.extendedWorkingDays ?? 0;
  return extended > 0 ? `${counted}${EXTENDED[lang](extended)}` : counted;
}

/** The moment of a step of a clock's ladder: the breach's is the due moment, the others' as stored. */
const momentOf = (clock: SlaClock, step: Step): string => (step === 'breach' ? clock.due : clock.steps[step]);

/**
 * When a step of a clock's ladder is sent: at its moment, or, when that falls outside the working hours
 * of `calendar` (at night, on a weekend or holiday: a clock stored with a night due moment, a reminder held
 * to a start at 22:52), at the next working-hours moment (08:00 the next working day). Whether a promise
 * is broken stays a matter of the due moment itself; only the sending waits.
 */
export const stepAt = (clock: SlaClock, step: Step, calendar: CalendarConfig): string => {
  const moment = momentOf(clock, step);
  const sent = nextWorkingMoment(new Date(moment), calendar);
  return sent.getTime() === Date.parse(moment) ? moment : sent.toISOString();
};

const running = (clock: SlaClock | undefined): clock is SlaClock =>
  clock !== undefined && clock.stoppedAt === undefined && clock.pausedAt === undefined;

/** The message id recorded for a step's e-mail that was not sent because a later step made it moot. */
export const SUPERSEDED = 'superseded';
/** The message id recorded for an e-mail not sent because its address is on the suppression list. */
export const SUPPRESSED = 'suppressed';

/** Who hears of a step of the ladder. */
export const STEP_RECIPIENTS = ['contact', 'coordinator', 'enterprise', 'wethouder'] as const;

/**
 * The notification kind of one e-mail of a step (one of the kinds of `notification-kind.ts`). The step's
 * own addressee is the contact (reminder, breach) or the wethouder's office (escalation).
 */
export const stepKindSchema = z.strictObject({
  type: z.literal('step'),
  clock: z.enum(CLOCKS),
  step: z.enum(STEPS),
  to: z.enum(STEP_RECIPIENTS),
});
export type StepKind = z.infer<typeof stepKindSchema>;

/** The e-mails of a step, by notification kind; each is sent once per case. */
export function stepKinds(clock: ClockName, step: Step): StepKind[] {
  const to = (recipient: StepKind['to']): StepKind => ({ type: 'step', clock, step, to: recipient });
  switch (step) {
    case 'reminder':
      return [to('contact')];
    case 'breach':
      // A broken first-contact promise is also told to the enterprise, honestly, with a new date.
      return clock === 'firstContact'
        ? [to('contact'), to('coordinator'), to('enterprise')]
        : [to('contact'), to('coordinator')];
    case 'escalation':
      return [to('wethouder')];
  }
}

/** Has an e-mail of this kind gone out (or been recorded as superseded)? */
export type Sent = (kind: StepKind) => boolean;

/** Has every e-mail of the step gone out? */
export const stepFired = (clock: ClockName, step: Step, sent: Sent) => stepKinds(clock, step).every(sent);

export interface DueStep {
  readonly clock: ClockName;
  readonly step: Step;
}

/**
 * When the job sees a clock late (e.g. after downtime), a reminder "due tomorrow" after the breach is
 * noise: a reminder due together with a later step of its clock is superseded (recorded, not sent). The
 * breach and the escalation are always sent.
 */
export function supersededSteps(due: readonly DueStep[]): { send: DueStep[]; superseded: DueStep[] } {
  const isSuperseded = (s: DueStep) =>
    s.step === 'reminder' && due.some((t) => t.clock === s.clock && t.step !== 'reminder');
  return { send: due.filter((s) => !isSuperseded(s)), superseded: due.filter(isSuperseded) };
}

/**
 * Steps of running clocks that are due at `now` and have not fully fired; none outside the working hours of
 * `calendar`, so that nothing goes out at night even when the job runs then.
 */
export function dueSteps(clocks: SlaClocks, now: Date, sent: Sent, calendar: CalendarConfig): DueStep[] {
  if (!inWorkingHours(now, calendar)) return [];
  const due: DueStep[] = [];
  for (const name of CLOCKS) {
    const clock = clocks[name];
    if (!running(clock)) continue;
    for (const step of STEPS)
      if (Date.parse(stepAt(clock, step, calendar)) <= now.getTime() && !stepFired(name, step, sent))
        due.push({ clock: name, step });
  }
  return due;
}

/**
 * When the SLA job must look at the case next: when the earliest step not fired yet, of a running clock, is
 * sent (`stepAt`: within working hours).
 */
export function nextStepAt(clocks: SlaClocks, sent: Sent, calendar: CalendarConfig): string | undefined {
  let next: string | undefined;
  for (const name of CLOCKS) {
    const clock = clocks[name];
    if (!running(clock)) continue;
    for (const step of STEPS) {
      if (stepFired(name, step, sent)) continue;
      const when = stepAt(clock, step, calendar);
      if (next === undefined || Date.parse(when) < Date.parse(next)) next = when;
    }
  }
  return next === undefined ? undefined : new Date(next).toISOString();
}
