import { routeMessage } from '../../events/route-message.js';
import { scheduleTickSchema } from '../../events/schedule-tick.js';
import { ROUTING_GRACE_MS } from '../domain/case.js';
import type { CaseStore, Counter, Log, RouteQueue } from '../domain/ports.js';

export interface SlaDeps {
  readonly cases: CaseStore;
  readonly queue: RouteQueue;
  readonly log: Log;
  readonly metrics: Counter;
}

/** Cases the job handles per run; the rest wait for the next run (they stay due). */
export const SLA_BATCH = 100;

/**
 * The scheduled job. It reads only what is due (a sparse index, never a scan), at the moment its
 * trigger names. Today it has one duty: a case still waiting for routing after the grace period (its
 * route message was lost, e.g. the queue was down at intake) is queued again. SLA reminders and
 * escalations will use the same index.
 */
export function createSlaHandler(deps: SlaDeps) {
  return async function handler(event: unknown): Promise<{ now: string; due: number; requeued: number }> {
    const now = new Date(scheduleTickSchema.parse(event).scheduledTime);
    const due = await deps.cases.due(now, SLA_BATCH);
    let requeued = 0;
    for (const reference of due) {
      const c = await deps.cases.get(reference);
      if (c?.status === 'submitted') {
        await deps.queue.send(routeMessage(reference));
        await deps.cases.postpone(reference, new Date(now.getTime() + ROUTING_GRACE_MS));
        requeued++;
      } else if (c !== undefined) {
        await deps.cases.clearNextAt(reference);
      }
    }
    if (requeued > 0) {
      deps.metrics.count('CasesRequeued', requeued);
      deps.log.warn('cases queued again for routing', { requeued });
    }
    return { now: now.toISOString(), due: due.length, requeued };
  };
}
