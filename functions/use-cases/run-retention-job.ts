import { amsterdamDay } from '../domain/calendar.js';
import { errorSummary } from '../domain/errors.js';
import type { Counter, Log, RetentionStore } from '../domain/ports.js';
import {
  anonymise,
  deletionRecordOf,
  isDue,
  nextRetention,
  type RetentionStep,
} from '../domain/retention.js';

/**
 * Run the retention job at a moment (its trigger's scheduled time, so any moment can be replayed).
 * 1. Read only what is due on that day (the sparse `retention` index: a closed case is in it until its last
 *    retention step), a page at a time, at most `RETENTION_MAX_PER_RUN` cases; each is read once.
 * 2. A case whose personal data are due to go is replaced by its anonymised record (`anonymised` event),
 *    and its duplicate-check claim is dropped.
 * 3. A case on or past its archive action date is destroyed: its deletion record is kept, then the case is
 *    deleted with what belongs to it.
 * A dry run reads the same and writes nothing. Running the job twice at the same moment does nothing twice;
 * one failing case does not stop the others, it stays due for the next run.
 */

export interface RunRetentionJobDeps {
  readonly cases: RetentionStore;
  readonly log: Log;
  readonly metrics: Counter;
}

/** References read per query, and at most this many a run (the rest is due the next day). */
export const RETENTION_BATCH = 100;
export const RETENTION_MAX_PER_RUN = 5_000;

/** One case the run acted on (or, in a dry run, would have): its reference, the step, the day it was due. */
export interface RetentionAction {
  readonly reference: string;
  readonly step: RetentionStep;
  readonly on: string;
}

/** What a run did (or would do): the job's summary. References only, no personal data. */
export interface RetentionRun {
  readonly now: string;
  readonly day: string;
  readonly dryRun: boolean;
  readonly anonymised: readonly RetentionAction[];
  readonly destroyed: readonly RetentionAction[];
  /** Cases that failed; each stays due. */
  readonly failed: readonly string[];
  /** True when the run stopped at its maximum with more due. */
  readonly more: boolean;
}

export async function runRetentionJob(
  deps: RunRetentionJobDeps,
  now: Date,
  options: { readonly dryRun?: boolean } = {},
): Promise<RetentionRun> {
  const dryRun = options.dryRun === true;
  const day = amsterdamDay(now);
  const anonymised: RetentionAction[] = [];
  const destroyed: RetentionAction[] = [];
  const failed: string[] = [];
  let seen = 0;
  let after: string | undefined;
  let more = false;
  do {
    const page = await deps.cases.retentionDue(day, RETENTION_BATCH, after);
    after = page.next;
    for (const reference of page.references) {
      if (seen >= RETENTION_MAX_PER_RUN) {
        more = true;
        break;
      }
      seen++;
      try {
        const done = await retainOne(deps, reference, now, dryRun);
        if (done?.step === 'anonymise') anonymised.push(done);
        if (done?.step === 'destroy') destroyed.push(done);
      } catch (error) {
        failed.push(reference);
        deps.metrics.count('RetentionFailed');
        deps.log.error('retention step failed', { reference, error: errorSummary(error) });
      }
    }
  } while (after !== undefined && !more);
  if (!dryRun) {
    if (anonymised.length > 0) deps.metrics.count('CasesAnonymised', anonymised.length);
    if (destroyed.length > 0) deps.metrics.count('CasesDestroyed', destroyed.length);
  }
  deps.log.info('retention run', {
    day,
    dryRun,
    anonymised: anonymised.length,
    destroyed: destroyed.length,
    failed: failed.length,
  });
  return { now: now.toISOString(), day, dryRun, anonymised, destroyed, failed, more };
}

/** The step due for one case, taken (unless a dry run); undefined when nothing is due (any more). */
async function retainOne(
  deps: RunRetentionJobDeps,
  reference: string,
  now: Date,
  dryRun: boolean,
): Promise<RetentionAction | undefined> {
  const found = await deps.cases.record(reference);
  if (found === undefined || found.kind === 'destroyed') return undefined;
  const next = nextRetention(found.c);
  if (next === undefined || !isDue(next.on, now)) return undefined;
  const action = { reference, ...next };
  if (dryRun) return action;
  if (next.step === 'destroy') {
    await deps.cases.destroy(found.c, deletionRecordOf(found.c, now));
    return action;
  }
  if (found.kind !== 'case') return undefined;
  return (await deps.cases.anonymise(found.c, anonymise(found.c, now))) ? action : undefined;
}
