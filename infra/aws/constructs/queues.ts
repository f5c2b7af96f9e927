import { Duration, Validations } from 'aws-cdk-lib';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { Declaration } from '../../../functions/declaration.js';
import { pascal, pinLogicalId } from './ids.js';

export interface QueuesProps {
  /** The declared queues, by name. */
  readonly queues: Declaration['queues'];
}

/** A declared queue and the dead-letter queue its failed messages move to. */
export interface DeclaredQueue {
  readonly queue: Queue;
  readonly deadLetterQueue: Queue;
}

/**
 * The messaging: one SQS queue per declared queue, each with its dead-letter queue. Both are
 * encrypted at rest (SQS-managed keys) and refuse plain-HTTP access; logical ids are pinned
 * (`RouteQueue`, `RouteDeadLetterQueue` for `route`).
 */
export class Queues extends Construct {
  readonly queues: ReadonlyMap<string, DeclaredQueue>;

  constructor(scope: Construct, id: string, props: QueuesProps) {
    super(scope, id);
    const queues = new Map<string, DeclaredQueue>();
    for (const [name, declared] of Object.entries(props.queues)) {
      const queueId = `${pascal(name)}Queue`;
      const deadLetterId = `${pascal(name)}DeadLetterQueue`;
      const deadLetterQueue = new Queue(this, deadLetterId, {
        encryption: QueueEncryption.SQS_MANAGED,
        enforceSSL: true,
        retentionPeriod: Duration.days(declared.deadLetter.retentionDays),
      });
      const queue = new Queue(this, queueId, {
        encryption: QueueEncryption.SQS_MANAGED,
        enforceSSL: true,
        visibilityTimeout: Duration.seconds(declared.visibilityTimeoutSeconds),
        retentionPeriod: Duration.days(declared.retentionDays),
        deadLetterQueue: { queue: deadLetterQueue, maxReceiveCount: declared.deadLetter.maxReceiveCount },
      });
      Validations.of(deadLetterQueue).acknowledge({
        id: 'Serverless-SQSRedrivePolicy',
        reason: `The ${name} dead-letter queue: the end of the line for a message the ${name} consumer failed on every attempt, watched by two alarms and redriven by a person (npm run redrive) once the cause is fixed. A redrive policy of its own would move those messages out of sight.`,
      });
      pinLogicalId(deadLetterQueue, deadLetterId);
      pinLogicalId(queue, queueId);
      queues.set(name, { queue, deadLetterQueue });
    }
    this.queues = queues;
  }
}
