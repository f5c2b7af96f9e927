import type { RouteMessage } from '../../events/route-message.js';
import type { ActionChange } from './actions.js';
import type { Assignment, Candidate, Case } from './case.js';
import type { DigestKey } from './digest.js';
import type { Allowance, LimitKind } from './intake-limits.js';
import type { Mail } from './mail/render.js';
import type { MailTags } from './mail-tags.js';
import type { NotificationKind } from './notification-kind.js';
import type { AnswerChange } from './question.js';
import type { AnonymisedCase, DeletionRecord } from './retention.js';
import type { RatingChange } from './satisfaction.js';

/** What the use cases need from the outside world. Adapters implement these; tests pass fakes. */

/** Reads a case (consistently: a case just written is read as written). */
export interface CaseReader {
  get(reference: string): Promise<Case | undefined>;
}

/** Reads many cases at once (consistently), for an overview. */
export interface CaseBatchReader {
  /** The cases of these references that exist (with their personal data), in the order asked. */
  getMany(references: readonly string[]): Promise<Case[]>;
}

/** Counts requests against the intake's limits (see `intake-limits.ts`). */
export interface RequestCounter {
  /** Counts one request in the allowance's window: `false`, counting nothing, when the window is full. */
  take(allowance: Allowance): Promise<boolean>;
}

/** A window's count of requests as the intake keeps it, until DynamoDB's TTL removes it. */
export interface CountedRequests {
  /** The start of the window (ISO). */
  readonly windowStart: string;
  readonly requests: number;
  /** When the count may be removed (ISO): a day after its window. */
  readonly expiresAt: string;
}

/** Reads the intake's request counts of one key (a person's request about their data reads them). */
export interface RequestCounts {
  /** Every count still stored for this kind and key (`limitKeyOf`), oldest window first. */
  countsOf(kind: LimitKind, key: string): Promise<CountedRequests[]>;
}

/** What submitting a request writes: the new case, the duplicate check, a repeat's status link. */
export interface SubmissionStore {
  /** Stores a new case; `exists` when the reference is taken. */
  create(c: Case): Promise<'created' | 'exists'>;
  /**
   * Claims a request fingerprint for a reference for `windowMs`: returns the reference that owns it, ours
   * if nobody claimed it within the window. `force` takes the claim over whatever holds it.
   */
  claimFingerprint(
    fingerprint: string,
    reference: string,
    now: Date,
    windowMs: number,
    force?: boolean,
  ): Promise<string>;
  /**
   * Adds a status link to an existing case, if the submission is the same request (same request hash or
   * the same fingerprint) and the case has fewer than `max` links.
   */
  addToken(
    reference: string,
    tokenHash: string,
    same: { requestHash: string; fingerprint: string },
    max: number,
  ): Promise<'added' | 'different' | 'full' | 'missing'>;
}

/** Claims on e-mails taken in the same write as the assignment: these kinds, each until `until`. */
export interface NotificationClaim {
  readonly kinds: readonly NotificationKind[];
  /** The end of the lease (ISO), as `claimNotification` would set it. */
  readonly until: string;
}

/** What routing a case reads and writes besides the case: continuity, workload, the assignment. */
export interface RoutingStore {
  /**
   * Applies the routing decision once, and takes the claims on its e-mails in the same conditional write:
   * undefined when the case was no longer `submitted` (nothing is written then).
   */
  assign(assignment: Assignment, claim?: NotificationClaim): Promise<Case | undefined>;
  /** The contact of the enterprise's most recent case other than `except`, if it had one. */
  lastContactOf(kvkNumber: string, except: string): Promise<string | undefined>;
  /**
   * An official's open (assigned, not closed) cases, counted from the open-cases index, not from a counter,
   * and read no further than `atMost`: the answer is `atMost` when they have that many or more.
   */
  openCaseCount(officialId: string, atMost: number): Promise<number>;
  /**
   * Notes that every official of a department was at capacity on `day` (`YYYY-MM-DD`): true for the first
   * note of that day, false when it was noted already (one conditional write).
   */
  noteDepartmentFull(department: string, day: string): Promise<boolean>;
}

/** An e-mail that went out (or, with `SUPERSEDED` as its message id, one recorded as not needed). */
export interface SentNotification {
  readonly kind: NotificationKind;
  readonly messageId: string;
}

/** The record of a case's e-mails: each kind is claimed before it is sent and recorded after. */
export interface NotificationLedger {
  /**
   * Claims the sending of an e-mail of this kind until `now + leaseMs`: `claimed` (send it), `sent`
   * (it went out already) or `busy` (another sender holds a claim that has not expired).
   */
  claimNotification(
    reference: string,
    kind: NotificationKind,
    now: Date,
    leaseMs: number,
  ): Promise<'claimed' | 'sent' | 'busy'>;
  /**
   * Gives up a claim made at `now` with `leaseMs` (the mail service refused the e-mail, so nothing went out):
   * a retry may claim it at once instead of waiting for the lease. A claim that is no longer ours stays.
   */
  releaseNotification(reference: string, kind: NotificationKind, now: Date, leaseMs: number): Promise<void>;
  /**
   * Records that an e-mail of this kind went out (and drops the claim); false when it was already recorded.
   * The stored history does not change: the record is the e-mail's one fact, and `historyOf` shows it.
   * `SUPERSEDED` as the message id records one that was not sent (the history leaves it out).
   */
  recordNotification(
    reference: string,
    kind: NotificationKind,
    messageId: string,
    at: Date,
  ): Promise<boolean>;
  /**
   * Claims all these kinds in one conditional write, as `claimNotification` would each: true when all were
   * free (none sent, no claim that holds); false when any was not, and then nothing was claimed.
   */
  claimNotifications(
    reference: string,
    kinds: readonly NotificationKind[],
    now: Date,
    leaseMs: number,
  ): Promise<boolean>;
  /**
   * Records all these e-mails in one conditional write, as `recordNotification` would each, and with
   * `schedule` sets when the SLA job looks next, if the stored history still has `historyLength` events
   * (no action changed the case since it was read). E-mail records add no events: one made meanwhile by
   * another sender may leave the next look early, never late, and the job then finds nothing due and
   * moves it. False when any kind was recorded already or the history changed; then nothing was written.
   */
  recordNotifications(
    reference: string,
    sent: readonly SentNotification[],
    at: Date,
    schedule?: { readonly nextAt: string | undefined; readonly historyLength: number },
  ): Promise<boolean>;
}

/** A page of due cases, and where the next page starts (an opaque cursor). */
export interface DuePage {
  readonly references: string[];
  readonly next?: string;
}

/** When the SLA job looks at a case next. */
export interface CaseSchedule {
  /** When the SLA job looks at this case next (`undefined`: not any more). */
  scheduleNext(reference: string, nextAt: string | undefined): Promise<void>;
}

/** The SLA job's view of the schedule: what is due, and putting a case off. */
export interface DueCases extends CaseSchedule {
  /**
   * A page of at most `limit` references whose `nextAt` is at or before `now`, oldest first, from `after`
   * (the `next` of the page before); `next` is absent on the last page.
   */
  due(now: Date, limit: number, after?: string): Promise<DuePage>;
  /**
   * Moves `nextAt` of a case that is still open (submitted or assigned), or resolved and still due (its
   * satisfaction e-mail waits); false when it is neither.
   */
  postpone(reference: string, nextAt: Date): Promise<boolean>;
}

/** The open cases per contact, for the open-cases-by-age figure. */
export interface OpenCaseIndex {
  /** When each open case of these contacts was submitted (the open-cases index; no case is read). */
  openCaseSubmissions(contactIds: readonly string[]): Promise<string[]>;
  /** The references of a contact's open cases (the open-cases index, keys only). */
  openCaseReferences(contactId: string): Promise<string[]>;
}

/** The cases an official closed lately, for their "Mijn zaken" page. */
export interface ClosedCaseIndex {
  /**
   * The references of the cases this official resolved at or after `since`, the latest first (the
   * closed-cases index, keys only; a case whose personal data were removed has left it).
   */
  closedCaseReferences(officialId: string, since: Date): Promise<string[]>;
}

/**
 * The cases waiting for a department's next digest: one entry per case and department, put by the router,
 * marked once a digest that lists it was sent. Entries hold the reference only (the digest reads the case).
 */
export interface DigestQueue {
  /** Puts the case in the department's next digest; a second put of the same case changes nothing. */
  enqueue(department: string, reference: string, at: Date): Promise<void>;
  /** The references waiting for the department's next digest, oldest first. */
  waiting(department: string): Promise<string[]>;
  /** Marks these entries as listed in the digest of `period` (they expire some weeks later). */
  markListed(department: string, references: readonly string[], period: string): Promise<void>;
}

/** A digest as recorded: when it went out (or why not), and the cases it listed. */
export interface DigestRecord {
  readonly sentAt: string;
  /** SES's message id, `SUPPRESSED`, or `NOTHING_TO_TELL` when there was nothing to list. */
  readonly messageId: string;
  readonly references: readonly string[];
  /** Set once the cases it listed were marked as listed (a department's digest; at once for the others). */
  readonly completedAt?: string;
}

/** The record of the digests: each is claimed with a lease before it is sent and recorded after, once per period. */
export interface DigestLedger {
  /** Claims a digest until `now + leaseMs`: `claimed` (send it), `sent` (recorded already), `busy` (another holds it). */
  claimDigest(key: DigestKey, now: Date, leaseMs: number): Promise<'claimed' | 'sent' | 'busy'>;
  /** Gives up a claim made at `now` with `leaseMs` (the mail service refused: nothing went out). */
  releaseDigest(key: DigestKey, now: Date, leaseMs: number): Promise<void>;
  /** Records the digest (and drops the claim); false when it was recorded already. */
  recordDigest(key: DigestKey, record: DigestRecord): Promise<boolean>;
  /** Notes that what the recorded digest listed is marked as listed. */
  completeDigest(key: DigestKey, at: Date): Promise<void>;
  /** The digest's record, if it was recorded. */
  digestRecord(key: DigestKey): Promise<DigestRecord | undefined>;
}

/** What an official's action writes. */
export interface ActionStore {
  /**
   * Applies an official's action with one conditional write (the case is assigned to `change.official`,
   * the link is unused, the required clocks still run) and records the link as used; false when a
   * condition failed and nothing changed.
   */
  applyAction(change: ActionChange): Promise<boolean>;
}

/** What the enterprise's answer to the open question writes. */
export interface AnswerStore {
  /**
   * Appends the answer and resumes the paused clocks with one conditional write (the case is assigned and
   * every rewritten clock is still paused as planned, so a second answer or a resume meanwhile refuses it);
   * false when a condition failed and nothing changed.
   */
  answerQuestion(change: AnswerChange): Promise<boolean>;
}

/** What the enterprise's answer to the satisfaction form writes. */
export interface RatingStore {
  /**
   * Appends the `rated` event with one conditional write: the case is resolved, its personal data are not
   * removed, and its history has `change.historyLength` events (as read: no answer was added meanwhile);
   * false when a condition failed and nothing changed.
   */
  recordRating(change: RatingChange): Promise<boolean>;
}

/** What noting a bounce found: the case as it is after the note, or why there was nothing to note. */
export type BounceNote =
  | { readonly outcome: 'noted'; readonly c: Case }
  | { readonly outcome: 'again'; readonly c: Case }
  /** The case has no record of that e-mail (yet: SES can tell before the sender wrote it). */
  | { readonly outcome: 'unrecorded' }
  | { readonly outcome: 'missing' };

/** What SES's bounces write on a case. */
export interface BounceLedger {
  /**
   * Notes on the record of an e-mail of this kind that it bounced for good (one conditional write, which
   * returns the case): `noted` the first time, `again` when it was noted already (then the case is read).
   */
  noteBounce(reference: string, kind: NotificationKind, at: Date): Promise<BounceNote>;
}

/** A case as retention left it: whole, with its personal data removed, or destroyed (its deletion record). */
export type CaseRecord =
  | { readonly kind: 'case'; readonly c: Case }
  | { readonly kind: 'anonymised'; readonly c: AnonymisedCase }
  | { readonly kind: 'destroyed'; readonly record: DeletionRecord };

/**
 * Reads a case whatever retention did to it. `CaseReader.get` returns only a case with its personal data: a
 * case whose personal data were removed is no case the workflow acts on any more.
 */
export interface CaseRecords {
  record(reference: string): Promise<CaseRecord | undefined>;
}

/**
 * Finds the cases of a person: those whose enterprise contact has this e-mail address. There is no index by
 * address, so this reads the whole table: for a person's request about their data, not for the workflow.
 */
export interface ContactCases {
  /** The references of the cases whose contact e-mail is this address (trimmed, in any case). */
  casesOfContact(address: string): Promise<string[]>;
}

/** What the retention job reads and writes. */
export interface RetentionStore extends CaseRecords {
  /**
   * A page of at most `limit` references whose next retention step is on or before `day`, earliest first,
   * from `after` (the `next` of the page before; absent on the last page). Only what is due is read.
   */
  retentionDue(day: string, limit: number, after?: string): Promise<DuePage>;
  /**
   * Replaces the case by its anonymised record (one conditional put: the case is not anonymised yet and its
   * history is as read) and drops its duplicate-check claim; false when the case changed, and nothing was.
   */
  anonymise(c: Case, anonymised: AnonymisedCase): Promise<boolean>;
  /**
   * Keeps the deletion record (a record kept before stays as it is), then deletes the case and its
   * duplicate-check claim: false when the case was gone already or not due on this record's action date.
   */
  destroy(c: Case | AnonymisedCase, deletion: DeletionRecord): Promise<boolean>;
  /** The deletion records of the cases destroyed in `year` (UTC), read from the retention index. */
  destroyedIn(year: number): Promise<DeletionRecord[]>;
}

/** Every operation on the cases: the DynamoDB adapter and the in-memory fake implement them all. */
export interface CaseStore
  extends CaseReader,
    CaseBatchReader,
    SubmissionStore,
    RoutingStore,
    NotificationLedger,
    DueCases,
    OpenCaseIndex,
    ClosedCaseIndex,
    ActionStore,
    AnswerStore,
    RatingStore,
    SuppressionList,
    BounceLedger,
    RetentionStore {
  /** Stops the SLA job from looking at this case (the tests clean up with it). */
  clearNextAt(reference: string): Promise<void>;
}

export interface OfficialDirectory {
  list(): Promise<Candidate[]>;
}

/** Marks an official whose address bounced for good as unreachable (no case goes to them then). */
export interface ReachabilityStore {
  /** True the first time; false when they were marked already, or there is no such official. */
  markUnreachable(id: string, since: Date): Promise<boolean>;
}

export interface RouteQueue {
  /** Queues the message; with `delaySeconds` (at most 900) it becomes visible only after that long. */
  send(message: RouteMessage, options?: { readonly delaySeconds?: number }): Promise<void>;
}

/** An e-mail ready to go: from whom, and (for an e-mail of a case) the tags its events come back with. */
export type OutgoingMail = Mail & { readonly from: string; readonly tags?: MailTags };

export interface Mailer {
  /**
   * Sends and returns the provider's message id. Throws `MailRejectedError` when the mail service answered
   * that it did not take the e-mail (throttled, refused); any other error leaves open whether it went out.
   */
  send(mail: OutgoingMail): Promise<string>;
}

/** Why an address is on the suppression list: it bounced for good, or its owner marked our e-mail as spam. */
export type SuppressionReason = 'bounce' | 'complaint';

/** An address's entry on the suppression list: why, and since when (ISO). */
export interface SuppressionEntry {
  readonly reason: SuppressionReason;
  readonly since: string;
}

/**
 * Addresses nothing is sent to any more (a permanent bounce, a complaint). Stored by a hash of the address
 * in lower case, never the address itself.
 */
export interface SuppressionList {
  /** Which of these addresses are on the list (one read for all of them), in the form they were given. */
  suppressed(addresses: readonly string[]): Promise<ReadonlySet<string>>;
  /** Puts an address on the list; true when it was not on it yet. */
  suppress(address: string, reason: SuppressionReason, at: Date): Promise<boolean>;
  /** The address's entry (any case), or undefined when it is not on the list. */
  suppression(address: string): Promise<SuppressionEntry | undefined>;
}

/** The mail service answered with an error: this e-mail was not sent, so it can be sent again at once. */
export class MailRejectedError extends Error {
  constructor(message: string, cause: unknown) {
    super(message, { cause });
    this.name = 'MailRejectedError';
  }
}

/**
 * Why the mail service did not take an e-mail for now, for a reason that passes without a change to the
 * e-mail: it throttled (the sending rate or the daily quota), the sender's identity is not verified yet
 * (or, in the SES sandbox, the recipient), or sending is paused.
 */
export type MailWaitReason = 'throttled' | 'notVerified' | 'paused';

/** The mail service did not take the e-mail, for a reason that passes: send it again later, not now. */
export class MailDeferredError extends MailRejectedError {
  constructor(
    readonly reason: MailWaitReason,
    message: string,
    cause: unknown,
  ) {
    super(message, cause);
    this.name = 'MailDeferredError';
  }
}

export interface Log {
  info(message: string, ...extra: Record<string, unknown>[]): void;
  warn(message: string, ...extra: Record<string, unknown>[]): void;
  error(message: string, ...extra: Record<string, unknown>[]): void;
}

/**
 * Metrics (CloudWatch EMF on AWS). Dimensions beyond the function's own are for bounded sets only (the
 * departments of the config, the two clocks, a few age buckets): each combination is a metric billed.
 */
export interface Counter {
  count(metric: string, value?: number, dimensions?: Readonly<Record<string, string>>): void;
  /** A duration in milliseconds. */
  duration(metric: string, ms: number): void;
}

export type Clock = () => Date;
