import { z } from 'zod';
import type { Municipality } from '../../config/schema.js';
import { storedCaseRequestSchema } from '../../events/case-request.js';
import { fingerprintOf, requestHashOf } from './submission.js';

/** Why a department is tagged: a goal of the enterprise, or the type of its request. */
export const tagReasonSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('goal'), goal: z.string() }),
  z.strictObject({ kind: z.literal('requestType'), requestType: z.string() }),
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
});
export type Contact = z.infer<typeof contactSchema>;

const at = z.iso.datetime({ offset: true });

export const historyEventSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('submitted'), at }),
  z.strictObject({ type: z.literal('assigned'), at, contact: z.string(), departments: z.array(z.string()) }),
  z.strictObject({ type: z.literal('notified'), at, notification: z.string() }),
]);
export type HistoryEvent = z.infer<typeof historyEventSchema>;

export const caseStatusSchema = z.enum(['submitted', 'assigned']);
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
  notifications: z.record(z.string(), z.strictObject({ at, messageId: z.string() })),
  /** Claims on e-mails being sent right now, by kind: until when the claim holds. */
  sending: z.record(z.string(), at),
  /** When the SLA job should look at this case next; absent when nothing is pending. */
  nextAt: at.optional(),
  history: z.array(historyEventSchema),
});
export type Case = z.infer<typeof caseSchema>;

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
    nextAt: new Date(input.now.getTime() + ROUTING_GRACE_MS).toISOString(),
    history: [{ type: 'submitted', at }],
  };
}

/** Every department the case touches, each with its reasons; the first goal's department leads. */
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
  return [...tags.values()];
}

export interface Candidate {
  readonly id: string;
  readonly name: string;
  readonly email: string;
  readonly language: 'nl' | 'en';
  readonly departments: readonly string[];
}

/**
 * Chooses the one accountable contact: the official who covers the lead department, then the most
 * tagged departments, with a stable tie-break on id. Nobody covering any tag: the coordinator inbox.
 */
export function chooseContact(
  tags: readonly Tag[],
  candidates: readonly Candidate[],
  municipality: Municipality,
): Contact {
  const tagged = new Set(tags.map((t) => t.department));
  const lead = tags.find((t) => t.lead)?.department;
  let best: { candidate: Candidate; score: [number, number] } | undefined;
  for (const candidate of [...candidates].sort((a, b) => a.id.localeCompare(b.id))) {
    const covered = candidate.departments.filter((d) => tagged.has(d)).length;
    if (covered === 0) continue;
    const score: [number, number] = [
      lead !== undefined && candidate.departments.includes(lead) ? 1 : 0,
      covered,
    ];
    if (!best || score[0] > best.score[0] || (score[0] === best.score[0] && score[1] > best.score[1]))
      best = { candidate, score };
  }
  if (!best) {
    const { name, email, language } = municipality.coordinator;
    return { kind: 'coordinator', id: 'coordinator', name, email, language };
  }
  const { id, name, email, language } = best.candidate;
  return { kind: 'official', id, name, email, language };
}

/** The routing decision for a submitted case, as the changes to apply. */
export function assign(c: Case, tags: Tag[], contact: Contact, now: Date) {
  const at = now.toISOString();
  return {
    status: 'assigned' as const,
    tags,
    contact,
    assignedAt: at,
    history: {
      type: 'assigned',
      at,
      contact: contact.id,
      departments: tags.map((t) => t.department),
    } satisfies HistoryEvent,
    reference: c.reference,
  };
}
export type Assignment = ReturnType<typeof assign>;
