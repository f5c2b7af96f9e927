import { GetQueueAttributesCommand, type SendMessageCommandInput, SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { municipality } from '../../config/index.js';
import { routeMessageSchema } from '../../events/route-message.js';
import { IN_DIGEST } from '../../functions/domain/notification-kind.js';
import {
  injectSesAnswer,
  SES_THROTTLED,
  type SesAnswer,
  sesNotVerified,
} from '../../infra/local/instrumentation/faults.js';
import type { Instrumentation } from '../../infra/local/instrumentation/index.js';
import {
  type RoutingSystem,
  requestBody,
  startRoutingSystem,
  withQuickRedelivery,
} from '../support/local.js';
import { eventually } from '../support/mailbox.js';

/**
 * Mail that waits: SES first answers every SendEmail of the router as it does while the sender's identity
 * is not verified (`MessageRejected`, "Email address is not verified"), then as it does when the sending
 * rate is exceeded (`TooManyRequestsException`, on every attempt of the SDK's retries), then it takes
 * them. The route queue's visibility timeout is 3 s (longer than a throttled send with the SDK's retries)
 * and its maxReceiveCount 5, so a message that failed on each receive would be in the dead-letter queue
 * within about 12 s, before the sender is "verified" at 16 s. The router's deferrals are real delayed
 * SQS messages; the test records each delay the router asks for and shortens it to 1 s, so that minutes
 * of waiting take seconds.
 */
describe('mail that waits, never dead-letters, while SES cannot take it yet', () => {
  let local: RoutingSystem;
  let sqs: SQSClient;
  let phase: 'notVerified' | 'throttled' | 'open' = 'notVerified';
  const refusals = { notVerified: 0, throttled: 0 };
  const askedDelays: number[] = [];
  const deferrals: number[] = [];

  const instrumentation: Instrumentation = {
    clients(fn, clients) {
      if (fn !== 'router') return clients;
      if (clients.ses !== undefined)
        injectSesAnswer(clients.ses, (): SesAnswer | undefined => {
          if (phase === 'open') return undefined;
          refusals[phase]++;
          return phase === 'throttled' ? SES_THROTTLED : sesNotVerified(municipality.sender);
        });
      // The router's own queue client: record each deferral and its delay, then shorten the delay.
      clients.sqs?.middlewareStack.add(
        (next) => async (args) => {
          const input = args.input as SendMessageCommandInput;
          if (input.DelaySeconds !== undefined) {
            askedDelays.push(input.DelaySeconds);
            deferrals.push(routeMessageSchema.parse(JSON.parse(input.MessageBody ?? '{}')).deferrals ?? 0);
            input.DelaySeconds = 1;
          }
          return next(args);
        },
        { step: 'initialize', name: 'testShortenDelays' },
      );
      return clients;
    },
    mailer: (_fn, mailer) => mailer,
    invocation: (_fn, run) => run(),
  };

  beforeAll(async () => {
    local = await startRoutingSystem('mail-waits', { declaration: withQuickRedelivery(3), instrumentation });
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

  const messagesIn = async (queueUrl: string) =>
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

  it('puts the cases off while the sender is unverified and then throttled, and routes each once after', async () => {
    // Prepare: eight cases submitted while the sender is not verified
    const submitted = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        local.submit(
          requestBody({
            kvkNumber: String(71_000_000 + i),
            goals: ['work', 'environment'],
            requestType: 'partnership',
            description: 'Wij willen samenwerken rond werkervaringsplaatsen in de fietsenwerkplaats.',
          }),
        ),
      ),
    );

    // Act: not verified for 16 s (more than five visibility timeouts), throttled for 6 s, then open
    await new Promise((resolve) => setTimeout(resolve, 16_000));
    const duringUnverified = askedDelays.length;
    phase = 'throttled';
    await new Promise((resolve) => setTimeout(resolve, 6_000));
    phase = 'open';
    const routed = await Promise.all(submitted.map(({ reference }) => local.routed(reference)));

    // Assess: SES refused both ways, and each refusal put the case off instead of failing its message
    expect(refusals.notVerified).toBeGreaterThan(0);
    expect(refusals.throttled).toBeGreaterThan(0);
    expect(duringUnverified).toBeGreaterThanOrEqual(submitted.length);
    expect(Math.max(...deferrals)).toBeGreaterThanOrEqual(3);
    // The delay grows with each deferral: 60 s at the first for "not verified", 5 s for a throttle
    const firstNotVerified = askedDelays[deferrals.indexOf(1)] ?? 0;
    expect(firstNotVerified).toBeGreaterThanOrEqual(30);
    expect(firstNotVerified).toBeLessThanOrEqual(60);
    const secondDelays = askedDelays.filter((_, i) => deferrals[i] === 2);
    expect(Math.min(...secondDelays)).toBeGreaterThanOrEqual(firstNotVerified > 0 ? 5 : 0);

    // Assess: nothing in the dead-letter queue, nothing left on the route queue
    const route = local.system.queues.route;
    expect(await messagesIn(route.deadLetterUrl)).toBe(0);
    await eventually(async () => ((await messagesIn(route.url)) === 0 ? true : undefined));

    // Assess: every case assigned, and each of its e-mails sent exactly once
    for (const { c, mails } of routed) {
      expect(c.status).toBe('assigned');
      const recipients = mails.map((m) => m.destination.to.join(','));
      expect(recipients.length, c.reference).toBe(new Set(recipients).size);
      const mailed = Object.values(c.notifications).filter((n) => n.messageId !== IN_DIGEST);
      expect(mailed.length, c.reference).toBe(recipients.length);
    }
    expect(local.errors).toEqual([]);
  }, 90_000);
});
