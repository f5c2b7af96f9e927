import type { Municipality } from '../../config/schema.js';
import type { Action, ActionClaims } from '../domain/action-link.js';
import { type ActionInput, outcomeSchema, reasonSchema } from '../domain/actions.js';
import { type ResultProblem, resolutionFor } from '../domain/archive.js';
import { type Candidate, type Case, contactOf } from '../domain/case.js';

/**
 * How an action's form post is read: the outcome and the result to resolve (and the day its retention
 * starts, for a result counted from an entered day), the reason to pause, the colleague to hand over to.
 */

/** The text an action needs from its form: the outcome to resolve, the reason to pause. */
const TEXT_FIELDS: Partial<Record<Action, { name: string; schema: typeof outcomeSchema }>> = {
  resolve: { name: 'outcome', schema: outcomeSchema },
  pause: { name: 'reason', schema: reasonSchema },
};
/** The value of the handover form's choice that hands the case back to routing. */
export const ROUTING_CHOICE = 'routing';

/** What the official filled in so far, to show the form again with it. */
export interface Typed {
  readonly text: string;
  readonly result?: string;
  readonly from?: string;
}

/** Which fields were refused, and why: the text, the result (none chosen), the day (`ResultProblem`). */
export interface FieldErrors {
  readonly text?: true;
  readonly result?: true;
  readonly from?: Exclude<ResultProblem, 'unknownResult'>;
}

type Read =
  | { readonly ok: true; readonly value: ActionInput }
  | { readonly ok: false; readonly typed: Typed; readonly errors: FieldErrors };

/** What the form is about: the municipality (its results), the case, and the moment the action applies. */
export interface FormContext {
  readonly municipality: Municipality;
  readonly c: Case;
  readonly at: Date;
}

/** What the action's form sent (the body, within the limit): the outcome, the reason, or the colleague. */
export function readInput(
  form: string,
  claims: ActionClaims,
  colleagues: readonly Candidate[],
  context: FormContext,
): Read {
  const params = new URLSearchParams(form);
  const field = TEXT_FIELDS[claims.action];
  if (claims.action === 'hand-over') {
    const typed = params.get('to') ?? '';
    if (typed === ROUTING_CHOICE) return { ok: true, value: { handOverTo: 'routing' } };
    const colleague = colleagues.find((o) => o.id === typed);
    return colleague === undefined
      ? { ok: false, typed: { text: '' }, errors: { text: true } }
      : { ok: true, value: { handOverTo: contactOf(colleague) } };
  }
  if (field === undefined) return { ok: true, value: {} };
  const typedText = params.get(field.name) ?? '';
  const text = field.schema.safeParse(typedText);
  if (claims.action !== 'resolve')
    return text.success
      ? { ok: true, value: { text: text.data } }
      : { ok: false, typed: { text: typedText.slice(0, 2000) }, errors: { text: true } };

  const result = params.get('result') ?? '';
  const fromText = (params.get('from') ?? '').trim();
  const from = /^\d{4}-\d{2}-\d{2}$/.test(fromText) ? fromText : undefined;
  const resolved = resolutionFor(
    context.municipality,
    context.c.request.requestType,
    result,
    context.at,
    from,
  );
  const errors: FieldErrors = {
    ...(text.success ? {} : { text: true }),
    ...(resolved.ok
      ? {}
      : resolved.problem === 'unknownResult'
        ? { result: true }
        : { from: resolved.problem }),
  };
  if (text.success && resolved.ok)
    return { ok: true, value: { text: text.data, resolution: resolved.resolution } };
  return {
    ok: false,
    typed: { text: typedText.slice(0, 2000), result: result.slice(0, 40), from: fromText.slice(0, 10) },
    errors,
  };
}
