import { Duration, Validations } from 'aws-cdk-lib';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { mustGet } from './ids.js';
import type { Triggered } from './triggers.js';

export interface QueueTriggersProps {
  /** Functions with a `queue` trigger. */
  readonly functions: readonly Triggered<'queue'>[];
  /** All declared queues by name. */
  readonly queues: ReadonlyMap<string, IQueue>;
}

/**
 * Queue consumers: an SQS event source mapping per declared queue trigger, with the declared batch
 * size, batching window and maximum concurrency. Partial batch failures are reported, so one bad
 * message is retried (and dead-lettered) alone instead of with its whole batch.
 */
export class QueueTriggers extends Construct {
  constructor(scope: Construct, id: string, props: QueueTriggersProps) {
    super(scope, id);
    for (const { fn, trigger } of props.functions) {
      const source = new SqsEventSource(mustGet(props.queues, trigger.queue, 'queue'), {
        batchSize: trigger.batchSize,
        maxBatchingWindow: Duration.seconds(trigger.maxBatchingWindowSeconds),
        maxConcurrency: trigger.maxConcurrency,
        reportBatchItemFailures: true,
      });
      fn.addEventSource(source);
      // On the function: the acknowledgement reaches the mapping, which the function holds as its child.
      Validations.of(fn).acknowledge({
        id: 'Serverless-LambdaEventSourceMappingDestination',
        reason: `An SQS event source mapping takes no on-failure destination (Lambda offers one for streams and Kafka only). The ${trigger.queue} queue's redrive policy is its destination: a message that fails maxReceiveCount times moves to the ${trigger.queue} dead-letter queue, which has two alarms.`,
      });
    }
  }
}
