import * as z from 'zod';
import type { SatisfactionClaims } from './action-link.js';
import { type Case, type HistoryEvent, ratingOf } from './case.js';

/**
 * The enterprise's judgement of a resolved case ("Hoe was de samenwerking met de gemeente?"): a score from 1
 * to 5 and an optional comment, given once per case through the signed link in the e-mail it got after the
 * case was resolved. Recorded as one `rated` event appended with one conditional write (the case still
 * resolved, not anonymised, its history as read: so no answer was added in between). Pure.
 */

/** The longest comment taken (a few sentences; the form says so). */
export const COMMENT_MAX = 1000;

/**
 * The score as the form's radio buttons send it: one digit from 1 (bad) to 5 (very good), read as the
 * number the `rated` event holds (no other spelling: not ` 4`, `4.0` or `1e0`).
 */
export const scoreSchema = z
  .string()
  .regex(/^[1-5]$/)
  .transform(Number)
  .pipe(z.number().int().min(1).max(5));

/** Control characters but tab, newline and carriage return: never part of a comment. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: refusing control characters is the point
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/;

/** What is wrong with the comment typed: too long, or control characters in it. */
export type CommentProblem = 'tooLong' | 'control';

/** What is wrong with the score sent: none chosen, or not one of 1 to 5. */
export type ScoreProblem = 'missing' | 'invalid';

/** What the enterprise answered: the score, and the comment when it wrote one (trimmed, never empty). */
export interface Rating {
  readonly score: number;
  readonly comment?: string;
}

/** Which fields of the form were refused, and why. */
export interface RatingErrors {
  readonly score?: ScoreProblem;
  readonly comment?: CommentProblem;
}

/** What was sent, to show the form again with it (the comment cut to the limit). */
export interface RatingTyped {
  readonly score: string;
  readonly comment: string;
}

export type RatingInput =
  | { readonly ok: true; readonly value: Rating }
  | { readonly ok: false; readonly typed: RatingTyped; readonly errors: RatingErrors };

/** The form's post (`score`, `comment`), read: the rating, or what is wrong with each field. */
export function readRating(form: string): RatingInput {
  const params = new URLSearchParams(form);
  // One radio button sends one score: a post with two is refused, not read by its first.
  const scores = params.getAll('score');
  const scoreText = scores.length > 1 ? 'several' : (scores[0] ?? '');
  const commentText = (params.get('comment') ?? '').replace(/\r\n?/g, '\n').trim();
  const score = scoreSchema.safeParse(scoreText);
  const errors: RatingErrors = {
    ...(score.success ? {} : { score: scoreText === '' ? 'missing' : 'invalid' }),
    ...(commentText.length > COMMENT_MAX
      ? { comment: 'tooLong' }
      : CONTROL.test(commentText)
        ? { comment: 'control' }
        : {}),
  };
  if (score.success && errors.comment === undefined)
    return {
      ok: true,
      value: commentText === '' ? { score: score.data } : { score: score.data, comment: commentText },
    };
  return {
    ok: false,
    typed: { score: scoreText.slice(0, 1), comment: commentText.slice(0, COMMENT_MAX) },
    errors,
  };
}

/**
 * Why a satisfaction link takes no answer for its case: the case is not there (`missing`), retention removed
 * its personal data or destroyed it, it is not resolved (the link is made only once it is), or it was
 * answered already.
 */
export type RatingRefusal = 'missing' | 'anonymised' | 'destroyed' | 'notResolved' | 'alreadyRated';

/** Why the case takes no answer now; undefined when it does. */
export function ratingRefusal(c: Case | undefined): RatingRefusal | undefined {
  if (c === undefined) return 'missing';
  if (c.status !== 'resolved') return 'notResolved';
  if (ratingOf(c) !== undefined) return 'alreadyRated';
  return undefined;
}

/** The one write of an answer: the event it appends, if the case's history is still as long as read. */
export interface RatingChange {
  readonly reference: string;
  readonly historyLength: number;
  readonly history: Extract<HistoryEvent, { type: 'rated' }>;
}

/** The change that records the enterprise's answer for the case the link names, at `now`. */
export function planRating(c: Case, claims: SatisfactionClaims, rating: Rating, now: Date): RatingChange {
  if (claims.case !== c.reference) throw new Error('a satisfaction link answers for its own case');
  return {
    reference: c.reference,
    historyLength: c.history.length,
    history: {
      type: 'rated',
      version: 1,
      at: now.toISOString(),
      score: rating.score,
      ...(rating.comment === undefined ? {} : { comment: rating.comment }),
    },
  };
}
