import type { MailWaitReason } from './ports.js';

/**
 * How long the router puts a case off while the mail service cannot take its e-mails (`MailDeferredError`):
 * a delay that doubles with each deferral, from a start that fits the reason, up to SQS's longest message
 * delay (15 minutes). Throttling passes in seconds; a sender identity waits for its DNS records or a click,
 * and sending that is paused for a person: both take minutes at least. Jitter (a draw between half and
 * the whole delay) keeps cases that were put off together from all coming back in the same second.
 */
export const FIRST_DELAY_SECONDS: Readonly<Record<MailWaitReason, number>> = {
  throttled: 5,
  notVerified: 60,
  paused: 60,
};

/** SQS's longest DelaySeconds. */
export const MAX_DELAY_SECONDS = 900;

/** The delay before the `deferral`-th new try (1 for the first), given a draw in [0, 1). */
export function deferralDelaySeconds(reason: MailWaitReason, deferral: number, draw: number): number {
  const full = Math.min(MAX_DELAY_SECONDS, FIRST_DELAY_SECONDS[reason] * 2 ** Math.max(0, deferral - 1));
  return Math.max(1, Math.round(full * (0.5 + draw / 2)));
}
