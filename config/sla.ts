import * as z from 'zod';
import {
  calendarConfigSchema,
  describeWorkingHours,
  outsideWorkingHours,
  timeOfDaySchema,
} from './calendar.js';

/**
 * The promises the municipality makes to an enterprise, counted in working days, and the ladder that
 * keeps them: a reminder to the contact before a due moment, the breach to the contact and the
 * coordinator, and, some working days later, the wethouder's office of the lead department. A promise falls
 * due at `dueAt` on its last working day; the ladder's e-mails go out within the calendar's working hours.
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
    /**
     * The time of day a promise falls due on its last working day (the end of the working day), within the
     * working hours (`calendar.workingHours`), so that its breach is told when it happens.
     */
    dueAt: timeOfDaySchema.default('17:00'),
    /** Working days before a due moment that the contact is reminded (at the same time of day). */
    remindWorkingDaysBefore: days.default(1),
    /** Working days after a breach at which the wethouder's office hears of it. */
    escalateAfterWorkingDays: days.default(2),
    /** Working days the enterprise is told to expect contact after a broken first-contact promise. */
    lateNoticeWorkingDays: days.default(2),
    calendar: calendarConfigSchema.default(calendarConfigSchema.parse({})),
  })
  .strict()
  .superRefine((policy, ctx) => {
    const hours = policy.calendar.workingHours;
    if (outsideWorkingHours(policy.dueAt, hours))
      ctx.addIssue({
        code: 'custom',
        path: ['dueAt'],
        message: `${policy.dueAt} is outside the working hours ${describeWorkingHours(hours)} (sla.calendar.workingHours): a promise must fall due within them`,
      });
  });
export type SlaPolicy = z.infer<typeof slaPolicySchema>;
