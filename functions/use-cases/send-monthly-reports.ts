import type { DigestKey } from '../domain/digest.js';
import { monthlyReportMail } from '../domain/mail/monthly-report.js';
import type { CaseBatchReader, ClosedCaseIndex, OfficialDirectory, OpenCaseIndex } from '../domain/ports.js';
import {
  type Month,
  type MonthlyReport,
  monthBounds,
  monthlyReport,
  REPORT_LOOKS_BACK_MS,
  type ReportCase,
  reportScopes,
} from '../domain/report.js';
import { attempt, type DigestMailDeps, type DigestOutcome, sendOnce } from './send-digest.js';

/**
 * Send the monthly reports of a month: one per wethouder (their portfolio's departments) and one for the
 * whole municipality (to the coordinator), each once (claimed and recorded like a digest, under the report's
 * day). The cases are read as the coordinator's digest reads them, from the indexes and in batches, never by
 * scanning the table: every open case (each official's and the coordinator inbox's) and every case closed
 * since `REPORT_LOOKS_BACK_MS` before the month began (their ratings come after closing). One failing
 * report does not stop the others; the next run tries it again.
 */

export interface SendMonthlyReportsDeps extends DigestMailDeps {
  readonly cases: DigestMailDeps['cases'] & CaseBatchReader & OpenCaseIndex & ClosedCaseIndex;
  readonly officials: OfficialDirectory;
}

export interface ReportRun {
  readonly month: Month;
  /** Each scope's report: sent, or why not (`recorded`: sent before). */
  readonly reports: Readonly<Record<string, DigestOutcome>>;
  readonly failed: readonly string[];
}

export async function sendMonthlyReports(
  deps: SendMonthlyReportsDeps,
  input: {
    readonly month: Month;
    readonly period: string;
    readonly now: Date;
    /** The cases of `casesOfMonth`, when the caller read them already; else they are read if a report is due. */
    readonly cases?: readonly ReportCase[];
  },
): Promise<ReportRun> {
  const reports: Record<string, DigestOutcome> = {};
  const failed: string[] = [];
  const pending: DigestKey[] = [];
  for (const scope of reportScopes(deps.municipality)) {
    const key: DigestKey = { audience: 'report', id: scope.id, period: input.period };
    if ((await deps.digests.digestRecord(key)) === undefined) pending.push(key);
    else reports[scope.id] = { outcome: 'recorded' };
  }
  if (pending.length === 0) return { month: input.month, reports, failed };
  const cases = input.cases ?? (await casesOfMonth(deps, input.month));
  for (const report of monthlyReports(deps, cases, input)) {
    const key: DigestKey = { audience: 'report', id: report.scope.id, period: input.period };
    if (!pending.some((p) => p.id === key.id)) continue;
    const outcome = await attempt(deps, failed, key, async () => {
      const sent = await sendOnce(deps, key, monthlyReportMail(report, deps.municipality), [], true);
      return sent === 'sent' ? { outcome: 'sent', cases: report.received.total } : { outcome: sent };
    });
    if (outcome !== undefined) reports[report.scope.id] = outcome;
  }
  if (Object.values(reports).some((r) => r.outcome === 'sent'))
    deps.metrics.count(
      'MonthlyReportsSent',
      Object.values(reports).filter((r) => r.outcome === 'sent').length,
    );
  return { month: input.month, reports, failed };
}

/** Every scope's report of the month, from the cases of `casesOfMonth`. */
export function monthlyReports(
  deps: Pick<SendMonthlyReportsDeps, 'municipality'>,
  cases: readonly ReportCase[],
  input: { readonly month: Month; readonly now: Date },
): MonthlyReport[] {
  const m = deps.municipality;
  return reportScopes(m).map((scope) =>
    monthlyReport({ cases, scope, month: input.month, m, now: input.now }),
  );
}

/**
 * The cases a month's report may count: the open ones, and those closed since `REPORT_LOOKS_BACK_MS` before
 * the month (keys from the open- and closed-cases indexes of every official and the coordinator, then read in
 * batches). Cases whose personal data were removed have left the closed-cases index: a report is made at the
 * start of the month after, long before that.
 */
export async function casesOfMonth(
  deps: Pick<SendMonthlyReportsDeps, 'cases' | 'officials'>,
  month: Month,
): Promise<ReportCase[]> {
  const since = new Date(monthBounds(month).start.getTime() - REPORT_LOOKS_BACK_MS);
  const ids = [...(await deps.officials.list()).map((o) => o.id), 'coordinator'];
  const references = await Promise.all(
    ids.map(async (id) => [
      ...(await deps.cases.openCaseReferences(id)),
      ...(await deps.cases.closedCaseReferences(id, since)),
    ]),
  );
  return deps.cases.getMany([...new Set(references.flat())]);
}
