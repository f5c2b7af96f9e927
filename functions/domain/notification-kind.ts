import * as z from 'zod';
import type { CaseEvent } from '../../events/case-history.js';
import { CLOCKS, STEPS, type StepKind, stepKindSchema, stepKinds } from './sla.js';

/**
 * What an e-mail of a case is, as a type: each kind is sent at most once per case. The kind is stored as
 * a string key of `Case.notifications` (and of `Case.sending`, and as `notification` in the history);
 * `notificationKey` writes that key and `parseNotificationKey` reads it back. The keys are stored data:
 * they never change.
 *
 * | kind                                        | key                               |
 * | ------------------------------------------- | --------------------------------- |
 * | the assignment to the contact               | `assignment`                      |
 * | a department informed                       | `department:<id>`                 |
 * | the enterprise told who its contact is      | `enterprise`                      |
 * | a handover round to the new contact         | `handover:<round>:contact`        |
 * | a handover round to the enterprise          | `handover:<round>:enterprise`     |
 * | a step of the SLA ladder to its addressee   | `<clock>:<step>`                  |
 * | a breach to the coordinator, the enterprise | `<clock>:breach:coordinator` ...  |
 * | the contact told of the enterprise's bounce | `enterpriseUnreachable`           |
 * | the contact told that a department joined   | `joined:<id>`                     |
 * | the enterprise asked the pause's question   | `question:<round>`                |
 * | the contact told the enterprise's answer    | `answer:<round>`                  |
 *
 * A round is the number of the case's pause (1 for its first `paused` event): each pause's question and
 * its answer are e-mailed once.
 * | the enterprise asked how it went (resolved) | `satisfaction`                    |
 */
export const notificationKindSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('assignment') }),
  z.strictObject({ type: z.literal('department'), department: z.string().min(1) }),
  z.strictObject({ type: z.literal('enterprise') }),
  /** The contact told that the enterprise's address does not work (an e-mail to it bounced for good). */
  z.strictObject({ type: z.literal('enterpriseUnreachable') }),
  /** The contact told that a department joined the case ("Wij denken mee"). */
  z.strictObject({ type: z.literal('joined'), department: z.string().min(1) }),
  /** The enterprise asked the question of the case's `round`th pause (answered on its status page). */
  z.strictObject({ type: z.literal('question'), round: z.number().int().min(1) }),
  /** The contact told the enterprise's answer to the question of that pause. */
  z.strictObject({ type: z.literal('answer'), round: z.number().int().min(1) }),
  /** The enterprise asked, once its case was resolved, how working with the municipality went. */
  z.strictObject({ type: z.literal('satisfaction') }),
  z.strictObject({
    type: z.literal('handover'),
    /** The handover round, 1 for the first: each round's e-mails are sent once. */
    round: z.number().int().min(1),
    to: z.enum(['contact', 'enterprise']),
  }),
  stepKindSchema,
]);
export type NotificationKind = z.infer<typeof notificationKindSchema>;

/** The addressee of a step whose key has no suffix. */
const STEP_ADDRESSEE = { reminder: 'contact', breach: 'contact', escalation: 'wethouder' } as const;

/** The key a kind is stored under. */
export function notificationKey(kind: NotificationKind): string {
  switch (kind.type) {
    case 'assignment':
    case 'enterprise':
    case 'enterpriseUnreachable':
    case 'satisfaction':
      return kind.type;
    case 'department':
      return `department:${kind.department}`;
    case 'joined':
      return `joined:${kind.department}`;
    case 'handover':
      return `handover:${kind.round}:${kind.to}`;
    case 'question':
    case 'answer':
      return `${kind.type}:${kind.round}`;
    case 'step': {
      const base = `${kind.clock}:${kind.step}`;
      return kind.to === STEP_ADDRESSEE[kind.step] ? base : `${base}:${kind.to}`;
    }
  }
}

const HANDOVER_KEY = /^handover:([1-9][0-9]*):(contact|enterprise)$/;
const QUESTION_KEY = /^(question|answer):([1-9][0-9]*)$/;
const isOneOf = <T extends string>(list: readonly T[], value: string | undefined): value is T =>
  list.some((item) => item === value);

/** The kind a stored key stands for; undefined for a key that no kind writes. */
export function parseNotificationKey(key: string): NotificationKind | undefined {
  if (
    key === 'assignment' ||
    key === 'enterprise' ||
    key === 'enterpriseUnreachable' ||
    key === 'satisfaction'
  )
    return { type: key };
  if (key.startsWith('department:')) {
    const department = key.slice('department:'.length);
    return department === '' ? undefined : { type: 'department', department };
  }
  if (key.startsWith('joined:')) {
    const department = key.slice('joined:'.length);
    return department === '' ? undefined : { type: 'joined', department };
  }
  const question = QUESTION_KEY.exec(key);
  if (question !== null) {
    const [, type, round] = question;
    return type === 'question' || type === 'answer' ? { type, round: Number(round) } : undefined;
  }
  const handover = HANDOVER_KEY.exec(key);
  if (handover !== null) {
    const [, round, to] = handover;
    return to === 'contact' || to === 'enterprise'
      ? { type: 'handover', round: Number(round), to }
      : undefined;
  }
  const [clock, step] = key.split(':');
  if (!isOneOf(CLOCKS, clock) || !isOneOf(STEPS, step)) return undefined;
  return stepKinds(clock, step).find((kind: StepKind) => notificationKey(kind) === key);
}

/** The stored key and the kind as one zod codec: `decode` reads a key (refusing unknown ones), `encode` writes it. */
export const notificationKeyCodec = z.codec(z.string(), notificationKindSchema, {
  decode: (key, payload) => {
    const kind = parseNotificationKey(key);
    if (kind !== undefined) return kind;
    payload.issues.push({ code: 'custom', message: `not a notification kind: ${key}`, input: key });
    return z.NEVER;
  },
  encode: (kind) => notificationKey(kind),
});

/**
 * Who an e-mail of this kind goes to: the case's contact (an official, or the coordinator inbox), the
 * enterprise, or someone else (a department, the coordinator at a breach, the wethouder's office).
 */
export function addresseeOf(kind: NotificationKind): 'contact' | 'enterprise' | 'other' {
  switch (kind.type) {
    case 'assignment':
    case 'enterpriseUnreachable':
    case 'joined':
    case 'answer':
      return 'contact';
    case 'enterprise':
    case 'question':
    case 'satisfaction':
      return 'enterprise';
    case 'department':
      return 'other';
    case 'handover':
      return kind.to;
    case 'step':
      return kind.to === 'contact' || kind.to === 'enterprise' ? kind.to : 'other';
  }
}

/** Which kinds a case's record of e-mails (`Case.notifications`) holds: sent, or recorded as superseded. */
export const sentIn =
  (notifications: Readonly<Record<string, unknown>>) =>
  (kind: NotificationKind): boolean =>
    notifications[notificationKey(kind)] !== undefined;

/**
 * The message id recorded for a department's e-mail of a case that goes in the department's next digest
 * instead of out on its own (the department is informed `daily`).
 */
export const IN_DIGEST = 'digest';

/**
 * The history event of an e-mail that went out, by its kind: a reminder or breach to the contact is
 * `reminded`; the breach to the coordinator and the escalation to the wethouder's office are `escalated`;
 * every other e-mail (the assignment, the departments, the enterprise) is `notified`, a department's place in
 * its digest too (`via: digest`).
 */
export function notificationEvent(kind: NotificationKind, at: string, messageId?: string): CaseEvent {
  const notification = notificationKey(kind);
  if (kind.type === 'step') {
    const { clock, step, to } = kind;
    if ((step === 'reminder' || step === 'breach') && to === 'contact')
      return { type: 'reminded', version: 1, at, clock, step, notification };
    if (to === 'coordinator' || to === 'wethouder')
      return { type: 'escalated', version: 1, at, clock, to, notification };
  }
  return messageId === IN_DIGEST
    ? { type: 'notified', version: 1, at, notification, via: 'digest' }
    : { type: 'notified', version: 1, at, notification };
}
