import * as z from 'zod';
import { localizedText } from './localized.js';

/**
 * The municipality's working-day calendar settings, for SLA due dates, and its working hours, for when
 * officials' e-mails go out (the rules that use them live in functions/domain/calendar.ts).
 */
const liberationDaySchema = z.enum(['every-year', 'lustrum', 'never']);

/** A day the municipality is closed besides the public holidays, e.g. between Christmas and New Year. */
export const closureSchema = z.strictObject({ date: z.iso.date(), name: localizedText });
export type Closure = z.infer<typeof closureSchema>;

const TIME_OF_DAY = /^([01]\d|2[0-3]):[0-5]\d$/;

/** A time of day, `HH:MM` on the 24-hour clock, in Europe/Amsterdam. */
export const timeOfDaySchema = z
  .string()
  .regex(TIME_OF_DAY, 'a time of day like 08:00 (24-hour clock, Europe/Amsterdam)');
export type TimeOfDay = z.infer<typeof timeOfDaySchema>;

/** Is it a time of day `HH:MM`? (The checks across settings skip what its own schema refuses.) */
const isTimeOfDay = (value: string): boolean => TIME_OF_DAY.test(value);

const validTimes = (hours: { readonly from: string; readonly until: string }): boolean =>
  isTimeOfDay(hours.from) && isTimeOfDay(hours.until);

/** The minutes since midnight of a time of day `HH:MM`. */
export const minutesOfDay = (time: TimeOfDay): number =>
  Number(time.slice(0, 2)) * 60 + Number(time.slice(3, 5));

/**
 * The hours of each working day in which e-mails to officials go out (reminders, breach notices,
 * escalations, digests): from `from` up to, not including, `until`.
 */
export const workingHoursSchema = z
  .strictObject({ from: timeOfDaySchema, until: timeOfDaySchema })
  .refine((hours) => !validTimes(hours) || minutesOfDay(hours.from) < minutesOfDay(hours.until), {
    message: 'the working hours must end after they start ("from" before "until", within one day)',
    path: ['until'],
  });
export type WorkingHours = z.infer<typeof workingHoursSchema>;

export const DEFAULT_WORKING_HOURS: WorkingHours = { from: '08:00', until: '18:00' };

/** Is the time of day within the working hours: at or after `from`, before `until`. */
export const withinWorkingHours = (time: TimeOfDay, hours: WorkingHours): boolean =>
  minutesOfDay(time) >= minutesOfDay(hours.from) && minutesOfDay(time) < minutesOfDay(hours.until);

/**
 * For the checks across settings (a promise's due time, the digests' times): is `time` outside working
 * hours that are themselves valid? False when the time or the hours are refused on their own already, so
 * that one mistake is reported once.
 */
export const outsideWorkingHours = (time: string, hours: WorkingHours): boolean =>
  isTimeOfDay(time) &&
  validTimes(hours) &&
  minutesOfDay(hours.from) < minutesOfDay(hours.until) &&
  !withinWorkingHours(time, hours);

/** "08:00–18:00". */
export const describeWorkingHours = (hours: WorkingHours): string => `${hours.from}–${hours.until}`;

export const calendarConfigSchema = z.strictObject({
  /** Goede Vrijdag (Easter − 2) is a day off. Default: no. */
  goodFriday: z.boolean().default(false),
  /** Bevrijdingsdag (5 May) is a day off every year, only in lustrum years (year % 5 === 0), or never. */
  liberationDay: liberationDaySchema.default('lustrum'),
  /** The municipality's own closure days; each date once. */
  closures: z
    .array(closureSchema)
    .default([])
    .refine((closures) => new Set(closures.map((c) => c.date)).size === closures.length, {
      message: 'each closure date may appear only once',
    }),
  /** The working hours of each working day. Default: 08:00–18:00. */
  workingHours: workingHoursSchema.default(DEFAULT_WORKING_HOURS),
});
export type CalendarConfig = z.infer<typeof calendarConfigSchema>;
