import type { Municipality } from '../../config/schema.js';
import { routeMessage } from '../../events/route-message.js';
import type { Case } from '../domain/case.js';
import { retryAfterSeconds, sourceAllowanceOf } from '../domain/intake-limits.js';
import type { AnswerStore, CaseReader, CaseRecords, Clock, RequestCounter } from '../domain/ports.js';
import { type AnswerRefusal, answerRefusalOf, answerSchema, planAnswer } from '../domain/question.js';
import { type QueueForRoutingDeps, queueForRouting } from './queue-for-routing.js';
import { viewStatus } from './view-status.js';

/**
 * Answer the open question of a case (the enterprise, on its status page).
 * 0. The answer is counted against the intake's limit per source address per hour (with the submissions):
 *    above it, nothing is read or written: `limited`, with when to try again.
 * 1. The case is found as the status page finds it (the reference and a status token of the case); an
 *    unknown reference or a wrong token find nothing, alike.
 * 2. An answer the case does not take (resolved, answered already, nothing asked) is refused with its reason;
 *    an answer that is empty, too long or holds control characters is `invalid` (the form is shown again).
 * 3. One conditional write appends the `answered` event and resumes the paused clocks as the contact's
 *    `resume` does; a condition that no longer holds (answered or resumed in between) refuses it.
 * 4. The case is queued for the router, which e-mails the answer to the contact once; a message that is lost
 *    is queued again by the SLA job (the e-mail is pending).
 * The answer is personal data: it is never logged.
 */

export interface AnswerQuestionDeps extends QueueForRoutingDeps {
  readonly cases: CaseRecords & CaseReader & AnswerStore;
  readonly requestCounts: RequestCounter;
  readonly municipality: Municipality;
  readonly clock: Clock;
}

export type AnswerResult =
  | { readonly outcome: 'limited'; readonly retryAfterSeconds: number }
  | { readonly outcome: 'notFound' }
  | { readonly outcome: 'invalid'; readonly c: Case }
  | {
      readonly outcome: 'refused';
      readonly refusal: AnswerRefusal | 'anonymised' | 'destroyed';
      readonly c?: Case;
    }
  | { readonly outcome: 'answered'; readonly c: Case };

export async function answerQuestion(
  deps: AnswerQuestionDeps,
  input: {
    readonly reference: string;
    readonly token: string | undefined;
    /** The answer as typed (checked here with `answerSchema`). */
    readonly answer: string;
    /** The address the answer came from (the client's IP), for the per-source limit. */
    readonly source: string;
  },
): Promise<AnswerResult> {
  const allowance = sourceAllowanceOf(input.source, deps.clock(), deps.municipality.intakeLimits);
  if (!(await deps.requestCounts.take(allowance))) {
    deps.metrics.count('IntakeLimited');
    return { outcome: 'limited', retryAfterSeconds: retryAfterSeconds([allowance], deps.clock()) };
  }
  const found = await viewStatus(deps, input);
  if (found === undefined) return { outcome: 'notFound' };
  if (found.kind !== 'case') return { outcome: 'refused', refusal: found.kind };
  const { c } = found;
  const refusal = answerRefusalOf(c);
  if (refusal !== undefined) return { outcome: 'refused', refusal, c };
  const answer = answerSchema.safeParse(input.answer);
  if (!answer.success) {
    deps.metrics.count('IntakeRejected');
    return { outcome: 'invalid', c };
  }
  const plan = planAnswer(c, answer.data, deps.clock(), deps.municipality.sla.calendar);
  if (!plan.ok) return { outcome: 'refused', refusal: plan.refusal, c };
  if (!(await deps.cases.answerQuestion(plan.change))) {
    // Answered or resumed in between (a second tab, the contact's resume link).
    const now = await deps.cases.get(c.reference);
    return {
      outcome: 'refused',
      refusal: now === undefined ? 'closed' : (answerRefusalOf(now) ?? 'answered'),
      c: now,
    };
  }
  deps.metrics.count('QuestionsAnswered');
  deps.log.info('question answered', { reference: c.reference, round: plan.change.round });
  await queueForRouting(deps, routeMessage(c.reference), {
    level: 'warn',
    text: 'answer not queued for its e-mail; the SLA job queues it again',
  });
  return { outcome: 'answered', c };
}
