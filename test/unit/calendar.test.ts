import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type CalendarConfig, calendarConfigSchema } from '../../config/calendar.js';
import {
  addWorkingDays,
  amsterdamDay,
  amsterdamInstant,
  amsterdamOffset,
  amsterdamWallClock,
  easterSunday,
  explain,
  formatPromisedDay,
  holidays,
  inWorkingHours,
  isWorkingDay,
  nextWorkingMoment,
  whyNotWorking,
  workingDaysBetween,
} from '../../functions/domain/calendar.js';

const defaults: CalendarConfig = calendarConfigSchema.parse({});

/** An Amsterdam wall-clock moment, `YYYY-MM-DD` and `HH:MM`. */
function amsterdam(date: string, time: string): Date {
  const [hour = Number.NaN, minute = Number.NaN] = time.split(':').map(Number);
  return amsterdamInstant({ date, hour, minute, second: 0, millisecond: 0 });
}

const holidayOn = (date: string, config: CalendarConfig = defaults) => {
  const year = Number(date.slice(0, 4));
  return holidays(year, config).find((h) => h.date === date)?.name.nl;
};

const yearEnd = {
  nl: 'Sluiting rond de jaarwisseling',
  en: 'Closed around New Year',
};

/** The Amsterdam wall clock at an instant as Intl reads it, field by field (the reference). */
const intlWall = new Intl.DateTimeFormat('en-US', {
  timeZone: 'Europe/Amsterdam',
  hourCycle: 'h23',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
});
function wallFromIntl(instant: Date): string {
  const f: Partial<Record<Intl.DateTimeFormatPartTypes, string>> = {};
  for (const part of intlWall.formatToParts(instant)) f[part.type] = part.value;
  const ms = String(((instant.getTime() % 1000) + 1000) % 1000).padStart(3, '0');
  return `${(f.year ?? '').padStart(4, '0')}-${f.month}-${f.day} ${f.hour}:${f.minute}:${f.second}.${ms}`;
}
function wallOf(instant: Date): string {
  const w = amsterdamWallClock(instant);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${w.date} ${two(w.hour)}:${two(w.minute)}:${two(w.second)}.${String(w.millisecond).padStart(3, '0')}`;
}

describe('Amsterdam wall clock', () => {
  it('reads every instant as Intl does: years 0001–9999, and within a day of a change of offset', () => {
    const ms = (iso: string) => Date.parse(iso);
    const anywhere = fc.integer({ min: ms('0001-01-02T00:00:00Z'), max: ms('9999-12-30T00:00:00Z') });
    // Within a day of a change: the last Sundays of March and October (2020–2030), the end of local mean
    // time (1892) and the German occupation's summer time (1940).
    const changes = [
      ...Array.from({ length: 11 }, (_, i) => [`${2020 + i}-03`, `${2020 + i}-10`]).flat(),
    ].flatMap((month) => Array.from({ length: 7 }, (_, d) => `${month}-${25 + d}T01:00:00Z`));
    const nearChange = fc
      .tuple(
        fc.constantFrom(...changes, '1892-05-01T00:00:00Z', '1940-05-16T00:00:00Z'),
        fc.integer({ min: -86_400_000, max: 86_400_000 }),
      )
      .map(([at, delta]) => ms(at) + delta);
    fc.assert(
      fc.property(fc.oneof(anywhere, nearChange), (t) => {
        expect(wallOf(new Date(t))).toBe(wallFromIntl(new Date(t)));
      }),
      { numRuns: 20_000 },
    );
  });

  it('reads winter time as UTC+1 and summer time as UTC+2', () => {
    // Prepare
    const winter = new Date('2025-01-15T11:00:00Z');
    const summer = new Date('2025-07-15T10:00:00Z');

    // Act
    const [w, s] = [amsterdamWallClock(winter), amsterdamWallClock(summer)];

    // Assess
    expect(w).toEqual({ date: '2025-01-15', hour: 12, minute: 0, second: 0, millisecond: 0 });
    expect(s).toEqual({ date: '2025-07-15', hour: 12, minute: 0, second: 0, millisecond: 0 });
    expect(amsterdamOffset(winter)).toBe(3_600_000);
    expect(amsterdamOffset(summer)).toBe(7_200_000);
  });

  it('gives the Amsterdam day, not the UTC day, of an instant late in the evening UTC', () => {
    const instant = new Date('2025-06-30T22:30:00Z');

    const day = amsterdamDay(instant);

    expect(day).toBe('2025-07-01');
  });

  it('keeps the milliseconds of an instant', () => {
    const wall = amsterdamWallClock(new Date('2025-03-01T08:15:30.123Z'));

    expect(wall).toEqual({ date: '2025-03-01', hour: 9, minute: 15, second: 30, millisecond: 123 });
  });

  it('finds the instant of a wall-clock time in winter and in summer', () => {
    const winter = amsterdam('2025-01-15', '12:00');
    const summer = amsterdam('2025-07-15', '12:00');

    expect(winter.toISOString()).toBe('2025-01-15T11:00:00.000Z');
    expect(summer.toISOString()).toBe('2025-07-15T10:00:00.000Z');
  });

  it('moves a time in the spring gap forward by the length of the gap', () => {
    // 2025-03-30: the clocks jump from 02:00 to 03:00; 02:00 and 02:30 do not exist.
    const half = amsterdam('2025-03-30', '02:30');
    const two = amsterdam('2025-03-30', '02:00');

    expect(half.toISOString()).toBe('2025-03-30T01:30:00.000Z');
    expect(amsterdamWallClock(half)).toMatchObject({ date: '2025-03-30', hour: 3, minute: 30 });
    expect(two.toISOString()).toBe('2025-03-30T01:00:00.000Z');
    expect(amsterdam('2025-03-30', '03:00').toISOString()).toBe('2025-03-30T01:00:00.000Z');
    expect(amsterdam('2025-03-30', '01:59').toISOString()).toBe('2025-03-30T00:59:00.000Z');
  });

  it('takes the first occurrence of a time in the autumn overlap', () => {
    // 2025-10-26: the clocks go back from 03:00 to 02:00; 02:00–02:59 happen twice.
    const half = amsterdam('2025-10-26', '02:30');

    expect(half.toISOString()).toBe('2025-10-26T00:30:00.000Z');
    expect(amsterdamOffset(half)).toBe(7_200_000);
    expect(amsterdamWallClock(new Date('2025-10-26T01:30:00Z'))).toMatchObject({ hour: 2, minute: 30 });
    expect(amsterdam('2025-10-26', '02:00').toISOString()).toBe('2025-10-26T00:00:00.000Z');
    expect(amsterdam('2025-10-26', '03:00').toISOString()).toBe('2025-10-26T02:00:00.000Z');
  });

  it('round-trips every quarter hour around both changes of 2025, except the repeated autumn hour', () => {
    const around = ['2025-03-29T12:00:00Z', '2025-10-25T12:00:00Z'].map(Date.parse);
    const mismatches: string[] = [];
    let checked = 0;

    for (const from of around)
      for (let ms = from; ms < from + 2 * 86_400_000; ms += 15 * 60_000) {
        const instant = new Date(ms);
        const back = amsterdamInstant(amsterdamWallClock(instant));
        const secondOccurrence =
          ms >= Date.parse('2025-10-26T01:00:00Z') && ms < Date.parse('2025-10-26T02:00:00Z');
        const expected = secondOccurrence ? ms - 3_600_000 : ms;
        if (back.getTime() !== expected) mismatches.push(instant.toISOString());
        checked++;
      }

    expect(checked).toBe(384);
    expect(mismatches).toEqual([]);
  });

  it('rejects a nonexistent date and an impossible time of day', () => {
    const nonexistent = () =>
      amsterdamInstant({ date: '2025-02-29', hour: 9, minute: 0, second: 0, millisecond: 0 });
    const hour24 = () =>
      amsterdamInstant({ date: '2025-02-28', hour: 24, minute: 0, second: 0, millisecond: 0 });

    expect(nonexistent).toThrow(RangeError);
    expect(hour24).toThrow(RangeError);
    expect(() => amsterdamWallClock(new Date(Number.NaN))).toThrow(RangeError);
  });
});

describe('Dutch public holidays', () => {
  it('finds Easter Sunday for 2024 to 2030', () => {
    const years = [2024, 2025, 2026, 2027, 2028, 2029, 2030];

    const easters = years.map(easterSunday);

    expect(easters).toEqual([
      '2024-03-31',
      '2025-04-20',
      '2026-04-05',
      '2027-03-28',
      '2028-04-16',
      '2029-04-01',
      '2030-04-21',
    ]);
  });

  it('finds Easter on its extreme dates, 22 March (2285) and 25 April (2038)', () => {
    expect(easterSunday(2285)).toBe('2285-03-22');
    expect(easterSunday(2038)).toBe('2038-04-25');
  });

  it('derives Easter Monday, Ascension Day and Whitsun from Easter', () => {
    const of = (year: number) =>
      Object.fromEntries(holidays(year, defaults).map((h) => [h.name.en, h.date] as const));

    const [y2024, y2026] = [of(2024), of(2026)];

    expect(y2024).toMatchObject({
      'Easter Monday': '2024-04-01',
      'Ascension Day': '2024-05-09',
      'Whit Sunday': '2024-05-19',
      'Whit Monday': '2024-05-20',
    });
    expect(y2026).toMatchObject({
      'Easter Monday': '2026-04-06',
      'Ascension Day': '2026-05-14',
      'Whit Sunday': '2026-05-24',
      'Whit Monday': '2026-05-25',
    });
  });

  it('lists the holidays of 2025 in date order with their Dutch and English names', () => {
    const list = holidays(2025, defaults);

    expect(list).toEqual([
      { date: '2025-01-01', name: { nl: 'Nieuwjaarsdag', en: "New Year's Day" } },
      { date: '2025-04-20', name: { nl: 'Eerste Paasdag', en: 'Easter Sunday' } },
      { date: '2025-04-21', name: { nl: 'Tweede Paasdag', en: 'Easter Monday' } },
      { date: '2025-04-26', name: { nl: 'Koningsdag', en: "King's Day" } },
      { date: '2025-05-05', name: { nl: 'Bevrijdingsdag', en: 'Liberation Day' } },
      { date: '2025-05-29', name: { nl: 'Hemelvaartsdag', en: 'Ascension Day' } },
      { date: '2025-06-08', name: { nl: 'Eerste Pinksterdag', en: 'Whit Sunday' } },
      { date: '2025-06-09', name: { nl: 'Tweede Pinksterdag', en: 'Whit Monday' } },
      { date: '2025-12-25', name: { nl: 'Eerste Kerstdag', en: 'Christmas Day' } },
      { date: '2025-12-26', name: { nl: 'Tweede Kerstdag', en: 'Boxing Day' } },
    ]);
  });

  it('moves Koningsdag to 26 April when 27 April is a Sunday (2025), not otherwise (2026)', () => {
    expect(holidayOn('2025-04-26')).toBe('Koningsdag');
    expect(holidayOn('2025-04-27')).toBeUndefined();
    expect(holidayOn('2026-04-27')).toBe('Koningsdag');
    expect(holidayOn('2026-04-26')).toBeUndefined();
  });

  it('gives Bevrijdingsdag off in lustrum years by default, every year or never when configured', () => {
    const everyYear = calendarConfigSchema.parse({ liberationDay: 'every-year' });
    const never = calendarConfigSchema.parse({ liberationDay: 'never' });

    expect(holidayOn('2025-05-05')).toBe('Bevrijdingsdag');
    expect(holidayOn('2026-05-05')).toBeUndefined();
    expect(isWorkingDay('2026-05-05', defaults)).toBe(true);
    expect(holidayOn('2026-05-05', everyYear)).toBe('Bevrijdingsdag');
    expect(isWorkingDay('2026-05-05', everyYear)).toBe(false);
    expect(holidayOn('2025-05-05', never)).toBeUndefined();
  });

  it('gives Goede Vrijdag off only when configured', () => {
    const withGoodFriday = calendarConfigSchema.parse({ goodFriday: true });

    expect(isWorkingDay('2025-04-18', defaults)).toBe(true);
    expect(whyNotWorking('2025-04-18', withGoodFriday)).toEqual({
      kind: 'holiday',
      name: { nl: 'Goede Vrijdag', en: 'Good Friday' },
    });
    expect(holidays(2025, withGoodFriday)).toHaveLength(holidays(2025, defaults).length + 1);
  });

  it('keeps both holidays, sorted, when Ascension Day falls on 5 May (2016)', () => {
    const everyYear = calendarConfigSchema.parse({ liberationDay: 'every-year' });

    const dates = holidays(2016, everyYear).map((h) => h.date);

    expect(dates.filter((d) => d === '2016-05-05')).toHaveLength(2);
    expect(dates).toEqual([...dates].sort());
  });

  it('computes holidays for years far from today', () => {
    expect(holidays(1, defaults)[0]).toEqual({ date: '0001-01-01', name: expect.anything() });
    expect(easterSunday(9999)).toMatch(/^9999-0[34]-\d\d$/);
    expect(() => holidays(0, defaults)).toThrow(RangeError);
    expect(() => holidays(2025.5, defaults)).toThrow(RangeError);
  });
});

describe('working days', () => {
  it('says why a day is not a working day: weekend, holiday or closure', () => {
    const config = calendarConfigSchema.parse({ closures: [{ date: '2025-12-29', name: yearEnd }] });

    expect(whyNotWorking('2025-06-14', config)).toEqual({
      kind: 'weekend',
      name: { nl: 'weekend', en: 'weekend' },
    });
    expect(whyNotWorking('2025-12-25', config)).toEqual({
      kind: 'holiday',
      name: { nl: 'Eerste Kerstdag', en: 'Christmas Day' },
    });
    expect(whyNotWorking('2025-12-29', config)).toEqual({ kind: 'closure', name: yearEnd });
    expect(whyNotWorking('2025-12-30', config)).toBeUndefined();
    expect(isWorkingDay('2025-12-30', config)).toBe(true);
  });

  it('names a holiday on a weekend day by the holiday', () => {
    expect(whyNotWorking('2025-04-26', defaults)).toEqual({
      kind: 'holiday',
      name: { nl: 'Koningsdag', en: "King's Day" },
    });
  });

  it('rejects a malformed or nonexistent day', () => {
    expect(() => isWorkingDay('2025-13-01', defaults)).toThrow(RangeError);
    expect(() => isWorkingDay('2025-2-3', defaults)).toThrow(RangeError);
    expect(() => isWorkingDay('2023-02-29', defaults)).toThrow(RangeError);
    expect(isWorkingDay('2024-02-29', defaults)).toBe(true);
  });
});

describe('calendar config', () => {
  it('defaults to no Good Friday, Liberation Day in lustrum years, no closures and working hours 08:00–18:00', () => {
    const config = calendarConfigSchema.parse({});

    expect(config).toEqual({
      goodFriday: false,
      liberationDay: 'lustrum',
      closures: [],
      workingHours: { from: '08:00', until: '18:00' },
    });
  });

  it('refuses working hours that end before they start or at the start, and a time that is no HH:MM', () => {
    const issues = (workingHours: unknown) =>
      calendarConfigSchema
        .safeParse({ workingHours })
        .error?.issues.map((i) => `${i.path.join('.')}: ${i.message}`);

    expect(issues({ from: '18:00', until: '08:00' })).toEqual([
      'workingHours.until: the working hours must end after they start ("from" before "until", within one day)',
    ]);
    expect(issues({ from: '09:00', until: '09:00' })).toHaveLength(1);
    expect(issues({ from: '8:00', until: '18:00' })).toEqual([
      'workingHours.from: a time of day like 08:00 (24-hour clock, Europe/Amsterdam)',
    ]);
    expect(issues({ from: '08:00', until: '24:00' })).toEqual([
      'workingHours.until: a time of day like 08:00 (24-hour clock, Europe/Amsterdam)',
    ]);
    expect(issues({ from: '07:30', until: '16:30' })).toBeUndefined();
  });

  it('rejects a closure with an impossible date, a twice-listed date and an unknown field', () => {
    const bad = (input: unknown) => calendarConfigSchema.safeParse(input).success;

    expect(bad({ closures: [{ date: '2025-02-30', name: yearEnd }] })).toBe(false);
    expect(bad({ closures: [{ date: '2025-12-29', name: { nl: 'Dicht' } }] })).toBe(false);
    expect(
      bad({
        closures: [
          { date: '2025-12-29', name: yearEnd },
          { date: '2025-12-29', name: yearEnd },
        ],
      }),
    ).toBe(false);
    expect(bad({ liberationDay: 'sometimes' })).toBe(false);
    expect(bad({ goodfriday: true })).toBe(false);
  });
});

describe('addWorkingDays', () => {
  it('skips Koningsdag and a Sunday, each with its reason', () => {
    const start = amsterdam('2025-04-25', '14:00');

    const result = addWorkingDays(start, 3, defaults);

    expect(result.due).toEqual(amsterdam('2025-04-30', '14:00'));
    expect(result.skipped).toEqual([
      { date: '2025-04-26', reason: { nl: 'Koningsdag', en: "King's Day" } },
      { date: '2025-04-27', reason: { nl: 'weekend', en: 'weekend' } },
    ]);
  });

  it('counts across Christmas and New Year', () => {
    // Tue 23 Dec 2025: Wed 24 is day 1, Mon 29–Wed 31 days 2–4, Fri 2 Jan day 5.
    const start = amsterdam('2025-12-23', '09:00');

    const result = addWorkingDays(start, 5, defaults);

    expect(result.due.toISOString()).toBe('2026-01-02T08:00:00.000Z');
    expect(result.skipped).toEqual([
      { date: '2025-12-25', reason: { nl: 'Eerste Kerstdag', en: 'Christmas Day' } },
      { date: '2025-12-26', reason: { nl: 'Tweede Kerstdag', en: 'Boxing Day' } },
      { date: '2025-12-27', reason: { nl: 'weekend', en: 'weekend' } },
      { date: '2025-12-28', reason: { nl: 'weekend', en: 'weekend' } },
      { date: '2026-01-01', reason: { nl: 'Nieuwjaarsdag', en: "New Year's Day" } },
    ]);
  });

  it('skips the configured closure days between Christmas and New Year', () => {
    const config = calendarConfigSchema.parse({
      closures: ['2025-12-29', '2025-12-30', '2025-12-31'].map((date) => ({ date, name: yearEnd })),
    });
    const start = amsterdam('2025-12-23', '09:00');

    const result = addWorkingDays(start, 5, config);

    // Wed 24 Dec, Fri 2, Mon 5, Tue 6, Wed 7 Jan.
    expect(result.due).toEqual(amsterdam('2026-01-07', '09:00'));
    expect(result.skipped.map((s) => [s.date, s.reason.en])).toEqual([
      ['2025-12-25', 'Christmas Day'],
      ['2025-12-26', 'Boxing Day'],
      ['2025-12-27', 'weekend'],
      ['2025-12-28', 'weekend'],
      ['2025-12-29', 'Closed around New Year'],
      ['2025-12-30', 'Closed around New Year'],
      ['2025-12-31', 'Closed around New Year'],
      ['2026-01-01', "New Year's Day"],
      ['2026-01-03', 'weekend'],
      ['2026-01-04', 'weekend'],
    ]);
  });

  it('counts from the next working day when it starts on a Saturday, not listing the start day', () => {
    const start = amsterdam('2025-06-14', '10:30');

    const result = addWorkingDays(start, 1, defaults);

    expect(result.due).toEqual(amsterdam('2025-06-16', '10:30'));
    expect(result.skipped).toEqual([{ date: '2025-06-15', reason: { nl: 'weekend', en: 'weekend' } }]);
  });

  it('keeps 09:00 Amsterdam across the spring change (08:00Z on Friday, 07:00Z on Monday)', () => {
    const start = new Date('2025-03-28T08:00:00Z');

    const result = addWorkingDays(start, 1, defaults);

    expect(amsterdamWallClock(start)).toMatchObject({ date: '2025-03-28', hour: 9, minute: 0 });
    expect(result.due.toISOString()).toBe('2025-03-31T07:00:00.000Z');
    expect(amsterdamWallClock(result.due)).toMatchObject({ date: '2025-03-31', hour: 9, minute: 0 });
  });

  it('keeps 09:00 Amsterdam across the autumn change (07:00Z on Friday, 08:00Z on Monday)', () => {
    const start = new Date('2025-10-24T07:00:00Z');

    const result = addWorkingDays(start, 1, defaults);

    expect(result.due.toISOString()).toBe('2025-10-27T08:00:00.000Z');
    expect(result.skipped.map((s) => s.date)).toEqual(['2025-10-25', '2025-10-26']);
  });

  it('keeps seconds and milliseconds of the start', () => {
    const start = new Date('2025-01-07T15:04:05.678Z');

    const result = addWorkingDays(start, 2, defaults);

    expect(result.due.toISOString()).toBe('2025-01-09T15:04:05.678Z');
  });

  it('returns the start unchanged for 0 working days, even on a Sunday', () => {
    const start = amsterdam('2025-06-15', '10:00');

    const result = addWorkingDays(start, 0, defaults);

    expect(result.due).toEqual(start);
    expect(result.due).not.toBe(start);
    expect(result.skipped).toEqual([]);
  });

  it('rejects a negative or fractional number of days', () => {
    const start = amsterdam('2025-06-16', '10:00');

    expect(() => addWorkingDays(start, -1, defaults)).toThrow(RangeError);
    expect(() => addWorkingDays(start, 1.5, defaults)).toThrow(RangeError);
  });

  it('lands on a working day n working days on, covering the span exactly, for every start in 2024–2030', () => {
    const configs = [
      defaults,
      calendarConfigSchema.parse({
        goodFriday: true,
        liberationDay: 'every-year',
        closures: [2024, 2025, 2026, 2027, 2028, 2029, 2030].map((y) => ({
          date: `${y}-12-31`,
          name: yearEnd,
        })),
      }),
    ];
    const failures: string[] = [];
    let checked = 0;

    configs.forEach((config, c) => {
      // Every day of 2024–2030, at a time of day that walks through the whole day, incl. night hours.
      for (let ms = Date.UTC(2024, 0, 1); ms <= Date.UTC(2030, 11, 31); ms += 86_400_000) {
        const day = new Date(ms).toISOString().slice(0, 10);
        const i = ms / 86_400_000;
        const n = [1, 2, 3, 5, 10, 20][i % 6] ?? 1;
        const start = amsterdam(day, `${(i * 5 + c) % 24}:${(i * 7) % 60}`);

        const result = addWorkingDays(start, n, config);

        const startWall = amsterdamWallClock(start);
        const dueWall = amsterdamWallClock(result.due);
        // The span: the days after the start's day up to the due day, counted with Date.UTC arithmetic.
        const span: string[] = [];
        const last = Date.parse(`${dueWall.date}T00:00Z`);
        for (let d = Date.parse(`${startWall.date}T00:00Z`) + 86_400_000; d <= last; d += 86_400_000)
          span.push(new Date(d).toISOString().slice(0, 10));
        const skippedDates = result.skipped.map((s) => s.date);
        const working = span.filter((d) => !skippedDates.includes(d));
        const ok =
          isWorkingDay(dueWall.date, config) &&
          dueWall.hour === startWall.hour &&
          dueWall.minute === startWall.minute &&
          workingDaysBetween(start, result.due, config) === n &&
          result.skipped.length + n === span.length &&
          working.length === n &&
          working.every((d) => isWorkingDay(d, config)) &&
          result.skipped.every(
            (s) => span.includes(s.date) && whyNotWorking(s.date, config)?.name.en === s.reason.en,
          ) &&
          skippedDates.every((d, k) => k === 0 || (skippedDates[k - 1] ?? '') < d);
        if (!ok) failures.push(`${start.toISOString()} + ${n} -> ${result.due.toISOString()}`);
        checked++;
      }
    });

    expect(checked).toBe(2 * 2557);
    expect(failures).toEqual([]);
  });
});

describe('addWorkingDays at a time of day (a promise falls due at the end of its working day)', () => {
  it('puts the due moment at the time given on the n-th working day: Monday 22:52 + 3 is Thursday 17:00', () => {
    const result = addWorkingDays(amsterdam('2026-12-07', '22:52'), 3, defaults, '17:00');

    expect(result.due).toEqual(amsterdam('2026-12-10', '17:00'));
    expect(result.due.toISOString()).toBe('2026-12-10T16:00:00.000Z');
    expect(workingDaysBetween(amsterdam('2026-12-07', '22:52'), result.due, defaults)).toBe(3);
  });

  it('counts over a weekend and a holiday, listing them: Thursday 23 April 2026 22:52 + 3 is Wednesday 29 April 17:00', () => {
    const result = addWorkingDays(amsterdam('2026-04-23', '22:52'), 3, defaults, '17:00');

    expect(result.due).toEqual(amsterdam('2026-04-29', '17:00'));
    expect(result.skipped.map((d) => [d.date, d.reason.en])).toEqual([
      ['2026-04-25', 'weekend'],
      ['2026-04-26', 'weekend'],
      ['2026-04-27', "King's Day"],
    ]);
  });

  it('keeps 17:00 Amsterdam across the spring change', () => {
    // Friday 27 March 2026 22:52 (winter time) + 1: Monday 30 March 17:00 (summer time, 15:00Z)
    const result = addWorkingDays(amsterdam('2026-03-27', '22:52'), 1, defaults, '17:00');

    expect(result.due.toISOString()).toBe('2026-03-30T15:00:00.000Z');
  });
});

describe('working hours', () => {
  it('are the hours from 08:00 up to 18:00 of a working day, in Amsterdam', () => {
    expect(inWorkingHours(amsterdam('2026-12-08', '08:00'), defaults)).toBe(true);
    expect(inWorkingHours(amsterdam('2026-12-08', '17:59'), defaults)).toBe(true);
    expect(inWorkingHours(amsterdam('2026-12-08', '07:59'), defaults)).toBe(false);
    expect(inWorkingHours(amsterdam('2026-12-08', '18:00'), defaults)).toBe(false);
    // Saturday, and Christmas Day (a Friday in 2026), at noon
    expect(inWorkingHours(amsterdam('2026-12-12', '12:00'), defaults)).toBe(false);
    expect(inWorkingHours(amsterdam('2026-12-25', '12:00'), defaults)).toBe(false);
  });

  it('move a moment at 22:00 to 08:00 the next working day', () => {
    expect(nextWorkingMoment(amsterdam('2026-12-08', '22:00'), defaults)).toEqual(
      amsterdam('2026-12-09', '08:00'),
    );
  });

  it('move Friday 22:00 to Monday 08:00', () => {
    expect(nextWorkingMoment(amsterdam('2026-12-11', '22:00'), defaults)).toEqual(
      amsterdam('2026-12-14', '08:00'),
    );
  });

  it('move a moment early on a working day to 08:00 that day, and leave one within them unchanged', () => {
    const inside = new Date('2026-12-08T13:04:05.678Z');

    expect(nextWorkingMoment(amsterdam('2026-12-08', '06:30'), defaults)).toEqual(
      amsterdam('2026-12-08', '08:00'),
    );
    expect(nextWorkingMoment(inside, defaults)).toEqual(inside);
  });

  it('move a moment past holidays and closures: Thursday 24 December 2026 18:00 to Monday 4 January 2027 08:00', () => {
    const config = calendarConfigSchema.parse({
      closures: ['2026-12-28', '2026-12-29', '2026-12-30', '2026-12-31'].map((date) => ({
        date,
        name: yearEnd,
      })),
    });

    // Christmas (Friday 25, Saturday 26), the weekend, the closures, New Year's Day (Friday 1), the weekend
    expect(nextWorkingMoment(amsterdam('2026-12-24', '18:00'), config)).toEqual(
      amsterdam('2027-01-04', '08:00'),
    );
  });

  it('follow the configured hours', () => {
    const config = calendarConfigSchema.parse({ workingHours: { from: '07:30', until: '16:00' } });

    expect(inWorkingHours(amsterdam('2026-12-08', '07:30'), config)).toBe(true);
    expect(inWorkingHours(amsterdam('2026-12-08', '16:30'), config)).toBe(false);
    expect(nextWorkingMoment(amsterdam('2026-12-08', '16:00'), config)).toEqual(
      amsterdam('2026-12-09', '07:30'),
    );
  });
});

describe('formatPromisedDay', () => {
  it('names the weekday and the day, in Dutch and in English', () => {
    const due = amsterdam('2026-12-10', '17:00');

    expect(formatPromisedDay(due, 'nl')).toBe('donderdag 10 december 2026');
    expect(formatPromisedDay(due.toISOString(), 'en')).toBe('Thursday 10 December 2026');
  });

  it('takes the Amsterdam day of a moment late in the evening UTC', () => {
    // 23:30 UTC on Wednesday 9 December is 00:30 on Thursday in Amsterdam
    expect(formatPromisedDay('2026-12-09T23:30:00.000Z', 'en')).toBe('Thursday 10 December 2026');
  });
});

describe('workingDaysBetween', () => {
  it('counts the working days after the first day up to and including the last', () => {
    // Fri 25 Apr 2025 → Wed 30 Apr: Mon 28, Tue 29, Wed 30 (Koningsdag Sat 26 and Sun 27 do not count).
    const count = workingDaysBetween(
      amsterdam('2025-04-25', '16:00'),
      amsterdam('2025-04-30', '08:00'),
      defaults,
    );

    expect(count).toBe(3);
  });

  it('counts 0 within one day and when the end is before the start', () => {
    const morning = amsterdam('2025-06-16', '08:00');
    const evening = amsterdam('2025-06-16', '23:59');

    expect(workingDaysBetween(morning, evening, defaults)).toBe(0);
    expect(workingDaysBetween(amsterdam('2025-06-20', '09:00'), morning, defaults)).toBe(0);
  });

  it('uses Amsterdam days, not UTC days', () => {
    // 23:30Z on Monday is already Tuesday in Amsterdam (summer time).
    const from = new Date('2025-06-16T21:30:00Z');
    const to = new Date('2025-06-16T22:30:00Z');

    expect(workingDaysBetween(from, to, defaults)).toBe(1);
  });

  it('moves a due date by the working days a case was paused', () => {
    const due = addWorkingDays(amsterdam('2025-04-22', '11:00'), 5, defaults).due;
    const paused = workingDaysBetween(
      amsterdam('2025-04-24', '10:00'),
      amsterdam('2025-04-28', '15:00'),
      defaults,
    );

    const moved = addWorkingDays(due, paused, defaults);

    expect(due).toEqual(amsterdam('2025-04-29', '11:00'));
    expect(paused).toBe(2);
    expect(moved.due).toEqual(amsterdam('2025-05-01', '11:00'));
  });
});

describe('explain', () => {
  const result = addWorkingDays(amsterdam('2025-04-25', '09:00'), 3, defaults);

  it('explains in Dutch', () => {
    const text = explain(result, 'nl');

    expect(text).toBe('3 werkdagen (weekenden tellen niet mee); overgeslagen: 26 april (Koningsdag)');
  });

  it('explains in English', () => {
    const text = explain(result, 'en');

    expect(text).toBe("3 working days (weekends do not count); skipped: 26 April (King's Day)");
  });

  it('uses the singular for one working day and names no day when only a weekend was skipped', () => {
    const monday = addWorkingDays(amsterdam('2025-06-16', '09:00'), 1, defaults);

    expect(explain(monday, 'nl')).toBe('1 werkdag (weekenden tellen niet mee)');
    expect(explain(monday, 'en')).toBe('1 working day (weekends do not count)');
  });

  it('names configured closures in the chosen language', () => {
    const config = calendarConfigSchema.parse({ closures: [{ date: '2025-12-29', name: yearEnd }] });
    const crossing = addWorkingDays(amsterdam('2025-12-24', '09:00'), 1, config);

    expect(explain(crossing, 'en')).toBe(
      '1 working day (weekends do not count); skipped: 25 December (Christmas Day), 26 December (Boxing Day), 29 December (Closed around New Year)',
    );
    expect(explain(crossing, 'nl')).toBe(
      '1 werkdag (weekenden tellen niet mee); overgeslagen: 25 december (Eerste Kerstdag), 26 december (Tweede Kerstdag), 29 december (Sluiting rond de jaarwisseling)',
    );
  });
});
