import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { RouteMessage } from '../../events/route-message.js';
import type { RouteQueue } from '../domain/ports.js';

export function sqsRouteQueue(sqs: SQSClient, queueUrl: string): RouteQueue {
  return {
    async send(message: RouteMessage, options = {}) {
      await sqs.send(
        new SendMessageCommand({
          QueueUrl: queueUrl,
          MessageBody: JSON.stringify(message),
          DelaySeconds: options.delaySeconds,
        }),
      );
    },
  };
}
