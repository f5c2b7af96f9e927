import * as z from 'zod';
import type { CalendarConfig } from '../../config/calendar.js';
import type { Municipality } from '../../config/schema.js';
import { SATISFACTION_LINK_TTL_MS } from './action-link.js';
import { amsterdamDay, type IsoDay, instantAt, workingDaysBetween } from './calendar.js';
import { type Case, closedAt, historyOf } from './case.js';
import { firstWorkingDayOfMonth } from './digest.js';
import type { Language } from './messages.js';
import { CLOCKS, type ClockName } from './sla.js';

/**
 * The monthly report: how reliable a partner the municipality was in a month, from the cases' own records
 * (their tags, clocks and history). Pure: the cases come in, the figures go out; the e-mail and the CSV
 * files are rendered from the figures (`mail/monthly-report.ts`, `reportCsv`).
 *
 * What counts in a month (Europe/Amsterdam):
 * - a request in the month it was submitted;
 * - a promise in the month it was settled: kept when it stopped by its due moment (then it counts at that
 *   stop), broken at its due moment otherwise; a paused promise is not settled;
 * - a first contact in the month it was made (its promise stopped); an escalation, a join and an answer in the month they happened;
 * - open cases as they stood at the end of the month.
 * A case counts for a department it touches (its tags); its promises count for its lead department, the one
 * accountable for it. Figures per department are shown only from `MINIMUM_COUNT` cases on.
 */

/** A month, `YYYY-MM`. */
export const monthSchema = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'a month: YYYY-MM');
export type Month = z.infer<typeof monthSchema>;

/** Below this many cases a department's rates (and a scope's satisfaction) are "too few cases". */
export const MINIMUM_COUNT = 5;

/** What the report reads of a case: a case whose personal data were removed has all of it. */
export type ReportCase = Pick<
  Case,
  'reference' | 'submittedAt' | 'status' | 'tags' | 'clocks' | 'history' | 'notifications'
> & { readonly request: Pick<Case['request'], 'goals' | 'requestType'> };

/**
 * How long before a month a case closed may still count in it: its rating comes after it closed, through a
 * link that works `SATISFACTION_LINK_TTL_MS` from its e-mail (twice that: the e-mail may go out late).
 */
export const REPORT_LOOKS_BACK_MS = 2 * SATISFACTION_LINK_TTL_MS;

/** Whose report: a wethouder's portfolio (their departments), or the whole municipality. */
export interface ReportScope {
  /**
   * `municipality` (the coordinator's), `college`, or `portfolio-<id>` after the portfolio's first department
   * (no address: it is logged).
   */
  readonly id: string;
  readonly kind: 'wethouder' | 'municipality';
  /** The wethouder's name; the municipality's name. */
  readonly name: string;
  /** Where it goes: the wethouder's office, the coordinator, or the college. */
  readonly to: string;
  /** Its language: the coordinator's for theirs, Dutch for a wethouder's and the college's. */
  readonly language: Language;
  /** The departments it reports on, in the config's order. */
  readonly departments: readonly string[];
}

/**
 * One report per wethouder (their portfolio's departments), then the municipality's to the coordinator, and
 * the same to the college when the config names its address.
 */
export function reportScopes(m: Municipality): ReportScope[] {
  // A wethouder is known by their office's address (in any case): their departments are their portfolio.
  const offices = new Map<string, { id: string; name: string; to: string; departments: string[] }>();
  for (const d of m.departments) {
    const address = d.wethouder.office.toLowerCase();
    const office = offices.get(address) ?? {
      id: `portfolio-${d.id}`,
      name: d.wethouder.name,
      to: d.wethouder.office,
      departments: [],
    };
    office.departments.push(d.id);
    offices.set(address, office);
  }
  const whole = { kind: 'municipality' as const, name: m.name, departments: m.departments.map((d) => d.id) };
  return [
    ...[...offices.values()].map((office) => ({
      kind: 'wethouder' as const,
      language: 'nl' as const,
      ...office,
    })),
    { ...whole, id: 'municipality', to: m.coordinator.email, language: m.coordinator.language },
    ...(m.college === undefined
      ? []
      : [{ ...whole, id: 'college', to: m.college.email, language: 'nl' as const }]),
  ];
}

/** A count of something, by its id (a goal, request type or department of the config). */
export interface Tally {
  readonly id: string;
  readonly count: number;
}

/** A share: how many of how many, and the percentage (rounded to a whole). */
export interface Share {
  readonly count: number;
  readonly of: number;
  readonly percent: number;
}

/** A figure shown from `MINIMUM_COUNT` cases on; below it, only that there were too few. */
export type Guarded<T> = { readonly shown: true; readonly value: T } | { readonly shown: false };

/** The `department` of the promise figures of a whole scope. */
export const OVERALL = 'all';

export interface PromiseFigures {
  /** A department's id, or `OVERALL`. */
  readonly department: string;
  /** The promises settled in the month. */
  readonly settled: Record<ClockName, number>;
  /** Of those, kept: shown from `MINIMUM_COUNT` settled on. */
  readonly kept: Record<ClockName, Guarded<Share>>;
  /** The first contacts made in the month, and their median in working days after submission. */
  readonly firstContacts: number;
  readonly medianDaysToFirstContact: Guarded<number>;
}

export interface Escalation {
  readonly reference: string;
  readonly department: string;
  readonly clock: ClockName;
  readonly to: 'coordinator' | 'wethouder';
  readonly at: string;
}

/** The age bands of the open cases, in working days since submission. */
export const AGE_BANDS = [
  { id: '0-3', upTo: 3 },
  { id: '4-10', upTo: 10 },
  { id: '11-20', upTo: 20 },
  { id: '21+', upTo: Number.POSITIVE_INFINITY },
] as const;
export type AgeBand = (typeof AGE_BANDS)[number]['id'];

export const SCORES = [1, 2, 3, 4, 5] as const;

export interface Satisfaction {
  /** The answers given in the month. */
  readonly answers: number;
  /** Shown from `MINIMUM_COUNT` answers on: the mean score (one decimal) and how many gave each score. */
  readonly scores: Guarded<{ readonly mean: number; readonly counts: readonly number[] }>;
  /** The comments, with their case (gone with the case's personal data). */
  readonly comments: readonly { readonly reference: string; readonly score: number; readonly text: string }[];
}

export interface MonthlyReport {
  readonly month: Month;
  readonly scope: ReportScope;
  readonly received: {
    readonly total: number;
    readonly byGoal: readonly Tally[];
    readonly byRequestType: readonly Tally[];
    readonly byDepartment: readonly Tally[];
  };
  /** Policy coherence: the requests touching two or more departments, and the departments that joined in. */
  readonly coherence: { readonly multiDepartment: Share; readonly joined: readonly Tally[] };
  /** The promises of the departments that had any settled, and of the whole scope (`OVERALL`). */
  readonly promises: { readonly byDepartment: readonly PromiseFigures[]; readonly overall: PromiseFigures };
  readonly escalations: readonly Escalation[];
  /** The cases open at the end of the month, by age. */
  readonly openByAge: readonly { readonly band: AgeBand; readonly count: number }[];
  readonly satisfaction: Satisfaction;
}

/** The month after `month`. */
const monthAfter = (month: Month): Month => {
  const [year, mm] = month.split('-').map(Number) as [number, number];
  return mm === 12 ? `${year + 1}-01` : `${year}-${String(mm + 1).padStart(2, '0')}`;
};

/** The first moment of a month and of the month after it (Europe/Amsterdam). */
export function monthBounds(month: Month): { readonly start: Date; readonly end: Date } {
  return { start: instantAt(`${month}-01`, '00:00'), end: instantAt(`${monthAfter(month)}-01`, '00:00') };
}

/**
 * The day the digest job sends the reports on `month`: the first working day of the month after (the
 * departments' digest time on it is `reportMoment`); undefined in a month without a working day.
 */
export const reportDayOf = (month: Month, calendar: CalendarConfig): IsoDay | undefined =>
  firstWorkingDayOfMonth(`${monthAfter(month)}-01`, calendar);

/** The month before the one `moment` is in (Europe/Amsterdam): the month a report at `moment` is about. */
export function monthBefore(moment: Date): Month {
  const [year, mm] = amsterdamDay(moment).split('-').map(Number) as [number, number];
  return mm === 1 ? `${year - 1}-12` : `${year}-${String(mm - 1).padStart(2, '0')}`;
}

const inMonth = (at: string | undefined, month: Month): at is string =>
  at !== undefined && amsterdamDay(new Date(at)).startsWith(`${month}-`);

const share = (count: number, of: number): Share => ({
  count,
  of,
  percent: of === 0 ? 0 : Math.round((count / of) * 100),
});

const guarded = <T>(enough: boolean, value: () => T): Guarded<T> =>
  enough ? { shown: true, value: value() } : { shown: false };

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[middle] ?? 0)
    : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}

/** Counts of `ids`, in the order of `order` (the config's), leaving out what did not occur. */
function tally(ids: readonly string[], order: readonly string[]): Tally[] {
  const counts = new Map<string, number>();
  for (const id of ids) counts.set(id, (counts.get(id) ?? 0) + 1);
  const known = order.filter((id) => counts.has(id));
  const others = [...counts.keys()].filter((id) => !order.includes(id)).sort();
  return [...known, ...others].map((id) => ({ id, count: counts.get(id) ?? 0 }));
}

const leadOf = (c: ReportCase): string | undefined => (c.tags.find((t) => t.lead) ?? c.tags[0])?.department;

/** How a promise settled, and when; undefined while it runs or is paused. */
function settlement(
  c: ReportCase,
  name: ClockName,
  now: Date,
): { readonly at: string; readonly kept: boolean } | undefined {
  const clock = c.clocks[name];
  if (clock === undefined) return undefined;
  if (clock.stoppedAt !== undefined && Date.parse(clock.stoppedAt) <= Date.parse(clock.due))
    return { at: clock.stoppedAt, kept: true };
  if (clock.pausedAt !== undefined && clock.stoppedAt === undefined) return undefined;
  return Date.parse(clock.due) <= now.getTime() ? { at: clock.due, kept: false } : undefined;
}

/**
 * The report of `month` for `scope`, from the cases (any cases: those outside the scope or the month are
 * left out here), at `now` (after the month: what is settled by then).
 */
export function monthlyReport(input: {
  readonly cases: readonly ReportCase[];
  readonly scope: ReportScope;
  readonly month: Month;
  readonly m: Municipality;
  readonly now: Date;
}): MonthlyReport {
  const { scope, month, m, now } = input;
  const calendar = m.sla.calendar;
  const { end } = monthBounds(month);
  const inScope = new Set(scope.departments);
  const cases = input.cases.filter((c) => c.tags.some((t) => inScope.has(t.department)));
  const received = cases.filter((c) => inMonth(c.submittedAt, month));
  const led = cases.filter((c) => {
    const lead = leadOf(c);
    return lead !== undefined && inScope.has(lead);
  });

  const promises = scope.departments.flatMap((department) => {
    const figures = promiseFigures(
      department,
      led.filter((c) => leadOf(c) === department),
      { month, now, calendar },
    );
    return figures.firstContacts === 0 && CLOCKS.every((name) => figures.settled[name] === 0)
      ? []
      : [figures];
  });

  const escalations = led
    .flatMap((c) =>
      historyOf(c).flatMap((h) =>
        h.type === 'escalated' && inMonth(h.at, month)
          ? [{ reference: c.reference, department: leadOf(c) ?? '', clock: h.clock, to: h.to, at: h.at }]
          : [],
      ),
    )
    .sort((a, b) => a.at.localeCompare(b.at) || a.reference.localeCompare(b.reference));

  const open = cases.filter((c) => {
    if (Date.parse(c.submittedAt) >= end.getTime()) return false;
    const closed = closedAt(c);
    return closed === undefined || Date.parse(closed) >= end.getTime();
  });
  const lastMoment = new Date(end.getTime() - 1);
  const ages = open.map((c) => workingDaysBetween(new Date(c.submittedAt), lastMoment, calendar));

  const ratings = led.flatMap((c) =>
    c.history.flatMap((h) =>
      h.type === 'rated' && inMonth(h.at, month) ? [{ reference: c.reference, ...h }] : [],
    ),
  );

  return {
    month,
    scope,
    received: {
      total: received.length,
      byGoal: tally(
        received.flatMap((c) => [...new Set(c.request.goals)]),
        m.goals.map((g) => g.id),
      ),
      byRequestType: tally(
        received.map((c) => c.request.requestType),
        m.requestTypes.map((r) => r.id),
      ),
      byDepartment: tally(
        received.flatMap((c) => c.tags.map((t) => t.department).filter((d) => inScope.has(d))),
        scope.departments,
      ),
    },
    coherence: {
      multiDepartment: share(received.filter((c) => c.tags.length >= 2).length, received.length),
      joined: tally(
        cases.flatMap((c) =>
          c.history.flatMap((h) =>
            h.type === 'joined' && inMonth(h.at, month) && inScope.has(h.department) ? [h.department] : [],
          ),
        ),
        scope.departments,
      ),
    },
    promises: { byDepartment: promises, overall: promiseFigures(OVERALL, led, { month, now, calendar }) },
    escalations,
    openByAge: AGE_BANDS.map((band, i) => ({
      band: band.id,
      count: ages.filter((age) => age <= band.upTo && age > (AGE_BANDS[i - 1]?.upTo ?? -1)).length,
    })),
    satisfaction: {
      answers: ratings.length,
      scores: guarded(ratings.length >= MINIMUM_COUNT, () => ({
        mean: Math.round((ratings.reduce((sum, r) => sum + r.score, 0) / ratings.length) * 10) / 10,
        counts: SCORES.map((score) => ratings.filter((r) => r.score === score).length),
      })),
      comments: ratings.flatMap((r) =>
        r.comment === undefined || r.comment === ''
          ? []
          : [{ reference: r.reference, score: r.score, text: r.comment }],
      ),
    },
  };
}

/** The promises of these cases settled in the month, and their first contacts made in it. */
function promiseFigures(
  department: string,
  cases: readonly ReportCase[],
  at: { readonly month: Month; readonly now: Date; readonly calendar: Municipality['sla']['calendar'] },
): PromiseFigures {
  const settledOf = (name: ClockName) =>
    cases.flatMap((c) => {
      const s = settlement(c, name, at.now);
      return s !== undefined && inMonth(s.at, at.month) ? [s] : [];
    });
  const firstContact = settledOf('firstContact');
  const decision = settledOf('decision');
  const days = daysToFirstContact(cases, at.month, at.calendar);
  return {
    department,
    settled: { firstContact: firstContact.length, decision: decision.length },
    kept: { firstContact: keptShare(firstContact), decision: keptShare(decision) },
    firstContacts: days.length,
    medianDaysToFirstContact: guarded(days.length >= MINIMUM_COUNT, () => median(days)),
  };
}

const keptShare = (settled: readonly { kept: boolean }[]): Guarded<Share> =>
  guarded(settled.length >= MINIMUM_COUNT, () => share(settled.filter((s) => s.kept).length, settled.length));

/**
 * The working days from submission to first contact, of the first contacts made in the month: when the
 * first-contact promise stopped (the contact confirmed it, or resolved the case).
 */
function daysToFirstContact(
  cases: readonly ReportCase[],
  month: Month,
  calendar: Municipality['sla']['calendar'],
): number[] {
  return cases.flatMap((c) => {
    const contacted = c.clocks.firstContact?.stoppedAt;
    return inMonth(contacted, month)
      ? [workingDaysBetween(new Date(c.submittedAt), new Date(contacted), calendar)]
      : [];
  });
}
