import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { GetQueueAttributesCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { routeMessage } from '../../events/route-message.js';
import { declaration } from '../../functions/declaration.js';
import { sampleRequest, submittedCase } from '../support/cases.js';
import {
  expectedRecipients,
  type RoutingSystem,
  startRoutingSystem,
  withQuickRedelivery,
} from '../support/local.js';
import { eventually } from '../support/mailbox.js';

/**
 * A poison message and its cure, on the local system: a route message for a case that is not in the table
 * fails on every receive and lands in the DLQ after the declared maxReceiveCount; once the case exists,
 * `npm run redrive` (a child process, as an operator runs it) moves it back and the router completes it.
 * The route queue's visibility timeout is cut to 1 s so the five receives take seconds, not 15 minutes.
 */
describe('a poison message, the DLQ and npm run redrive', () => {
  const ROOT = fileURLToPath(new URL('../..', import.meta.url));
  const MAX_RECEIVES = declaration.queues.route?.deadLetter.maxReceiveCount ?? 0;
  let local: RoutingSystem;
  let sqs: SQSClient;

  // The command must not pick up a developer's settings.
  const { SQS_PORT: _port, ROUTE_QUEUE_URL: _queue, ...env } = process.env;

  beforeAll(async () => {
    local = await startRoutingSystem('redrive', { declaration: withQuickRedelivery(1) });
    sqs = new SQSClient({
      region: 'eu-west-1',
      endpoint: local.system.urls.sqs,
      credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
    });
  });
  afterAll(async () => {
    sqs?.destroy();
    await local?.stop();
  });

  /** Visible plus in flight (the emulator counts both in ApproximateNumberOfMessages). */
  const depth = async (queueUrl: string) =>
    Number(
      (
        await sqs.send(
          new GetQueueAttributesCommand({
            QueueUrl: queueUrl,
            AttributeNames: ['ApproximateNumberOfMessages'],
          }),
        )
      ).Attributes?.ApproximateNumberOfMessages ?? -1,
    );

  function redrive(
    args: readonly string[],
  ): Promise<{ code: number | string; stdout: string; stderr: string }> {
    return new Promise((resolve) => {
      execFile(
        process.execPath,
        ['--import', 'tsx', 'scripts/redrive.ts', ...args],
        { cwd: ROOT, env, timeout: 30_000 },
        (error, stdout, stderr) =>
          resolve({ code: error === null ? 0 : (error.code ?? 'killed'), stdout, stderr }),
      );
    });
  }

  it(`moves a message whose case is missing to the DLQ after ${MAX_RECEIVES} receives; after the fix, redrive brings it back and the case is routed and mailed once`, async () => {
    // Prepare: a route message for a case that is not stored (the fault)
    const { queues, urls } = local.system;
    const reference = 'AP-7KX4-M9QD';
    const request = sampleRequest({
      contact: { ...sampleRequest().contact, email: 'redrive@onderneming.example' },
    });
    await sqs.send(
      new SendMessageCommand({
        QueueUrl: queues.route.url,
        MessageBody: JSON.stringify(routeMessage(reference)),
      }),
    );

    // Act: the router fails it on every receive
    await eventually(
      async () => ((await depth(queues.route.deadLetterUrl)) === 1 ? true : undefined),
      30_000,
      250,
    );

    // Assess: in the DLQ, not in the queue, nothing stored or sent
    expect(await depth(queues.route.url)).toBe(0);
    expect(await local.cases.get(reference)).toBeUndefined();
    expect(await local.mailsOf(reference)).toEqual([]);

    // Act: fix the fault (the case exists now), then redrive as an operator would
    expect(await local.cases.create(submittedCase(reference, request, new Date()))).toBe('created');
    const result = await redrive(['--endpoint', urls.sqs]);

    // Assess: moved back, the DLQ empty, and the case completes: assigned, each e-mail once
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^redrive: moved 1, left in the dead-letter queue 0$/m);
    const { c, contact, mails } = await local.routed(reference);
    expect(c.status).toBe('assigned');
    expect(mails.flatMap((m) => m.destination.to).sort()).toEqual(expectedRecipients(c, contact));
    expect(await depth(queues.route.deadLetterUrl)).toBe(0);
  }, 60_000);

  it('says so when the DLQ is empty, and refuses AWS without a queue', async () => {
    const empty = await redrive(['--endpoint', local.system.urls.sqs]);
    expect(empty.code).toBe(0);
    expect(empty.stdout).toContain('the dead-letter queue is empty');

    const usage = await redrive(['--aws']);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain('--aws needs --dlq-url');
  });
});
