import type { Municipality } from '../../config/schema.js';
import { SENDING_LEASE_MS } from '../domain/case.js';
import type { DigestKey } from '../domain/digest.js';
import { errorSummary } from '../domain/errors.js';
import type { Mail } from '../domain/mail/render.js';
import {
  type Clock,
  type Counter,
  type DigestLedger,
  type Log,
  MailDeferredError,
  type Mailer,
  MailRejectedError,
  type SuppressionList,
} from '../domain/ports.js';
import { SUPPRESSED } from '../domain/sla.js';

/**
 * Sending an overview once per addressee and period (the digests, the monthly reports): claimed with a lease,
 * sent, recorded; and one overview's failure kept from the others.
 */

export interface DigestMailDeps {
  readonly cases: SuppressionList;
  readonly digests: DigestLedger;
  readonly mailer: Mailer;
  readonly municipality: Municipality;
  /** The real time, for the leases on digests being sent. */
  readonly clock: Clock;
  readonly log: Log;
  readonly metrics: Counter;
}

/** What became of one digest in a run. */
export type DigestOutcome =
  | { readonly outcome: 'sent'; readonly cases: number }
  | { readonly outcome: 'nothing' | 'recorded' | 'busy' | 'suppressed' | 'deferred' };

/**
 * One digest, whatever befalls it: its outcome, or undefined when it failed. A failure is named in `failed`
 * (`department:<id>`, `official:<id>`, `coordinator`, `report:<scope>`), counted and logged, and the others go on; the next run
 * tries it again.
 */
export async function attempt(
  deps: Pick<DigestMailDeps, 'metrics' | 'log'>,
  failed: string[],
  key: DigestKey,
  digest: () => Promise<DigestOutcome>,
): Promise<DigestOutcome | undefined> {
  try {
    return await digest();
  } catch (error) {
    failed.push(key.audience === 'coordinator' ? 'coordinator' : `${key.audience}:${key.id}`);
    deps.metrics.count('DigestsFailed');
    deps.log.error('digest not sent; tried again at the next run', {
      audience: key.audience,
      id: key.id,
      period: key.period,
      error: errorSummary(error),
    });
    return undefined;
  }
}

/**
 * Sends a digest at most once: claimed with a lease, sent, recorded with what it listed. An address on the
 * suppression list is recorded as `SUPPRESSED`, not sent. A refusal of the mail service gives the claim up
 * (a deferral is no failure: the next run sends it); any other failure keeps the lease, so that a digest
 * that may have gone out is not sent again before it ends.
 */
export async function sendOnce(
  deps: DigestMailDeps,
  key: DigestKey,
  mail: Mail,
  references: readonly string[],
  complete: boolean,
): Promise<'sent' | 'busy' | 'suppressed' | 'deferred' | 'recorded'> {
  const claimedAt = deps.clock();
  const claim = await deps.digests.claimDigest(key, claimedAt, SENDING_LEASE_MS);
  if (claim === 'busy') return 'busy';
  if (claim === 'sent') return 'recorded';
  let messageId: string;
  try {
    const blocked = await deps.cases.suppressed([mail.to]);
    if (blocked.has(mail.to)) {
      deps.metrics.count('MailSuppressed');
      deps.log.warn('a digest to an address on the suppression list was not sent: fix the address', {
        audience: key.audience,
        id: key.id,
      });
      messageId = SUPPRESSED;
    } else {
      messageId = await deps.mailer.send({ from: deps.municipality.sender, ...mail });
    }
  } catch (error) {
    if (error instanceof MailRejectedError)
      await deps.digests.releaseDigest(key, claimedAt, SENDING_LEASE_MS).catch(() => undefined);
    if (error instanceof MailDeferredError) {
      deps.log.warn('digest put off: the mail service cannot take it yet', {
        id: key.id,
        reason: error.reason,
      });
      return 'deferred';
    }
    throw error;
  }
  const sentAt = deps.clock().toISOString();
  await deps.digests.recordDigest(key, {
    sentAt,
    messageId,
    references,
    ...(complete ? { completedAt: sentAt } : {}),
  });
  if (messageId !== SUPPRESSED) deps.metrics.count('EmailsSent');
  return messageId === SUPPRESSED ? 'suppressed' : 'sent';
}
