import * as z from 'zod';
import { timeOfDaySchema } from './calendar.js';

/**
 * When the digests go out: the departments' daily overview of the new cases that touch them, and each
 * official's overview of their open cases. Moments are wall-clock times in Europe/Amsterdam, on working
 * days of the municipality's calendar (`sla.calendar`) and within its working hours
 * (`sla.calendar.workingHours`, checked by the municipality's schema); the rules that use them live in
 * functions/domain/digest.ts.
 */
export const digestsSchema = z.strictObject({
  /**
   * Each working day at this time, one e-mail per department (of those informed `daily`) lists the cases
   * routed since its last digest that touch it.
   */
  departments: z.strictObject({ at: timeOfDaySchema.default('08:00') }).default({ at: '08:00' }),
  /**
   * Each official's overview of their open cases: on the first working day of each week (`week`) or each
   * working day (`day`), at this time.
   */
  officials: z
    .strictObject({
      every: z.enum(['week', 'day']).default('week'),
      at: timeOfDaySchema.default('08:00'),
    })
    .default({ every: 'week', at: '08:00' }),
});
export type DigestsConfig = z.infer<typeof digestsSchema>;

/**
 * How a department hears of the cases that touch it (besides the one whose contact is of the department):
 * `daily` in the day's digest, `immediate` by one e-mail per case.
 */
export const informSchema = z.enum(['daily', 'immediate']);
export type Inform = z.infer<typeof informSchema>;
