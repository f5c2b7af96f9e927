import { GetQueueAttributesCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { routeMessage } from '../../events/route-message.js';
import { declaration } from '../../functions/declaration.js';
import { type RoutingSystem, startRoutingSystem, withQuickRedelivery } from '../support/local.js';
import { eventually } from '../support/mailbox.js';
import { type Moto, startMoto } from '../support/moto.js';

/**
 * A poison message on moto server: a route message for a case that is not stored fails on every receive and
 * moto's redrive policy moves it to the DLQ after the declared maxReceiveCount. The visibility timeout is cut
 * to 1 s so the receives take seconds. `npm run redrive` is not run here: moto server 5.2.1 does not implement
 * SQS's StartMessageMoveTask (it answers with an HTML error page); test/integration/redrive.test.ts covers it.
 */
describe('a poison message and the DLQ on moto server', () => {
  const MAX_RECEIVES = declaration.queues.route?.deadLetter.maxReceiveCount ?? 0;
  let moto: Moto;
  let local: RoutingSystem;
  let sqs: SQSClient;

  beforeAll(async () => {
    moto = await startMoto();
    local = await startRoutingSystem('moto-dlq', {
      declaration: withQuickRedelivery(1),
      emulators: { endpoint: moto.endpoint },
    });
    sqs = new SQSClient({
      region: 'eu-west-1',
      endpoint: moto.endpoint,
      credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
    });
  });
  afterAll(async () => {
    sqs?.destroy();
    await local?.stop();
    await moto?.stop();
  });

  const count = async (
    queueUrl: string,
    attribute: 'ApproximateNumberOfMessages' | 'ApproximateNumberOfMessagesNotVisible',
  ) =>
    Number(
      (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: [attribute] })))
        .Attributes?.[attribute] ?? -1,
    );

  it(`moves a route message whose case is missing to the DLQ after ${MAX_RECEIVES} receives`, async () => {
    // Prepare: a route message for a case that is not stored
    const { queues } = local.system;
    const reference = 'AP-7KX4-M9QD';
    await sqs.send(
      new SendMessageCommand({
        QueueUrl: queues.route.url,
        MessageBody: JSON.stringify(routeMessage(reference)),
      }),
    );

    // Act: the router fails it on every receive
    await eventually(
      async () =>
        (await count(queues.route.deadLetterUrl, 'ApproximateNumberOfMessages')) === 1 ? true : undefined,
      30_000,
      250,
    );

    // Assess: in the DLQ, gone from the queue, nothing stored or sent
    expect(await count(queues.route.url, 'ApproximateNumberOfMessages')).toBe(0);
    expect(await count(queues.route.url, 'ApproximateNumberOfMessagesNotVisible')).toBe(0);
    expect(await local.cases.get(reference)).toBeUndefined();
    expect(await local.mailsOf(reference)).toEqual([]);
  }, 45_000);
});
