import * as z from 'zod';

/**
 * The domain events of a case, appended to its history, version 1. The history is what the enterprise
 * reads on its status page and what an auditor reads later: every change to a case is one of these.
 *
 * Versioning: each event carries `version`. A change that keeps old events readable (a new optional
 * field, a new event type) stays version 1; a change that does not gets version 2 next to version 1,
 * and readers handle both. Events stored before `version` existed are read as version 1.
 */
export const CASE_EVENT_VERSION = 1;

const at = z.iso.datetime({ offset: true });
const version = z.literal(CASE_EVENT_VERSION).default(CASE_EVENT_VERSION);
const event = <T extends string, S extends z.ZodRawShape>(type: T, shape: S) =>
  z.strictObject({ type: z.literal(type), version, at, ...shape });

/** Why this contact: kept from an earlier case, best placed, standing in for someone away, or nobody. */
export const choiceSchema = z.enum(['continuity', 'coverage', 'deputy', 'coordinator']);
export type Choice = z.infer<typeof choiceSchema>;

/** The promises a case's clocks stand for. */
export const clockNameSchema = z.enum(['firstContact', 'decision']);

export const submittedEvent = event('submitted', {});

/** The router chose the one accountable contact and tagged the departments. */
export const assignedEvent = event('assigned', {
  contact: z.string(),
  departments: z.array(z.string()),
  choice: choiceSchema.optional(),
  /** For `deputy`: the official they stand in for. */
  standsInFor: z.string().optional(),
});

/** An e-mail that informs (the contact, a department, the enterprise), by its notification kind. */
export const notifiedEvent = event('notified', {
  notification: z.string(),
  /** `digest`: a department informed in its next daily digest, not by an e-mail of its own. */
  via: z.literal('digest').optional(),
});

/**
 * SES told that an e-mail of the case bounced for good: its address does not work. Derived from the e-mail's
 * record (`bounced`), like the e-mail's own event.
 */
export const bouncedEvent = event('bounced', { notification: z.string() });

/** The contact was reminded of a promise: before it is due, or when it broke. */
export const remindedEvent = event('reminded', {
  clock: clockNameSchema,
  step: z.enum(['reminder', 'breach']),
  notification: z.string(),
});

/** A broken promise went up: to the coordinator at the breach, to the wethouder's office later. */
export const escalatedEvent = event('escalated', {
  clock: clockNameSchema,
  to: z.enum(['coordinator', 'wethouder']),
  notification: z.string(),
});

/** The contact confirmed, through a link in their e-mail, that they got in touch with the enterprise. */
export const contactedEvent = event('contacted', { by: z.string() });

/**
 * The contact paused the running clocks: the case waits for the enterprise. `reason` is the question the
 * enterprise is asked (e-mailed to it, answered on its status page); in events stored before questions
 * existed it says what the enterprise was to deliver.
 */
export const pausedEvent = event('paused', { by: z.string(), reason: z.string() });

/** The contact resumed the paused clocks; their moments moved by the paused working days. */
export const resumedEvent = event('resumed', { by: z.string(), workingDays: z.number().int().min(0) });

/**
 * The enterprise answered the open question (the last `paused` event's `reason`) on its status page: the
 * paused clocks resumed, their moments moved by the paused working days, as a `resumed` would.
 */
export const answeredEvent = event('answered', {
  answer: z.string(),
  workingDays: z.number().int().min(0),
});

/**
 * The contact handed the case over: to a named colleague (`to`, `toName`), or back to routing (neither),
 * which then chooses a new contact other than them. The promises to the enterprise keep running.
 */
export const handedOverEvent = event('handedOver', {
  by: z.string(),
  byName: z.string().optional(),
  to: z.string().optional(),
  toName: z.string().optional(),
  /** Not the official's own choice: their address bounced, so the case went on without them. */
  because: z.enum(['unreachable']).optional(),
});

/**
 * The contact resolved the case: with its result (an id of the process type's results in the config; absent
 * in events stored before results existed) and the outcome in their words.
 */
export const resolvedEvent = event('resolved', {
  by: z.string(),
  outcome: z.string(),
  result: z.string().optional(),
});

/**
 * A department the case touches said, through the link in its daily digest, that it wants to take part
 * ("Wij denken mee"): it is involved from then on, and the case's contact is told.
 */
export const joinedEvent = event('joined', { department: z.string() });

/**
 * The case's personal data were removed (the contact's name, e-mail address and phone, the description and
 * the officials' free texts), a configured time after it was closed. What reports need stays.
 */
export const anonymisedEvent = event('anonymised', {});

/**
 * The enterprise answered, through the link in the e-mail it got after the case was resolved, how working
 * with the municipality went: a score from 1 to 5 and, if it wrote one, a comment (personal data: retention
 * removes it with the other free texts; the score stays, for the report). Once per case.
 */
export const ratedEvent = event('rated', {
  score: z.number().int().min(1).max(5),
  comment: z.string().optional(),
});

export const caseEventSchema = z.discriminatedUnion('type', [
  submittedEvent,
  assignedEvent,
  notifiedEvent,
  bouncedEvent,
  remindedEvent,
  escalatedEvent,
  contactedEvent,
  pausedEvent,
  resumedEvent,
  answeredEvent,
  handedOverEvent,
  resolvedEvent,
  joinedEvent,
  anonymisedEvent,
  ratedEvent,
]);
export type CaseEvent = z.infer<typeof caseEventSchema>;
export type CaseEventType = CaseEvent['type'];
