import { type Case, SENDING_LEASE_MS } from '../domain/case.js';
import type { Notification } from '../domain/mail.js';
import type { CaseStore, Clock, Counter, Mailer } from '../domain/ports.js';

/** Another invocation is sending this e-mail right now: retry later, when it has either recorded it or died. */
export class SendingInProgressError extends Error {
  constructor(
    readonly reference: string,
    readonly kind: string,
  ) {
    super(`the ${kind} e-mail of case ${reference} is being sent by another invocation`);
    this.name = 'SendingInProgressError';
  }
}

export interface DeliverDeps {
  readonly cases: CaseStore;
  readonly mailer: Mailer;
  readonly clock: Clock;
  readonly metrics: Counter;
}

/**
 * Sends each notification of a case at most once per kind: claimed with a lease before sending, recorded
 * after. A kind already recorded is skipped; a kind another sender holds makes this call throw, so the
 * message or job run is retried once that sender has finished or its lease has passed. The one gap: a
 * sender that dies after the mail service accepted the e-mail and before the record; its retry sends it
 * again (at least once, never lost).
 */
export async function deliverOnce(
  deps: DeliverDeps,
  c: Case,
  notifications: readonly Notification[],
  from: string,
): Promise<number> {
  let sent = 0;
  for (const { kind, mail } of notifications) {
    if (c.notifications[kind] !== undefined) continue;
    const claim = await deps.cases.claimNotification(c.reference, kind, deps.clock(), SENDING_LEASE_MS);
    if (claim === 'busy') throw new SendingInProgressError(c.reference, kind);
    if (claim === 'sent') continue;
    const messageId = await deps.mailer.send({ from, ...mail });
    await deps.cases.recordNotification(c.reference, kind, messageId, deps.clock());
    deps.metrics.count('EmailsSent');
    sent++;
  }
  return sent;
}
