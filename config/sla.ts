import * as z from 'zod';
import { calendarConfigSchema } from './calendar.js';

/**
 * The promises the municipality makes to an enterprise, counted in working days, and the ladder that
 * keeps them: a reminder to the contact before a due moment, the breach to the contact and the
 * coordinator, and, some working days later, the wethouder's office of the lead department.
 */
const days = z.number().int().min(1).max(250);

export const slaPolicySchema = z
  .object({
    /** Working days from submission to the first contact with the enterprise. */
    firstContactDays: days.default(3),
    /** Working days from submission to a decision. */
    decisionDays: days.default(20),
    /** Other targets for some request types. */
    byRequestType: z
      .record(z.string(), z.object({ firstContactDays: days, decisionDays: days }).partial().strict())
      .default({}),
    /** Working days before a due moment that the contact is reminded (at the same time of day). */
    remindWorkingDaysBefore: days.default(1),
    /** Working days after a breach at which the wethouder's office hears of it. */
    escalateAfterWorkingDays: days.default(2),
    /** Working days the enterprise is told to expect contact after a broken first-contact promise. */
    lateNoticeWorkingDays: days.default(2),
    calendar: calendarConfigSchema.default({ goodFriday: false, liberationDay: 'lustrum', closures: [] }),
  })
  .strict();
export type SlaPolicy = z.infer<typeof slaPolicySchema>;
