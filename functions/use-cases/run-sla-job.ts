import { routeMessage } from '../../events/route-message.js';
import { actionUrlsFor } from '../domain/actions.js';
import { addWorkingDays, inWorkingHours, nextWorkingMoment } from '../domain/calendar.js';
import { AGE_BUCKETS, type Case, leadDepartment, openCasesByAge, ROUTING_GRACE_MS } from '../domain/case.js';
import { errorSummary } from '../domain/errors.js';
import { routingPending, slaNotifications } from '../domain/mail/notifications.js';
import { sentIn } from '../domain/notification-kind.js';
import {
  type CaseReader,
  type DueCases,
  MailDeferredError,
  type NotificationLedger,
  type OfficialDirectory,
  type OpenCaseIndex,
  type RouteQueue,
  type SuppressionList,
} from '../domain/ports.js';
import { dueSteps, nextStepAt, stepKinds, supersededSteps } from '../domain/sla.js';
import { type CaseMailDeps, deliverOnce } from './deliver-once.js';

/**
 * Run the SLA job at a moment (its trigger's scheduled time, so any moment can be replayed).
 * 1. Read only what is due at that moment (the sparse `due` index: a case is in it only while it waits
 *    for routing or a clock runs), a page at a time from where the last ended, at most `SLA_MAX_PER_RUN`
 *    cases; each due case is read once.
 * 2. A case still waiting for routing after the grace period (its message was lost) is queued again.
 * 3. Each due step of a running clock fires once: the reminder before the due moment, the breach
 *    (contact, coordinator, and for the first contact an honest note to the enterprise), the escalation
 *    to the wethouder's office. A reminder made moot by a later step is recorded as superseded, not sent.
 *    Steps go out within working hours only: one whose moment falls outside waits for the next working
 *    hour, and a run outside working hours sends none (a case it finds due waits for the next one).
 * 4. An assignment or handover whose e-mails have not all gone out is queued again for the router, and a
 *    resolved case whose satisfaction e-mail has not.
 * 5. In the first run of each hour, the open cases by age are reported.
 * Running the job twice at the same moment sends nothing twice. One failing case does not stop the
 * others; it stays due and is tried again at the next run.
 */

/** `clock` is the real time, for the leases on e-mails being sent; "now" of the job is its argument. */
export interface RunSlaJobDeps extends CaseMailDeps {
  readonly cases: CaseReader & DueCases & NotificationLedger & OpenCaseIndex & SuppressionList;
  /** Whose open cases the hourly open-cases figure counts (with the coordinator inbox). */
  readonly officials: OfficialDirectory;
  /** The job's rate: the run in the first `rateMinutes` of each hour reports the open cases by age. */
  readonly rateMinutes: number;
  readonly queue: RouteQueue;
}

/** Cases read per query; a run reads pages until nothing is due or it has seen this many. */
export const SLA_BATCH = 100;
export const SLA_MAX_PER_RUN = 1_000;

const STEP_METRICS = {
  reminder: 'SlaReminders',
  breach: 'SlaBreaches',
  escalation: 'SlaEscalations',
} as const;

/** What a run did: the job's summary. */
export interface SlaRun {
  readonly now: string;
  readonly due: number;
  readonly requeued: number;
  readonly steps: number;
  readonly emails: number;
  readonly failed: number;
  /** Cases whose e-mails the mail service could not take yet (throttled, not verified): due again next run. */
  readonly deferred: number;
}

export async function runSlaJob(deps: RunSlaJobDeps, now: Date): Promise<SlaRun> {
  const seen = new Set<string>();
  const totals = { requeued: 0, steps: 0, emails: 0, failed: 0, deferred: 0 };
  // Each page continues where the last one ended: a case that failed stays due for the next run, and
  // never hides the ones behind it. A case moved within the run (due again already) is handled once.
  let after: string | undefined;
  do {
    const page = await deps.cases.due(now, SLA_BATCH, after);
    for (const reference of page.references) {
      if (seen.has(reference) || seen.size >= SLA_MAX_PER_RUN) continue;
      seen.add(reference);
      try {
        const done = await runCase(deps, reference, now);
        totals.requeued += done.requeued;
        totals.steps += done.steps;
        totals.emails += done.emails;
      } catch (error) {
        // The mail service cannot take the e-mails yet, for a reason that passes: not a failure of the
        // job; the case stays due and the next run sends them (the router's MailWaiting alarm tells why).
        if (error instanceof MailDeferredError) {
          totals.deferred++;
          deps.metrics.count('SlaStepsDeferred');
          deps.log.warn('SLA job: e-mails put off; the case stays due', { reference, reason: error.reason });
          continue;
        }
        totals.failed++;
        deps.metrics.count('SlaJobFailures');
        deps.log.error('SLA job: case not handled; it stays due', { reference, error: errorSummary(error) });
      }
    }
    after = page.next;
  } while (after !== undefined && seen.size < SLA_MAX_PER_RUN);
  if (now.getUTCMinutes() < deps.rateMinutes) await reportOpenCases(deps, now);
  if (totals.requeued > 0) {
    deps.metrics.count('CasesRequeued', totals.requeued);
    deps.log.warn('cases queued again for routing', { requeued: totals.requeued });
  }
  return { now: now.toISOString(), due: seen.size, ...totals };
}

/** Steps 2 to 4 for one due case. */
async function runCase(deps: RunSlaJobDeps, reference: string, now: Date) {
  const c = await deps.cases.get(reference);
  if (c === undefined) return { requeued: 0, steps: 0, emails: 0 };
  if (c.status === 'submitted') {
    await requeue(deps, reference, now);
    return { requeued: 1, steps: 0, emails: 0 };
  }
  if (c.status === 'resolved') {
    // Resolved: no clock runs; only its satisfaction e-mail may still be to go out (its message was lost).
    if (routingPending(c, deps.municipality)) {
      await requeue(deps, reference, now);
      return { requeued: 1, steps: 0, emails: 0 };
    }
    if (c.nextAt !== undefined) await deps.cases.scheduleNext(reference, undefined);
    return { requeued: 0, steps: 0, emails: 0 };
  }
  const done = await runClocks(deps, c, now);
  // An assignment or handover whose e-mails have not all gone out (its message was lost): queue it
  // again; the router sends what is missing.
  if (!routingPending(c, deps.municipality)) return { requeued: 0, ...done };
  await requeue(deps, reference, now);
  return { requeued: 1, ...done };
}

async function requeue(deps: RunSlaJobDeps, reference: string, now: Date): Promise<void> {
  await deps.queue.send(routeMessage(reference));
  await deps.cases.postpone(reference, new Date(now.getTime() + ROUTING_GRACE_MS));
}

/** Step 3: the due steps of a case's running clocks, each sent once; then when to look next. */
async function runClocks(
  deps: RunSlaJobDeps,
  c: Case,
  now: Date,
): Promise<{ steps: number; emails: number }> {
  const municipality = deps.municipality;
  const { calendar } = municipality.sla;
  const sent = sentIn(c.notifications);
  if (!inWorkingHours(now, calendar)) {
    await waitForWorkingHours(deps, c, now);
    return { steps: 0, emails: 0 };
  }
  const { send, superseded } = supersededSteps(dueSteps(c.clocks, now, sent, calendar));
  // The new date the enterprise is promised, as every promise: at the end of its working day.
  const newExpected = addWorkingDays(
    now,
    municipality.sla.lateNoticeWorkingDays,
    calendar,
    municipality.sla.dueAt,
  ).due;
  const links = c.contact === undefined ? undefined : actionUrlsFor(deps.links, c, c.contact);
  // The e-mails of the due steps, the superseded ones and the next look: read once, written once.
  const emails = await deliverOnce(deps, c, {
    notifications: send.flatMap((due) =>
      slaNotifications(c, due.clock, due.step, municipality, newExpected, links),
    ),
    from: municipality.sender,
    superseded: superseded.flatMap((s) => stepKinds(s.clock, s.step)),
    scheduleNext: { calendar },
  });
  for (const s of send) {
    deps.metrics.count(STEP_METRICS[s.step]);
    // A promise broken, per lead department (the dashboard sets it against SlaMet).
    if (s.step === 'breach') deps.metrics.count('SlaBreached', 1, { department: leadDepartment(c) });
  }
  return { steps: send.length, emails };
}

/**
 * Step 3 outside working hours: nothing is sent. A case whose next step is past (the job did not run at its
 * moment, or an action at night left it due) is looked at again at the next working-hours moment, not by
 * every run of the night; one whose next step is ahead is scheduled for it.
 */
async function waitForWorkingHours(deps: RunSlaJobDeps, c: Case, now: Date): Promise<void> {
  const { calendar } = deps.municipality.sla;
  const next = nextStepAt(c.clocks, sentIn(c.notifications), calendar);
  if (next !== undefined && Date.parse(next) <= now.getTime())
    await deps.cases.postpone(c.reference, nextWorkingMoment(now, calendar));
  else if (c.nextAt !== next) await deps.cases.scheduleNext(c.reference, next);
}

/**
 * Step 5: the open cases by age, as a gauge (one reading per bucket). It reads the open-cases index of
 * every official and the coordinator inbox, keys only: a few items per open case, not the closed ones.
 */
async function reportOpenCases(deps: RunSlaJobDeps, now: Date): Promise<void> {
  try {
    const ids = [...(await deps.officials.list()).map((o) => o.id), 'coordinator'];
    const byAge = openCasesByAge(await deps.cases.openCaseSubmissions(ids), now);
    for (const { label } of AGE_BUCKETS) deps.metrics.count('OpenCases', byAge[label], { age: label });
  } catch (error) {
    deps.log.warn('open cases by age not reported', { error: errorSummary(error) });
  }
}
