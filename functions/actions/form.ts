import type { Action, ActionClaims } from '../domain/action-link.js';
import { type ActionInput, outcomeSchema, reasonSchema } from '../domain/actions.js';
import { type Candidate, contactOf } from '../domain/case.js';

/** How an action's form post is read: the outcome to resolve, the reason to pause, the colleague to hand over to. */

/** The text an action needs from its form: the outcome to resolve, the reason to pause. */
const TEXT_FIELDS: Partial<Record<Action, { name: string; schema: typeof outcomeSchema }>> = {
  resolve: { name: 'outcome', schema: outcomeSchema },
  pause: { name: 'reason', schema: reasonSchema },
};
/** The value of the handover form's choice that hands the case back to routing. */
export const ROUTING_CHOICE = 'routing';

type Read =
  | { readonly ok: true; readonly value: ActionInput }
  | { readonly ok: false; readonly typed: string };

/** What the action's form sent (the body, within the limit): the outcome, the reason, or the colleague. */
export function readInput(form: string, claims: ActionClaims, colleagues: readonly Candidate[]): Read {
  const field = TEXT_FIELDS[claims.action];
  const name = field?.name ?? (claims.action === 'hand-over' ? 'to' : undefined);
  if (name === undefined) return { ok: true, value: {} };
  const typed = new URLSearchParams(form).get(name) ?? '';
  if (field !== undefined) {
    const parsed = field.schema.safeParse(typed);
    return parsed.success
      ? { ok: true, value: { text: parsed.data } }
      : { ok: false, typed: typed.slice(0, 2000) };
  }
  if (typed === ROUTING_CHOICE) return { ok: true, value: { handOverTo: 'routing' } };
  const colleague = colleagues.find((o) => o.id === typed);
  return colleague === undefined
    ? { ok: false, typed: '' }
    : { ok: true, value: { handOverTo: contactOf(colleague) } };
}
