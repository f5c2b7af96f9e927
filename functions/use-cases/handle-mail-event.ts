import type { Municipality } from '../../config/schema.js';
import type { BounceEvent, SesEvent } from '../../events/ses-event.js';
import type { ActionClaims } from '../domain/action-link.js';
import { planAction } from '../domain/actions.js';
import { type Candidate, type Case, contactOf, isAvailable } from '../domain/case.js';
import { enterpriseUnreachableMail } from '../domain/mail/enterprise-unreachable.js';
import { type MailTags, mailTagsFrom } from '../domain/mail-tags.js';
import { addresseeOf, notificationKey } from '../domain/notification-kind.js';
import type {
  ActionStore,
  BounceLedger,
  CaseReader,
  CaseSchedule,
  NotificationLedger,
  OfficialDirectory,
  ReachabilityStore,
  SuppressionList,
} from '../domain/ports.js';
import { type DeliverDeps, deliverOnce } from './deliver-once.js';
import { handOver } from './hand-over.js';
import type { QueueForRoutingDeps } from './queue-for-routing.js';

/**
 * Act on what SES tells of an e-mail it took (a mail event, through the configuration set's event destination
 * on AWS, or the local runtime's mailbox simulator).
 * 1. A permanent bounce or a complaint puts each address it names on the suppression list: nothing is sent to
 *    it again (`deliverOnce` reads the list). Transient bounces, deliveries (an out-of-office reply is one)
 *    and other events are counted, nothing more.
 * 2. A permanent bounce of an e-mail of a case (its tags name the case and the kind) is noted on that e-mail's
 *    record, which the case's history shows; then, by whom the e-mail was for:
 *    - the case's contact, an official: they are marked unreachable (no case goes to them until
 *      `npm run officials -- reachable <id>`), and a case they still hold is handed on, to their deputy when
 *      that one can take it, else back to routing (which chooses another official, or the coordinator), with
 *      the normal handover e-mails through the router;
 *    - the enterprise: the case's contact gets one e-mail saying so, with the phone number if given;
 *    - anyone else (a department, the coordinator, the wethouder's office): logged for ops to fix the config.
 * Every step can run again: the event is retried until all of it is done, and each step does its part once
 * (the suppression item, the mark, the handover as a once-only change keyed by the event, the e-mail by kind).
 */

export interface HandleMailEventDeps extends DeliverDeps, QueueForRoutingDeps {
  /** Whose config it serves: the sender, the calendar of a handover. */
  readonly municipality: Municipality;
  readonly cases: CaseReader &
    NotificationLedger &
    CaseSchedule &
    SuppressionList &
    ActionStore &
    BounceLedger;
  readonly officials: OfficialDirectory & ReachabilityStore;
}

/** A bounce of an e-mail whose record is not written yet (SES can be faster than the sender): retried. */
export class BounceBeforeRecordError extends Error {
  constructor(
    readonly reference: string,
    readonly notification: string,
  ) {
    super(`case ${reference} has no record of its ${notification} e-mail yet`);
    this.name = 'BounceBeforeRecordError';
  }
}

export async function handleMailEvent(deps: HandleMailEventDeps, event: SesEvent): Promise<void> {
  switch (event.eventType) {
    case 'Delivery':
      deps.metrics.count('MailDelivered', event.delivery.recipients.length);
      return;
    case 'Complaint': {
      const at = new Date(event.complaint.timestamp);
      for (const { emailAddress } of event.complaint.complainedRecipients)
        await deps.cases.suppress(emailAddress, 'complaint', at);
      deps.metrics.count('MailComplained', event.complaint.complainedRecipients.length);
      deps.log.warn('an e-mail was marked as spam: its address is suppressed', tagsForLog(event.mail.tags));
      return;
    }
    case 'Bounce':
      deps.metrics.count('MailBounced', event.bounce.bouncedRecipients.length, {
        bounceType: event.bounce.bounceType,
      });
      if (event.bounce.bounceType === 'Permanent') await permanentBounce(deps, event);
      return;
    default:
      deps.metrics.count('MailEventsIgnored');
  }
}

async function permanentBounce(deps: HandleMailEventDeps, event: BounceEvent): Promise<void> {
  const at = new Date(event.bounce.timestamp);
  const addresses = event.bounce.bouncedRecipients.map((r) => r.emailAddress);
  for (const address of addresses) await deps.cases.suppress(address, 'bounce', at);
  const tags = mailTagsFrom(event.mail.tags);
  if (tags === undefined) {
    deps.log.warn('an e-mail without a case bounced: its address is suppressed');
    return;
  }
  const note = await deps.cases.noteBounce(tags.reference, tags.kind, at);
  if (note.outcome === 'missing') {
    deps.log.warn('an e-mail of a case we do not have bounced', tagsForLog(event.mail.tags));
    return;
  }
  // SES may tell of the bounce before the sender wrote the e-mail's record: retried.
  if (note.outcome === 'unrecorded')
    throw new BounceBeforeRecordError(tags.reference, notificationKey(tags.kind));
  const { c } = note;
  switch (addresseeOf(tags.kind)) {
    case 'contact':
      return contactBounced(deps, c, tags, addresses, event.mail.messageId, at);
    case 'enterprise':
      return enterpriseBounced(deps, c, note.outcome === 'noted');
    case 'other':
      deps.log.warn('an e-mail to a department, the coordinator or the wethouder bounced: fix the address', {
        reference: c.reference,
        notification: notificationKey(tags.kind),
      });
  }
}

const lower = (address: string) => address.trim().toLowerCase();

async function contactBounced(
  deps: HandleMailEventDeps,
  c: Case,
  tags: MailTags,
  addresses: readonly string[],
  sesMessageId: string,
  at: Date,
): Promise<void> {
  const bounced = new Set(addresses.map(lower));
  const officials = await deps.officials.list();
  const official = officials.find((o) => bounced.has(lower(o.email)));
  if (official === undefined) {
    // The coordinator inbox, or an official whose address changed since: nobody to mark.
    deps.log.warn("an e-mail to a case's contact bounced, and no official has that address", {
      reference: c.reference,
      notification: notificationKey(tags.kind),
    });
    return;
  }
  if (await deps.officials.markUnreachable(official.id, at)) {
    deps.metrics.count('OfficialUnreachable');
    deps.log.warn('an official is marked unreachable: an e-mail to their address bounced for good', {
      official: official.id,
      reference: c.reference,
    });
  }
  if (c.status !== 'assigned' || c.contact?.id !== official.id) return;
  const now = deps.clock();
  const deputy = deputyFor(official, officials, bounced, now);
  const claims: ActionClaims = {
    id: `bounce-${sesMessageId}`,
    reference: c.reference,
    official: official.id,
    action: 'hand-over',
    lang: official.language,
    expiresAt: now.toISOString(),
  };
  const change = planAction(c, claims, now, deps.municipality.sla.calendar, {
    handOverTo: deputy === undefined ? 'routing' : contactOf(deputy),
  });
  const history = { ...change.history, because: 'unreachable' as const };
  if (!(await deps.cases.applyAction({ ...change, history }))) return;
  deps.metrics.count('CasesHandedOnUnreachable');
  deps.log.info('case handed on from an unreachable official', {
    reference: c.reference,
    official: official.id,
    to: deputy?.id ?? 'routing',
  });
  await handOver(deps, c.reference);
}

/** The official's deputy, when they can take the case now (present, reachable, another address). */
function deputyFor(
  official: Candidate,
  officials: readonly Candidate[],
  bounced: ReadonlySet<string>,
  now: Date,
): Candidate | undefined {
  const deputy = officials.find((o) => o.id === official.deputy);
  return deputy !== undefined &&
    deputy.id !== official.id &&
    isAvailable(deputy, now) &&
    !bounced.has(lower(deputy.email))
    ? deputy
    : undefined;
}

async function enterpriseBounced(deps: HandleMailEventDeps, c: Case, first: boolean): Promise<void> {
  if (first) deps.metrics.count('EnterpriseUnreachable');
  const contact = c.contact;
  // A closed case needs nobody to reach the enterprise; one back in routing gets a contact, who then learns
  // of the address through the case's history (the router's e-mail to the enterprise is suppressed).
  if (c.status !== 'assigned' || contact === undefined) return;
  await deliverOnce(deps, c, {
    notifications: [
      {
        kind: { type: 'enterpriseUnreachable' },
        mail: enterpriseUnreachableMail(c, contact, deps.municipality),
      },
    ],
    from: deps.municipality.sender,
  });
}

/** What of an event's tags may be logged: the case's reference (no address is in a tag). */
function tagsForLog(tags: Readonly<Record<string, readonly string[]>>): Record<string, unknown> {
  const named = mailTagsFrom(tags);
  return named === undefined ? {} : { reference: named.reference, notification: notificationKey(named.kind) };
}
