import { scheduleTickSchema } from '../../events/schedule-tick.js';
import { type RunSlaJobDeps, runSlaJob, type SlaRun } from '../use-cases/run-sla-job.js';

export { SLA_BATCH, SLA_MAX_PER_RUN, type SlaRun } from '../use-cases/run-sla-job.js';

export type SlaDeps = RunSlaJobDeps;

/**
 * The scheduled job: "now" is the moment its trigger names (the EventBridge Scheduler's scheduled time),
 * so any moment can be replayed; the run's summary is its result.
 */
export function createSlaHandler(deps: SlaDeps) {
  return async function handler(event: unknown): Promise<SlaRun> {
    const now = new Date(scheduleTickSchema.parse(event).scheduledTime);
    return runSlaJob(deps, now);
  };
}
