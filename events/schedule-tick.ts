import * as z from 'zod';

/**
 * The payload the schedule passes to the SLA function. On AWS, EventBridge Scheduler fills
 * `scheduledTime` from its `<aws.scheduler.scheduled-time>` context attribute; locally the
 * scheduler (or `--at`) sets it. The function takes "now" from here, so any moment can be replayed.
 */
export const scheduleTickSchema = z.strictObject({
  scheduledTime: z.iso.datetime({ offset: true }),
});

export type ScheduleTick = z.infer<typeof scheduleTickSchema>;
