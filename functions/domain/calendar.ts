import { type CalendarConfig, minutesOfDay, type TimeOfDay } from '../../config/calendar.js';
import type { LocalizedText } from '../../config/localized.js';

/**
 * The working-day calendar of a Dutch municipality, for SLA due dates ("first contact within N working
 * days"). Pure: every moment comes in as an argument, nothing reads the clock.
 *
 * Days are calendar days `YYYY-MM-DD` in Europe/Amsterdam (years 0001–9999). A day is not a working day
 * when it is a Dutch public holiday (as configured), a closure day of the municipality, or a Saturday or
 * Sunday. The holiday rules are today's rules (Koningsdag since 2014, Bevrijdingsdag as agreed in the
 * collective agreements), applied to any year; history (Koninginnedag) is not modelled. The working hours
 * (`workingHours`, e.g. 08:00–18:00) are the part of each working day in which officials' e-mails go out.
 */

export const TIME_ZONE = 'Europe/Amsterdam';

/** A calendar day, `YYYY-MM-DD`. */
export type IsoDay = string;

/** A Dutch and English name (a holiday's, a closure's). */
export type LocalizedName = LocalizedText;
export type { CalendarConfig, TimeOfDay };

/** A public holiday or closure day: the date and its Dutch and English name. */
export interface NamedDay {
  readonly date: IsoDay;
  readonly name: LocalizedName;
}

/** Why a day is not a working day. */
export interface NonWorkingReason {
  readonly kind: 'weekend' | 'holiday' | 'closure';
  readonly name: LocalizedName;
}

/** A non-working day passed over while counting working days. */
export interface SkippedDay {
  readonly date: IsoDay;
  readonly reason: LocalizedName;
}

export interface WorkingDaysResult {
  readonly start: Date;
  /** The number of working days added. */
  readonly workingDays: number;
  readonly due: Date;
  /** Every non-working day after the start's day up to the due day, in order. */
  readonly skipped: readonly SkippedDay[];
}

/** A wall-clock moment in Amsterdam: the calendar day and the time of day. */
export interface WallClock {
  readonly date: IsoDay;
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
  readonly millisecond: number;
}

const WEEKEND: LocalizedName = { nl: 'weekend', en: 'weekend' };
const MS_PER_DAY = 86_400_000;

// ---------------------------------------------------------------------------------------------------
// Calendar days as day numbers (days since 1970-01-01), proleptic Gregorian, without Date's quirks
// (Date.UTC maps the years 0–99 to 1900–1999).

interface Ymd {
  readonly year: number;
  readonly month: number;
  readonly day: number;
}

const floorDiv = (a: number, b: number): number => Math.floor(a / b);
const mod = (a: number, b: number): number => ((a % b) + b) % b;

/** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant, `days_from_civil`). */
function dayNumber({ year, month, day }: Ymd): number {
  const y = month <= 2 ? year - 1 : year;
  const era = floorDiv(y, 400);
  const yoe = y - era * 400;
  const doy = floorDiv(153 * (month + (month > 2 ? -3 : 9)) + 2, 5) + day - 1;
  const doe = yoe * 365 + floorDiv(yoe, 4) - floorDiv(yoe, 100) + doy;
  return era * 146_097 + doe - 719_468;
}

/** The date of a day number (H. Hinnant, `civil_from_days`). */
function fromDayNumber(n: number): Ymd {
  const z0 = n + 719_468;
  const era = floorDiv(z0, 146_097);
  const doe = z0 - era * 146_097;
  const yoe = floorDiv(doe - floorDiv(doe, 1460) + floorDiv(doe, 36_524) - floorDiv(doe, 146_096), 365);
  const doy = doe - (365 * yoe + floorDiv(yoe, 4) - floorDiv(yoe, 100));
  const mp = floorDiv(5 * doy + 2, 153);
  const day = doy - floorDiv(153 * mp + 2, 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  return { year: yoe + era * 400 + (month <= 2 ? 1 : 0), month, day };
}

const pad = (value: number, width: number): string => String(value).padStart(width, '0');

const formatYmd = ({ year, month, day }: Ymd): IsoDay => `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}`;

const ISO_DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Parses `YYYY-MM-DD`; a malformed or nonexistent date (2025-02-29) or the year 0000 is a RangeError. */
function parseDay(date: IsoDay): Ymd {
  const match = ISO_DAY.exec(date);
  const ymd = match && { year: Number(match[1]), month: Number(match[2]), day: Number(match[3]) };
  if (!ymd || ymd.year < 1 || formatYmd(fromDayNumber(dayNumber(ymd))) !== date)
    throw new RangeError(`not a calendar day (YYYY-MM-DD): ${JSON.stringify(date)}`);
  return ymd;
}

const addDays = (date: IsoDay, days: number): IsoDay =>
  formatYmd(fromDayNumber(dayNumber(parseDay(date)) + days));

/** 0 = Sunday … 6 = Saturday. */
const weekday = (ymd: Ymd): number => mod(dayNumber(ymd) + 4, 7);

// ---------------------------------------------------------------------------------------------------
// Instants <-> Amsterdam wall clock.

const wallFormat = new Intl.DateTimeFormat('en-US', {
  timeZone: TIME_ZONE,
  hourCycle: 'h23',
  year: 'numeric',
  month: 'numeric',
  day: 'numeric',
  hour: 'numeric',
  minute: 'numeric',
  second: 'numeric',
});

const MIN_MS = dayNumber({ year: 1, month: 1, day: 2 }) * MS_PER_DAY;
const MAX_MS = dayNumber({ year: 9999, month: 12, day: 31 }) * MS_PER_DAY;

function checkInstant(instant: Date): number {
  const ms = instant.getTime();
  if (!(ms >= MIN_MS && ms < MAX_MS)) throw new RangeError(`instant out of range: ${String(instant)}`);
  return ms;
}

/** Amsterdam's offset from UTC at a whole second (ms), as Intl reads the time zone database. */
function offsetFromIntl(second: number): number {
  const fields: Partial<Record<Intl.DateTimeFormatPartTypes, string>> = {};
  for (const part of wallFormat.formatToParts(second)) fields[part.type] = part.value;
  const ymd = { year: Number(fields.year), month: Number(fields.month), day: Number(fields.day) };
  const wall = ((Number(fields.hour) * 60 + Number(fields.minute)) * 60 + Number(fields.second)) * 1000;
  return dayNumber(ymd) * MS_PER_DAY + wall - second;
}

const MS_PER_HOUR = 3_600_000;
const OFFSET_HOURS_KEPT = 4_096;

/**
 * The offset of each UTC hour asked for, where it is the same at the hour's first and last second (`null`
 * where the time zone data has it change within the hour: Node's data has no such change for Amsterdam, older
 * data had one in 1937): the offset changes at most twice a year, on a UTC hour, and Intl's formatToParts was
 * the slowest step of every due date. Kept for the last few thousand hours asked for.
 */
const offsetOfHour = new Map<number, number | null>();

function offsetAtSecond(second: number): number {
  const hour = floorDiv(second, MS_PER_HOUR);
  let offset = offsetOfHour.get(hour);
  if (offset === undefined) {
    const first = offsetFromIntl(hour * MS_PER_HOUR);
    offset = first === offsetFromIntl((hour + 1) * MS_PER_HOUR - 1000) ? first : null;
    if (offsetOfHour.size >= OFFSET_HOURS_KEPT) offsetOfHour.clear();
    offsetOfHour.set(hour, offset);
  }
  return offset ?? offsetFromIntl(second);
}

/** The wall clock at a whole second, and the ms since the epoch that wall clock reads as if it were UTC. */
function wallAtSecond(ms: number): { ymd: Ymd; hour: number; minute: number; second: number; asUtc: number } {
  const asUtc = ms + offsetAtSecond(ms);
  const days = floorDiv(asUtc, MS_PER_DAY);
  const seconds = (asUtc - days * MS_PER_DAY) / 1000;
  return {
    ymd: fromDayNumber(days),
    hour: Math.floor(seconds / 3600),
    minute: Math.floor(seconds / 60) % 60,
    second: seconds % 60,
    asUtc,
  };
}

/** Amsterdam's offset from UTC at an instant, in ms (3 600 000 in winter, 7 200 000 in summer). */
export function amsterdamOffset(instant: Date): number {
  const ms = checkInstant(instant);
  const second = ms - mod(ms, 1000);
  return wallAtSecond(second).asUtc - second;
}

/** The Amsterdam wall clock (day and time of day) at an instant. */
export function amsterdamWallClock(instant: Date): WallClock {
  const ms = checkInstant(instant);
  const millisecond = mod(ms, 1000);
  const { ymd, hour, minute, second } = wallAtSecond(ms - millisecond);
  return { date: formatYmd(ymd), hour, minute, second, millisecond };
}

/** The Amsterdam calendar day of an instant. */
export const amsterdamDay = (instant: Date): IsoDay => amsterdamWallClock(instant).date;

/**
 * The instant at which Amsterdam's clocks read `wall`. Across a daylight-saving change:
 * - a time that does not exist (the spring gap, 02:00–03:00 on the last Sunday of March) moves forward by
 *   the length of the gap: 02:30 becomes 03:30 summer time;
 * - a time that occurs twice (the autumn overlap, 02:00–03:00 on the last Sunday of October) is its first
 *   occurrence, still in summer time.
 * It relies on at most one offset change within a day either side, true for Amsterdam.
 */
export function amsterdamInstant(wall: WallClock): Date {
  const { hour, minute, second, millisecond } = wall;
  const inRange = (value: number, max: number) => Number.isInteger(value) && value >= 0 && value <= max;
  if (!(inRange(hour, 23) && inRange(minute, 59) && inRange(second, 59) && inRange(millisecond, 999)))
    throw new RangeError(`not a time of day: ${hour}:${minute}:${second}.${millisecond}`);
  const local =
    dayNumber(parseDay(wall.date)) * MS_PER_DAY + ((hour * 60 + minute) * 60 + second) * 1000 + millisecond;
  const offsetBefore = amsterdamOffset(new Date(local - MS_PER_DAY));
  const offsetAfter = amsterdamOffset(new Date(local + MS_PER_DAY));
  const reads = (ms: number) => ms + amsterdamOffset(new Date(ms)) === local;
  const candidates = [local - offsetBefore, local - offsetAfter].filter(reads);
  // No candidate: the time falls in a gap; with the offset from before the change it reads later.
  return new Date(candidates.length > 0 ? Math.min(...candidates) : local - offsetBefore);
}

// ---------------------------------------------------------------------------------------------------
// Holidays.

/** Easter Sunday of a year (anonymous Gregorian algorithm, Meeus/Jones/Butcher). */
export function easterSunday(year: number): IsoDay {
  checkYear(year);
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return formatYmd({ year, month, day });
}

function checkYear(year: number): void {
  if (!(Number.isInteger(year) && year >= 1 && year <= 9999))
    throw new RangeError(`year out of range 1–9999: ${year}`);
}

const name = (nl: string, en: string): LocalizedName => ({ nl, en });

/** The Dutch public holidays of a year that are days off under `config`, sorted by date. */
export function holidays(year: number, config: CalendarConfig): NamedDay[] {
  checkYear(year);
  const easter = easterSunday(year);
  const day = (month: number, d: number) => formatYmd({ year, month, day: d });
  const kingsDay = weekday({ year, month: 4, day: 27 }) === 0 ? day(4, 26) : day(4, 27);
  const liberation =
    config.liberationDay === 'every-year' || (config.liberationDay === 'lustrum' && year % 5 === 0);
  const list: NamedDay[] = [
    { date: day(1, 1), name: name('Nieuwjaarsdag', "New Year's Day") },
    ...(config.goodFriday ? [{ date: addDays(easter, -2), name: name('Goede Vrijdag', 'Good Friday') }] : []),
    { date: easter, name: name('Eerste Paasdag', 'Easter Sunday') },
    { date: addDays(easter, 1), name: name('Tweede Paasdag', 'Easter Monday') },
    { date: kingsDay, name: name('Koningsdag', "King's Day") },
    ...(liberation ? [{ date: day(5, 5), name: name('Bevrijdingsdag', 'Liberation Day') }] : []),
    { date: addDays(easter, 39), name: name('Hemelvaartsdag', 'Ascension Day') },
    { date: addDays(easter, 49), name: name('Eerste Pinksterdag', 'Whit Sunday') },
    { date: addDays(easter, 50), name: name('Tweede Pinksterdag', 'Whit Monday') },
    { date: day(12, 25), name: name('Eerste Kerstdag', 'Christmas Day') },
    { date: day(12, 26), name: name('Tweede Kerstdag', 'Boxing Day') },
  ];
  // Stable: two holidays on one date (Hemelvaartsdag on 5 May, as in 2016) keep the order above.
  return list.sort((x, y) => (x.date < y.date ? -1 : x.date > y.date ? 1 : 0));
}

/**
 * The rule of `config` as a function of a day, computing each year's holidays once. A day that is both a
 * holiday and a weekend day or closure is named by the holiday (the most telling name), then the closure.
 */
function reasonsOf(config: CalendarConfig): (date: IsoDay) => NonWorkingReason | undefined {
  const byYear = new Map<number, Map<IsoDay, LocalizedName>>();
  const closures = new Map(config.closures.map((c) => [c.date, c.name]));
  return (date) => {
    const ymd = parseDay(date);
    let yearHolidays = byYear.get(ymd.year);
    if (yearHolidays === undefined) {
      yearHolidays = new Map();
      for (const h of holidays(ymd.year, config))
        if (!yearHolidays.has(h.date)) yearHolidays.set(h.date, h.name);
      byYear.set(ymd.year, yearHolidays);
    }
    const holiday = yearHolidays.get(date);
    if (holiday !== undefined) return { kind: 'holiday', name: holiday };
    const closure = closures.get(date);
    if (closure !== undefined) return { kind: 'closure', name: closure };
    const dow = weekday(ymd);
    if (dow === 0 || dow === 6) return { kind: 'weekend', name: WEEKEND };
    return undefined;
  };
}

/** Why `date` is not a working day, or undefined when it is one. */
export const whyNotWorking = (date: IsoDay, config: CalendarConfig): NonWorkingReason | undefined =>
  reasonsOf(config)(date);

export const isWorkingDay = (date: IsoDay, config: CalendarConfig): boolean =>
  whyNotWorking(date, config) === undefined;

// ---------------------------------------------------------------------------------------------------
// Counting working days.

/**
 * The moment `n` working days after `start`: the same Amsterdam wall-clock time as `start` (or `at`, when
 * given: the time of day a promise falls due), on the n-th working day after the start's Amsterdam day. The
 * start's own day never counts, working day or not, so a start on a Saturday counts from the Monday:
 * Saturday 10:00 + 1 is Monday 10:00 (as is Friday 10:00 + 1), and Monday 22:52 + 3 at 17:00 is Thursday
 * 17:00. `n = 0` returns the start unchanged (due at once, even on a non-working day).
 *
 * The due time is a wall-clock time, so a daylight-saving change in between does not move it: Friday 09:00
 * + 1 is Monday 09:00 in Amsterdam. `skipped` lists every non-working day after the start's day up to
 * the due day, with its reason. Inverse: `workingDaysBetween(start, due) === n`.
 */
export function addWorkingDays(
  start: Date,
  n: number,
  config: CalendarConfig,
  at?: TimeOfDay,
): WorkingDaysResult {
  if (!(Number.isSafeInteger(n) && n >= 0)) throw new RangeError(`not a whole number of days ≥ 0: ${n}`);
  const wall = amsterdamWallClock(start);
  if (n === 0) return { start, workingDays: 0, due: new Date(start.getTime()), skipped: [] };
  const reasonOf = reasonsOf(config);
  const skipped: SkippedDay[] = [];
  let day = wall.date;
  for (let counted = 0; counted < n; ) {
    day = addDays(day, 1);
    const reason = reasonOf(day);
    if (reason === undefined) counted++;
    else skipped.push({ date: day, reason: reason.name });
  }
  const due = at === undefined ? amsterdamInstant({ ...wall, date: day }) : instantAt(day, at);
  return { start, workingDays: n, due, skipped };
}

/**
 * The working days strictly after `from`'s Amsterdam day, up to and including `to`'s Amsterdam day; the
 * time of day does not matter, and `to` on or before `from`'s day gives 0. Used to move a due date by the
 * working days a case was paused: `addWorkingDays(due, workingDaysBetween(pausedAt, resumedAt), config)`.
 */
export function workingDaysBetween(from: Date, to: Date, config: CalendarConfig): number {
  const last = dayNumber(parseDay(amsterdamDay(to)));
  const reasonOf = reasonsOf(config);
  let count = 0;
  for (let n = dayNumber(parseDay(amsterdamDay(from))) + 1; n <= last; n++)
    if (reasonOf(formatYmd(fromDayNumber(n))) === undefined) count++;
  return count;
}

// ---------------------------------------------------------------------------------------------------
// Working hours.

/** The instant at which Amsterdam's clocks read `time` (`HH:MM`) on `day`. */
export function instantAt(day: IsoDay, time: TimeOfDay): Date {
  const minutes = minutesOfDay(time);
  return amsterdamInstant({
    date: day,
    hour: Math.floor(minutes / 60),
    minute: minutes % 60,
    second: 0,
    millisecond: 0,
  });
}

/** The ms since midnight that an Amsterdam wall clock reads. */
const msOfDay = (wall: WallClock): number =>
  ((wall.hour * 60 + wall.minute) * 60 + wall.second) * 1000 + wall.millisecond;

/**
 * Is `moment` within the working hours of `config`: on a working day, at or after `workingHours.from` and
 * before `workingHours.until` (Amsterdam time)?
 */
export function inWorkingHours(moment: Date, config: CalendarConfig): boolean {
  const wall = amsterdamWallClock(moment);
  const time = msOfDay(wall);
  return (
    isWorkingDay(wall.date, config) &&
    time >= minutesOfDay(config.workingHours.from) * 60_000 &&
    time < minutesOfDay(config.workingHours.until) * 60_000
  );
}

/**
 * The first moment at or after `moment` within the working hours: `moment` itself when it is within them;
 * the start of the working hours on its own day when it is earlier on a working day (Tuesday 06:30 →
 * Tuesday 08:00); else the start of the working hours on the next working day (Monday 22:00 → Tuesday
 * 08:00, Friday 22:00 → Monday 08:00, past holidays and closures).
 */
export function nextWorkingMoment(moment: Date, config: CalendarConfig): Date {
  if (inWorkingHours(moment, config)) return new Date(moment.getTime());
  const wall = amsterdamWallClock(moment);
  const { from } = config.workingHours;
  const reasonOf = reasonsOf(config);
  if (reasonOf(wall.date) === undefined && msOfDay(wall) < minutesOfDay(from) * 60_000)
    return instantAt(wall.date, from);
  let day = addDays(wall.date, 1);
  while (reasonOf(day) !== undefined) day = addDays(day, 1);
  return instantAt(day, from);
}

// ---------------------------------------------------------------------------------------------------
// Explaining.

const dayMonth = {
  nl: new Intl.DateTimeFormat('nl-NL', { day: 'numeric', month: 'long', timeZone: TIME_ZONE }),
  en: new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'long', timeZone: TIME_ZONE }),
};

const WORDS = {
  nl: { one: 'werkdag', many: 'werkdagen', skipped: 'overgeslagen', weekends: 'weekenden tellen niet mee' },
  en: { one: 'working day', many: 'working days', skipped: 'skipped', weekends: 'weekends do not count' },
};

/**
 * A short sentence: "3 werkdagen; overgeslagen: 26 april (Koningsdag), 27 april (weekend)" or
 * "3 working days; skipped: 26 April (King's Day), 27 April (weekend)"; without skipped days only the count.
 */
export function explain(result: WorkingDaysResult, lang: 'nl' | 'en'): string {
  const words = WORDS[lang];
  const count = `${result.workingDays} ${result.workingDays === 1 ? words.one : words.many} (${words.weekends})`;
  // Weekends go without saying; holidays and closures are named.
  const named = result.skipped.filter((s) => s.reason.en !== 'weekend');
  if (named.length === 0) return count;
  const days = named.map((s) => {
    const noon = amsterdamInstant({ date: s.date, hour: 12, minute: 0, second: 0, millisecond: 0 });
    return `${dayMonth[lang].format(noon)} (${s.reason[lang]})`;
  });
  return `${count}; ${words.skipped}: ${days.join(', ')}`;
}

/** How much of a moment a text shows (`Intl.DateTimeFormat` styles). */
export interface MomentStyle {
  readonly date: 'full' | 'long';
  readonly time: 'short' | 'medium';
}

/** One formatter per language and style, built on first use: building one costs far more than formatting. */
const momentFormats = new Map<string, Intl.DateTimeFormat>();

function momentFormat(lang: 'nl' | 'en', style: MomentStyle): Intl.DateTimeFormat {
  const key = `${lang} ${style.date} ${style.time}`;
  let format = momentFormats.get(key);
  if (format === undefined) {
    format = new Intl.DateTimeFormat(lang === 'nl' ? 'nl-NL' : 'en-GB', {
      dateStyle: style.date,
      timeStyle: style.time,
      timeZone: TIME_ZONE,
    });
    momentFormats.set(key, format);
  }
  return format;
}

/** A moment in the municipality's time zone, in words: "maandag 3 maart 2025 om 10:00" (full, short). */
export const formatMoment = (
  moment: string | Date,
  lang: 'nl' | 'en',
  style: MomentStyle = { date: 'full', time: 'short' },
): string => momentFormat(lang, style).format(typeof moment === 'string' ? new Date(moment) : moment);

const dayFormats = new Map<string, Intl.DateTimeFormat>();

/** A calendar day in words: "3 december 2031" (nl), "3 December 2031" (en). */
export function formatDay(day: IsoDay, lang: 'nl' | 'en'): string {
  let format = dayFormats.get(lang);
  if (format === undefined) {
    format = new Intl.DateTimeFormat(lang === 'nl' ? 'nl-NL' : 'en-GB', {
      dateStyle: 'long',
      timeZone: 'UTC',
    });
    dayFormats.set(lang, format);
  }
  return format.format(new Date(`${day}T12:00:00Z`));
}

const weekdayFormats = new Map<string, Intl.DateTimeFormat>();

/**
 * The day of a moment as the enterprise is promised it, with its weekday: "donderdag 10 december 2026" (nl),
 * "Thursday 10 December 2026" (en).
 */
export function formatPromisedDay(moment: string | Date, lang: 'nl' | 'en'): string {
  let format = weekdayFormats.get(lang);
  if (format === undefined) {
    format = new Intl.DateTimeFormat(lang === 'nl' ? 'nl-NL' : 'en-GB', { weekday: 'long', timeZone: 'UTC' });
    weekdayFormats.set(lang, format);
  }
  const day = amsterdamDay(typeof moment === 'string' ? new Date(moment) : moment);
  return `${format.format(new Date(`${day}T12:00:00Z`))} ${formatDay(day, lang)}`;
}
