import { type SatisfactionClaims, verifySatisfaction } from '../domain/action-link.js';
import type { Case } from '../domain/case.js';
import type { CaseReader, CaseRecords, Clock, Counter, Log, RatingStore } from '../domain/ports.js';
import { planRating, type Rating, type RatingRefusal, ratingRefusal } from '../domain/satisfaction.js';

/**
 * The enterprise answers how working with the municipality went, through the signed link in the e-mail it
 * got once its case was resolved.
 * 1. `reviewRating`: the link is verified (signature, expiry, its own kind of claims); the case is read; a
 *    case that takes no answer (answered already, not resolved, its personal data removed or destroyed by
 *    retention) is refused with its reason. Nothing changes: opening the link only shows the form.
 * 2. `recordRating`, once the form is posted: the `rated` event is appended with one conditional write
 *    (the case still resolved and not anonymised, its history as read); a write that finds the case changed
 *    reads it again and says why, so a second answer is refused, never recorded.
 */

export interface RateCaseDeps {
  /** The case; what retention left of it, to say so when it is gone; the answer's one write. */
  readonly cases: CaseReader & CaseRecords & RatingStore;
  /** The key that signed the links. */
  readonly key: Uint8Array;
  readonly clock: Clock;
  readonly metrics: Counter;
  readonly log: Log;
}

/** A link whose case takes an answer now. */
export interface ReadyRating {
  readonly outcome: 'ready';
  readonly claims: SatisfactionClaims;
  readonly c: Case;
  /** The moment the link was verified; the answer is recorded at this moment. */
  readonly at: Date;
}

export type RatingReview =
  | { readonly outcome: 'invalid' }
  | { readonly outcome: 'expired' }
  | { readonly outcome: 'refused'; readonly claims: SatisfactionClaims; readonly refusal: RatingRefusal }
  | ReadyRating;

export type RatingResult =
  | { readonly outcome: 'recorded' }
  | { readonly outcome: 'refused'; readonly refusal: RatingRefusal };

export async function reviewRating(deps: RateCaseDeps, token: string): Promise<RatingReview> {
  const at = deps.clock();
  const verified = verifySatisfaction(token, deps.key, at);
  if (!verified.ok) {
    deps.metrics.count(
      verified.reason === 'expired' ? 'SatisfactionLinksExpired' : 'SatisfactionLinksInvalid',
    );
    return { outcome: verified.reason === 'expired' ? 'expired' : 'invalid' };
  }
  const { claims } = verified;
  const c = await deps.cases.get(claims.case);
  if (c === undefined) {
    // Gone: retention removed its personal data or destroyed it, or it never was.
    const left = await deps.cases.record(claims.case);
    const refusal = left === undefined || left.kind === 'case' ? 'missing' : left.kind;
    return { outcome: 'refused', claims, refusal };
  }
  const refusal = ratingRefusal(c);
  if (refusal !== undefined) return { outcome: 'refused', claims, refusal };
  return { outcome: 'ready', claims, c, at };
}

/** How often an answer is written again when the case changed otherwise between the read and the write. */
const RATING_TRIES = 3;

export async function recordRating(
  deps: RateCaseDeps,
  { claims, c, at }: ReadyRating,
  rating: Rating,
): Promise<RatingResult> {
  let current: Case = c;
  for (let attempt = 1; ; attempt++) {
    if (await deps.cases.recordRating(planRating(current, claims, rating, at))) break;
    // The case changed between the read and the write: answered meanwhile, retention ran, or (rarely)
    // another event was added; then the answer is written again on the case as it is now.
    const again = await deps.cases.get(c.reference);
    if (again === undefined) {
      const left = await deps.cases.record(c.reference);
      return { outcome: 'refused', refusal: left?.kind === 'destroyed' ? 'destroyed' : 'anonymised' };
    }
    const refusal = ratingRefusal(again);
    if (refusal !== undefined) return { outcome: 'refused', refusal };
    if (attempt >= RATING_TRIES) throw new Error(`the answer for case ${c.reference} could not be written`);
    current = again;
  }
  deps.metrics.count('SatisfactionRated');
  deps.log.info('case rated', { reference: c.reference });
  return { outcome: 'recorded' };
}
