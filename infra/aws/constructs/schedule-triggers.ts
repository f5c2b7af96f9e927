import { Duration } from 'aws-cdk-lib';
import {
  ContextAttribute,
  Schedule,
  ScheduleExpression,
  ScheduleTargetInput,
} from 'aws-cdk-lib/aws-scheduler';
import { LambdaInvoke } from 'aws-cdk-lib/aws-scheduler-targets';
import { Construct } from 'constructs';
import type { ScheduleTick } from '../../../events/schedule-tick.js';
import { pascal } from './ids.js';
import type { Triggered } from './triggers.js';

export interface ScheduleTriggersProps {
  /** Functions with a `schedule` trigger. */
  readonly functions: readonly Triggered<'schedule'>[];
}

/** The tick a schedule sends: Scheduler fills in the time the run was scheduled for. */
const tick = { scheduledTime: ContextAttribute.scheduledTime } satisfies ScheduleTick;

/**
 * Timed jobs: an EventBridge Scheduler schedule per declared `schedule` trigger, invoking the function
 * with `{ scheduledTime }` (see `events/schedule-tick.ts`): the function takes "now" from its trigger.
 * A tick that cannot be delivered within one interval is dropped, and a run that fails is not retried by
 * Lambda: the next tick covers the same work. Together with a timeout shorter than the interval this means
 * runs never overlap, so at most one run at a time sends reminders (SES sending quota).
 */
export class ScheduleTriggers extends Construct {
  readonly schedules: ReadonlyMap<string, Schedule>;

  constructor(scope: Construct, id: string, props: ScheduleTriggersProps) {
    super(scope, id);
    const schedules = new Map<string, Schedule>();
    for (const { name, fn, trigger } of props.functions) {
      const interval = Duration.minutes(trigger.rateMinutes);
      const schedule = new Schedule(this, `${pascal(name)}Schedule`, {
        description: `Runs ${name} every ${trigger.rateMinutes} min`,
        schedule: ScheduleExpression.rate(interval),
        target: new LambdaInvoke(fn, {
          input: ScheduleTargetInput.fromObject(tick),
          maxEventAge: interval,
        }),
      });
      // Scheduler invokes asynchronously; Lambda's own retries (2 by default) could overlap the next tick.
      fn.configureAsyncInvoke({ retryAttempts: 0, maxEventAge: interval });
      schedules.set(name, schedule);
    }
    this.schedules = schedules;
  }
}
