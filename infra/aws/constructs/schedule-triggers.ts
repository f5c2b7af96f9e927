import { CfnResource, Duration, Stack, Validations } from 'aws-cdk-lib';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import {
  ContextAttribute,
  Schedule,
  ScheduleExpression,
  ScheduleTargetInput,
} from 'aws-cdk-lib/aws-scheduler';
import { LambdaInvoke } from 'aws-cdk-lib/aws-scheduler-targets';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
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
 * runs never overlap, so at most one run at a time sends reminders (SES sending quota). A run that failed,
 * or a tick Scheduler could not deliver, leaves a record in the job's failed-runs queue (Lambda's failure
 * destination, Scheduler's dead-letter queue), which an alarm watches.
 */
export class ScheduleTriggers extends Construct {
  readonly schedules: ReadonlyMap<string, Schedule>;
  /** Per scheduled function: the queue of its failed runs and undelivered ticks. */
  readonly failedRuns: ReadonlyMap<string, Queue>;

  constructor(scope: Construct, id: string, props: ScheduleTriggersProps) {
    super(scope, id);
    const schedules = new Map<string, Schedule>();
    const failedRuns = new Map<string, Queue>();
    const stack = Stack.of(this);
    for (const { name, fn, trigger } of props.functions) {
      const interval = Duration.minutes(trigger.rateMinutes);
      // A tick older than one interval is dropped; Lambda keeps an event at most 6 hours (a daily job's tick
      // that waited that long is dropped, and the next day's covers the same work).
      const maxEventAge = Duration.minutes(Math.min(trigger.rateMinutes, 360));
      // Scheduler assumes this role only for schedules of this account in the default schedule group, where
      // this schedule is (no confused deputy): Scheduler sets aws:SourceArn to the schedule group's ARN.
      const role = new Role(this, `${pascal(name)}ScheduleRole`, {
        assumedBy: new ServicePrincipal('scheduler.amazonaws.com', {
          conditions: {
            StringEquals: {
              'aws:SourceAccount': stack.account,
              'aws:SourceArn': stack.formatArn({
                service: 'scheduler',
                resource: 'schedule-group',
                resourceName: 'default',
              }),
            },
          },
        }),
        description: `Lets EventBridge Scheduler invoke the ${name} function`,
      });
      const cfnFunction = fn.node.defaultChild;
      if (!(cfnFunction instanceof CfnResource))
        throw new Error(`${fn.node.path} has no CloudFormation function`);
      const functionLogicalId = stack.getLogicalId(cfnFunction);
      Validations.of(role).acknowledge({
        id: `AwsSolutions-IAM5[Resource::<${functionLogicalId}.Arn>:*]`,
        reason: `lambda:InvokeFunction on the ${name} function and its qualified ARNs (\`:*\`, versions and aliases of this one function, as the CDK grant writes it); the schedule invokes the unqualified function. No other function and no other action.`,
      });
      const failed = new Queue(this, `${pascal(name)}FailedRuns`, {
        encryption: QueueEncryption.SQS_MANAGED,
        enforceSSL: true,
        retentionPeriod: Duration.days(14),
      });
      Validations.of(failed).acknowledge({
        id: 'AwsSolutions-SQS3',
        reason: `The ${name} job's failed runs (Lambda's failure destination) and undelivered ticks (Scheduler's dead-letter queue): a dead-letter queue itself, read by a person after its alarm; nothing consumes it.`,
      });
      Validations.of(failed).acknowledge({
        id: 'Serverless-SQSRedrivePolicy',
        reason: `The ${name} job's failed runs and undelivered ticks: a dead-letter queue itself, with an alarm. Nothing consumes it, so nothing could fail on its messages and move them on.`,
      });
      const schedule = new Schedule(this, `${pascal(name)}Schedule`, {
        description: `Runs ${name} every ${trigger.rateMinutes} min`,
        schedule: ScheduleExpression.rate(interval),
        target: new LambdaInvoke(fn, {
          role,
          input: ScheduleTargetInput.fromObject(tick),
          maxEventAge,
          deadLetterQueue: failed,
        }),
      });
      // Scheduler invokes asynchronously; Lambda's own retries (2 by default) could overlap the next tick.
      // A run that fails is recorded in the failed-runs queue, with its error.
      fn.configureAsyncInvoke({
        retryAttempts: 0,
        maxEventAge,
        onFailure: new SqsDestination(failed),
      });
      schedules.set(name, schedule);
      failedRuns.set(name, failed);
    }
    this.schedules = schedules;
    this.failedRuns = failedRuns;
  }
}
