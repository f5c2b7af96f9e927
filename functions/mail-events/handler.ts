import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { OTHER_EVENT_TYPES, sesEventSchema } from '../../events/ses-event.js';
import { errorSummary } from '../domain/errors.js';
import { MailDeferredError } from '../domain/ports.js';
import { type HandleMailEventDeps, handleMailEvent } from '../use-cases/handle-mail-event.js';

/** The event types this function knows, acted on or counted; SES may add others, which are counted too. */
const KNOWN = new Set<string>(['Bounce', 'Complaint', 'Delivery', ...OTHER_EVENT_TYPES]);

/**
 * The SQS batch handler of the mail events: each record is one SES event (raw message delivery), handled on
 * its own; only the failed ones come back (partial batch response), retried, and after five receives left in
 * the mail-events dead-letter queue with its alarm. A record that is not an SES event fails the same way; an
 * event of a type SES added later is counted and let go.
 */
export function createMailEventsHandler(deps: HandleMailEventDeps) {
  const handleRecord = async (record: SQSRecord) => {
    const body: unknown = JSON.parse(record.body);
    const parsed = sesEventSchema.safeParse(body);
    if (!parsed.success) {
      const type = (body as { eventType?: unknown } | null)?.eventType;
      if (typeof type === 'string' && !KNOWN.has(type)) {
        deps.metrics.count('MailEventsIgnored');
        return;
      }
      throw new Error(`not an SES event: ${parsed.error.issues.map((i) => i.path.join('.')).join(', ')}`);
    }
    try {
      await handleMailEvent(deps, parsed.data);
    } catch (error) {
      // The one e-mail it may send waits for SES like any other: the event comes back after its visibility.
      deps.log[error instanceof MailDeferredError ? 'warn' : 'error'](
        'mail event not handled; it will be retried',
        {
          eventType: parsed.data.eventType,
          messageId: record.messageId,
          receiveCount: record.attributes.ApproximateReceiveCount,
          error: errorSummary(error),
        },
      );
      throw error;
    }
  };
  return (event: SQSEvent, context: Context): Promise<SQSBatchResponse> =>
    processPartialResponse(event, handleRecord, new BatchProcessor(EventType.SQS), { context });
}
