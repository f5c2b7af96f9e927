import type { IntakeLimits } from '../../config/schema.js';
import type { CaseRequest } from '../../events/case-request.js';
import { routeMessage } from '../../events/route-message.js';
import { submitCase } from '../domain/case.js';
import { type Allowance, allowancesFor, type LimitKind, retryAfterSeconds } from '../domain/intake-limits.js';
import type { Clock, RequestCounter, SubmissionStore } from '../domain/ports.js';
import { newReference, type RandomBytes } from '../domain/reference.js';
import {
  DUPLICATE_WINDOW_MS,
  fingerprintOf,
  MAX_STATUS_TOKENS,
  referenceFromKey,
  requestHashOf,
} from '../domain/submission.js';
import { hashToken, newToken } from '../domain/token.js';
import { type QueueForRoutingDeps, queueForRouting } from './queue-for-routing.js';

/**
 * Submit a request (an enterprise, through the form or the API).
 * 0. The request is counted against the intake's limits, per contact e-mail address per day and per source
 *    address per hour: above either, nothing is stored or sent: `limited`, with when to try again.
 * 1. A new status link (token) is made; only its hash is stored.
 * 2. The reference is claimed for the request's fingerprint (same KvK number and description within 24
 *    hours): a repeat finds the reference of the case it repeats. With an Idempotency-Key the reference
 *    is derived from the key.
 * 3. A new case is stored and queued for routing: `created`. A queue that fails loses nothing: the case
 *    is stored with `nextAt`, and the SLA job queues it again.
 * 4. A repeat adds its status link to the existing case: `duplicate`; nothing is queued twice. A reused
 *    Idempotency-Key with another request: `keyReused`.
 * A random reference another case already has is replaced, at most 3 times.
 */

export interface SubmitRequestDeps extends QueueForRoutingDeps {
  readonly cases: SubmissionStore;
  readonly requestCounts: RequestCounter;
  readonly intakeLimits: IntakeLimits;
  readonly clock: Clock;
  readonly randomBytes: RandomBytes;
}

export interface Submission {
  readonly request: CaseRequest;
  /** The client's Idempotency-Key (already checked against `IDEMPOTENCY_KEY`), if it sent one. */
  readonly idempotencyKey: string | undefined;
  /** The link to the case's status page, for the route message (the router mails it to the enterprise). */
  readonly statusUrlOf: (reference: string, token: string) => string;
  /** The address the request came from (the client's IP), for the per-source limit. */
  readonly source: string;
}

export type Submitted =
  | { readonly outcome: 'created' | 'duplicate'; readonly reference: string; readonly token: string }
  | { readonly outcome: 'keyReused' }
  | {
      readonly outcome: 'limited';
      /** The limits that were full: the source's, the e-mail address's, or both. */
      readonly limits: readonly LimitKind[];
      readonly retryAfterSeconds: number;
    };

const ATTEMPTS = 3;

export async function submitRequest(deps: SubmitRequestDeps, submission: Submission): Promise<Submitted> {
  const { request, idempotencyKey } = submission;
  const now = deps.clock();
  const full = await fullAllowances(deps, request.contact.email, submission.source, now);
  if (full.length > 0) {
    deps.metrics.count('IntakeLimited');
    return {
      outcome: 'limited',
      limits: full.map((a) => a.kind),
      retryAfterSeconds: retryAfterSeconds(full, now),
    };
  }
  const token = newToken(deps.randomBytes);
  const tokenHash = hashToken(token);
  const fingerprint = fingerprintOf(request);
  const requestHash = requestHashOf(request);
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    const proposed =
      idempotencyKey === undefined ? newReference(deps.randomBytes) : referenceFromKey(idempotencyKey);
    const reference = await deps.cases.claimFingerprint(
      fingerprint,
      proposed,
      now,
      DUPLICATE_WINDOW_MS,
      attempt > 0,
    );
    const candidate = submitCase({ request, reference, tokenHash, now });
    if ((await deps.cases.create(candidate)) === 'created') {
      deps.metrics.count('CasesSubmitted');
      // Answering 5xx when the queue fails would make the enterprise submit twice: the SLA job queues it.
      await queueForRouting(deps, routeMessage(reference, submission.statusUrlOf(reference, token)), {
        level: 'error',
        text: 'route message not sent; the SLA job will queue the case again',
      });
      deps.log.info('case submitted', { reference });
      return { outcome: 'created', reference, token };
    }
    const added = await deps.cases.addToken(
      reference,
      tokenHash,
      { requestHash, fingerprint },
      MAX_STATUS_TOKENS,
    );
    if (added === 'added') {
      deps.metrics.count('DuplicateSubmissions');
      return { outcome: 'duplicate', reference, token };
    }
    if (added === 'full') throw new Error(`case ${reference} has no room for another status link`);
    if (idempotencyKey !== undefined && added === 'different') return { outcome: 'keyReused' };
    // A random reference that another case already has (rare): try another one.
  }
  throw new Error(`no free reference after ${ATTEMPTS} attempts`);
}

/** Counts the request in each of its windows (together): the allowances that were already full. */
async function fullAllowances(
  deps: SubmitRequestDeps,
  email: string,
  source: string,
  now: Date,
): Promise<Allowance[]> {
  const allowances = allowancesFor(email, source, now, deps.intakeLimits);
  const taken = await Promise.all(allowances.map((a) => deps.requestCounts.take(a)));
  return allowances.filter((_, i) => taken[i] === false);
}
