import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import type { Municipality } from '../../config/schema.js';
import { routeMessage } from '../../events/route-message.js';
import { type Action, type ActionClaims, type ActionLinkMaker, verifyAction } from '../domain/action-link.js';
import {
  type ActionInput,
  colleaguesFor,
  keptClocks,
  outcomeSchema,
  planAction,
  reasonSchema,
  refusalOf,
} from '../domain/actions.js';
import { type Candidate, contactOf, leadDepartment } from '../domain/case.js';
import type { Language } from '../domain/messages.js';
import type { CaseStore, Clock, Counter, Log, OfficialDirectory, RouteQueue } from '../domain/ports.js';
import { messagePage } from '../web/layout.js';
import { askedLanguage, readBody, requestLanguage } from '../web/request.js';
import { htmlPage } from '../web/responses.js';
import { problemStatus } from './texts.js';
import { confirmPage, donePage, problemPage, tooLargePage } from './views.js';

export interface ActionsDeps {
  readonly cases: CaseStore;
  readonly municipality: Municipality;
  readonly clock: Clock;
  /** The key that signed the links. */
  readonly key: Uint8Array;
  /** The colleagues a case can be handed over to. */
  readonly officials: OfficialDirectory;
  /** Where a handover goes: the router sends its e-mails, or chooses a new contact. */
  readonly queue: RouteQueue;
  /** Signs the links this function shows itself (resume, right after a pause). */
  readonly links: ActionLinkMaker;
  readonly log: Log;
  readonly metrics: Counter;
}

type Result = APIGatewayProxyStructuredResultV2;

/** Form posts larger than this are refused with 413 (an outcome is at most 2000 characters). */
const MAX_BODY_BYTES = 16 * 1024;
/** The text an action needs from its form: the outcome to resolve, the reason to pause. */
const TEXT_FIELDS: Partial<Record<Action, { name: string; schema: typeof outcomeSchema }>> = {
  resolve: { name: 'outcome', schema: outcomeSchema },
  pause: { name: 'reason', schema: reasonSchema },
};
/** Action pages are never indexed. */
const NO_INDEX = { 'x-robots-tag': 'noindex, nofollow' };

/** The value of the handover form's choice that hands the case back to routing. */
export const ROUTING_CHOICE = 'routing';

/**
 * Officials' actions through the signed links in their e-mails (`/actions/{token}`). GET verifies the link
 * and shows what it would do, changing nothing (mail scanners open links); POST verifies again and applies
 * the action with one conditional write that also records the link as used. A tampered, expired or used
 * link, or one for an official who is no longer the contact, changes nothing and says why. A handover is
 * then queued for the router, which sends its e-mails (or chooses a new contact).
 */
export function createActionsHandler(deps: ActionsDeps) {
  const m = deps.municipality;

  /** If queueing fails, the SLA job finds the case (its `nextAt` is set) and queues it again. */
  async function queueHandover(reference: string): Promise<void> {
    try {
      await deps.queue.send(routeMessage(reference));
    } catch (error) {
      deps.metrics.count('RouteEnqueueFailed');
      deps.log.warn('handover not queued; the SLA job queues it again', { reference, error });
    }
  }

  return async function handler(event: APIGatewayProxyEventV2): Promise<Result> {
    const token = event.pathParameters?.token ?? '';
    const asked = askedLanguage(event);
    const fallback = requestLanguage(event);
    const isPost = event.routeKey.startsWith('POST ');
    const body = readBody(event, { maxBytes: MAX_BODY_BYTES });
    if (isPost && !body.ok)
      return htmlPage(413, tooLargePage({ lang: fallback, municipality: m, token }), NO_INDEX);
    try {
      const now = deps.clock();
      const verified = verifyAction(token, deps.key, now);
      if (!verified.ok) {
        deps.metrics.count(verified.reason === 'expired' ? 'ActionLinksExpired' : 'ActionLinksInvalid');
        const problem = verified.reason === 'expired' ? 'expired' : 'invalid';
        return htmlPage(
          problemStatus[problem],
          problemPage({ lang: fallback, municipality: m, token, problem }),
          NO_INDEX,
        );
      }
      const { claims } = verified;
      const lang: Language = asked ?? claims.lang;
      const refuse = (problem: NonNullable<ReturnType<typeof refusalOf>>) =>
        htmlPage(
          problemStatus[problem],
          problemPage({ lang, municipality: m, token, problem, reference: claims.reference }),
          NO_INDEX,
        );

      const c = await deps.cases.get(claims.reference);
      const refusal = refusalOf(c, claims);
      if (refusal !== undefined || c === undefined) return refuse(refusal ?? 'missing');
      const colleagues =
        claims.action === 'hand-over'
          ? colleaguesFor(c, await deps.officials.list(), claims.official, now)
          : [];
      const page = { lang, municipality: m, token, claims, c, colleagues };
      if (!isPost) return htmlPage(200, confirmPage(page), NO_INDEX);

      const input = readInput(body.ok ? body.text() : '', claims, colleagues);
      if (!input.ok)
        return htmlPage(400, confirmPage({ ...page, outcome: input.typed, outcomeError: true }), NO_INDEX);
      const change = planAction(c, claims, now, m.sla.calendar, input.value);
      if (!(await deps.cases.applyAction(change))) {
        // Something changed between the read and the write (the link was used, the case handed over).
        const again = refusalOf(await deps.cases.get(claims.reference), claims);
        return refuse(again ?? 'used');
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
      const to = input.value.handOverTo;
      if (to !== undefined) await queueHandover(c.reference);
      // Right after a pause the page offers a fresh link to resume: the e-mail's resume link may be used.
      const resumeUrl =
        claims.action === 'pause'
          ? deps.links({ reference: c.reference, official: claims.official, lang, action: 'resume' })
          : undefined;
      return htmlPage(
        200,
        donePage({ ...page, resumeUrl, handedTo: to === undefined || to === 'routing' ? to : to.name }),
        NO_INDEX,
      );
    } catch (error) {
      deps.log.error('action failed', { routeKey: event.routeKey, error });
      return htmlPage(503, problemPageUnavailable(fallback, m), NO_INDEX);
    }
  };
}

type Read =
  | { readonly ok: true; readonly value: ActionInput }
  | { readonly ok: false; readonly typed: string };

/** What the action's form sent (the body, within the limit): the outcome, the reason, or the colleague. */
function readInput(form: string, claims: ActionClaims, colleagues: readonly Candidate[]): Read {
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

const unavailable = {
  nl: {
    title: 'Even niet beschikbaar',
    text: 'Er ging iets mis aan onze kant. Er is niets veranderd. Probeer het over een minuut opnieuw.',
  },
  en: {
    title: 'Temporarily unavailable',
    text: 'Something went wrong on our side. Nothing has changed. Please try again in a minute.',
  },
} as const;

function problemPageUnavailable(lang: Language, m: Municipality): string {
  return messagePage({
    lang,
    municipality: m,
    ...unavailable[lang],
    switchHref: `?lang=${lang === 'nl' ? 'en' : 'nl'}`,
  });
}
