import * as z from 'zod';
import type { CalendarConfig } from '../../config/calendar.js';
import type { SlaPolicy } from '../../config/sla.js';
import type { CaseEvent } from '../../events/case-history.js';
import { addWorkingDays, amsterdamInstant, amsterdamWallClock, explain, isWorkingDay } from './calendar.js';

/**
 * The SLA clocks of a case: when each promise of the policy (config/sla.ts) is due, and when each step of
 * its ladder (reminder, breach, escalation) fires.
 */
export type { SlaPolicy };

export const CLOCKS = ['firstContact', 'decision'] as const;
export type ClockName = (typeof CLOCKS)[number];
export const STEPS = ['reminder', 'breach', 'escalation'] as const;
export type Step = (typeof STEPS)[number];

const at = z.iso.datetime({ offset: true });

/** One running promise: when it is due, why that date, and when each step of the ladder fires. */
export const slaClockSchema = z.strictObject({
  startedAt: at,
  workingDays: z.number().int(),
  due: at,
  /** How the due moment was computed, e.g. "3 werkdagen; overgeslagen: 26 april (Koningsdag)". */
  explanation: z.strictObject({ nl: z.string(), en: z.string() }),
  steps: z.strictObject({ reminder: at, breach: at, escalation: at }),
  /** Set when the clock stopped (contact made, decision taken, case closed). */
  stoppedAt: at.optional(),
  /** Set while the clock is paused (waiting for the enterprise). */
  pausedAt: at.optional(),
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

/** A clock that starts at `start` and runs `workingDays`. */
export function startClock(start: Date, workingDays: number, policy: SlaPolicy): SlaClock {
  const result = addWorkingDays(start, workingDays, policy.calendar);
  const due = result.due;
  const escalation = addWorkingDays(due, policy.escalateAfterWorkingDays, policy.calendar).due;
  return {
    startedAt: start.toISOString(),
    workingDays,
    due: due.toISOString(),
    explanation: { nl: explain(result, 'nl'), en: explain(result, 'en') },
    steps: {
      reminder: new Date(
        Math.max(
          start.getTime(),
          workingDaysBefore(due, policy.remindWorkingDaysBefore, policy.calendar).getTime(),
        ),
      ).toISOString(),
      breach: due.toISOString(),
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

const running = (clock: SlaClock | undefined): clock is SlaClock =>
  clock !== undefined && clock.stoppedAt === undefined && clock.pausedAt === undefined;

/** The message id recorded for a step's e-mail that was not sent because a later step made it moot. */
export const SUPERSEDED = 'superseded';

/** The e-mails of a step, by notification kind; each is sent once per case. */
export function stepKinds(clock: ClockName, step: Step): string[] {
  const kind = `${clock}:${step}`;
  if (step !== 'breach') return [kind];
  // A broken first-contact promise is also told to the enterprise, honestly, with a new date.
  return clock === 'firstContact'
    ? [kind, `${kind}:coordinator`, `${kind}:enterprise`]
    : [kind, `${kind}:coordinator`];
}

/** Has every e-mail of the step gone out? */
export const stepFired = (clock: ClockName, step: Step, sent: (kind: string) => boolean) =>
  stepKinds(clock, step).every(sent);

/** Steps of running clocks that are due at `now` and have not fully fired. */
export function dueSteps(
  clocks: SlaClocks,
  now: Date,
  sent: (kind: string) => boolean,
): { clock: ClockName; step: Step }[] {
  const due: { clock: ClockName; step: Step }[] = [];
  for (const name of CLOCKS) {
    const clock = clocks[name];
    if (!running(clock)) continue;
    for (const step of STEPS)
      if (Date.parse(clock.steps[step]) <= now.getTime() && !stepFired(name, step, sent))
        due.push({ clock: name, step });
  }
  return due;
}

/** When the SLA job must look at the case next: the earliest step not fired yet, of a running clock. */
export function nextStepAt(clocks: SlaClocks, sent: (kind: string) => boolean): string | undefined {
  let next: number | undefined;
  for (const name of CLOCKS) {
    const clock = clocks[name];
    if (!running(clock)) continue;
    for (const step of STEPS) {
      const when = Date.parse(clock.steps[step]);
      if (!stepFired(name, step, sent) && (next === undefined || when < next)) next = when;
    }
  }
  return next === undefined ? undefined : new Date(next).toISOString();
}

/**
 * The history event of an e-mail that went out, by its kind: a reminder or breach to the contact is
 * `reminded`; the breach to the coordinator and the escalation to the wethouder's office are `escalated`;
 * every other e-mail (the assignment, the departments, the enterprise) is `notified`.
 */
export function notificationEvent(kind: string, at: string): CaseEvent {
  const [clock, step, who] = kind.split(':');
  if (clock === 'firstContact' || clock === 'decision') {
    if (step === 'reminder' && who === undefined)
      return { type: 'reminded', version: 1, at, clock, step, notification: kind };
    if (step === 'breach' && who === undefined)
      return { type: 'reminded', version: 1, at, clock, step, notification: kind };
    if (step === 'breach' && who === 'coordinator')
      return { type: 'escalated', version: 1, at, clock, to: 'coordinator', notification: kind };
    if (step === 'escalation' && who === undefined)
      return { type: 'escalated', version: 1, at, clock, to: 'wethouder', notification: kind };
  }
  return { type: 'notified', version: 1, at, notification: kind };
}
