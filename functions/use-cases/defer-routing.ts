import type { RouteMessage } from '../../events/route-message.js';
import { ROUTING_GRACE_MS } from '../domain/case.js';
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
