import type { Municipality } from '../../config/schema.js';
import { routeMessage } from '../../events/route-message.js';
import { type ActionClaims, type ActionLinkMaker, verifyAction } from '../domain/action-link.js';
import {
  type ActionInput,
  type ActionRefusal,
  colleaguesFor,
  keptClocks,
  planAction,
  refusalOf,
} from '../domain/actions.js';
import { type Candidate, type Case, leadDepartment } from '../domain/case.js';
import type { Language } from '../domain/messages.js';
import type {
  ActionStore,
  CaseReader,
  CaseRecords,
  Clock,
  Counter,
  OfficialDirectory,
} from '../domain/ports.js';
import { handOver } from './hand-over.js';
import { type QueueForRoutingDeps, queueForRouting } from './queue-for-routing.js';

/**
 * Apply an official's action (through a signed link in their e-mail: contact made, resolve, pause,
 * resume, hand over), or a department's join (through the link in its daily digest).
 * 1. `reviewAction`: the link is verified (signature, expiry); the case is read; an action that cannot
 *    apply (the link was used, the case is closed, the official is no longer its contact, ...) is refused
 *    with its reason; for a handover, the colleagues it can go to are listed. Nothing changes: opening a
 *    link (as mail scanners do) only shows what it would do.
 * 2. `applyAction`, once the official confirmed: the change is planned and applied with one conditional
 *    write that also records the link as used; a condition that no longer holds (the link was used in
 *    between, the case handed over) refuses it and nothing changed.
 * 3. The promises kept are counted; a handover is queued for the router (`hand-over.ts`), and a join, a
 *    pause and a resolve too (the router tells the contact of the join, e-mails the pause's question to the
 *    enterprise, and asks the enterprise how it went); right after a pause a fresh link to resume is made (the e-mail's resume
 *    link may have been used).
 */

export interface ReviewActionDeps {
  /** The case; what retention left of it, to say so when the case is gone. */
  readonly cases: CaseReader & CaseRecords;
  /** The colleagues a case can be handed over to. */
  readonly officials: OfficialDirectory;
  /** The key that signed the links. */
  readonly key: Uint8Array;
  readonly clock: Clock;
  readonly metrics: Counter;
}

export interface ApplyActionDeps extends QueueForRoutingDeps {
  readonly cases: CaseReader & ActionStore;
  readonly municipality: Municipality;
  /** Signs the links the official is shown right after an action (resume, right after a pause). */
  readonly links: ActionLinkMaker;
}

/** An action that can apply to its case as it is now. */
export interface ReadyAction {
  readonly outcome: 'ready';
  readonly claims: ActionClaims;
  readonly c: Case;
  /** For a handover: the colleagues to choose from (else empty). */
  readonly colleagues: readonly Candidate[];
  /** The moment the link was verified; the action applies at this moment. */
  readonly at: Date;
}

export type ActionReview =
  | { readonly outcome: 'invalid' }
  | { readonly outcome: 'expired' }
  | { readonly outcome: 'refused'; readonly claims: ActionClaims; readonly refusal: ActionRefusal }
  | ReadyAction;

export type ActionResult =
  | { readonly outcome: 'refused'; readonly refusal: ActionRefusal }
  | {
      readonly outcome: 'applied';
      /** A fresh link to resume, right after a pause. */
      readonly resumeUrl?: string;
      /** Handed over to this colleague (by name), or back to routing. */
      readonly handedTo?: string;
    };

export async function reviewAction(deps: ReviewActionDeps, token: string): Promise<ActionReview> {
  const at = deps.clock();
  const verified = verifyAction(token, deps.key, at);
  if (!verified.ok) {
    if (verified.reason === 'expired') {
      deps.metrics.count('ActionLinksExpired');
      return { outcome: 'expired' };
    }
    deps.metrics.count('ActionLinksInvalid');
    return { outcome: 'invalid' };
  }
  const { claims } = verified;
  const c = await deps.cases.get(claims.reference);
  if (c === undefined) {
    // Gone: because retention removed its personal data or destroyed it, or it never was.
    const left = await deps.cases.record(claims.reference);
    const refusal = left === undefined || left.kind === 'case' ? 'missing' : left.kind;
    return { outcome: 'refused', claims, refusal };
  }
  const refusal = refusalOf(c, claims);
  if (refusal !== undefined) return { outcome: 'refused', claims, refusal };
  const colleagues =
    claims.action === 'hand-over' ? colleaguesFor(c, await deps.officials.list(), claims.official, at) : [];
  return { outcome: 'ready', claims, c, colleagues, at };
}

export async function applyAction(
  deps: ApplyActionDeps,
  { claims, c, at }: ReadyAction,
  input: ActionInput,
  /** The language of the page the official sees (for the resume link). */
  lang: Language,
): Promise<ActionResult> {
  const change = planAction(c, claims, at, deps.municipality.sla.calendar, input);
  if (!(await deps.cases.applyAction(change))) {
    // Something changed between the read and the write (the link was used, the case handed over).
    const again = refusalOf(await deps.cases.get(claims.reference), claims);
    return { outcome: 'refused', refusal: again ?? 'used' };
  }
  deps.metrics.count('ActionsApplied');
  // Each promise kept (a clock stopped in time), per lead department.
  const kept = keptClocks(c, change).length;
  if (kept > 0) deps.metrics.count('SlaMet', kept, { department: leadDepartment(c) });
  deps.log.info('action applied', {
    reference: c.reference,
    action: claims.action,
    official: claims.official,
  });
  const to = input.handOverTo;
  if (to !== undefined) await handOver(deps, c.reference);
  // A department joined, the contact asked the enterprise a question, or resolved the case: the router sends
  // the e-mail (the contact told of the join, the enterprise asked the question, or how it went), as it sends
  // each of a case's e-mails, once.
  if (claims.action === 'join' || claims.action === 'pause' || claims.action === 'resolve')
    await queueForRouting(deps, routeMessage(c.reference), {
      level: 'warn',
      text: `${claims.action} not queued for its e-mail; the SLA job queues it again`,
    });
  return {
    outcome: 'applied',
    resumeUrl:
      claims.action === 'pause'
        ? deps.links({ reference: c.reference, official: claims.official, lang, action: 'resume' })
        : undefined,
    handedTo: to === undefined || to === 'routing' ? to : to.name,
  };
}
