import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import type { ActionRefusal } from '../domain/actions.js';
import { errorSummary } from '../domain/errors.js';
import type { Language } from '../domain/messages.js';
import { readRating } from '../domain/satisfaction.js';
import {
  type ApplyActionDeps,
  applyAction,
  type ReviewActionDeps,
  reviewAction,
} from '../use-cases/apply-action.js';
import { type RateCaseDeps, recordRating, reviewRating } from '../use-cases/rate-case.js';
import { type ViewMyCasesDeps, viewMyCases } from '../use-cases/view-my-cases.js';
import { askedLanguage, readBody, requestLanguage } from '../web/request.js';
import { htmlPage } from '../web/responses.js';
import { readInput } from './form.js';
import { myCasesPage, myCasesProblemPage, myCasesProblemStatus } from './my-cases.js';
import {
  type SatisfactionProblem,
  satisfactionDonePage,
  satisfactionPage,
  satisfactionProblemPage,
  satisfactionStatus,
  satisfactionTooLargePage,
} from './satisfaction.js';
import { problemStatus } from './texts.js';
import { confirmPage, donePage, problemPage, tooLargePage, unavailablePage } from './views.js';

/** What reviewing and applying an action need; `queue` is where a handover goes (the router). */
export interface ActionsDeps extends ReviewActionDeps, ApplyActionDeps, ViewMyCasesDeps, RateCaseDeps {
  readonly cases: ReviewActionDeps['cases'] &
    ApplyActionDeps['cases'] &
    ViewMyCasesDeps['cases'] &
    RateCaseDeps['cases'];
}

type Result = APIGatewayProxyStructuredResultV2;

/** Form posts larger than this are refused with 413 (an outcome is at most 2000 characters). */
const MAX_BODY_BYTES = 16 * 1024;
/** Action pages are never indexed. */
const NO_INDEX = { 'x-robots-tag': 'noindex, nofollow' };

/** The route of an official's read-only "Mijn zaken" page. */
const MY_CASES_ROUTE = 'GET /my-cases/{token}';
/** The routes of the enterprise's satisfaction form: GET shows the question, POST records the answer. */
const SATISFACTION_ROUTES = ['GET /satisfaction/{token}', 'POST /satisfaction/{token}'];

/**
 * Officials' actions through the signed links in their e-mails (`/actions/{token}`), their read-only
 * "Mijn zaken" page through the link in their digest (`/my-cases/{token}`), and the enterprise's
 * satisfaction form through the link in its e-mail once its case was resolved (`/satisfaction/{token}`,
 * `use-cases/rate-case.ts`: GET shows the question, POST records the answer once). GET reviews the link
 * and shows what it would do, changing nothing (mail scanners open links); POST reviews it again, reads
 * the form and applies the action (`use-cases/apply-action.ts`). A link that does not apply says why.
 */
export function createActionsHandler(deps: ActionsDeps) {
  const municipality = deps.municipality;

  async function myCases(token: string, asked: Language | undefined, fallback: Language): Promise<Result> {
    try {
      const view = await viewMyCases(deps, token);
      const lang = asked ?? (view.outcome === 'shown' ? view.claims.lang : (view.lang ?? fallback));
      if (view.outcome !== 'shown')
        return htmlPage(
          myCasesProblemStatus[view.outcome],
          myCasesProblemPage({ lang, municipality, token, problem: view.outcome }),
          NO_INDEX,
        );
      return htmlPage(200, myCasesPage({ lang, municipality, token, view }), NO_INDEX);
    } catch (error) {
      deps.log.error('my cases failed', { routeKey: MY_CASES_ROUTE, error: errorSummary(error) });
      return htmlPage(503, unavailablePage(fallback, municipality), NO_INDEX);
    }
  }

  async function satisfaction(event: APIGatewayProxyEventV2, token: string): Promise<Result> {
    const asked = askedLanguage(event);
    const fallback = asked ?? requestLanguage(event);
    const isPost = event.routeKey.startsWith('POST ');
    const body = readBody(event, { maxBytes: MAX_BODY_BYTES });
    if (isPost && !body.ok)
      return htmlPage(413, satisfactionTooLargePage({ lang: fallback, municipality, token }), NO_INDEX);
    try {
      const review = await reviewRating(deps, token);
      if (review.outcome === 'invalid' || review.outcome === 'expired') {
        const problem = review.outcome;
        return htmlPage(
          satisfactionStatus[problem],
          satisfactionProblemPage({ lang: fallback, municipality, token, problem }),
          NO_INDEX,
        );
      }
      const { claims } = review;
      const lang: Language = asked ?? claims.lang;
      const reference = claims.case;
      const refuse = (problem: SatisfactionProblem) =>
        htmlPage(
          satisfactionStatus[problem],
          satisfactionProblemPage({ lang, municipality, token, problem, reference }),
          NO_INDEX,
        );
      if (review.outcome === 'refused') return refuse(review.refusal);
      const page = { lang, municipality, token, reference };
      if (!isPost) return htmlPage(200, satisfactionPage(page), NO_INDEX);
      const input = readRating(body.ok ? body.text() : '');
      if (!input.ok)
        return htmlPage(
          400,
          satisfactionPage({ ...page, typed: input.typed, errors: input.errors }),
          NO_INDEX,
        );
      const result = await recordRating(deps, review, input.value);
      if (result.outcome === 'refused') return refuse(result.refusal);
      return htmlPage(200, satisfactionDonePage({ ...page, score: input.value.score }), NO_INDEX);
    } catch (error) {
      deps.log.error('satisfaction failed', { routeKey: event.routeKey, error: errorSummary(error) });
      return htmlPage(503, unavailablePage(fallback, municipality), NO_INDEX);
    }
  }

  return async function handler(event: APIGatewayProxyEventV2): Promise<Result> {
    const token = event.pathParameters?.token ?? '';
    const asked = askedLanguage(event);
    const fallback = requestLanguage(event);
    if (event.routeKey === MY_CASES_ROUTE) return myCases(token, asked, fallback);
    if (SATISFACTION_ROUTES.includes(event.routeKey)) return satisfaction(event, token);
    const isPost = event.routeKey.startsWith('POST ');
    const body = readBody(event, { maxBytes: MAX_BODY_BYTES });
    if (isPost && !body.ok)
      return htmlPage(413, tooLargePage({ lang: fallback, municipality, token }), NO_INDEX);
    try {
      const review = await reviewAction(deps, token);
      if (review.outcome === 'invalid' || review.outcome === 'expired') {
        const problem = review.outcome;
        return htmlPage(
          problemStatus[problem],
          problemPage({ lang: fallback, municipality, token, problem }),
          NO_INDEX,
        );
      }
      const { claims } = review;
      const lang: Language = asked ?? claims.lang;
      const refuse = (problem: ActionRefusal) =>
        htmlPage(
          problemStatus[problem],
          problemPage({ lang, municipality, token, problem, reference: claims.reference }),
          NO_INDEX,
        );
      if (review.outcome === 'refused') return refuse(review.refusal);

      const { c, colleagues } = review;
      const page = { lang, municipality, token, claims, c, colleagues };
      if (!isPost) return htmlPage(200, confirmPage(page), NO_INDEX);

      const input = readInput(body.ok ? body.text() : '', claims, colleagues, {
        municipality,
        c,
        at: review.at,
      });
      if (!input.ok)
        return htmlPage(400, confirmPage({ ...page, typed: input.typed, errors: input.errors }), NO_INDEX);
      const result = await applyAction(deps, review, input.value, lang);
      if (result.outcome === 'refused') return refuse(result.refusal);
      return htmlPage(
        200,
        donePage({
          ...page,
          resumeUrl: result.resumeUrl,
          handedTo: result.handedTo,
          resolution: input.value.resolution,
        }),
        NO_INDEX,
      );
    } catch (error) {
      deps.log.error('action failed', { routeKey: event.routeKey, error: errorSummary(error) });
      return htmlPage(503, unavailablePage(fallback, municipality), NO_INDEX);
    }
  };
}
