import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import type { Municipality } from '../../config/schema.js';
import { routeMessageSchema } from '../../events/route-message.js';
import { assign, chooseContact, SENDING_LEASE_MS, tagDepartments } from '../domain/case.js';
import { assignmentMail } from '../domain/mail.js';
import type { CaseStore, Clock, Counter, Log, Mailer, OfficialDirectory } from '../domain/ports.js';

export interface RouterDeps {
  readonly cases: CaseStore;
  readonly officials: OfficialDirectory;
  readonly mailer: Mailer;
  readonly municipality: Municipality;
  readonly clock: Clock;
  readonly log: Log;
  readonly metrics: Counter;
}

/** A message that names a case we do not have: retried, then left in the DLQ for a person to look at. */
export class CaseNotFoundError extends Error {
  constructor(readonly reference: string) {
    super(`case ${reference} not found`);
    this.name = 'CaseNotFoundError';
  }
}

/** Another router is sending this e-mail right now: retry later, when it has either recorded it or died. */
export class SendingInProgressError extends Error {
  constructor(
    readonly reference: string,
    readonly kind: string,
  ) {
    super(`the ${kind} e-mail of case ${reference} is being sent by another invocation`);
    this.name = 'SendingInProgressError';
  }
}

/**
 * Routes one case, idempotently: the assignment is one conditional write (a second delivery or a racing
 * router finds the case assigned and keeps that decision), and each e-mail is claimed with a lease before
 * it is sent and recorded after, so a duplicate delivery never sends it twice. The one gap: a sender that
 * dies after SES accepted the mail but before the record is written; its retry sends again once the lease
 * expired (at least once, never lost).
 */
export function createRouteCase(deps: RouterDeps) {
  return async function routeCase(reference: string): Promise<void> {
    let c = await deps.cases.get(reference);
    if (c === undefined) throw new CaseNotFoundError(reference);

    if (c.status === 'submitted') {
      const tags = tagDepartments(c.request, deps.municipality);
      const contact = chooseContact(tags, await deps.officials.list(), deps.municipality);
      const assigned = await deps.cases.assign(assign(c, tags, contact, deps.clock()));
      if (assigned !== undefined) {
        deps.metrics.count('CasesRouted');
        if (contact.kind === 'coordinator') {
          deps.metrics.count('NoOfficialAvailable');
          deps.log.warn('no official covers the departments; the coordinator inbox is the contact', {
            reference,
          });
        }
        deps.log.info('case assigned', {
          reference,
          contact: contact.id,
          departments: tags.map((t) => t.department),
        });
        c = assigned;
      } else {
        c = await deps.cases.get(reference);
        if (c === undefined) throw new CaseNotFoundError(reference);
      }
    }

    if (c.contact !== undefined && c.notifications.assignment === undefined) {
      const claim = await deps.cases.claimNotification(
        reference,
        'assignment',
        deps.clock(),
        SENDING_LEASE_MS,
      );
      if (claim === 'busy') throw new SendingInProgressError(reference, 'assignment');
      if (claim === 'claimed') {
        const mail = assignmentMail(c, c.contact, deps.municipality);
        const messageId = await deps.mailer.send({ from: deps.municipality.sender, ...mail });
        await deps.cases.recordNotification(reference, 'assignment', messageId, deps.clock());
        deps.metrics.count('EmailsSent');
      }
    }
  };
}

/** The SQS batch handler: only the failed messages come back (partial batch response). */
export function createRouterHandler(deps: RouterDeps) {
  const routeCase = createRouteCase(deps);
  const processor = new BatchProcessor(EventType.SQS);
  const recordHandler = async (record: SQSRecord) => {
    const message = routeMessageSchema.parse(JSON.parse(record.body));
    try {
      await routeCase(message.reference);
    } catch (error) {
      deps.log.error('routing failed; the message will be retried', {
        reference: message.reference,
        messageId: record.messageId,
        receiveCount: record.attributes.ApproximateReceiveCount,
        error,
      });
      throw error;
    }
  };
  return (event: SQSEvent, context: Context): Promise<SQSBatchResponse> =>
    // One record after the other: two messages for the same case in one batch must not race each other.
    processPartialResponse(event, recordHandler, processor, { context, processInParallel: false });
}
