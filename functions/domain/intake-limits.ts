import { createHash } from 'node:crypto';
import type { IntakeLimits } from '../../config/schema.js';

/**
 * The intake's abuse limits as counts in fixed windows: requests per contact e-mail address per day and per
 * source address per hour (the municipality config's `intakeLimits`). Pure: the windows, the keys and when
 * to try again; the counting itself is the `RequestCounter` port's.
 */

/** What a request is counted by: the contact's e-mail address, or the address it came from. */
export type LimitKind = 'email' | 'source';

/** One count a request takes: a window of one kind and key, and how many requests it holds. */
export interface Allowance {
  readonly kind: LimitKind;
  /** A hash of the address (never the address itself: the counts are stored). */
  readonly key: string;
  readonly windowStart: Date;
  readonly windowEnd: Date;
  readonly max: number;
}

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/** The fixed window (UTC, from the epoch) of `size` that holds `now`. */
function windowOf(now: Date, size: number): { readonly windowStart: Date; readonly windowEnd: Date } {
  const start = Math.floor(now.getTime() / size) * size;
  return { windowStart: new Date(start), windowEnd: new Date(start + size) };
}

/**
 * The key a request is counted by: a hash of the kind and the address (trimmed, in lower case), so the
 * stored counts never hold the address itself. The same address gives the same key in any case.
 */
export const limitKeyOf = (kind: LimitKind, value: string): string =>
  createHash('sha256')
    .update(`${kind}\n${value.trim().toLowerCase()}`, 'utf8')
    .digest('base64url')
    .slice(0, 32);

/** The count a request from `source` takes at `now` (a submission, an answer on the status page). */
export const sourceAllowanceOf = (source: string, now: Date, limits: IntakeLimits): Allowance => ({
  kind: 'source',
  key: limitKeyOf('source', source),
  max: limits.requestsPerSourcePerHour,
  ...windowOf(now, HOUR_MS),
});

/** The counts a request from `source` for the contact `email` takes at `now`. */
export function allowancesFor(
  email: string,
  source: string,
  now: Date,
  limits: IntakeLimits,
): readonly [Allowance, Allowance] {
  return [
    sourceAllowanceOf(source, now, limits),
    {
      kind: 'email',
      key: limitKeyOf('email', email),
      max: limits.requestsPerEmailPerDay,
      ...windowOf(now, DAY_MS),
    },
  ];
}

/** Whole seconds from `now` until the last of the full windows ends (at least 1): the `Retry-After`. */
export function retryAfterSeconds(full: readonly Allowance[], now: Date): number {
  const until = Math.max(...full.map((a) => a.windowEnd.getTime()));
  return Math.max(1, Math.ceil((until - now.getTime()) / 1000));
}
