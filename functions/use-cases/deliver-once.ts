import type { CalendarConfig } from '../../config/calendar.js';
import type { Municipality } from '../../config/schema.js';
import type { ActionLinkMaker } from '../domain/action-link.js';
import { type Case, SENDING_LEASE_MS } from '../domain/case.js';
import { IN_DIGEST } from '../domain/digest.js';
import type { DepartmentKind, Notification } from '../domain/mail/notifications.js';
import { type NotificationKind, notificationKey, sentIn } from '../domain/notification-kind.js';
import {
  type CaseReader,
  type CaseSchedule,
  type Clock,
  type Counter,
  type DigestQueue,
  type Log,
  MailDeferredError,
  type Mailer,
  MailRejectedError,
  type NotificationLedger,
  type SentNotification,
  type SuppressionList,
} from '../domain/ports.js';
import { nextStepAt, SUPERSEDED, SUPPRESSED } from '../domain/sla.js';

/** Another invocation is sending this e-mail right now: retry later, when it has either recorded it or died. */
export class SendingInProgressError extends Error {
  constructor(
    readonly reference: string,
    readonly kind: NotificationKind,
  ) {
    super(`the ${notificationKey(kind)} e-mail of case ${reference} is being sent by another invocation`);
    this.name = 'SendingInProgressError';
  }
}

export interface DeliverDeps {
  readonly cases: NotificationLedger & CaseReader & CaseSchedule & SuppressionList;
  readonly mailer: Mailer;
  readonly clock: Clock;
  readonly metrics: Counter;
  /** Where a department's information goes when it waits for the department's digest (the router's). */
  readonly digests?: DigestQueue;
  /** Waits between the tries of a record (default: a timer); tests pass one that does not wait. */
  readonly pause?: (ms: number) => Promise<void>;
}

/** What a use case that mails a case's contact (with action links) and others needs. */
export interface CaseMailDeps extends DeliverDeps {
  /** Whose e-mails are sent from `sender`, with the departments, officials and coordinator. */
  readonly municipality: Municipality;
  /** Signs the action links in the contact's e-mails. */
  readonly links: ActionLinkMaker;
  readonly log: Log;
}

/**
 * The pauses before each further try of the record of an e-mail the mail service accepted. A record that
 * cannot be written means the e-mail is sent again once its lease has passed, so it is worth a few seconds
 * of a short table outage (a restart, a throttled partition) that outlasts the SDK's own retries.
 */
export const RECORD_RETRY_PAUSES_MS: readonly number[] = [500, 2_000, 5_000];

const timer = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Tries a write that follows an accepted e-mail again after each pause, then gives up (throws). */
async function persist<T>(deps: DeliverDeps, write: () => Promise<T>): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await write();
    } catch (error) {
      const pause = RECORD_RETRY_PAUSES_MS[attempt];
      if (pause === undefined) throw error;
      await (deps.pause ?? timer)(pause);
    }
  }
}

/** What to deliver for a case. */
export interface Delivery {
  readonly notifications: readonly Notification[];
  readonly from: string;
  /** Kinds to record as not needed (`SUPERSEDED`), in the same write as the e-mails sent. */
  readonly superseded?: readonly NotificationKind[];
  /**
   * Departments to put in their next digest instead of e-mailing them now (`deps.digests`): queued first,
   * then recorded as `IN_DIGEST` in the same write as the e-mails sent.
   */
  readonly digests?: readonly DepartmentKind[];
  /** The moment the kinds not yet recorded were claimed already (in the assignment's write). */
  readonly claimedAt?: Date;
  /**
   * Once every kind is recorded, set when the SLA job looks next, from the case's clocks and e-mails as
   * they are then (in the same write as the records, where nothing else changed the case meanwhile), on
   * this calendar's working hours (the municipality's `sla.calendar`).
   */
  readonly scheduleNext?: { readonly calendar: CalendarConfig };
}

/**
 * Sends each notification of a case at most once per kind: claimed with a lease before sending (all kinds
 * in one write), sent in parallel, recorded after (all in one write, with the SLA job's next look). An
 * e-mail to an address on the suppression list (read once for all of them) is not sent and is recorded as
 * `SUPPRESSED`. Each e-mail carries its case and kind as tags, for what SES tells of it later. A kind
 * already recorded is skipped; an e-mail the mail service refused gives its claim up; a kind another sender
 * holds makes this call throw, so the message or job run is retried once that sender has finished or its
 * lease has passed. Where a write's condition fails (a kind recorded or claimed meanwhile, the case changed),
 * it falls back to one write per kind. The record of sent e-mails is tried again for a few seconds. The one
 * gap: a sender that dies after the mail service accepted an e-mail and before the record (or whose record
 * still fails); its retry sends it again once the lease has passed (at least once, never lost).
 * Returns how many e-mails went out.
 */
export async function deliverOnce(deps: DeliverDeps, c: Case, delivery: Delivery): Promise<number> {
  const recorded = sentIn(c.notifications);
  const pending = delivery.notifications.filter((n) => !recorded(n.kind));
  const superseded = (delivery.superseded ?? []).filter((kind) => !recorded(kind));
  const digests = await queueDigests(deps, c, delivery);
  if (pending.length === 0 && superseded.length === 0 && digests.length === 0) {
    if (delivery.scheduleNext) await scheduleIfMoved(deps, c, delivery.scheduleNext.calendar);
    return 0;
  }
  const { claimedAt, claimed } =
    delivery.claimedAt !== undefined
      ? { claimedAt: delivery.claimedAt, claimed: pending }
      : await claim(deps, c.reference, pending);

  const blocked = await suppressedAmong(deps, c.reference, claimed, claimedAt);
  type Outcome =
    | { readonly sent: true; readonly kind: NotificationKind; readonly messageId: string }
    | { readonly sent: false; readonly kind: NotificationKind; readonly error: unknown };
  const outcomes = await Promise.all(
    claimed
      .filter(({ mail }) => !blocked.has(mail.to))
      .map(async ({ kind, mail }): Promise<Outcome> => {
        try {
          const tags = { reference: c.reference, kind };
          return {
            sent: true,
            kind,
            messageId: await deps.mailer.send({ from: delivery.from, ...mail, tags }),
          };
        } catch (error) {
          return { sent: false, kind, error };
        }
      }),
  );
  const sent: SentNotification[] = outcomes.flatMap((o) =>
    o.sent ? [{ kind: o.kind, messageId: o.messageId }] : [],
  );
  const failed = outcomes.flatMap((o) => (o.sent ? [] : [o]));
  const suppressed = claimed.filter(({ mail }) => blocked.has(mail.to));
  if (suppressed.length > 0) deps.metrics.count('MailSuppressed', suppressed.length);
  const records = [
    ...sent,
    ...superseded.map((kind) => ({ kind, messageId: SUPERSEDED })),
    ...digests.map((kind) => ({ kind, messageId: IN_DIGEST })),
    ...suppressed.map(({ kind }) => ({ kind, messageId: SUPPRESSED })),
  ];
  // A kind not claimed here was recorded by another sender meanwhile: only a failure leaves one out.
  const complete = failed.length === 0;
  const schedule = complete ? delivery.scheduleNext : undefined;
  if (records.length > 0) await record(deps, c, records, schedule);
  else if (schedule !== undefined) await scheduleIfMoved(deps, c, schedule.calendar);
  if (sent.length > 0) deps.metrics.count('EmailsSent', sent.length);

  // Refused by the mail service (e.g. throttled): nothing went out, so the retry need not wait for the
  // lease. Any other failure (a timeout) may have sent it: the lease stays.
  for (const { kind, error } of failed)
    if (error instanceof MailRejectedError)
      await deps.cases.releaseNotification(c.reference, kind, claimedAt, SENDING_LEASE_MS);
  // A failure that waiting cannot mend is the one to report: the message then fails toward the DLQ
  // instead of being put off (a deferral would only send the same refused e-mail again later).
  const [first] = [
    ...failed.filter((f) => !(f.error instanceof MailDeferredError)),
    ...failed.filter((f) => f.error instanceof MailDeferredError),
  ];
  if (first !== undefined) throw first.error;
  return sent.length;
}

/**
 * Puts the case in the digest of each department of the delivery not recorded yet, and returns those kinds
 * (to record). An entry put before (a retry) stays as it was: a case listed already is not listed again.
 */
async function queueDigests(deps: DeliverDeps, c: Case, delivery: Delivery): Promise<DepartmentKind[]> {
  const recorded = sentIn(c.notifications);
  const kinds = (delivery.digests ?? []).filter((kind) => !recorded(kind));
  if (kinds.length === 0) return [];
  const queue = deps.digests;
  if (queue === undefined) throw new Error('a delivery with digests needs a digest queue');
  const at = deps.clock();
  await Promise.all(kinds.map((kind) => queue.enqueue(kind.department, c.reference, at)));
  return kinds;
}

/**
 * The addresses among the claimed e-mails' that are on the suppression list (one read). Where it cannot be
 * read, nothing was sent: the claims are given up, so that the retry need not wait for their lease.
 */
async function suppressedAmong(
  deps: DeliverDeps,
  reference: string,
  claimed: readonly Notification[],
  claimedAt: Date,
): Promise<ReadonlySet<string>> {
  if (claimed.length === 0) return new Set();
  try {
    return await deps.cases.suppressed([...new Set(claimed.map((n) => n.mail.to))]);
  } catch (error) {
    for (const { kind } of claimed)
      await deps.cases
        .releaseNotification(reference, kind, claimedAt, SENDING_LEASE_MS)
        .catch(() => undefined);
    throw error;
  }
}

/** The claims on the pending kinds: one write for all, else one per kind (dropping those sent meanwhile). */
async function claim(
  deps: DeliverDeps,
  reference: string,
  pending: readonly Notification[],
): Promise<{ claimedAt: Date; claimed: readonly Notification[] }> {
  const claimedAt = deps.clock();
  const kinds = pending.map((n) => n.kind);
  if (await deps.cases.claimNotifications(reference, kinds, claimedAt, SENDING_LEASE_MS))
    return { claimedAt, claimed: pending };
  const claimed: Notification[] = [];
  for (const n of pending) {
    const result = await deps.cases.claimNotification(reference, n.kind, claimedAt, SENDING_LEASE_MS);
    if (result === 'claimed') claimed.push(n);
    else if (result === 'busy') {
      // Give back what this call claimed, so that whoever holds the busy one can send them all.
      for (const mine of claimed)
        await deps.cases.releaseNotification(reference, mine.kind, claimedAt, SENDING_LEASE_MS);
      throw new SendingInProgressError(reference, n.kind);
    }
  }
  return { claimedAt, claimed };
}

/** The case as it is once these kinds are recorded (what the one write makes of it). */
const withRecorded = (c: Case, records: readonly SentNotification[], at: Date): Case => ({
  ...c,
  notifications: {
    ...c.notifications,
    ...Object.fromEntries(
      records.map((r) => [notificationKey(r.kind), { at: at.toISOString(), messageId: r.messageId }]),
    ),
  },
});

/** Records the e-mails in one write (with the next look); where that fails its condition, one per kind. */
async function record(
  deps: DeliverDeps,
  c: Case,
  records: readonly SentNotification[],
  scheduleNext: Delivery['scheduleNext'],
): Promise<void> {
  const at = deps.clock();
  const after = withRecorded(c, records, at);
  const schedule =
    scheduleNext === undefined
      ? undefined
      : {
          nextAt: nextStepAt(after.clocks, sentIn(after.notifications), scheduleNext.calendar),
          historyLength: c.history.length,
        };
  if (await persist(deps, () => deps.cases.recordNotifications(c.reference, records, at, schedule))) return;
  for (const r of records)
    await persist(deps, () => deps.cases.recordNotification(c.reference, r.kind, r.messageId, at));
  if (scheduleNext === undefined) return;
  const current = await deps.cases.get(c.reference);
  if (current !== undefined) await scheduleIfMoved(deps, current, scheduleNext.calendar);
}

/** Sets when the SLA job looks next at a case whose e-mails are all recorded, when that moved. */
async function scheduleIfMoved(deps: DeliverDeps, c: Case, calendar: CalendarConfig): Promise<void> {
  const next = nextStepAt(c.clocks, sentIn(c.notifications), calendar);
  if (c.nextAt !== next) await deps.cases.scheduleNext(c.reference, next);
}
