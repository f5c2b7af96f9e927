import type { RouteMessage } from '../../events/route-message.js';
import { ROUTING_GRACE_MS, SENDING_LEASE_MS } from '../domain/case.js';
import { deferralDelaySeconds } from '../domain/mail-wait.js';
import type { CaseSchedule, Clock, Counter, Log, MailWaitReason, RouteQueue } from '../domain/ports.js';

export interface DeferRoutingDeps {
  readonly queue: RouteQueue;
  readonly cases: CaseSchedule;
  readonly clock: Clock;
  readonly metrics: Counter;
  readonly log: Log;
  /** A draw in [0, 1) for the jitter of the delay. */
  readonly random: () => number;
}

/**
 * Puts a case off while the mail service cannot take its e-mails for a reason that passes (throttled, the
 * sender not verified yet, sending paused): the route message goes back on the queue with a delay that grows
 * with each deferral (`deferralDelaySeconds`), as a new message, so that its receives start again from
 * zero and it never reaches the dead-letter queue for this. The e-mails already sent are recorded and are
 * not sent again; the claims of the refused ones were given up. The SLA job, which queues a case with
 * pending e-mails again after the routing grace, is told to look only after this message's delay.
 * Returns the delay.
 */
export async function deferRouting(
  deps: DeferRoutingDeps,
  message: RouteMessage,
  reason: MailWaitReason,
): Promise<number> {
  const deferral = (message.deferrals ?? 0) + 1;
  const delaySeconds = deferralDelaySeconds(reason, deferral, deps.random());
  await deps.queue.send({ ...message, deferrals: deferral }, { delaySeconds });
  const lookAt = new Date(deps.clock().getTime() + delaySeconds * 1_000 + ROUTING_GRACE_MS);
  await deps.cases.scheduleNext(message.reference, lookAt.toISOString());
  deps.metrics.count('RoutingDeferred');
  deps.log.warn('e-mails put off: the mail service cannot take them yet', {
    reference: message.reference,
    reason,
    deferral,
    delaySeconds,
  });
  return delaySeconds;
}

/**
 * Puts a route message off while another sender holds the claim on one of its case's e-mails (a racing
 * router, a copy of the message, the SLA job's requeue): the message goes back on the queue as a new one,
 * after the longest that claim can still hold (its lease) and a little jitter, and this one succeeds. By then
 * the other sender has recorded the e-mail, or died and its claim expired; either way the copy finishes the
 * case. Failing the message instead would spend its receives on another's lease, and a case whose messages
 * meet each other's leases a few times (crashes, redeliveries) would reach the dead-letter queue with
 * nothing wrong. Returns the delay.
 */
export async function awaitOtherSender(
  deps: Omit<DeferRoutingDeps, 'cases' | 'clock'>,
  message: RouteMessage,
): Promise<number> {
  const delaySeconds = Math.ceil(SENDING_LEASE_MS / 1_000) + Math.floor(deps.random() * 10);
  await deps.queue.send(message, { delaySeconds });
  deps.metrics.count('RoutingAwaitedSender');
  deps.log.info('e-mails put off: another sender is sending them', {
    reference: message.reference,
    delaySeconds,
  });
  return delaySeconds;
}
