import type { CalendarConfig } from '../../config/calendar.js';
import type { DigestsConfig } from '../../config/digests.js';
import type { Department, Municipality } from '../../config/schema.js';
import { addDays } from './absence.js';
import {
  amsterdamInstant,
  amsterdamWallClock,
  type IsoDay,
  isWorkingDay,
  workingDaysBetween,
} from './calendar.js';
import { type Candidate, type Case, isAvailable } from './case.js';
import { parseNotificationKey } from './notification-kind.js';
import { CLOCKS, SUPERSEDED, SUPPRESSED } from './sla.js';

/**
 * The digests: overviews sent once per period instead of an e-mail per event. A department (informed
 * `daily`) gets one e-mail per working day listing the cases routed since its last digest that touch it; an
 * official gets one per week (or day) listing their open cases. Each digest is one e-mail per addressee and
 * period, claimed and recorded like the e-mails of a case (`DigestLedger`).
 */

/** Whose digest: a department's mailbox, an official, the coordinator, or a monthly report's addressee. */
export type DigestAudience = 'department' | 'official' | 'coordinator' | 'report';

/** One digest: its addressee and its period (the working day it is due on, `YYYY-MM-DD`). */
export interface DigestKey {
  readonly audience: DigestAudience;
  /** The department's or the official's id; a report's scope (`ReportScope.id`). */
  readonly id: string;
  readonly period: IsoDay;
}

/** The message id recorded for a digest that was not sent because there was nothing to tell. */
export const NOTHING_TO_TELL = 'nothing';

export { IN_DIGEST } from './notification-kind.js';

/** A digest's moment: the working day it is due on, and the instant. */
export interface DigestMoment {
  readonly period: IsoDay;
  readonly at: Date;
}

/** `HH:MM` as the instant on that Amsterdam day. */
const momentOn = (day: IsoDay, time: string): Date => {
  const [hour, minute] = time.split(':').map(Number);
  return amsterdamInstant({ date: day, hour: hour ?? 0, minute: minute ?? 0, second: 0, millisecond: 0 });
};

/** How far back a digest is looked for: past any run of non-working days a calendar holds. */
const LOOK_BACK_DAYS = 60;

/**
 * The latest moment at or before `now` on a day that `isDigestDay` accepts, at `time`: today's once it has
 * passed, else the one before. Undefined when there was none in the last 60 days.
 */
function latestMoment(
  now: Date,
  time: string,
  isDigestDay: (day: IsoDay) => boolean,
): DigestMoment | undefined {
  const today = amsterdamWallClock(now).date;
  for (let back = 0; back <= LOOK_BACK_DAYS; back++) {
    const day = addDays(today, -back);
    if (!isDigestDay(day)) continue;
    const at = momentOn(day, time);
    if (at.getTime() <= now.getTime()) return { period: day, at };
  }
  return undefined;
}

/** Monday of the ISO week (Monday to Sunday) that holds `day`. */
function mondayOf(day: IsoDay): IsoDay {
  const weekday = new Date(`${day}T12:00:00Z`).getUTCDay();
  return addDays(day, -((weekday + 6) % 7));
}

/** The first working day of `day`'s week (Monday to Sunday); undefined in a week without one. */
export function firstWorkingDayOfWeek(day: IsoDay, calendar: CalendarConfig): IsoDay | undefined {
  const monday = mondayOf(day);
  for (let i = 0; i < 7; i++) if (isWorkingDay(addDays(monday, i), calendar)) return addDays(monday, i);
  return undefined;
}

/** The first working day of `day`'s month; undefined in a month without one. */
export function firstWorkingDayOfMonth(day: IsoDay, calendar: CalendarConfig): IsoDay | undefined {
  const first = `${day.slice(0, 7)}-01`;
  for (let i = 0; i < 31; i++) {
    const candidate = addDays(first, i);
    if (candidate.slice(0, 7) !== first.slice(0, 7)) return undefined;
    if (isWorkingDay(candidate, calendar)) return candidate;
  }
  return undefined;
}

/**
 * The monthly reports' moment at `now`: the first working day of the month, at the departments' digest time
 * (`digests.departments.at`), until that day ends; the reports are about the month before it. A report not
 * sent that day is not sent by the schedule later (`npm run report` sends it).
 */
export function reportMoment(
  now: Date,
  digests: DigestsConfig,
  calendar: CalendarConfig,
): DigestMoment | undefined {
  const moment = latestMoment(
    now,
    digests.departments.at,
    (day) => firstWorkingDayOfMonth(day, calendar) === day,
  );
  return moment?.period === amsterdamWallClock(now).date ? moment : undefined;
}

/** The departments' digest due at `now`: the last working day's at `digests.departments.at`. */
export const departmentDigestMoment = (
  now: Date,
  digests: DigestsConfig,
  calendar: CalendarConfig,
): DigestMoment | undefined =>
  latestMoment(now, digests.departments.at, (day) => isWorkingDay(day, calendar));

/**
 * The officials' digest due at `now`: on the first working day of the week (`every: week`; on a Tuesday
 * after Easter Monday) or on every working day (`every: day`), at `digests.officials.at`.
 */
export const officialDigestMoment = (
  now: Date,
  digests: DigestsConfig,
  calendar: CalendarConfig,
): DigestMoment | undefined =>
  latestMoment(now, digests.officials.at, (day) => isOfficialDigestDay(day, digests, calendar));

const isOfficialDigestDay = (day: IsoDay, digests: DigestsConfig, calendar: CalendarConfig): boolean =>
  digests.officials.every === 'day'
    ? isWorkingDay(day, calendar)
    : firstWorkingDayOfWeek(day, calendar) === day;

/**
 * The moment of the officials' digest after the one of `period`: the end of that digest's period, when its
 * link to "Mijn zaken" stops working (the next digest brings a new one). A week on when none is in sight.
 */
export function nextOfficialDigestMoment(
  period: IsoDay,
  digests: DigestsConfig,
  calendar: CalendarConfig,
): Date {
  for (let ahead = 1; ahead <= LOOK_BACK_DAYS; ahead++) {
    const day = addDays(period, ahead);
    if (isOfficialDigestDay(day, digests, calendar)) return momentOn(day, digests.officials.at);
  }
  return momentOn(addDays(period, 7), digests.officials.at);
}

/**
 * One daily digest's addressee: a mailbox and the departments (informed `daily`) that share it, in the
 * config's order. Its digest is recorded under the first department's id.
 */
export interface DigestMailbox {
  readonly id: string;
  readonly mailbox: string;
  readonly departments: readonly [Department, ...Department[]];
}

/** The mailboxes of the daily departments: departments sharing a mailbox (in any case) share one digest. */
export function dailyMailboxes(m: Municipality): DigestMailbox[] {
  const boxes = new Map<string, [Department, ...Department[]]>();
  for (const d of m.departments) {
    if (d.inform !== 'daily') continue;
    const address = d.mailbox.trim().toLowerCase();
    const box = boxes.get(address);
    if (box === undefined) boxes.set(address, [d]);
    else box.push(d);
  }
  return [...boxes.values()].map((departments) => ({
    id: departments[0].id,
    mailbox: departments[0].mailbox,
    departments,
  }));
}

/** Is this department informed of each case by its own e-mail (not in the daily digest)? */
export const informedAtOnce = (m: Municipality, department: string): boolean =>
  m.departments.find((d) => d.id === department)?.inform === 'immediate';

/** The earliest due moment among a case's running clocks (neither stopped nor paused); undefined when none runs. */
export function nextDue(c: Case): string | undefined {
  const running = CLOCKS.flatMap((name) => {
    const clock = c.clocks[name];
    return clock === undefined || clock.stoppedAt !== undefined || clock.pausedAt !== undefined
      ? []
      : [clock.due];
  });
  return running.sort()[0];
}

/**
 * Cases in the order an official's digest lists them: by the next due moment of a running clock, earliest
 * first (so a broken promise before one still to come; promises due at the same end of a working day in the
 * order their cases came in), then the cases whose clocks all stand still (paused, or stopped), oldest first.
 */
export function inDueOrder(cases: readonly Case[]): Case[] {
  const key = (c: Case) => `${nextDue(c) ?? '~'} ${c.submittedAt}`;
  return [...cases].sort((a, b) => {
    const [ka, kb] = [key(a), key(b)];
    return ka < kb ? -1 : ka > kb ? 1 : a.reference < b.reference ? -1 : 1;
  });
}

/** Working days from `now` to `due`: positive while it is ahead, 0 on the day, negative once it has passed. */
export function workingDaysLeft(now: Date, due: Date, calendar: CalendarConfig): number {
  return due.getTime() >= now.getTime()
    ? workingDaysBetween(now, due, calendar)
    : -workingDaysBetween(due, now, calendar);
}

/**
 * Whose open cases an official's digest lists at `now`: their own (when they are available: an absent or
 * unreachable official gets none), and those of each colleague who names them as deputy and is not available.
 * Undefined for an official who gets no digest now.
 */
export function standsInFor(
  official: Candidate,
  officials: readonly Candidate[],
  now: Date,
): Candidate[] | undefined {
  if (!isAvailable(official, now)) return undefined;
  return officials.filter((o) => o.id !== official.id && o.deputy === official.id && !isAvailable(o, now));
}

/** What the coordinator's daily digest holds: what needs a person's attention. */
export interface CoordinatorAgenda {
  /** Open cases in the coordinator inbox: nobody was available for their departments. */
  readonly inbox: readonly Case[];
  /** Open cases with a promise past its due moment (its clock still running), not escalated yet. */
  readonly breached: readonly Case[];
  /** Open cases escalated to a wethouder's office. */
  readonly escalated: readonly Case[];
  /** Officials marked unreachable (an e-mail to them bounced for good): no case goes to them. */
  readonly unreachable: readonly Candidate[];
}

/** Has the case's escalation to a wethouder's office gone out? */
const escalatedCase = (c: Case): boolean =>
  Object.entries(c.notifications).some(([key, record]) => {
    const kind = parseNotificationKey(key);
    return (
      kind?.type === 'step' &&
      kind.step === 'escalation' &&
      record.messageId !== SUPERSEDED &&
      record.messageId !== SUPPRESSED
    );
  });

/** The coordinator's agenda at `now`, from the open cases (assigned, of anyone) and the officials. */
export function coordinatorAgenda(
  open: readonly Case[],
  officials: readonly Candidate[],
  now: Date,
): CoordinatorAgenda {
  const broken = (c: Case) => {
    const due = nextDue(c);
    return due !== undefined && Date.parse(due) < now.getTime();
  };
  return {
    inbox: inDueOrder(open.filter((c) => c.contact?.kind === 'coordinator')),
    breached: inDueOrder(open.filter((c) => broken(c) && !escalatedCase(c))),
    escalated: inDueOrder(open.filter(escalatedCase)),
    unreachable: officials.filter((o) => o.unreachable !== undefined),
  };
}

/** Is there anything on it? */
export const hasAgenda = (a: CoordinatorAgenda): boolean =>
  a.inbox.length + a.breached.length + a.escalated.length + a.unreachable.length > 0;
