import { scheduleTickSchema } from '../../events/schedule-tick.js';
import {
  type RetentionRun,
  type RunRetentionJobDeps,
  runRetentionJob,
} from '../use-cases/run-retention-job.js';

export type RetentionDeps = RunRetentionJobDeps;

/** Some cases failed their retention step: they stay due, and the function's error alarm tells ops. */
export class RetentionIncompleteError extends Error {
  constructor(readonly run: RetentionRun) {
    super(`${run.failed.length} case(s) failed their retention step; they stay due`);
    this.name = 'RetentionIncompleteError';
  }
}

/**
 * The daily retention job: "now" is the moment its trigger names (the schedule's time), so any moment can be
 * replayed (`npm run retention -- --at`). A run in which a case failed ends in an error after the others.
 */
export function createRetentionHandler(deps: RetentionDeps) {
  return async function handler(event: unknown): Promise<RetentionRun> {
    const now = new Date(scheduleTickSchema.parse(event).scheduledTime);
    const run = await runRetentionJob(deps, now);
    if (run.failed.length > 0) throw new RetentionIncompleteError(run);
    return run;
  };
}
