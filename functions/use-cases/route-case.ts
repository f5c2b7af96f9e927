import type { SatisfactionLinkMaker } from '../domain/action-link.js';
import { actionUrlsFor } from '../domain/actions.js';
import {
  type Assignment,
  amsterdamDay,
  asContactChoice,
  assign,
  assignedCase,
  type Case,
  type Contact,
  chooseByLoad,
  handedBackBy,
  lastHandover,
  type OpenCount,
  rankContacts,
  SENDING_LEASE_MS,
  tagDepartments,
} from '../domain/case.js';
import { errorSummary } from '../domain/errors.js';
import { closingNotifications, routingDigests, routingNotifications } from '../domain/mail/notifications.js';
import { notificationKey, sentIn } from '../domain/notification-kind.js';
import type {
  CaseReader,
  CaseSchedule,
  DigestQueue,
  NotificationLedger,
  OfficialDirectory,
  RoutingStore,
  SubmissionStore,
  SuppressionList,
} from '../domain/ports.js';
import { openQuestion } from '../domain/question.js';
import type { RandomBytes } from '../domain/reference.js';
import { MAX_STATUS_LINKS } from '../domain/submission.js';
import { hashToken, newToken, statusPathOf } from '../domain/token.js';
import { type CaseMailDeps, deliverOnce } from './deliver-once.js';

/**
 * Route a case (a route message from the intake, the SLA job or a handover).
 * 1. A submitted case is tagged with every department it touches, and one accountable contact is chosen
 *    (continuity, coverage, then room below capacity and workload; the coordinator inbox when nobody fits;
 *    not an official who handed it back). The assignment is one conditional write that also claims all of
 *    its e-mails: a racing router or a second delivery finds the case assigned and keeps that decision.
 * 2. The e-mails of the assignment (the contact, each other department informed `immediate`, the
 *    enterprise), or of the last handover round (the new contact, the enterprise), are sent in parallel,
 *    each once (`deliverOnce`); each other department informed `daily` gets the case in its next digest.
 * 3. One write records them all and asks the SLA job to look next at the clocks' next step.
 * A resolved case (queued by the official's resolve) gets one e-mail more, once: the enterprise asked how
 * working with the municipality went, with a signed link to the satisfaction form.
 * So the common path is four DynamoDB calls (the case, the enterprise's earlier contact, the assignment,
 * the record) and one SendEmail per e-mail; open-case counts are read only where workload decides, from a
 * book kept per batch (`OpenCaseBook`). The one gap: a sender that dies after the mail service accepted an
 * e-mail but before the record; its retry sends it again once the lease expired (at least once, never lost).
 */

export interface RouteCaseDeps extends CaseMailDeps {
  readonly cases: CaseReader &
    RoutingStore &
    NotificationLedger &
    CaseSchedule &
    SuppressionList &
    Pick<SubmissionStore, 'addToken'>;
  readonly officials: OfficialDirectory;
  readonly digests: DigestQueue;
  /** Signs the enterprise's link to the satisfaction form, in its e-mail once the case is resolved. */
  readonly satisfactionLinks: SatisfactionLinkMaker;
  /**
   * Makes the status link of a question e-mail: a new token (only its hash is stored) on the public API's
   * base URL. Without it, a question e-mail says where to find the status page instead.
   */
  readonly statusLinks?: StatusLinks;
}

/** What making a new status link takes: random bytes for the token, the public API's base URL. */
export interface StatusLinks {
  readonly randomBytes: RandomBytes;
  readonly baseUrl: string;
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

/**
 * The open cases of officials as one batch of route messages sees them: each count is read once (no
 * further than asked, and once however many records ask at the same time), then kept up to date with the
 * batch's own assignments. Another router's assignments and closed cases show in the next batch. Which
 * departments were noted as full today is kept too.
 */
export interface OpenCaseBook {
  /** Reads the counts not known yet (or known only below the bound asked for now). */
  read(needed: readonly { readonly id: string; readonly atMost: number }[]): Promise<void>;
  /** The counts as known now (read with the choice that uses them, without an await between). */
  known(): ReadonlyMap<string, OpenCount>;
  /** One more open case for this official (an assignment of this batch). */
  add(id: string): void;
  /**
   * Notes a department as full on a day: asked of the store once per `noted` set (the router keeps one per
   * process) and day, and the store says yes once per day.
   */
  noteFull(department: string, day: string): Promise<boolean>;
}

export function openCaseBook(cases: RoutingStore, noted: Set<string> = new Set()): OpenCaseBook {
  const known = new Map<string, OpenCount>();
  const reading = new Map<string, Promise<void>>();
  const enough = (id: string, atMost: number) => {
    const had = known.get(id);
    return had !== undefined && (had.count < had.atMost || had.atMost >= atMost);
  };
  const readOne = async (id: string, atMost: number): Promise<void> => {
    // A read of this official under way (another record of the batch asked first): wait for it.
    for (let inFlight = reading.get(id); inFlight !== undefined; inFlight = reading.get(id)) await inFlight;
    if (enough(id, atMost)) return;
    const read = cases.openCaseCount(id, atMost).then((count) => {
      // Read again with a higher bound: the batch's own choices may not be written yet, so the table's
      // answer can be lower than what the book knows; the higher of the two is the truth or below it.
      known.set(id, { count: Math.max(count, known.get(id)?.count ?? 0), atMost });
    });
    reading.set(id, read);
    try {
      await read;
    } finally {
      reading.delete(id);
    }
  };
  return {
    async read(needed) {
      await Promise.all(needed.map(({ id, atMost }) => readOne(id, atMost)));
    },
    known: () => known,
    add(id) {
      const had = known.get(id);
      if (had !== undefined) known.set(id, { count: had.count + 1, atMost: had.atMost });
    },
    async noteFull(department, day) {
      const key = `${day}|${department}`;
      if (noted.has(key)) return false;
      noted.add(key);
      return cases.noteDepartmentFull(department, day);
    },
  };
}

export async function routeCase(
  deps: RouteCaseDeps,
  { reference, statusUrl }: RouteRequest,
  book: OpenCaseBook = openCaseBook(deps.cases),
): Promise<void> {
  const found = await deps.cases.get(reference);
  if (found === undefined) throw new CaseNotFoundError(reference);
  if (found.status === 'submitted') return assignAndDeliver(deps, found, statusUrl, book);
  const contact = found.contact;
  if (contact === undefined) return;
  if (found.status === 'resolved') {
    // Resolved (the official's resolve queued it): the enterprise is asked once how it went; nothing else
    // of the assignment goes out any more.
    const url = deps.satisfactionLinks({ reference, lang: found.request.language });
    await deliverOnce(deps, found, {
      notifications: closingNotifications(found, contact, deps.municipality, url),
      from: deps.municipality.sender,
      scheduleNext: { calendar: deps.municipality.sla.calendar },
    });
    return;
  }
  // Assigned before (a second delivery, the SLA job's requeue, a handover, a question or an answer): send
  // what is missing.
  const questionUrl = await questionLinkOf(deps, found);
  await deliverOnce(deps, found, {
    notifications: notificationsOf(deps, found, contact, statusUrl, questionUrl),
    digests: routingDigests(found, contact, deps.municipality),
    from: deps.municipality.sender,
    scheduleNext: { calendar: deps.municipality.sla.calendar },
  });
}

const notificationsOf = (
  deps: RouteCaseDeps,
  c: Case,
  contact: Contact,
  statusUrl: string | undefined,
  questionUrl?: string,
) =>
  routingNotifications(
    c,
    contact,
    deps.municipality,
    statusUrl,
    actionUrlsFor(deps.links, c, contact),
    questionUrl,
  );

/**
 * The status link of the open question's e-mail, while it is still to go out and nobody else is sending it:
 * a new token whose hash is added to the case's status links with one conditional write (as a replayed
 * submission adds one), before the e-mail is claimed. The enterprise's tokens are stored only as hashes, so
 * the e-mail gets a link of its own; one made for a send that then fails is never shown to anyone.
 */
async function questionLinkOf(deps: RouteCaseDeps, c: Case): Promise<string | undefined> {
  const links = deps.statusLinks;
  const open = openQuestion(c);
  if (links === undefined || open === undefined) return undefined;
  const kind = { type: 'question', round: open.round } as const;
  const claim = c.sending[notificationKey(kind)];
  if (sentIn(c.notifications)(kind) || (claim !== undefined && Date.parse(claim) > deps.clock().getTime()))
    return undefined;
  const token = newToken(links.randomBytes);
  const same = { requestHash: c.requestHash, fingerprint: c.fingerprint };
  const added = await deps.cases.addToken(c.reference, hashToken(token), same, MAX_STATUS_LINKS);
  if (added === 'added') return `${links.baseUrl}${statusPathOf(c.reference, token)}`;
  deps.log.warn('no status link for the question e-mail; it says where to find the status page', {
    reference: c.reference,
    outcome: added,
  });
  return undefined;
}

/** Steps 1 to 3 for a submitted case: decide, assign and claim in one write, send, record. */
async function assignAndDeliver(
  deps: RouteCaseDeps,
  c: Case,
  statusUrl: string | undefined,
  book: OpenCaseBook,
): Promise<void> {
  const decision = await decide(deps, c, book);
  const planned = assignedCase(c, decision);
  const notifications = notificationsOf(deps, planned, decision.contact, statusUrl);
  const claimedAt = deps.clock();
  const pending = notifications.filter((n) => !sentIn(c.notifications)(n.kind));
  const assigned = await deps.cases.assign(decision, {
    kinds: pending.map((n) => n.kind),
    until: new Date(claimedAt.getTime() + SENDING_LEASE_MS).toISOString(),
  });
  if (assigned === undefined) {
    // A racing router (or an earlier delivery of this message) assigned it: deliver what it decided.
    return routeCase(deps, { reference: c.reference, statusUrl }, book);
  }
  reportAssignment(deps, c, decision);
  await deliverOnce(deps, assigned, {
    notifications,
    digests: routingDigests(planned, decision.contact, deps.municipality),
    from: deps.municipality.sender,
    claimedAt,
    scheduleNext: { calendar: deps.municipality.sla.calendar },
  });
}

function reportAssignment(deps: RouteCaseDeps, c: Case, decision: Assignment): void {
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
}

async function decide(deps: RouteCaseDeps, c: Case, book: OpenCaseBook): Promise<Assignment> {
  const municipality = deps.municipality;
  const tags = tagDepartments(c.request, municipality);
  const [officials, previousContact] = await Promise.all([
    deps.officials.list(),
    deps.cases.lastContactOf(c.request.organisation.kvkNumber, c.reference),
  ]);
  const now = deps.clock();
  const ranking = rankContacts({
    tags,
    officials,
    previousContact,
    exclude: handedBackBy(c),
    now,
    municipality,
  });
  if ('decided' in ranking) {
    book.add(ranking.decided.contact.id);
    return assign(c, tags, ranking.decided, now, municipality.sla);
  }
  // Counts in rank order, as the choice asks for them. The choice and its place in the book are taken
  // together, with no await between, so parallel records of the batch see each other's choices.
  let choice = chooseByLoad(ranking.tiers, book.known(), c.reference);
  while ('need' in choice) {
    await book.read(choice.need);
    choice = chooseByLoad(ranking.tiers, book.known(), c.reference);
  }
  book.add(choice.chosen.official.id);
  if (choice.overCapacity) await reportFull(deps, c, ranking.department, now, book);
  return assign(c, tags, asContactChoice(choice.chosen), now, municipality.sla);
}

/** Everyone who covers the department is at capacity: a metric per case, and once a day a warning. */
async function reportFull(
  deps: RouteCaseDeps,
  c: Case,
  department: string,
  now: Date,
  book: OpenCaseBook,
): Promise<void> {
  deps.metrics.count('CasesOverCapacity', 1, { department });
  try {
    if (!(await book.noteFull(department, amsterdamDay(now)))) return;
  } catch (error) {
    // The note is for the coordinator's attention; routing the case does not wait on it.
    deps.log.warn('department at capacity not noted', { department, error: errorSummary(error) });
    return;
  }
  deps.metrics.count('DepartmentFull', 1, { department });
  deps.log.warn('every official of the department is at capacity; the least loaded takes new cases', {
    reference: c.reference,
    department,
  });
}
