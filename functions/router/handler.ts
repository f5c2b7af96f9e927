import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import type { Municipality } from '../../config/schema.js';
import { routeMessageSchema } from '../../events/route-message.js';
import type { ActionLinkMaker } from '../domain/action-link.js';
import { actionUrlsFor } from '../domain/actions.js';
import {
  assign,
  type Case,
  chooseContact,
  handedBackBy,
  lastHandover,
  tagDepartments,
} from '../domain/case.js';
import { routingNotifications } from '../domain/mail.js';
import type { CaseStore, Clock, Counter, Log, Mailer, OfficialDirectory } from '../domain/ports.js';
import { nextStepAt } from '../domain/sla.js';
import { deliverOnce } from '../shared/deliver.js';

export { SendingInProgressError } from '../shared/deliver.js';

export interface RouterDeps {
  readonly cases: CaseStore;
  readonly officials: OfficialDirectory;
  readonly mailer: Mailer;
  readonly municipality: Municipality;
  readonly clock: Clock;
  /** Signs the action links in the contact's e-mail. */
  readonly links: ActionLinkMaker;
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

/**
 * Routes one case, idempotently: the assignment is one conditional write (a second delivery or a racing
 * router finds the case assigned and keeps that decision), and each e-mail is claimed with a lease before
 * it is sent and recorded after, so a duplicate delivery never sends it twice. The one gap: a sender that
 * dies after SES accepted the mail but before the record is written; its retry sends again once the lease
 * expired (at least once, never lost).
 */
export function createRouteCase(deps: RouterDeps) {
  const m = deps.municipality;

  async function decide(c: Case) {
    const tags = tagDepartments(c.request, m);
    const officials = await deps.officials.list();
    const tagged = new Set(tags.map((t) => t.department));
    const [previousContact, openCases] = await Promise.all([
      deps.cases.lastContactOf(c.request.organisation.kvkNumber, c.reference),
      deps.cases.openCaseCounts(
        officials.filter((o) => o.departments.some((d) => tagged.has(d))).map((o) => o.id),
      ),
    ]);
    const now = deps.clock();
    return assign(
      c,
      tags,
      chooseContact({
        tags,
        officials,
        openCases,
        previousContact,
        exclude: handedBackBy(c),
        now,
        municipality: m,
      }),
      now,
      m.sla,
    );
  }

  return async function routeCase(reference: string, statusUrl?: string): Promise<void> {
    let c = await deps.cases.get(reference);
    if (c === undefined) throw new CaseNotFoundError(reference);

    if (c.status === 'submitted') {
      const decision = await decide(c);
      const assigned = await deps.cases.assign(decision);
      if (assigned !== undefined) {
        const { contact, history } = decision;
        deps.metrics.count('CasesRouted');
        // From submission to an accountable contact (not for a case handed back, which waited on purpose).
        if (lastHandover(c) === undefined)
          deps.metrics.duration(
            'RoutingLatency',
            Date.parse(decision.assignedAt) - Date.parse(c.submittedAt),
          );
        if (contact.kind === 'coordinator') {
          deps.metrics.count('NoOfficialAvailable');
          deps.log.warn('no official available for the departments; the coordinator inbox is the contact', {
            reference,
            departments: history.departments,
          });
        }
        deps.log.info('case assigned', {
          reference,
          contact: contact.id,
          choice: history.choice,
          departments: history.departments,
        });
        c = assigned;
      } else {
        c = await deps.cases.get(reference);
        if (c === undefined) throw new CaseNotFoundError(reference);
      }
    }

    const contact = c.contact;
    if (contact === undefined) return;
    const notifications = routingNotifications(
      c,
      contact,
      m,
      statusUrl,
      actionUrlsFor(deps.links, c, contact),
    );
    await deliverOnce(deps, c, notifications, m.sender);
    // Every e-mail of the assignment went out: the SLA job need not look at the case before its clocks'
    // next step (the assignment asked it to look after the routing grace, in case they did not).
    const routed = c;
    const next = nextStepAt(routed.clocks, (kind) => routed.notifications[kind] !== undefined);
    if (routed.nextAt !== next) await deps.cases.scheduleNext(reference, next);
  };
}

/** The SQS batch handler: only the failed messages come back (partial batch response). */
export function createRouterHandler(deps: RouterDeps) {
  const routeCase = createRouteCase(deps);
  const processor = new BatchProcessor(EventType.SQS);
  const recordHandler = async (record: SQSRecord) => {
    const message = routeMessageSchema.parse(JSON.parse(record.body));
    try {
      await routeCase(message.reference, message.statusUrl);
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
