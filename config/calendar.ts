import * as z from 'zod';
import { localizedText } from './localized.js';

/**
 * The municipality's working-day calendar settings, for SLA due dates (the rules that use them live in
 * functions/domain/calendar.ts).
 */
const liberationDaySchema = z.enum(['every-year', 'lustrum', 'never']);

/** A day the municipality is closed besides the public holidays, e.g. between Christmas and New Year. */
export const closureSchema = z.strictObject({ date: z.iso.date(), name: localizedText });
export type Closure = z.infer<typeof closureSchema>;

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
});
export type CalendarConfig = z.infer<typeof calendarConfigSchema>;
