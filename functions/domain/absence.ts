import { amsterdamDay, type Candidate, isAvailable } from './case.js';

/**
 * Absences of officials: whole days in Europe/Amsterdam, both ends included, as `YYYY-MM-DD` (which sorts as
 * text). An absent official's deputy stands in for new cases while the deputy is present; when neither is,
 * routing picks the next best official or the coordinator (`chooseContact`).
 */
export interface Period {
  readonly from: string;
  readonly to: string;
}

const DAY_MS = 86_400_000;

/** The day `days` days after `day` (before it when negative). */
export const addDays = (day: string, days: number): string =>
  new Date(Date.parse(`${day}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);

/** Why a period given as `from` and an optional `to` (default: `from`) is no period; undefined when it is. */
export const periodProblem = (from: string, to: string | undefined): 'endsBeforeStart' | undefined =>
  to !== undefined && to < from ? 'endsBeforeStart' : undefined;

/**
 * Why an absence of this official cannot be recorded: their deputy (`deputy`, as found by id) is no
 * official, so nobody would stand in. Undefined when it can.
 */
export const absenceRefusal = (
  official: Candidate,
  deputy: Candidate | undefined,
): 'unknownDeputy' | undefined =>
  official.deputy !== undefined && deputy === undefined ? 'unknownDeputy' : undefined;

/** Whether one of the absences covers the whole period already. */
export const isCovered = (absences: readonly Period[], period: Period): boolean =>
  absences.some((a) => a.from <= period.from && period.to <= a.to);

/**
 * The absences with one more, sorted, overlapping or adjoining periods joined; undefined when an absence
 * covers the period already (nothing changes).
 */
export function withAbsence(absences: readonly Period[], added: Period): Period[] | undefined {
  if (isCovered(absences, added)) return undefined;
  const sorted = [...absences, added].sort(
    (a, b) => a.from.localeCompare(b.from) || a.to.localeCompare(b.to),
  );
  const merged: { from: string; to: string }[] = [];
  for (const absence of sorted) {
    const last = merged.at(-1);
    if (last !== undefined && absence.from <= addDays(last.to, 1)) {
      if (absence.to > last.to) last.to = absence.to;
    } else merged.push({ ...absence });
  }
  return merged;
}

/**
 * Present from `today` on: the absence covering today ends yesterday (or goes, when it began today); with
 * `all`, later absences go as well. Past absences stay: they are what happened. Undefined when there is no
 * such absence (nothing changes).
 */
export function presentFrom(absences: readonly Period[], today: string, all: boolean): Period[] | undefined {
  let changed = false;
  const kept = absences.flatMap((a) => {
    if (a.from <= today && today <= a.to) {
      changed = true;
      return a.from < today ? [{ from: a.from, to: addDays(today, -1) }] : [];
    }
    if (all && a.from > today) {
      changed = true;
      return [];
    }
    return [a];
  });
  return changed ? kept : undefined;
}

/** The days both periods cover; undefined when they do not meet. */
export function overlap(a: Period, b: Period): Period | undefined {
  // Days as text: the later start and the earlier end.
  const from = a.from.localeCompare(b.from) > 0 ? a.from : b.from;
  const to = a.to.localeCompare(b.to) < 0 ? a.to : b.to;
  return from <= to ? { from, to } : undefined;
}

/** The parts of a period in which the deputy is away too (then nobody stands in). */
export const deputyAwayDuring = (deputy: Candidate, period: Period): Period[] =>
  deputy.absences.flatMap((a) => overlap(a, period) ?? []);

/** Whether an official is there on the day of `now`, and if not, whether their deputy stands in. */
export type Presence =
  | { readonly kind: 'present' }
  | { readonly kind: 'noDeputy' }
  | { readonly kind: 'deputyStandsIn'; readonly deputy: string }
  | { readonly kind: 'deputyAbsentToo'; readonly deputy: string };

/** The presence of an official on the day of `now`; `deputyOf` finds a deputy by id (undefined: unknown). */
export function presenceOf(
  official: Candidate,
  deputyOf: (id: string) => Candidate | undefined,
  now: Date,
): Presence {
  if (isAvailable(official, now)) return { kind: 'present' };
  const deputy = official.deputy === undefined ? undefined : deputyOf(official.deputy);
  if (deputy === undefined) return { kind: 'noDeputy' };
  return isAvailable(deputy, now)
    ? { kind: 'deputyStandsIn', deputy: deputy.id }
    : { kind: 'deputyAbsentToo', deputy: deputy.id };
}

/** Whether the period is over before the day of `now`. */
export const isPast = (period: Period, now: Date): boolean => period.to < amsterdamDay(now);

/** The absences that end today or later, and how many are over. */
export function currentAbsences(absences: readonly Period[], now: Date): { current: Period[]; past: number } {
  const today = amsterdamDay(now);
  const current = absences.filter((a) => a.to >= today);
  return { current, past: absences.length - current.length };
}
