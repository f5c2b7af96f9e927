import type { Municipality } from '../../config/schema.js';
import { routeMessage } from '../../events/route-message.js';
import { scheduleTickSchema } from '../../events/schedule-tick.js';
import type { ActionLinkMaker } from '../domain/action-link.js';
import { actionUrlsFor } from '../domain/actions.js';
import { addWorkingDays } from '../domain/calendar.js';
import { AGE_BUCKETS, type Case, leadDepartment, openCasesByAge, ROUTING_GRACE_MS } from '../domain/case.js';
import { routingPending, slaNotifications } from '../domain/mail.js';
import type {
  CaseStore,
  Clock,
  Counter,
  Log,
  Mailer,
  OfficialDirectory,
  RouteQueue,
} from '../domain/ports.js';
import { dueSteps, nextStepAt, SUPERSEDED, stepKinds } from '../domain/sla.js';
import { deliverOnce } from '../shared/deliver.js';

export interface SlaDeps {
  readonly cases: CaseStore;
  /** Whose open cases the hourly open-cases figure counts (with the coordinator inbox). */
  readonly officials: OfficialDirectory;
  /** The job's rate: the run in the first `rateMinutes` of each hour reports the open cases by age. */
  readonly rateMinutes: number;
  readonly queue: RouteQueue;
  readonly mailer: Mailer;
  readonly municipality: Municipality;
  /** The real time, for the leases on e-mails being sent; "now" of the job comes from its trigger. */
  readonly clock: Clock;
  /** Signs the action links in the contact's reminders. */
  readonly links: ActionLinkMaker;
  readonly log: Log;
  readonly metrics: Counter;
}

/** Cases read per query; a run reads pages until nothing is due or it has seen this many. */
export const SLA_BATCH = 100;
export const SLA_MAX_PER_RUN = 1_000;

const STEP_METRICS = {
  reminder: 'SlaReminders',
  breach: 'SlaBreaches',
  escalation: 'SlaEscalations',
} as const;

export interface SlaRun {
  readonly now: string;
  readonly due: number;
  readonly requeued: number;
  readonly steps: number;
  readonly emails: number;
  readonly failed: number;
}

/**
 * The scheduled job. It reads only what is due (the sparse `due` index: a case is in it only while it waits
 * for routing or a clock runs), at the moment its trigger names, so any moment can be replayed:
 * - a case still waiting for routing after the grace period (its message was lost) is queued again, and
 *   so is an assignment or handover whose e-mails have not all gone out;
 * - each due step of a running clock fires once: the reminder before the due moment, the breach (contact,
 *   coordinator, and for the first contact an honest note to the enterprise), the escalation to the
 *   wethouder's office. Running the job twice at the same moment sends nothing twice.
 * One failing case does not stop the others; it stays due and is tried again at the next run.
 */
export function createSlaHandler(deps: SlaDeps) {
  const m = deps.municipality;

  async function runClocks(c: Case, now: Date): Promise<{ steps: number; emails: number }> {
    const sent = (kind: string) => c.notifications[kind] !== undefined;
    const due = dueSteps(c.clocks, now, sent);
    // When the job sees a clock late (e.g. after downtime), a reminder "due tomorrow" after the breach is
    // noise: it is recorded as superseded, not sent. The breach and the escalation are always sent.
    const superseded = due.filter(
      (s) => s.step === 'reminder' && due.some((t) => t.clock === s.clock && t.step !== 'reminder'),
    );
    for (const s of superseded)
      for (const kind of stepKinds(s.clock, s.step))
        if (!sent(kind)) await deps.cases.recordNotification(c.reference, kind, SUPERSEDED, deps.clock());
    const steps = due.filter((s) => !superseded.includes(s));
    const newExpected = addWorkingDays(now, m.sla.lateNoticeWorkingDays, m.sla.calendar).due;
    const links = c.contact === undefined ? undefined : actionUrlsFor(deps.links, c, c.contact);
    const emails = await deliverOnce(
      deps,
      c,
      steps.flatMap((s) => slaNotifications(c, s.clock, s.step, m, newExpected, links)),
      m.sender,
    );
    for (const s of steps) {
      deps.metrics.count(STEP_METRICS[s.step]);
      // A promise broken, per lead department (the dashboard sets it against SlaMet).
      if (s.step === 'breach') deps.metrics.count('SlaBreached', 1, { department: leadDepartment(c) });
    }
    const after = (await deps.cases.get(c.reference)) ?? c;
    await deps.cases.scheduleNext(
      c.reference,
      nextStepAt(after.clocks, (kind) => after.notifications[kind] !== undefined),
    );
    return { steps: steps.length, emails };
  }

  /**
   * Once an hour: the open cases by age, as a gauge (one reading per bucket). It reads the open-cases index
   * of every official and the coordinator inbox, keys only: a few items per open case, not the closed ones.
   */
  async function reportOpenCases(now: Date): Promise<void> {
    try {
      const ids = [...(await deps.officials.list()).map((o) => o.id), 'coordinator'];
      const byAge = openCasesByAge(await deps.cases.openCaseSubmissions(ids), now);
      for (const { label } of AGE_BUCKETS) deps.metrics.count('OpenCases', byAge[label], { age: label });
    } catch (error) {
      deps.log.warn('open cases by age not reported', { error });
    }
  }

  return async function handler(event: unknown): Promise<SlaRun> {
    const now = new Date(scheduleTickSchema.parse(event).scheduledTime);
    const seen = new Set<string>();
    let requeued = 0;
    let steps = 0;
    let emails = 0;
    let failed = 0;
    // Each query starts at the front of the index, where cases that failed in this run stay: the next
    // query asks for as many more as were seen, so failing cases never hide the ones behind them.
    for (let limit = SLA_BATCH; ; limit = seen.size + SLA_BATCH) {
      const page = await deps.cases.due(now, limit);
      const due = page.filter((reference) => !seen.has(reference));
      for (const reference of due) {
        seen.add(reference);
        try {
          const c = await deps.cases.get(reference);
          if (c?.status === 'submitted') {
            await deps.queue.send(routeMessage(reference));
            await deps.cases.postpone(reference, new Date(now.getTime() + ROUTING_GRACE_MS));
            requeued++;
          } else if (c !== undefined) {
            const done = await runClocks(c, now);
            steps += done.steps;
            emails += done.emails;
            // An assignment or handover whose e-mails have not all gone out (its message was lost): queue
            // it again; the router sends what is missing.
            if (routingPending(c, m)) {
              await deps.queue.send(routeMessage(reference));
              await deps.cases.postpone(reference, new Date(now.getTime() + ROUTING_GRACE_MS));
              requeued++;
            }
          }
        } catch (error) {
          failed++;
          deps.metrics.count('SlaJobFailures');
          deps.log.error('SLA job: case not handled; it stays due', { reference, error });
        }
      }
      if (page.length < limit || due.length === 0 || seen.size >= SLA_MAX_PER_RUN) break;
    }
    if (now.getUTCMinutes() < deps.rateMinutes) await reportOpenCases(now);
    if (requeued > 0) {
      deps.metrics.count('CasesRequeued', requeued);
      deps.log.warn('cases queued again for routing', { requeued });
    }
    return { now: now.toISOString(), due: seen.size, requeued, steps, emails, failed };
  };
}
