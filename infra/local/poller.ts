import {
  DeleteMessageBatchCommand,
  type Message,
  type MessageAttributeValue,
  ReceiveMessageCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import type { Context, SQSBatchResponse, SQSEvent, SQSMessageAttributes, SQSRecord } from 'aws-lambda';
import { withTimeout } from './lambda-context.js';

/**
 * A local stand-in for the Lambda SQS event source mapping:
 * - receives up to `batchSize` messages with the queue's visibility timeout;
 * - invokes the handler with the same SQSEvent Lambda builds;
 * - with a partial batch response, deletes every message except the reported failures; when the
 *   handler throws, times out, or reports an id that is not in the batch, deletes none (Lambda's rules);
 * - failed messages come back after the visibility timeout, and the queue's redrive policy moves a
 *   message to the DLQ after maxReceiveCount receives.
 * It uses short polls with a small pause, because local-aws-sqs's long poll holds a request open until
 * 10 messages are there and can return one message twice when it outlasts the visibility timeout.
 */
export type SqsHandler = (event: SQSEvent, context: Context) => Promise<SQSBatchResponse | undefined>;

export interface PollerOptions {
  readonly sqs: SQSClient;
  readonly queueUrl: string;
  readonly queueArn: string;
  readonly region: string;
  readonly batchSize: number;
  readonly visibilityTimeoutSeconds: number;
  readonly timeoutSeconds: number;
  readonly handler: SqsHandler;
  readonly context: () => Context;
  /** Parallel polling loops (the mapping's concurrency). */
  readonly concurrency: number;
  /** Pause after an empty receive. */
  readonly idleMs: number;
  readonly onError: (error: unknown) => void;
  /**
   * The records a partial batch response reported as failed (they come back after the visibility timeout).
   * The handler has logged why; this tells the runtime that it happened.
   */
  readonly onFailedRecords?: (records: readonly SQSRecord[]) => void;
}

export interface Poller {
  stop(): Promise<void>;
}

function toAttributes(attributes: Record<string, MessageAttributeValue> | undefined): SQSMessageAttributes {
  const result: SQSMessageAttributes = {};
  for (const [name, value] of Object.entries(attributes ?? {})) {
    result[name] = {
      dataType: value.DataType ?? 'String',
      stringValue: value.StringValue,
      binaryValue:
        value.BinaryValue === undefined ? undefined : Buffer.from(value.BinaryValue).toString('base64'),
      stringListValues: [],
      binaryListValues: [],
    };
  }
  return result;
}

export function toRecord(message: Message, queueArn: string, region: string): SQSRecord {
  const a = message.Attributes ?? {};
  return {
    messageId: message.MessageId ?? '',
    receiptHandle: message.ReceiptHandle ?? '',
    body: message.Body ?? '',
    attributes: {
      ApproximateReceiveCount: a.ApproximateReceiveCount ?? '1',
      SentTimestamp: a.SentTimestamp ?? String(Date.now()),
      SenderId: a.SenderId ?? 'local',
      ApproximateFirstReceiveTimestamp: a.ApproximateFirstReceiveTimestamp ?? String(Date.now()),
    },
    messageAttributes: toAttributes(message.MessageAttributes),
    md5OfBody: message.MD5OfBody ?? '',
    eventSource: 'aws:sqs',
    eventSourceARN: queueArn,
    awsRegion: region,
  };
}

/** Which messages of a batch to delete, following the event source mapping's rules. */
export function settled(
  records: readonly SQSRecord[],
  outcome: { response?: unknown; failed: boolean },
): SQSRecord[] {
  if (outcome.failed) return [];
  const response = outcome.response as SQSBatchResponse | undefined;
  const failures = response?.batchItemFailures;
  if (failures === undefined || failures.length === 0) return [...records];
  const ids = new Set(records.map((r) => r.messageId));
  const failed = new Set<string>();
  for (const failure of failures) {
    // An empty, null or unknown id makes Lambda treat the whole batch as failed.
    if (typeof failure?.itemIdentifier !== 'string' || !ids.has(failure.itemIdentifier)) return [];
    failed.add(failure.itemIdentifier);
  }
  return records.filter((r) => !failed.has(r.messageId));
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export function startPoller(options: PollerOptions): Poller {
  let running = true;

  async function once(): Promise<number> {
    const received = await options.sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: options.queueUrl,
        MaxNumberOfMessages: options.batchSize,
        VisibilityTimeout: options.visibilityTimeoutSeconds,
        WaitTimeSeconds: 0,
        // The emulator ignores MessageSystemAttributeNames; the legacy name works everywhere.
        AttributeNames: ['All'],
        MessageAttributeNames: ['All'],
      }),
    );
    const seen = new Set<string>();
    const records = (received.Messages ?? [])
      .filter((m) => m.MessageId !== undefined && !seen.has(m.MessageId) && seen.add(m.MessageId))
      .map((m) => toRecord(m, options.queueArn, options.region));
    if (records.length === 0) return 0;

    let outcome: { response?: unknown; failed: boolean };
    try {
      const context = options.context();
      const response = await withTimeout(
        options.handler({ Records: records }, context),
        context.functionName,
        options.timeoutSeconds,
      );
      outcome = { response, failed: false };
    } catch (error) {
      options.onError(error);
      outcome = { failed: true };
    }
    const done = settled(records, outcome);
    if (!outcome.failed && done.length < records.length)
      options.onFailedRecords?.(records.filter((r) => !done.includes(r)));
    for (let i = 0; i < done.length; i += 10) {
      const chunk = done.slice(i, i + 10);
      const result = await options.sqs.send(
        new DeleteMessageBatchCommand({
          QueueUrl: options.queueUrl,
          Entries: chunk.map((r, j) => ({ Id: String(j), ReceiptHandle: r.receiptHandle })),
        }),
      );
      if (result.Failed && result.Failed.length > 0)
        options.onError(
          new Error(
            `could not delete ${result.Failed.length} processed message(s); they will be redelivered`,
          ),
        );
    }
    return records.length;
  }

  async function loop(): Promise<void> {
    while (running) {
      try {
        if ((await once()) === 0) await sleep(options.idleMs);
      } catch (error) {
        options.onError(error);
        await sleep(Math.max(options.idleMs, 1000));
      }
    }
  }

  const loops = Array.from({ length: options.concurrency }, () => loop());
  return {
    async stop() {
      running = false;
      await Promise.all(loops);
    },
  };
}
