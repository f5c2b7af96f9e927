import { scheduleTickSchema } from '../../events/schedule-tick.js';
import { type DigestRun, type RunDigestJobDeps, runDigestJob } from '../use-cases/run-digest-job.js';

export type DigestDeps = RunDigestJobDeps;

/** Some digests failed: they are tried again at the next run, and the function's error alarm tells ops. */
export class DigestsIncompleteError extends Error {
  constructor(readonly run: DigestRun) {
    super(`${run.failed.length} digest(s) failed; they are tried again at the next run`);
    this.name = 'DigestsIncompleteError';
  }
}

/**
 * The digest job: "now" is the moment its trigger names (the schedule's time), so any moment can be replayed
 * (`npm run digest -- --at`). A run in which a digest failed ends in an error after the others.
 */
export function createDigestHandler(deps: DigestDeps) {
  return async function handler(event: unknown): Promise<DigestRun> {
    const now = new Date(scheduleTickSchema.parse(event).scheduledTime);
    const run = await runDigestJob(deps, now);
    if (run.failed.length > 0) throw new DigestsIncompleteError(run);
    return run;
  };
}
