import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import type { Municipality } from '../../config/schema.js';
import type { Action, ActionClaims } from '../domain/action-link.js';
import { type ActionInput, type ActionRefusal, outcomeSchema, reasonSchema } from '../domain/actions.js';
import { type Candidate, contactOf } from '../domain/case.js';
import type { Language } from '../domain/messages.js';
import {
  type ApplyActionDeps,
  applyAction,
  type ReviewActionDeps,
  reviewAction,
} from '../use-cases/apply-action.js';
import { messagePage } from '../web/layout.js';
import { askedLanguage, readBody, requestLanguage } from '../web/request.js';
import { htmlPage } from '../web/responses.js';
import { problemStatus } from './texts.js';
import { confirmPage, donePage, problemPage, tooLargePage } from './views.js';

/** What reviewing and applying an action need; `queue` is where a handover goes (the router). */
export interface ActionsDeps extends ReviewActionDeps, ApplyActionDeps {
  readonly cases: ReviewActionDeps['cases'] & ApplyActionDeps['cases'];
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
 * Officials' actions through the signed links in their e-mails (`/actions/{token}`). GET reviews the link
 * and shows what it would do, changing nothing (mail scanners open links); POST reviews it again, reads
 * the form and applies the action (`use-cases/apply-action.ts`). A link that does not apply says why.
 */
export function createActionsHandler(deps: ActionsDeps) {
  const m = deps.municipality;

  return async function handler(event: APIGatewayProxyEventV2): Promise<Result> {
    const token = event.pathParameters?.token ?? '';
    const asked = askedLanguage(event);
    const fallback = requestLanguage(event);
    const isPost = event.routeKey.startsWith('POST ');
    const body = readBody(event, { maxBytes: MAX_BODY_BYTES });
    if (isPost && !body.ok)
      return htmlPage(413, tooLargePage({ lang: fallback, municipality: m, token }), NO_INDEX);
    try {
      const review = await reviewAction(deps, token);
      if (review.outcome === 'invalid' || review.outcome === 'expired') {
        const problem = review.outcome;
        return htmlPage(
          problemStatus[problem],
          problemPage({ lang: fallback, municipality: m, token, problem }),
          NO_INDEX,
        );
      }
      const { claims } = review;
      const lang: Language = asked ?? claims.lang;
      const refuse = (problem: ActionRefusal) =>
        htmlPage(
          problemStatus[problem],
          problemPage({ lang, municipality: m, token, problem, reference: claims.reference }),
          NO_INDEX,
        );
      if (review.outcome === 'refused') return refuse(review.refusal);

      const { c, colleagues } = review;
      const page = { lang, municipality: m, token, claims, c, colleagues };
      if (!isPost) return htmlPage(200, confirmPage(page), NO_INDEX);

      const input = readInput(body.ok ? body.text() : '', claims, colleagues);
      if (!input.ok)
        return htmlPage(400, confirmPage({ ...page, outcome: input.typed, outcomeError: true }), NO_INDEX);
      const result = await applyAction(deps, review, input.value, lang);
      if (result.outcome === 'refused') return refuse(result.refusal);
      return htmlPage(
        200,
        donePage({ ...page, resumeUrl: result.resumeUrl, handedTo: result.handedTo }),
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
