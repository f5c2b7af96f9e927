import * as z from 'zod';
import type { Municipality } from '../../config/schema.js';
import type { SlaPolicy } from '../../config/sla.js';
import { type CaseEvent, type Choice, caseEventSchema } from '../../events/case-history.js';
import { storedCaseRequestSchema } from '../../events/case-request.js';
import { type Archive, archiveSchema } from './archive.js';
import { amsterdamDay } from './calendar.js';
import { matchKeywords } from './keywords.js';
import {
  type NotificationKind,
  notificationEvent,
  parseNotificationKey,
  sentIn,
} from './notification-kind.js';
import { nextStepAt, type SlaClocks, SUPERSEDED, SUPPRESSED, slaClockSchema, startClocks } from './sla.js';
import { fingerprintOf, requestHashOf } from './submission.js';

/** Why a department is tagged: a goal of the enterprise, or the type of its request. */
export const tagReasonSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('goal'), goal: z.string() }),
  z.strictObject({ kind: z.literal('requestType'), requestType: z.string() }),
  /** A keyword rule matched the description: the configured phrase and the words that matched it. */
  z.strictObject({ kind: z.literal('keyword'), keyword: z.string(), matched: z.string() }),
]);
export type TagReason = z.infer<typeof tagReasonSchema>;

export const tagSchema = z.strictObject({
  department: z.string(),
  /** The lead department: the one of the enterprise's first goal. */
  lead: z.boolean(),
  reasons: z.array(tagReasonSchema).min(1),
});
export type Tag = z.infer<typeof tagSchema>;

/** The one accountable contact: an official, or the coordinator inbox when nobody fits. */
export const contactSchema = z.strictObject({
  kind: z.enum(['official', 'coordinator']),
  id: z.string(),
  name: z.string(),
  email: z.string(),
  language: z.enum(['nl', 'en']),
  /** The official's departments when chosen: the other touched departments are informed. */
  departments: z.array(z.string()).optional(),
});
export type Contact = z.infer<typeof contactSchema>;

export { type Choice, choiceSchema } from '../../events/case-history.js';

const at = z.iso.datetime({ offset: true });

/** The history of a case: the versioned domain events of `events/case-history.ts`. */
export const historyEventSchema = caseEventSchema;
export type HistoryEvent = CaseEvent;

export const caseStatusSchema = z.enum(['submitted', 'assigned', 'resolved']);
export type CaseStatus = z.infer<typeof caseStatusSchema>;

export const caseSchema = z.strictObject({
  reference: z.string(),
  /**
   * SHA-256 of the status tokens: the tokens themselves are only in the enterprise's status links. A
   * replayed submission (same Idempotency-Key, or the same request within 24 hours) adds a link.
   */
  tokenHashes: z.array(z.string()).min(1),
  /** What makes a submission the same request (enterprise + description): see `submission.ts`. */
  fingerprint: z.string(),
  /** Hash of the whole request, to tell a replay from a reused idempotency key. */
  requestHash: z.string(),
  status: caseStatusSchema,
  submittedAt: at,
  request: storedCaseRequestSchema,
  tags: z.array(tagSchema),
  contact: contactSchema.optional(),
  assignedAt: at.optional(),
  /** E-mails sent, by kind: each kind is sent once per case. */
  notifications: z.record(
    z.string(),
    z.strictObject({
      at,
      messageId: z.string(),
      /** When SES told that it bounced for good (the address does not work). */
      bounced: at.optional(),
    }),
  ),
  /** Claims on e-mails being sent right now, by kind: until when the claim holds. */
  sending: z.record(z.string(), at),
  /** The promises made to the enterprise (first contact, decision), set when the case is assigned. */
  clocks: z
    .strictObject({ firstContact: slaClockSchema.optional(), decision: slaClockSchema.optional() })
    .default({}),
  /** When the SLA job should look at this case next; absent when nothing is pending. */
  nextAt: at.optional(),
  /** Action links that have been used, by link id: each link works once. */
  usedLinks: z.record(z.string(), at).default({}),
  /**
   * The events of the case's actions (submitted, assigned, contacted, paused, ...), as they happened. The
   * e-mails are not stored here: they are in `notifications`, and `historyOf` shows them. Items of earlier
   * versions also hold an event per e-mail (notified, reminded, escalated); `historyOf` shows those once.
   */
  history: z.array(historyEventSchema),
  /** Set when the case is resolved: the result's archive consequences (Selectielijst 2020). */
  archive: archiveSchema.optional(),
  /** Set when the case is resolved: the day its personal data are removed (`retention.anonymiseAfter`). */
  anonymiseOn: z.iso.date().optional(),
});
export type Case = z.infer<typeof caseSchema>;
export type { Archive };

/** Same moment: the e-mails of one write in the order they are about (the assignment, then its news). */
const KIND_ORDER: readonly NotificationKind['type'][] = [
  'assignment',
  'department',
  'enterprise',
  'handover',
  'step',
  'enterpriseUnreachable',
  'joined',
  'question',
  'answer',
  'satisfaction',
];

/**
 * The whole history of a case, in time order: the stored events and one event per e-mail that went out,
 * derived from `notifications` (`notificationEvent`; a superseded or suppressed e-mail was never sent and is
 * left out), and one per e-mail that bounced for good.
 * An e-mail event that an earlier version stored for the same e-mail at the same moment is not repeated.
 * Everything that shows or reads a case's history reads it here.
 */
export function historyOf(c: Pick<Case, 'history' | 'notifications'>): HistoryEvent[] {
  const stored = new Set(
    c.history.flatMap((h) => ('notification' in h ? [`${h.notification} ${h.at}`] : [])),
  );
  const mails = Object.entries(c.notifications)
    .flatMap(([key, { at, messageId }]) => {
      const kind =
        messageId === SUPERSEDED || messageId === SUPPRESSED ? undefined : parseNotificationKey(key);
      return kind === undefined || stored.has(`${key} ${at}`) ? [] : [{ key, kind, at, messageId }];
    })
    .sort(
      (a, b) =>
        KIND_ORDER.indexOf(a.kind.type) - KIND_ORDER.indexOf(b.kind.type) ||
        (a.key < b.key ? -1 : a.key > b.key ? 1 : 0),
    )
    .map(({ kind, at, messageId }) => notificationEvent(kind, at, messageId));
  const bounces = Object.entries(c.notifications).flatMap(([notification, { bounced }]) =>
    bounced === undefined
      ? []
      : [{ type: 'bounced' as const, version: 1 as const, at: bounced, notification }],
  );
  // Stable: at the same moment the stored events come first (the assignment before its e-mails).
  return [...c.history, ...mails, ...bounces].sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
}

/**
 * When a resolved case was closed: its last `resolved` event (a case is resolved once); undefined while
 * it is open.
 */
export const closedAt = (c: Pick<Case, 'status' | 'history'>): string | undefined =>
  c.status === 'resolved' ? c.history.findLast((h) => h.type === 'resolved')?.at : undefined;

/** The enterprise's answer to the satisfaction form (`rated`), if it gave one: a case takes one. */
export const ratingOf = (c: Pick<Case, 'history'>): Extract<HistoryEvent, { type: 'rated' }> | undefined =>
  c.history.find((h): h is Extract<HistoryEvent, { type: 'rated' }> => h.type === 'rated');

/** The departments that joined the case ("Wij denken mee": `joined` events), in the order they did. */
export const joinedDepartments = (c: Pick<Case, 'history'>): string[] => [
  ...new Set(c.history.flatMap((h) => (h.type === 'joined' ? [h.department] : []))),
];

/**
 * How long a claim to send an e-mail holds. Longer than a router invocation may run (30 s), so a live
 * sender is never overtaken; shorter than the queue's visibility timeout (180 s), so the retry of a
 * sender that crashed finds the claim expired and sends.
 */
export const SENDING_LEASE_MS = 60_000;

/** How long a submitted case may wait for the router before the SLA job queues it again. */
export const ROUTING_GRACE_MS = 5 * 60_000;

export function submitCase(input: {
  request: Case['request'];
  reference: string;
  tokenHash: string;
  now: Date;
}): Case {
  const at = input.now.toISOString();
  return {
    reference: input.reference,
    tokenHashes: [input.tokenHash],
    fingerprint: fingerprintOf(input.request),
    requestHash: requestHashOf(input.request),
    status: 'submitted',
    submittedAt: at,
    request: input.request,
    tags: [],
    notifications: {},
    sending: {},
    clocks: {},
    nextAt: new Date(input.now.getTime() + ROUTING_GRACE_MS).toISOString(),
    usedLinks: {},
    history: [{ type: 'submitted', version: 1, at }],
  };
}

/**
 * Every department the case touches, each with its reasons: its goals, its request type, and keyword
 * rules over the description. The first goal's department leads.
 */
export function tagDepartments(request: Case['request'], municipality: Municipality): Tag[] {
  const tags = new Map<string, Tag>();
  const add = (department: string, reason: TagReason) => {
    const tag = tags.get(department);
    if (tag) tag.reasons.push(reason);
    else tags.set(department, { department, lead: tags.size === 0, reasons: [reason] });
  };
  for (const goal of request.goals) {
    const department = municipality.goals.find((g) => g.id === goal)?.department;
    if (department) add(department, { kind: 'goal', goal });
  }
  const byType = municipality.requestTypes.find((t) => t.id === request.requestType)?.department;
  if (byType) add(byType, { kind: 'requestType', requestType: request.requestType });
  for (const match of matchKeywords(request.description, municipality.keywords))
    add(match.department, { kind: 'keyword', keyword: match.keyword, matched: match.matched });
  return [...tags.values()];
}

export interface Candidate {
  readonly id: string;
  readonly name: string;
  readonly email: string;
  readonly language: 'nl' | 'en';
  readonly departments: readonly string[];
  readonly deputy?: string;
  readonly capacity: number;
  readonly absences: readonly { readonly from: string; readonly to: string }[];
  /** Since when their address does not work (an e-mail bounced for good): no case goes to them. */
  readonly unreachable?: { readonly since: string };
}

/** The calendar day of a moment in the municipality's time zone, `YYYY-MM-DD` (the calendar's). */
export { amsterdamDay };

/** An official as a case's contact. */
export const contactOf = (o: Candidate): Contact => ({
  kind: 'official',
  id: o.id,
  name: o.name,
  email: o.email,
  language: o.language,
  departments: [...o.departments],
});

/**
 * Present on the day of `now` (absences are whole days, both ends included) and reachable: an official
 * whose address bounced is away for routing until it is fixed.
 */
export function isAvailable(official: Candidate, now: Date): boolean {
  if (official.unreachable !== undefined) return false;
  const today = amsterdamDay(now);
  return !official.absences.some((a) => a.from <= today && today <= a.to);
}

export interface ContactChoice {
  readonly contact: Contact;
  readonly choice: Choice;
  /** For `deputy`: the official they stand in for. */
  readonly standsInFor?: string;
}

/** Who takes a case when load decides: an official present today, or the deputy who stands in for one. */
export interface Ranked extends ContactChoice {
  readonly official: Candidate;
}

/**
 * The routing choice before workload: decided already (continuity, the coordinator inbox), or officials in
 * tiers of equal rank, best first, among whom open cases and capacity decide.
 */
export type Ranking =
  | { readonly decided: ContactChoice }
  | {
      /** The department whose officials these are: the lead department, or the first tagged one covered. */
      readonly department: string;
      readonly tiers: readonly (readonly Ranked[])[];
    };

/** A ranked official as the case's contact choice (without the directory entry). */
export const asContactChoice = ({ contact, choice, standsInFor }: Ranked): ContactChoice => ({
  contact,
  choice,
  standsInFor,
});

const coordinatorChoice = (municipality: Municipality): ContactChoice => {
  const { name, email, language } = municipality.coordinator;
  return {
    contact: { kind: 'coordinator', id: 'coordinator', name, email, language },
    choice: 'coordinator',
  };
};

/**
 * Ranks the contacts of a case:
 * 1. continuity: the enterprise's contact of an earlier case, while available (else their deputy), decides
 *    at once, whatever their workload: the enterprise keeps the person it knows;
 * 2. otherwise the officials who cover the lead department (or, when none of them is available, those who
 *    cover another tagged department), in tiers by how many tagged departments they cover; an absent
 *    official's deputy stands in, in their place; workload decides within and across tiers (`chooseByLoad`);
 * 3. nobody covering any tag, or nobody available: the coordinator inbox.
 * Officials in `exclude` are never chosen, not even as a deputy.
 */
export function rankContacts(input: {
  readonly tags: readonly Tag[];
  readonly officials: readonly Candidate[];
  /** The contact of the enterprise's most recent earlier case, if any. */
  readonly previousContact?: string;
  /** Officials not to choose (they handed this case back to routing). */
  readonly exclude?: ReadonlySet<string>;
  readonly now: Date;
  readonly municipality: Municipality;
}): Ranking {
  const { tags, now } = input;
  const officials = input.officials.filter((o) => input.exclude?.has(o.id) !== true);
  const byId = new Map(officials.map((o) => [o.id, o]));
  /** The official, or their deputy when they are away; undefined when neither is available. */
  const present = (o: Candidate, choice: Choice): Ranked | undefined => {
    if (isAvailable(o, now)) return { official: o, contact: contactOf(o), choice };
    const deputy = o.deputy === undefined ? undefined : byId.get(o.deputy);
    return deputy !== undefined && isAvailable(deputy, now)
      ? { official: deputy, contact: contactOf(deputy), choice: 'deputy', standsInFor: o.id }
      : undefined;
  };

  const previous = input.previousContact === undefined ? undefined : byId.get(input.previousContact);
  const kept = previous === undefined ? undefined : present(previous, 'continuity');
  if (kept !== undefined) return { decided: asContactChoice(kept) };

  const tagged = new Set(tags.map((t) => t.department));
  const lead = tags.find((t) => t.lead)?.department;
  const covering = officials
    .map((o) => ({
      o,
      leads: lead !== undefined && o.departments.includes(lead),
      covered: o.departments.filter((d) => tagged.has(d)).length,
    }))
    .filter((r) => r.covered > 0)
    .sort(
      (a, b) => Number(b.leads) - Number(a.leads) || b.covered - a.covered || a.o.id.localeCompare(b.o.id),
    );
  const taken = new Set<string>();
  const available = covering.flatMap((r) => {
    const chosen = present(r.o, 'coverage');
    // A deputy who stands in for two officials (or is one of them) is ranked once, at the better place.
    if (chosen === undefined || taken.has(chosen.official.id)) return [];
    taken.add(chosen.official.id);
    return [{ ...r, chosen }];
  });
  const leading = available.filter((r) => r.leads);
  const pool = leading.length > 0 ? leading : available;
  const first = pool[0];
  if (first === undefined) return { decided: coordinatorChoice(input.municipality) };
  const tiers: Ranked[][] = [];
  let covered = Number.NaN;
  for (const r of pool) {
    if (r.covered !== covered) tiers.push([]);
    covered = r.covered;
    tiers[tiers.length - 1]?.push(r.chosen);
  }
  const department =
    lead !== undefined && first.leads
      ? lead
      : (tags.find((t) => first.o.departments.includes(t.department))?.department ?? 'none');
  return { department, tiers };
}

/**
 * How far an official's open cases are counted when everyone is at capacity: up to this many times their
 * capacity. The cost of a count never grows with the backlog, and beyond it the load is taken as equal.
 */
export const OVERFLOW_COUNT_FACTOR = 3;

/** An official's open cases as far as they were counted: `count` is exact below `atMost`, else at least. */
export interface OpenCount {
  readonly count: number;
  readonly atMost: number;
}

/** The counts still to be read, each no further than `atMost`, before the choice can be made. */
export interface CountsNeeded {
  readonly need: readonly { readonly id: string; readonly atMost: number }[];
}

/** The choice by workload: who takes it, and whether everyone was at capacity (then the least loaded). */
export interface LoadChoice {
  readonly chosen: Ranked;
  readonly overCapacity: boolean;
}

/**
 * A stable, capacity-weighted draw of an official for a case (weighted rendezvous hashing): the same case
 * draws the same official, and over many cases each official draws in proportion to their capacity.
 * Lower wins.
 */
function draw(reference: string, official: Candidate): number {
  let hash = 2166136261;
  for (const char of `${reference}|${official.id}`)
    hash = Math.imul(hash ^ (char.codePointAt(0) ?? 0), 16777619);
  const uniform = ((hash >>> 0) + 0.5) / 2 ** 32;
  return -Math.log(uniform) / official.capacity;
}

/**
 * Chooses by workload, reading counts in rank order (`need` says which to read next; call again with them):
 * the first tier with an official below capacity gives the case to the one of them with the fewest open
 * cases relative to capacity (then the lowest id). When every official is at capacity, the least loaded of
 * all takes it (`overCapacity`), counted up to `OVERFLOW_COUNT_FACTOR` times capacity; beyond that (a tie)
 * a draw by the case reference, weighted by capacity, spreads the cases in proportion to capacity.
 */
export function chooseByLoad(
  tiers: readonly (readonly Ranked[])[],
  counts: ReadonlyMap<string, OpenCount>,
  reference: string,
): LoadChoice | CountsNeeded {
  const load = (r: Ranked) => (counts.get(r.official.id)?.count ?? 0) / r.official.capacity;
  const byLoad = (a: Ranked, b: Ranked) => load(a) - load(b) || a.official.id.localeCompare(b.official.id);
  for (const tier of tiers) {
    const need = tier
      .filter((r) => counts.get(r.official.id) === undefined)
      .map((r) => ({ id: r.official.id, atMost: r.official.capacity }));
    if (need.length > 0) return { need };
    const withRoom = tier.filter((r) => (counts.get(r.official.id)?.count ?? 0) < r.official.capacity);
    const [best] = [...withRoom].sort(byLoad);
    if (best !== undefined) return { chosen: best, overCapacity: false };
  }
  const everyone = tiers.flat();
  const need = everyone.flatMap((r) => {
    const known = counts.get(r.official.id);
    const atMost = OVERFLOW_COUNT_FACTOR * r.official.capacity;
    return known !== undefined && (known.count < known.atMost || known.atMost >= atMost)
      ? []
      : [{ id: r.official.id, atMost }];
  });
  if (need.length > 0) return { need };
  const capped = (r: Ranked) =>
    Math.min(counts.get(r.official.id)?.count ?? 0, OVERFLOW_COUNT_FACTOR * r.official.capacity) /
    r.official.capacity;
  const [least] = [...everyone].sort(
    (a, b) => capped(a) - capped(b) || draw(reference, a.official) - draw(reference, b.official),
  );
  if (least === undefined) throw new Error('chooseByLoad needs at least one official');
  return { chosen: least, overCapacity: true };
}

/**
 * Chooses the one accountable contact when every open-case count is known (missing = 0): `rankContacts`,
 * then `chooseByLoad`. The router reads counts as `chooseByLoad` asks instead.
 */
export function chooseContact(
  input: Parameters<typeof rankContacts>[0] & {
    /** Open cases per official id (missing = 0). */
    readonly openCases: ReadonlyMap<string, number>;
    /** The case, to spread ties when everyone is at capacity. */
    readonly reference?: string;
  },
): ContactChoice {
  const ranking = rankContacts(input);
  if ('decided' in ranking) return ranking.decided;
  const counts = new Map(
    ranking.tiers
      .flat()
      .map((r): [string, OpenCount] => [
        r.official.id,
        { count: input.openCases.get(r.official.id) ?? 0, atMost: Number.POSITIVE_INFINITY },
      ]),
  );
  const result = chooseByLoad(ranking.tiers, counts, input.reference ?? '');
  if ('need' in result) throw new Error('every count is known');
  return asContactChoice(result.chosen);
}

/**
 * The routing decision for a submitted case, as the changes to apply. The clocks start at submission; a
 * case handed back to routing keeps the clocks it has (the promises to the enterprise stand).
 */
export function assign(c: Case, tags: Tag[], chosen: ContactChoice, now: Date, policy: SlaPolicy) {
  const at = now.toISOString();
  const { contact, choice, standsInFor } = chosen;
  const clocks: SlaClocks =
    c.clocks.firstContact !== undefined || c.clocks.decision !== undefined
      ? c.clocks
      : startClocks(new Date(c.submittedAt), c.request.requestType, policy);
  // The SLA job looks again once the routing grace has passed: if the e-mails of this assignment have not
  // all gone out by then (the route message was lost), it queues the case again.
  const next = nextStepAt(clocks, sentIn(c.notifications), policy.calendar);
  const retry = new Date(now.getTime() + ROUTING_GRACE_MS).toISOString();
  return {
    status: 'assigned' as const,
    tags,
    contact,
    assignedAt: at,
    clocks,
    nextAt: next !== undefined && next < retry ? next : retry,
    history: {
      type: 'assigned' as const,
      version: 1 as const,
      at,
      contact: contact.id,
      departments: tags.map((t) => t.department),
      choice,
      standsInFor,
    } satisfies HistoryEvent,
    reference: c.reference,
  };
}
export type Assignment = ReturnType<typeof assign>;

/** The case as the assignment makes it (what the store's conditional write stores). */
export function assignedCase(c: Case, a: Assignment): Case {
  const { nextAt: _nextAt, ...rest } = c;
  return {
    ...rest,
    status: a.status,
    tags: a.tags,
    contact: a.contact,
    assignedAt: a.assignedAt,
    clocks: a.clocks,
    ...(a.nextAt === undefined ? {} : { nextAt: a.nextAt }),
    history: [...c.history, a.history],
  };
}

/**
 * The latest handover of a case and its round (1 for the first): the e-mails of a handover are sent
 * once per round. Undefined when the case was never handed over.
 */
export function lastHandover(
  c: Case,
): { readonly round: number; readonly event: Extract<HistoryEvent, { type: 'handedOver' }> } | undefined {
  let round = 0;
  let last: Extract<HistoryEvent, { type: 'handedOver' }> | undefined;
  for (const h of c.history)
    if (h.type === 'handedOver') {
      round++;
      last = h;
    }
  return last === undefined ? undefined : { round, event: last };
}

/** Officials who handed the case back to routing: the router does not choose them again for it. */
export const handedBackBy = (c: Case): ReadonlySet<string> =>
  new Set(c.history.flatMap((h) => (h.type === 'handedOver' && h.to === undefined ? [h.by] : [])));

/** Age buckets of open cases (calendar days since submission) for the ops dashboard: a bounded set. */
export const AGE_BUCKETS = [
  { label: '0-7d', belowDays: 8 },
  { label: '8-28d', belowDays: 29 },
  { label: '29-90d', belowDays: 91 },
  { label: '90d+', belowDays: Number.POSITIVE_INFINITY },
] as const;
export type AgeBucket = (typeof AGE_BUCKETS)[number]['label'];

/** Open cases per age bucket at `now`, from their submission moments. */
export function openCasesByAge(submitted: readonly string[], now: Date): Record<AgeBucket, number> {
  const counts: Record<AgeBucket, number> = { '0-7d': 0, '8-28d': 0, '29-90d': 0, '90d+': 0 };
  for (const at of submitted) {
    // Whole days since submission: 0-7d is up to a week old, and so on.
    const days = Math.floor((now.getTime() - Date.parse(at)) / 86_400_000);
    const bucket = AGE_BUCKETS.find((b) => days < b.belowDays)?.label ?? '90d+';
    counts[bucket]++;
  }
  return counts;
}

/** The lead department of a tagged case (a metric dimension); `none` before it is tagged. */
export const leadDepartment = (c: Case): string => c.tags.find((t) => t.lead)?.department ?? 'none';
