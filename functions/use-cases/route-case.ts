import { actionUrlsFor } from '../domain/actions.js';
import {
  assign,
  type Case,
  chooseContact,
  handedBackBy,
  lastHandover,
  tagDepartments,
} from '../domain/case.js';
import { routingNotifications } from '../domain/mail/notifications.js';
import { sentIn } from '../domain/notification-kind.js';
import type {
  CaseReader,
  CaseSchedule,
  NotificationLedger,
  OfficialDirectory,
  RoutingStore,
} from '../domain/ports.js';
import { nextStepAt } from '../domain/sla.js';
import { type CaseMailDeps, deliverOnce } from './deliver-once.js';

/**
 * Route a case (a route message from the intake, the SLA job or a handover).
 * 1. A submitted case is tagged with every department it touches, and one accountable contact is chosen
 *    (continuity, coverage, workload; the coordinator inbox when nobody fits; not an official who handed
 *    it back). The assignment is one conditional write: a racing router or a second delivery finds the
 *    case assigned and keeps that decision.
 * 2. The e-mails of the assignment (the contact, each other department, the enterprise), or of the last
 *    handover round (the new contact, the enterprise), are each sent once (`deliverOnce`).
 * 3. Every e-mail out, the SLA job is asked to look next at the clocks' next step.
 * The one gap: a sender that dies after the mail service accepted an e-mail but before its record; its
 * retry sends it again once the lease expired (at least once, never lost).
 */

export interface RouteCaseDeps extends CaseMailDeps {
  readonly cases: CaseReader & RoutingStore & NotificationLedger & CaseSchedule;
  readonly officials: OfficialDirectory;
}

export interface RouteRequest {
  readonly reference: string;
  /** The enterprise's status link, from the intake (absent on a message from the SLA job or a handover). */
  readonly statusUrl?: string;
}

/** A message that names a case we do not have: retried, then left in the DLQ for a person to look at. */
export class CaseNotFoundError extends Error {
  constructor(readonly reference: string) {
    super(`case ${reference} not found`);
    this.name = 'CaseNotFoundError';
  }
}

export async function routeCase(deps: RouteCaseDeps, { reference, statusUrl }: RouteRequest): Promise<void> {
  const found = await deps.cases.get(reference);
  if (found === undefined) throw new CaseNotFoundError(reference);
  const c = found.status === 'submitted' ? await assignContact(deps, found) : found;

  const contact = c.contact;
  if (contact === undefined) return;
  const municipality = deps.municipality;
  const notifications = routingNotifications(
    c,
    contact,
    municipality,
    statusUrl,
    actionUrlsFor(deps.links, c, contact),
  );
  await deliverOnce(deps, c, notifications, municipality.sender);
  // Every e-mail of the assignment went out: the SLA job need not look at the case before its clocks'
  // next step (the assignment asked it to look after the routing grace, in case they did not).
  const next = nextStepAt(c.clocks, sentIn(c.notifications));
  if (c.nextAt !== next) await deps.cases.scheduleNext(reference, next);
}

/** Step 1: the routing decision, applied once; the case as it is after (ours, or a racing router's). */
async function assignContact(deps: RouteCaseDeps, c: Case): Promise<Case> {
  const decision = await decide(deps, c);
  const assigned = await deps.cases.assign(decision);
  if (assigned === undefined) {
    const current = await deps.cases.get(c.reference);
    if (current === undefined) throw new CaseNotFoundError(c.reference);
    return current;
  }
  const { contact, history } = decision;
  deps.metrics.count('CasesRouted');
  // From submission to an accountable contact (not for a case handed back, which waited on purpose).
  if (lastHandover(c) === undefined)
    deps.metrics.duration('RoutingLatency', Date.parse(decision.assignedAt) - Date.parse(c.submittedAt));
  if (contact.kind === 'coordinator') {
    deps.metrics.count('NoOfficialAvailable');
    deps.log.warn('no official available for the departments; the coordinator inbox is the contact', {
      reference: c.reference,
      departments: history.departments,
    });
  }
  deps.log.info('case assigned', {
    reference: c.reference,
    contact: contact.id,
    choice: history.choice,
    departments: history.departments,
  });
  return assigned;
}

async function decide(deps: RouteCaseDeps, c: Case) {
  const municipality = deps.municipality;
  const tags = tagDepartments(c.request, municipality);
  const officials = await deps.officials.list();
  const tagged = new Set(tags.map((t) => t.department));
  const [previousContact, openCases] = await Promise.all([
    deps.cases.lastContactOf(c.request.organisation.kvkNumber, c.reference),
    deps.cases.openCaseCounts(
      officials.filter((o) => o.departments.some((d) => tagged.has(d))).map((o) => o.id),
    ),
  ]);
  const now = deps.clock();
  const chosen = chooseContact({
    tags,
    officials,
    openCases,
    previousContact,
    exclude: handedBackBy(c),
    now,
    municipality,
  });
  return assign(c, tags, chosen, now, municipality.sla);
}
