import type { Municipality } from '../../config/schema.js';
import type { ActionLinkMaker } from '../domain/action-link.js';
import { type Case, SENDING_LEASE_MS } from '../domain/case.js';
import type { Notification } from '../domain/mail/notifications.js';
import { type NotificationKind, notificationKey, sentIn } from '../domain/notification-kind.js';
import {
  type Clock,
  type Counter,
  type Log,
  type Mailer,
  MailRejectedError,
  type NotificationLedger,
} from '../domain/ports.js';

/** Another invocation is sending this e-mail right now: retry later, when it has either recorded it or died. */
export class SendingInProgressError extends Error {
  constructor(
    readonly reference: string,
    readonly kind: NotificationKind,
  ) {
    super(`the ${notificationKey(kind)} e-mail of case ${reference} is being sent by another invocation`);
    this.name = 'SendingInProgressError';
  }
}

export interface DeliverDeps {
  readonly cases: NotificationLedger;
  readonly mailer: Mailer;
  readonly clock: Clock;
  readonly metrics: Counter;
  /** Waits between the tries of a record (default: a timer); tests pass one that does not wait. */
  readonly pause?: (ms: number) => Promise<void>;
}

/** What a use case that mails a case's contact (with action links) and others needs. */
export interface CaseMailDeps extends DeliverDeps {
  /** Whose e-mails are sent from `sender`, with the departments, officials and coordinator. */
  readonly municipality: Municipality;
  /** Signs the action links in the contact's e-mails. */
  readonly links: ActionLinkMaker;
  readonly log: Log;
}

/**
 * The pauses before each further try of the record of an e-mail the mail service accepted. A record that
 * cannot be written means the e-mail is sent again once its lease has passed, so it is worth a few seconds
 * of a short table outage (a restart, a throttled partition) that outlasts the SDK's own retries.
 */
export const RECORD_RETRY_PAUSES_MS: readonly number[] = [500, 2_000, 5_000];

const timer = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

async function recordSent(
  deps: DeliverDeps,
  reference: string,
  kind: NotificationKind,
  messageId: string,
): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      await deps.cases.recordNotification(reference, kind, messageId, deps.clock());
      return;
    } catch (error) {
      const pause = RECORD_RETRY_PAUSES_MS[attempt];
      if (pause === undefined) throw error;
      await (deps.pause ?? timer)(pause);
    }
  }
}

/**
 * Sends each notification of a case at most once per kind: claimed with a lease before sending, recorded
 * after. A kind already recorded is skipped; an e-mail the mail service refused gives its claim up; a kind
 * another sender holds makes this call throw, so the message or job run is retried once that sender has
 * finished or its lease has passed. The record of a sent e-mail is tried again for a few seconds. The one
 * gap: a sender that dies after the mail service accepted the e-mail and before the record (or whose record
 * still fails); its retry sends it again (at least once, never lost).
 */
export async function deliverOnce(
  deps: DeliverDeps,
  c: Case,
  notifications: readonly Notification[],
  from: string,
): Promise<number> {
  let sent = 0;
  const recorded = sentIn(c.notifications);
  for (const { kind, mail } of notifications) {
    if (recorded(kind)) continue;
    const claimedAt = deps.clock();
    const claim = await deps.cases.claimNotification(c.reference, kind, claimedAt, SENDING_LEASE_MS);
    if (claim === 'busy') throw new SendingInProgressError(c.reference, kind);
    if (claim === 'sent') continue;
    let messageId: string;
    try {
      messageId = await deps.mailer.send({ from, ...mail });
    } catch (error) {
      // Refused by the mail service (e.g. throttled): nothing went out, so the retry need not wait for the
      // lease. Any other failure (a timeout) may have sent it: the lease stays.
      if (error instanceof MailRejectedError)
        await deps.cases.releaseNotification(c.reference, kind, claimedAt, SENDING_LEASE_MS);
      throw error;
    }
    await recordSent(deps, c.reference, kind, messageId);
    deps.metrics.count('EmailsSent');
    sent++;
  }
  return sent;
}
