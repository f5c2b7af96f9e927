import type { Municipality } from '../../config/schema.js';
import type { ActionLinkMaker, MyCasesLinkMaker } from '../domain/action-link.js';
import { actionUrlsFor } from '../domain/actions.js';
import type { Candidate, Case } from '../domain/case.js';
import {
  coordinatorAgenda,
  type DigestKey,
  type DigestMailbox,
  type DigestMoment,
  dailyMailboxes,
  departmentDigestMoment,
  hasAgenda,
  inDueOrder,
  NOTHING_TO_TELL,
  nextOfficialDigestMoment,
  officialDigestMoment,
  reportMoment,
  standsInFor,
} from '../domain/digest.js';
import { coordinatorDigestMail } from '../domain/mail/coordinator-digest.js';
import { departmentDigestMail } from '../domain/mail/department-digest.js';
import { type DigestCase, officialDigestMail } from '../domain/mail/official-digest.js';
import type {
  CaseBatchReader,
  Clock,
  ClosedCaseIndex,
  Counter,
  DigestLedger,
  DigestQueue,
  Log,
  Mailer,
  OfficialDirectory,
  OpenCaseIndex,
  SuppressionList,
} from '../domain/ports.js';
import { monthBefore } from '../domain/report.js';
import { attempt, type DigestOutcome, sendOnce } from './send-digest.js';
import { type ReportRun, sendMonthlyReports } from './send-monthly-reports.js';

/**
 * Run the digest job at a moment (its trigger's scheduled time, so any moment can be replayed).
 * 1. The departments' digest due at that moment (the last working day's, at `digests.departments.at`): for
 *    each mailbox of the departments informed `daily` (departments sharing a mailbox share one), one e-mail
 *    listing the cases waiting for their digest, in the order they were routed, each with its link to join
 *    in ("Wij denken mee"); nothing when none waits. Each digest is claimed before it is sent and recorded after
 *    with the references it listed, which are then marked as listed: a case is in one digest only, and a
 *    case routed while a digest is being sent waits for the next one.
 * 2. The officials' digest due at that moment (the first working day of the week's, or each working day's,
 *    at `digests.officials.at`): for each available official, one e-mail in their language listing their
 *    open cases in due order (the breached first), with their promises, the working days left and their
 *    action links, and the open cases of each absent colleague who names them as deputy (with the
 *    hand-over link); nothing when there are none. An absent official gets none.
 * 3. The coordinator's digest, at the departments' moment, only when something needs attention: the cases in
 *    the coordinator inbox, the promises broken, the escalations, the officials whose address bounced.
 * 4. The monthly reports, at the departments' moment on the first working day of a month, on the month before:
 *    one per wethouder and one for the municipality (`send-monthly-reports.ts`).
 * Running the job twice at the same moment, or every few minutes all day, sends each digest once. One
 * failing digest does not stop the others; it is tried again at the next run.
 */

export interface RunDigestJobDeps {
  readonly cases: CaseBatchReader & OpenCaseIndex & ClosedCaseIndex & SuppressionList;
  readonly digests: DigestQueue & DigestLedger;
  /** Who gets an official's digest, who is away and who stands in. */
  readonly officials: OfficialDirectory;
  /** Signs the action links in the officials' digests, and the departments' links to join a case. */
  readonly links: ActionLinkMaker;
  /** Signs the link to each official's "Mijn zaken" page in their digest, valid until the next one. */
  readonly myCases: MyCasesLinkMaker;
  readonly mailer: Mailer;
  readonly municipality: Municipality;
  /** The real time, for the leases on digests being sent; "now" of the job is its argument. */
  readonly clock: Clock;
  readonly log: Log;
  readonly metrics: Counter;
}

export type { DigestOutcome };

/** What a run did: the job's summary (ids and counts, no personal data). */
export interface DigestRun {
  readonly now: string;
  /** The working day of the departments' digest due at `now`. */
  readonly departmentPeriod?: string;
  /**
   * Each daily department mailbox's digest, by the id of its first department (a mailbox that departments
   * share has one digest): sent (with how many cases), or why not.
   */
  readonly departments: Readonly<Record<string, DigestOutcome>>;
  /** The working day of the officials' digest due at `now`. */
  readonly officialPeriod?: string;
  /** Each official's digest: sent (with how many cases, their own and stood in for), or why not. */
  readonly officials: Readonly<Record<string, DigestOutcome | { readonly outcome: 'away' }>>;
  /** The coordinator's digest of the day (at the departments' moment): sent (with how many items), or why not. */
  readonly coordinator?: DigestOutcome;
  /** The monthly reports of the first working day of the month (at the departments' moment): on the month before. */
  readonly reports?: ReportRun;
  /** Digests that failed; each is tried again at the next run. */
  readonly failed: readonly string[];
}

export async function runDigestJob(deps: RunDigestJobDeps, now: Date): Promise<DigestRun> {
  const m = deps.municipality;
  const departments: Record<string, DigestOutcome> = {};
  const failed: string[] = [];
  const moment = departmentDigestMoment(now, m.digests, m.sla.calendar);
  if (moment !== undefined)
    for (const mailbox of dailyMailboxes(m)) {
      const key = { audience: 'department', id: mailbox.id, period: moment.period } as const;
      const outcome = await attempt(deps, failed, key, () => departmentDigest(deps, mailbox, moment));
      if (outcome !== undefined) departments[mailbox.id] = outcome;
    }
  const officials: Record<string, DigestOutcome | { readonly outcome: 'away' }> = {};
  const officialMoment = officialDigestMoment(now, m.digests, m.sla.calendar);
  const everyone = await deps.officials.list();
  const coordinator =
    moment === undefined
      ? undefined
      : await attempt(
          deps,
          failed,
          { audience: 'coordinator', id: 'coordinator', period: moment.period },
          () => coordinatorDigest(deps, everyone, moment, now),
        );
  if (officialMoment !== undefined) {
    for (const official of everyone) {
      const standingInFor = standsInFor(official, everyone, now);
      if (standingInFor === undefined) {
        officials[official.id] = { outcome: 'away' };
        continue;
      }
      const key = { audience: 'official', id: official.id, period: officialMoment.period } as const;
      const outcome = await attempt(deps, failed, key, () =>
        officialDigest(deps, official, standingInFor, officialMoment, now),
      );
      if (outcome !== undefined) officials[official.id] = outcome;
    }
  }
  const reportAt = reportMoment(now, m.digests, m.sla.calendar);
  const reports =
    reportAt === undefined
      ? undefined
      : await sendMonthlyReports(deps, { month: monthBefore(reportAt.at), period: reportAt.period, now });
  failed.push(...(reports?.failed ?? []));
  const sent = (outcomes: Record<string, { readonly outcome: string }>) =>
    Object.values(outcomes).filter((d) => d.outcome === 'sent').length;
  if (sent(departments) > 0) deps.metrics.count('DepartmentDigestsSent', sent(departments));
  if (sent(officials) > 0) deps.metrics.count('OfficialDigestsSent', sent(officials));
  return {
    now: now.toISOString(),
    ...(moment === undefined ? {} : { departmentPeriod: moment.period }),
    departments,
    ...(officialMoment === undefined ? {} : { officialPeriod: officialMoment.period }),
    officials,
    ...(coordinator === undefined ? {} : { coordinator }),
    ...(reports === undefined ? {} : { reports }),
    failed,
  };
}

/** Records that a digest had nothing to tell, so that later runs of its period need not look again. */
async function recordNothing(deps: RunDigestJobDeps, key: DigestKey): Promise<DigestOutcome> {
  const at = deps.clock().toISOString();
  await deps.digests.recordDigest(key, {
    sentAt: at,
    messageId: NOTHING_TO_TELL,
    references: [],
    completedAt: at,
  });
  return { outcome: 'nothing' };
}

/**
 * The coordinator's digest of a working day: the cases in the coordinator inbox, the promises broken, the
 * escalations and the unreachable officials, from every open case (each official's and the inbox's, read
 * from the open-cases index and in batches); nothing (recorded) when nothing needs attention.
 */
async function coordinatorDigest(
  deps: RunDigestJobDeps,
  officials: readonly Candidate[],
  moment: DigestMoment,
  now: Date,
): Promise<DigestOutcome> {
  const key: DigestKey = { audience: 'coordinator', id: 'coordinator', period: moment.period };
  if ((await deps.digests.digestRecord(key)) !== undefined) return { outcome: 'recorded' };
  const ids = [...officials.map((o) => o.id), 'coordinator'];
  const references = (await Promise.all(ids.map((id) => deps.cases.openCaseReferences(id)))).flat();
  const open = (await deps.cases.getMany(references)).filter((c) => c.status === 'assigned');
  const agenda = coordinatorAgenda(open, officials, now);
  const listed = [
    ...new Set([...agenda.inbox, ...agenda.breached, ...agenda.escalated].map((c) => c.reference)),
  ];
  if (!hasAgenda(agenda)) return recordNothing(deps, key);
  const mail = coordinatorDigestMail({ agenda, period: moment.period, m: deps.municipality });
  const sent = await sendOnce(deps, key, mail, listed, true);
  const items = listed.length + agenda.unreachable.length;
  return sent === 'sent' ? { outcome: 'sent', cases: items } : { outcome: sent };
}

/**
 * One official's digest of a period: their open cases and those of the absent colleagues they stand in for,
 * read from the open-cases index and in one batch; nothing (recorded) when there are none.
 */
async function officialDigest(
  deps: RunDigestJobDeps,
  official: Candidate,
  standingInFor: readonly Candidate[],
  moment: DigestMoment,
  now: Date,
): Promise<DigestOutcome> {
  const key: DigestKey = { audience: 'official', id: official.id, period: moment.period };
  if ((await deps.digests.digestRecord(key)) !== undefined) return { outcome: 'recorded' };
  const whose = [official, ...standingInFor];
  const references = await Promise.all(whose.map((o) => deps.cases.openCaseReferences(o.id)));
  const cases = await deps.cases.getMany(references.flat());
  const of = (o: Candidate) =>
    inDueOrder(cases.filter((c) => c.status === 'assigned' && c.contact?.id === o.id));
  const own = of(official).map((c) => withLinks(deps, c, 'all'));
  const stoodIn = standingInFor
    .map((away) => ({ official: away, cases: of(away).map((c) => withLinks(deps, c, 'handOver')) }))
    .filter((s) => s.cases.length > 0);
  const listed = [...own, ...stoodIn.flatMap((s) => s.cases)].map(({ c }) => c.reference);
  if (listed.length === 0) return recordNothing(deps, key);
  const { digests, sla } = deps.municipality;
  const mail = officialDigestMail({
    official,
    own,
    standingInFor: stoodIn,
    period: moment.period,
    every: digests.officials.every,
    now,
    m: deps.municipality,
    myCasesUrl: deps.myCases({
      official: official.id,
      lang: official.language,
      expiresAt: nextOfficialDigestMoment(moment.period, digests, sla.calendar),
    }),
  });
  const sent = await sendOnce(deps, key, mail, listed, true);
  return sent === 'sent' ? { outcome: 'sent', cases: listed.length } : { outcome: sent };
}

/** A case with the action links of its contact: all of them, or (for a case stood in for) the hand-over. */
function withLinks(deps: RunDigestJobDeps, c: Case, which: 'all' | 'handOver'): DigestCase {
  const contact = c.contact;
  if (contact === undefined) return { c };
  const links = actionUrlsFor(deps.links, c, contact);
  return { c, links: which === 'all' ? links : { handOver: links.handOver } };
}

/**
 * One mailbox's digest of a period (its department's, or those of the departments sharing it): claimed, the
 * cases waiting for any of them read, sent, recorded, each department's entries marked.
 */
async function departmentDigest(
  deps: RunDigestJobDeps,
  mailbox: DigestMailbox,
  moment: DigestMoment,
): Promise<DigestOutcome> {
  const key: DigestKey = { audience: 'department', id: mailbox.id, period: moment.period };
  const recorded = await deps.digests.digestRecord(key);
  if (recorded !== undefined) {
    // Recorded, but the run that sent it ended before it marked what it listed: finish that now.
    if (recorded.completedAt === undefined)
      await markListed(
        deps,
        key,
        mailbox.departments.map((d) => [d.id, recorded.references]),
      );
    return { outcome: 'recorded' };
  }
  const waiting = await Promise.all(
    mailbox.departments.map(async (d) => [d.id, await deps.digests.waiting(d.id)] as const),
  );
  const references = [...new Set(waiting.flatMap(([, list]) => list))];
  const cases = references.length === 0 ? [] : await deps.cases.getMany(references);
  if (cases.length === 0) {
    // Nothing to tell (or only cases gone since): their entries are done with too.
    for (const [department, list] of waiting)
      if (list.length > 0) await deps.digests.markListed(department, list, moment.period);
    return recordNothing(deps, key);
  }
  const mail = departmentDigestMail({
    mailbox,
    cases: cases.map((c) => ({
      c,
      departments: mailbox.departments.filter((d) =>
        waiting.some(([id, list]) => id === d.id && list.includes(c.reference)),
      ),
    })),
    period: moment.period,
    m: deps.municipality,
    joinUrl: (c, department) =>
      deps.links({ reference: c.reference, official: department.id, lang: 'nl', action: 'join' }),
  });
  const sent = await sendOnce(deps, key, mail, references, false);
  if (sent === 'sent' || sent === 'suppressed') await markListed(deps, key, waiting);
  return sent === 'sent' ? { outcome: 'sent', cases: cases.length } : { outcome: sent };
}

/** Marks the entries a recorded digest listed, per department of its mailbox, then the record as complete. */
async function markListed(
  deps: RunDigestJobDeps,
  key: DigestKey,
  listed: readonly (readonly [string, readonly string[]])[],
) {
  for (const [department, references] of listed)
    if (references.length > 0) await deps.digests.markListed(department, references, key.period);
  await deps.digests.completeDigest(key, deps.clock());
}
