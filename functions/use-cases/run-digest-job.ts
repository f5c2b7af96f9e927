import type { Department, Municipality } from '../../config/schema.js';
import { SENDING_LEASE_MS } from '../domain/case.js';
import {
  type DigestKey,
  type DigestMoment,
  dailyDepartments,
  departmentDigestMoment,
  NOTHING_TO_TELL,
} from '../domain/digest.js';
import { errorSummary } from '../domain/errors.js';
import { departmentDigestMail } from '../domain/mail/department-digest.js';
import type { Mail } from '../domain/mail/render.js';
import {
  type CaseBatchReader,
  type Clock,
  type Counter,
  type DigestLedger,
  type DigestQueue,
  type Log,
  MailDeferredError,
  type Mailer,
  MailRejectedError,
  type SuppressionList,
} from '../domain/ports.js';
import { SUPPRESSED } from '../domain/sla.js';

/**
 * Run the digest job at a moment (its trigger's scheduled time, so any moment can be replayed).
 * 1. The departments' digest due at that moment (the last working day's, at `digests.departments.at`): for
 *    each department informed `daily`, one e-mail listing the cases waiting for its digest, in the order
 *    they were routed; nothing when none waits. Each digest is claimed before it is sent and recorded after
 *    with the references it listed, which are then marked as listed: a case is in one digest only, and a
 *    case routed while a digest is being sent waits for the next one.
 * Running the job twice at the same moment, or every few minutes all day, sends each digest once. One
 * failing digest does not stop the others; it is tried again at the next run.
 */

export interface RunDigestJobDeps {
  readonly cases: CaseBatchReader & SuppressionList;
  readonly digests: DigestQueue & DigestLedger;
  readonly mailer: Mailer;
  readonly municipality: Municipality;
  /** The real time, for the leases on digests being sent; "now" of the job is its argument. */
  readonly clock: Clock;
  readonly log: Log;
  readonly metrics: Counter;
}

/** What became of one digest in a run. */
export type DigestOutcome =
  | { readonly outcome: 'sent'; readonly cases: number }
  | { readonly outcome: 'nothing' | 'recorded' | 'busy' | 'suppressed' | 'deferred' };

/** What a run did: the job's summary (ids and counts, no personal data). */
export interface DigestRun {
  readonly now: string;
  /** The working day of the departments' digest due at `now`. */
  readonly departmentPeriod?: string;
  /** Each daily department's digest: sent (with how many cases), or why not. */
  readonly departments: Readonly<Record<string, DigestOutcome>>;
  /** Digests that failed; each is tried again at the next run. */
  readonly failed: readonly string[];
}

export async function runDigestJob(deps: RunDigestJobDeps, now: Date): Promise<DigestRun> {
  const m = deps.municipality;
  const departments: Record<string, DigestOutcome> = {};
  const failed: string[] = [];
  const moment = departmentDigestMoment(now, m.digests, m.sla.calendar);
  if (moment !== undefined)
    for (const id of dailyDepartments(m)) {
      const department = m.departments.find((d) => d.id === id);
      if (department === undefined) continue;
      try {
        departments[id] = await departmentDigest(deps, department, moment);
      } catch (error) {
        failed.push(`department:${id}`);
        deps.metrics.count('DigestsFailed');
        deps.log.error('digest not sent; tried again at the next run', {
          department: id,
          period: moment.period,
          error: errorSummary(error),
        });
      }
    }
  const sent = Object.values(departments).filter((d) => d.outcome === 'sent').length;
  if (sent > 0) deps.metrics.count('DepartmentDigestsSent', sent);
  return {
    now: now.toISOString(),
    ...(moment === undefined ? {} : { departmentPeriod: moment.period }),
    departments,
    failed,
  };
}

/** One department's digest of a period: claimed, its cases read, sent, recorded, its entries marked. */
async function departmentDigest(
  deps: RunDigestJobDeps,
  department: Department,
  moment: DigestMoment,
): Promise<DigestOutcome> {
  const key: DigestKey = { audience: 'department', id: department.id, period: moment.period };
  const recorded = await deps.digests.digestRecord(key);
  if (recorded !== undefined) {
    // Recorded, but the run that sent it ended before it marked what it listed: finish that now.
    if (recorded.completedAt === undefined) await markListed(deps, key, recorded.references);
    return { outcome: 'recorded' };
  }
  const waiting = await deps.digests.waiting(department.id);
  const cases = waiting.length === 0 ? [] : await deps.cases.getMany(waiting);
  if (cases.length === 0) {
    // Nothing to tell (or only cases gone since): recorded, so later runs of the period need not look.
    const at = deps.clock();
    await deps.digests.recordDigest(key, {
      sentAt: at.toISOString(),
      messageId: NOTHING_TO_TELL,
      references: [],
      completedAt: at.toISOString(),
    });
    if (waiting.length > 0) await deps.digests.markListed(department.id, waiting, moment.period);
    return { outcome: 'nothing' };
  }
  const mail = departmentDigestMail({ department, cases, period: moment.period, m: deps.municipality });
  const sent = await sendOnce(deps, key, mail, waiting);
  if (sent === 'sent' || sent === 'suppressed') await markListed(deps, key, waiting);
  return sent === 'sent' ? { outcome: 'sent', cases: cases.length } : { outcome: sent };
}

/** Marks the entries a recorded digest listed, then the record as complete. */
async function markListed(deps: RunDigestJobDeps, key: DigestKey, references: readonly string[]) {
  if (references.length > 0) await deps.digests.markListed(key.id, references, key.period);
  await deps.digests.completeDigest(key, deps.clock());
}

/**
 * Sends a digest at most once: claimed with a lease, sent, recorded with what it listed. An address on the
 * suppression list is recorded as `SUPPRESSED`, not sent. A refusal of the mail service gives the claim up
 * (a deferral is no failure: the next run sends it); any other failure keeps the lease, so that a digest
 * that may have gone out is not sent again before it ends.
 */
async function sendOnce(
  deps: RunDigestJobDeps,
  key: DigestKey,
  mail: Mail,
  references: readonly string[],
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
  await deps.digests.recordDigest(key, {
    sentAt: deps.clock().toISOString(),
    messageId,
    references,
  });
  if (messageId !== SUPPRESSED) deps.metrics.count('EmailsSent');
  return messageId === SUPPRESSED ? 'suppressed' : 'sent';
}
