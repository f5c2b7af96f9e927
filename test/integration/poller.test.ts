import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ReceiveMessageCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { Context, SQSEvent } from 'aws-lambda';
import { createSqsServer } from 'local-aws-sqs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type Poller, type SqsHandler, startPoller } from '../../infra/local/poller.js';
import { ensureQueue, type ProvisionedQueue } from '../../infra/local/provision.js';
import { eventually } from '../support/mailbox.js';

/**
 * The local poller against the real SQS emulator, with a short visibility timeout so that
 * redelivery and the DLQ show within seconds. The semantics are those of the Lambda event source
 * mapping with ReportBatchItemFailures.
 */
const VISIBILITY_SECONDS = 1;
const MAX_RECEIVES = 2;

describe('the local SQS poller', () => {
  let server: Server;
  let sqs: SQSClient;
  let queueCount = 0;
  let poller: Poller | undefined;

  beforeAll(async () => {
    server = await createSqsServer({
      port: 0,
      hostname: '127.0.0.1',
      region: 'eu-west-1',
      emulateQueueCreationLifecycle: false,
    });
    sqs = new SQSClient({
      region: 'eu-west-1',
      endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
      credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
    });
  });
  afterEach(async () => {
    await poller?.stop();
    poller = undefined;
  });
  afterAll(async () => {
    sqs.destroy();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  async function queueWith(bodies: string[]): Promise<ProvisionedQueue> {
    queueCount++;
    const queue = await ensureQueue(
      sqs,
      { queue: `poller-${queueCount}`, deadLetter: `poller-${queueCount}-dlq` },
      {
        visibilityTimeoutSeconds: VISIBILITY_SECONDS,
        retentionDays: 1,
        deadLetter: { maxReceiveCount: MAX_RECEIVES, retentionDays: 1 },
      },
    );
    for (const body of bodies)
      await sqs.send(new SendMessageCommand({ QueueUrl: queue.url, MessageBody: body }));
    return queue;
  }

  function poll(
    queue: ProvisionedQueue,
    handler: SqsHandler,
    errors: unknown[] = [],
    failedRecords: string[] = [],
  ) {
    poller = startPoller({
      sqs,
      queueUrl: queue.url,
      queueArn: queue.arn,
      region: 'eu-west-1',
      batchSize: 10,
      visibilityTimeoutSeconds: VISIBILITY_SECONDS,
      timeoutSeconds: 5,
      handler,
      context: () => ({ functionName: 'test' }) as Context,
      concurrency: 1,
      idleMs: 50,
      onError: (error) => errors.push(error),
      onFailedRecords: (records) => failedRecords.push(...records.map((r) => r.body)),
    });
  }

  async function drain(url: string): Promise<string[]> {
    const bodies: string[] = [];
    for (let i = 0; i < 5; i++) {
      const result = await sqs.send(
        new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10, WaitTimeSeconds: 0 }),
      );
      bodies.push(...(result.Messages ?? []).map((m) => m.Body ?? ''));
    }
    return bodies;
  }

  it('passes a batch as the SQSEvent Lambda builds, with the receive count', async () => {
    const queue = await queueWith(['one']);
    const events: SQSEvent[] = [];
    poll(queue, async (event) => {
      events.push(event);
      return { batchItemFailures: [] };
    });

    const [event] = await eventually(async () => (events.length > 0 ? events : undefined));

    expect(event?.Records).toHaveLength(1);
    expect(event?.Records[0]).toMatchObject({
      body: 'one',
      eventSource: 'aws:sqs',
      eventSourceARN: queue.arn,
      awsRegion: 'eu-west-1',
      attributes: { ApproximateReceiveCount: '1' },
    });
  });

  it('redelivers only the message reported as failed, after the visibility timeout', async () => {
    // Prepare: "bad" fails on its first delivery only
    const queue = await queueWith(['good', 'bad']);
    const seen: string[] = [];
    const errors: unknown[] = [];
    const failedRecords: string[] = [];
    poll(
      queue,
      async (event) => {
        const failures = [];
        for (const record of event.Records) {
          seen.push(record.body);
          if (record.body === 'bad' && record.attributes.ApproximateReceiveCount === '1')
            failures.push({ itemIdentifier: record.messageId });
        }
        return { batchItemFailures: failures };
      },
      errors,
      failedRecords,
    );

    // Act: wait for the redelivery
    await eventually(async () => (seen.filter((b) => b === 'bad').length >= 2 ? true : undefined), 8_000);
    await new Promise((resolve) => setTimeout(resolve, (VISIBILITY_SECONDS + 0.5) * 1000));

    // Assess: "good" was processed once and deleted; "bad" twice, then deleted
    expect(seen.filter((b) => b === 'good')).toHaveLength(1);
    expect(seen.filter((b) => b === 'bad')).toHaveLength(2);
    // ...the runtime heard of the one failed record (for the ops page), and it is not an error of the poller
    expect(failedRecords).toEqual(['bad']);
    expect(errors).toEqual([]);
    expect(await drain(queue.url)).toEqual([]);
    expect(await drain(queue.deadLetterUrl)).toEqual([]);
  });

  it('moves a message that always fails to the DLQ after maxReceiveCount receives', async () => {
    const queue = await queueWith(['poison', 'fine']);
    const seen: string[] = [];
    poll(queue, async (event) => {
      seen.push(...event.Records.map((r) => r.body));
      return {
        batchItemFailures: event.Records.filter((r) => r.body === 'poison').map((r) => ({
          itemIdentifier: r.messageId,
        })),
      };
    });

    await eventually(
      async () => (seen.filter((b) => b === 'poison').length >= MAX_RECEIVES ? true : undefined),
      8_000,
    );
    const dead = await eventually(async () => {
      const bodies = await drain(queue.deadLetterUrl);
      return bodies.length > 0 ? bodies : undefined;
    }, 8_000);

    expect(dead).toEqual(['poison']);
    expect(seen.filter((b) => b === 'poison')).toHaveLength(MAX_RECEIVES);
    expect(seen.filter((b) => b === 'fine')).toHaveLength(1);
  });

  it('treats a throwing handler as a failure of the whole batch: every message comes back', async () => {
    const queue = await queueWith(['a', 'b']);
    const seen: string[] = [];
    const errors: unknown[] = [];
    let calls = 0;
    poll(
      queue,
      async (event) => {
        seen.push(...event.Records.map((r) => r.body));
        calls++;
        if (calls === 1) throw new Error('crash mid-batch');
        return { batchItemFailures: [] };
      },
      errors,
    );

    await eventually(async () => (seen.length >= 4 ? true : undefined), 8_000);

    expect(seen.filter((b) => b === 'a')).toHaveLength(2);
    expect(seen.filter((b) => b === 'b')).toHaveLength(2);
    expect(errors).toHaveLength(1);
  });

  it('treats a failure id that is not in the batch as a failure of the whole batch', async () => {
    const queue = await queueWith(['x']);
    const seen: string[] = [];
    poll(queue, async (event) => {
      seen.push(...event.Records.map((r) => r.body));
      return seen.length === 1
        ? { batchItemFailures: [{ itemIdentifier: 'not-in-this-batch' }] }
        : { batchItemFailures: [] };
    });

    await eventually(async () => (seen.length >= 2 ? true : undefined), 8_000);

    expect(seen).toEqual(['x', 'x']);
  });
});
