import type { Municipality } from '../../../config/schema.js';
import { type Case, type Contact, joinedDepartments, lastHandover } from '../case.js';
import { informedAtOnce } from '../digest.js';
import { type NotificationKind, sentIn } from '../notification-kind.js';
import { answersOf, openQuestion } from '../question.js';
import { type ClockName, type Step, type StepKind, stepKinds } from '../sla.js';
import { assignmentMail } from './assignment.js';
import { breachMail } from './breach.js';
import { departmentMail } from './department.js';
import { enterpriseMail } from './enterprise.js';
import { escalationMail } from './escalation.js';
import { handoverEnterpriseMail } from './handover-enterprise.js';
import { joinedMail } from './joined.js';
import { lateNoticeMail } from './late-notice.js';
import type { ActionUrls, StepMailInput } from './parts.js';
import { answerMail, questionMail } from './question.js';
import { reminderMail } from './reminder.js';
import type { Mail } from './render.js';
import { satisfactionMail } from './satisfaction.js';

/** An e-mail of a kind that is sent once per case (the kind's key is the key of `Case.notifications`). */
export interface Notification {
  readonly kind: NotificationKind;
  readonly mail: Mail;
}

/** The departments a routed case informs: each it touches that the contact is not part of. */
const informedDepartments = (c: Case, contact: Contact): string[] => {
  if (lastHandover(c) !== undefined) return [];
  const own = new Set(contact.departments ?? []);
  return c.tags.filter((t) => !own.has(t.department)).map((t) => t.department);
};

/** The kind of a department's information about a case: an e-mail of its own, or a place in its digest. */
export type DepartmentKind = Extract<NotificationKind, { type: 'department' }>;

/**
 * The departments a routed case informs in their next daily digest instead of by an e-mail of its own
 * (those informed `daily`): each touched department the contact is not part of. None after a handover.
 */
export function routingDigests(c: Case, contact: Contact, m: Municipality): DepartmentKind[] {
  return informedDepartments(c, contact)
    .filter((department) => !informedAtOnce(m, department))
    .map((department) => ({ type: 'department', department }));
}

/**
 * Every e-mail a routed case needs, each of its own kind: the accountable contact, each touched department
 * the contact is not part of that is informed `immediate` (the others get it in their digest:
 * `routingDigests`), and the enterprise; and the contact told of each department that joined.
 */
export function routingNotifications(
  c: Case,
  contact: Contact,
  m: Municipality,
  statusUrl: string | undefined,
  links?: ActionUrls,
  /** The status link made for the open question's e-mail (`questionNotifications`). */
  questionUrl?: string,
): Notification[] {
  return [
    ...assignmentNotifications(c, contact, m, statusUrl, links),
    ...joinedNotifications(c, contact, m),
    ...questionNotifications(c, contact, m, questionUrl),
    ...answerNotifications(c, contact, m),
  ];
}

/**
 * The enterprise asked the open question (the last pause's), once per pause, with a status link of its own
 * to answer it on; none once the question is answered or the case resumed.
 */
export const questionNotifications = (
  c: Case,
  contact: Contact,
  m: Municipality,
  statusUrl: string | undefined,
): Notification[] => {
  const open = openQuestion(c);
  return open === undefined
    ? []
    : [
        {
          kind: { type: 'question', round: open.round },
          mail: questionMail({ c, contact, m, question: open.question, statusUrl }),
        },
      ];
};

/** The contact told the enterprise's latest answer, once per answer (to whoever is the contact then). */
function answerNotifications(c: Case, contact: Contact, m: Municipality): Notification[] {
  const last = answersOf(c).at(-1);
  if (last === undefined || last.round === 0) return [];
  const asked = c.history.filter((h) => h.type === 'paused')[last.round - 1];
  const question = asked?.type === 'paused' ? asked.reason : '';
  const { answer, workingDays } = last.event;
  return [
    {
      kind: { type: 'answer', round: last.round },
      mail: answerMail({ c, contact, m, question, answer, workingDays }),
    },
  ];
}

/** The contact told of each department that joined the case, once each (to whoever is the contact then). */
const joinedNotifications = (c: Case, contact: Contact, m: Municipality): Notification[] =>
  joinedDepartments(c).map((department) => ({
    kind: { type: 'joined', department },
    mail: joinedMail(c, department, contact, m),
  }));

/** The e-mails of the case's assignment, or of its last handover round. */
function assignmentNotifications(
  c: Case,
  contact: Contact,
  m: Municipality,
  statusUrl: string | undefined,
  links?: ActionUrls,
): Notification[] {
  const handover = lastHandover(c);
  if (handover !== undefined) {
    // After a handover only the new contact and the enterprise hear of it; the departments keep the
    // case's first contact on record and find the current one on the case.
    const { round, event } = handover;
    return [
      {
        kind: { type: 'handover', round, to: 'contact' },
        mail: assignmentMail(c, contact, m, links, event.byName ?? event.by),
      },
      {
        kind: { type: 'handover', round, to: 'enterprise' },
        mail: handoverEnterpriseMail({ c, contact, m, statusUrl }),
      },
    ];
  }
  return [
    { kind: { type: 'assignment' }, mail: assignmentMail(c, contact, m, links) },
    ...informedDepartments(c, contact)
      .filter((department) => informedAtOnce(m, department))
      .map(
        (department): Notification => ({
          kind: { type: 'department', department },
          mail: departmentMail(c, department, contact, m),
        }),
      ),
    { kind: { type: 'enterprise' }, mail: enterpriseMail({ c, contact, m, statusUrl }) },
  ];
}

/** The kind of the enterprise's one e-mail after its case was resolved: how did it go? */
export const SATISFACTION: NotificationKind = { type: 'satisfaction' };

/**
 * The e-mails of a resolved case: the enterprise asked, once, how working with the municipality went
 * (`satisfactionUrl` signs its link to the form). None for a case that is still open.
 */
export function closingNotifications(
  c: Case,
  contact: Contact,
  m: Municipality,
  satisfactionUrl: string,
): Notification[] {
  if (c.status !== 'resolved') return [];
  return [{ kind: SATISFACTION, mail: satisfactionMail(c, contact, m, satisfactionUrl) }];
}

/**
 * Are e-mails of the case's current assignment (or handover) still to go out, or departments still to be
 * put in their digest; or, for a resolved case, its satisfaction e-mail? The SLA job then queues the
 * case again, so that the router sends them: a route message lost after the assignment loses no e-mail.
 */
export function routingPending(c: Case, m: Municipality): boolean {
  if (c.status === 'resolved') return c.contact !== undefined && !sentIn(c.notifications)(SATISFACTION);
  if (c.status !== 'assigned' || c.contact === undefined) return false;
  const sent = sentIn(c.notifications);
  return (
    routingNotifications(c, c.contact, m, undefined).some((n) => !sent(n.kind)) ||
    routingDigests(c, c.contact, m).some((kind) => !sent(kind))
  );
}

/** The e-mail of one kind of a step; undefined when there is nobody to send it to. */
function stepMail(
  kind: StepKind,
  input: StepMailInput,
  newExpected: Date,
  links: ActionUrls | undefined,
): Mail | undefined {
  switch (kind.to) {
    case 'contact':
      return kind.step === 'reminder' ? reminderMail(input, links) : breachMail(input, 'contact', links);
    case 'coordinator':
      return breachMail(input, 'coordinator', links);
    case 'enterprise':
      return lateNoticeMail(input, newExpected);
    case 'wethouder':
      return escalationMail(input);
  }
}

/**
 * The e-mails of one step of the SLA ladder, each made for its own kind (`stepKinds`): the reminder to
 * the contact; at the breach the contact, the coordinator and (for the first contact) the enterprise with
 * a new expected date; later the wethouder's office of the lead department. `newExpected` is the date
 * promised to the enterprise after a breach.
 */
export function slaNotifications(
  c: Case,
  clock: ClockName,
  step: Step,
  m: Municipality,
  newExpected: Date,
  links?: ActionUrls,
): Notification[] {
  const contact = c.contact;
  const running = c.clocks[clock];
  if (contact === undefined || running === undefined) return [];
  const input: StepMailInput = { c, contact, clock, running, m };
  return stepKinds(clock, step).flatMap((kind) => {
    const mail = stepMail(kind, input, newExpected, links);
    return mail === undefined ? [] : [{ kind, mail }];
  });
}
