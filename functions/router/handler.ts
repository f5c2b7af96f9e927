import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { routeMessageSchema } from '../../events/route-message.js';
import { errorSummary } from '../domain/errors.js';
import { type RouteCaseDeps, routeCase } from '../use-cases/route-case.js';

export { SendingInProgressError } from '../use-cases/deliver-once.js';
export { CaseNotFoundError } from '../use-cases/route-case.js';

export type RouterDeps = RouteCaseDeps;

/** The use case as the tests and the local runtime call it: one case by reference. */
export const createRouteCase =
  (deps: RouterDeps) =>
  (reference: string, statusUrl?: string): Promise<void> =>
    routeCase(deps, { reference, statusUrl });

/** The SQS batch handler: only the failed messages come back (partial batch response). */
export function createRouterHandler(deps: RouterDeps) {
  const processor = new BatchProcessor(EventType.SQS);
  const recordHandler = async (record: SQSRecord) => {
    // Parsed here, not through the batch utility's parser (`innerSchema`, `transformer: 'json'`): that
    // imports zod whole (`import { z }`), which takes the router bundle from about 200 KB to 556 KB.
    const message = routeMessageSchema.parse(JSON.parse(record.body));
    try {
      await routeCase(deps, message);
    } catch (error) {
      deps.log.error('routing failed; the message will be retried', {
        reference: message.reference,
        messageId: record.messageId,
        receiveCount: record.attributes.ApproximateReceiveCount,
        error: errorSummary(error),
      });
      throw error;
    }
  };
  return (event: SQSEvent, context: Context): Promise<SQSBatchResponse> =>
    // One record after the other: two messages for the same case in one batch must not race each other.
    processPartialResponse(event, recordHandler, processor, { context, processInParallel: false });
}
