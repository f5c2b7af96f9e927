import type { CalendarConfig } from '../../config/calendar.js';
import { type ClockRewrite, pauseOf, plainText, resumeClocks, routingRetryAt, soonerOf } from './actions.js';
import type { Case, HistoryEvent } from './case.js';
import { sentIn } from './notification-kind.js';
import { nextStepAt } from './sla.js';

/**
 * "Information requested": when the contact pauses a case, the pause's reason is a question to the
 * enterprise; the enterprise gets it by e-mail and answers it on its status page. The answer resumes the
 * paused clocks as the contact's `resume` would, and is e-mailed to the contact. Pure: the moment comes in.
 */

/** The enterprise's answer as typed: newlines allowed, no other control characters, at most 2000 characters. */
export const ANSWER_MAX_LENGTH = 2000;
export const answerSchema = plainText(ANSWER_MAX_LENGTH);

/** The question the case waits on: its text, and its round (the number of the pause it was asked with). */
export interface OpenQuestion {
  readonly round: number;
  readonly question: string;
  readonly askedAt: string;
}

/**
 * The open question of a case: the last pause's reason, while the case is assigned and its clocks are
 * paused. An answer resumes the clocks, so a paused clock after an answer means a new pause. A pause stored
 * before questions existed asked the enterprise what to deliver: it is answered the same way.
 */
export function openQuestion(c: Case): OpenQuestion | undefined {
  const pause = pauseOf(c);
  const event = c.history.findLast((h) => h.type === 'paused');
  if (pause === undefined || pause.round === 0 || event?.type !== 'paused' || event.reason === '')
    return undefined;
  return { round: pause.round, question: event.reason, askedAt: event.at };
}

/** The answers of a case, each with the round of the question it answers (its pause), oldest first. */
export function answersOf(
  c: Pick<Case, 'history'>,
): { readonly round: number; readonly event: Extract<HistoryEvent, { type: 'answered' }> }[] {
  let round = 0;
  const answers: { round: number; event: Extract<HistoryEvent, { type: 'answered' }> }[] = [];
  for (const h of c.history) {
    if (h.type === 'paused') round++;
    else if (h.type === 'answered') answers.push({ round, event: h });
  }
  return answers;
}

/** Why an answer is not taken. */
export type AnswerRefusal =
  /** The case is resolved: there is nothing more to answer. */
  | 'closed'
  /** The question was answered already (this answer, or another one before it). */
  | 'answered'
  /** Nothing is asked: the case is not paused with a question (the contact resumed it, or never asked). */
  | 'notAsked';

/** The one conditional write an answer makes: the event, the clocks resumed, the SLA job's next look. */
export interface AnswerChange {
  readonly reference: string;
  readonly at: string;
  /** The round of the question answered. */
  readonly round: number;
  /** The paused clocks written whole, each if it is still paused as planned (`ClockRewrite`). */
  readonly rewrite: readonly ClockRewrite[];
  readonly history: Extract<HistoryEvent, { type: 'answered' }>;
  readonly nextAt: string;
}

export type AnswerPlan =
  | { readonly ok: true; readonly change: AnswerChange }
  | { readonly ok: false; readonly refusal: AnswerRefusal };

/** Why the case takes no answer as it is now; undefined when it does. */
export function answerRefusalOf(c: Case): AnswerRefusal | undefined {
  if (c.status === 'resolved') return 'closed';
  if (openQuestion(c) !== undefined) return undefined;
  const last = c.history.findLast((h) => h.type === 'paused' || h.type === 'answered');
  return last?.type === 'answered' ? 'answered' : 'notAsked';
}

/**
 * The change an answer makes at `now`: an `answered` event with the answer, and the paused clocks resumed
 * exactly as the contact's `resume` does (`resumeClocks`: moments moved by the paused working days).
 */
export function planAnswer(c: Case, answer: string, now: Date, calendar: CalendarConfig): AnswerPlan {
  const refusal = answerRefusalOf(c);
  const question = openQuestion(c);
  if (refusal !== undefined || question === undefined) return { ok: false, refusal: refusal ?? 'notAsked' };
  const at = now.toISOString();
  const { rewrite, clocks, workingDays } = resumeClocks(c, now, calendar);
  return {
    ok: true,
    change: {
      reference: c.reference,
      at,
      round: question.round,
      rewrite,
      history: { type: 'answered', version: 1, at, answer, workingDays },
      // The answer's e-mail goes out through the route queue: the SLA job looks again if that is lost.
      nextAt: soonerOf(nextStepAt(clocks, sentIn(c.notifications), calendar), routingRetryAt(now)),
    },
  };
}
