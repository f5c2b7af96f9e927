import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import type { Municipality } from '../../config/schema.js';
import { caseRequestSchema } from '../../events/case-request.js';
import type { Case } from '../domain/case.js';
import { errorSummary } from '../domain/errors.js';
import { apiMessages, type Language, limitedMessage } from '../domain/messages.js';
import { ANSWER_MAX_LENGTH } from '../domain/question.js';
import { IDEMPOTENCY_KEY } from '../domain/submission.js';
import { newToken, statusPathOf } from '../domain/token.js';
import { type AnswerQuestionDeps, answerQuestion } from '../use-cases/answer-question.js';
import { type SubmitRequestDeps, submitRequest } from '../use-cases/submit-request.js';
import { viewStatus } from '../use-cases/view-status.js';
import { assetsOf } from '../web/assets.js';
import { pickLanguage } from '../web/language.js';
import { contentTypeOf, header, readBody, sourceOf } from '../web/request.js';
import { assetResponse, htmlPage, jsonResponse } from '../web/responses.js';
import { catalogOf, fieldErrors, formInput, formValues } from './form.js';
import { anonymisedStatusJson, statusJson } from './status-json.js';
import { pageTexts } from './texts.js';
import {
  anonymisedPage,
  destroyedPage,
  type FieldErrorView,
  formPage,
  messagePage,
  privacyPage,
  type StatusNotice,
  statusPage,
} from './views.js';

/** The notices a status link may ask for (`&notice=`). */
const STATUS_NOTICES: readonly StatusNotice[] = ['new', 'duplicate', 'answered'];

/** Bodies above this size are refused with 413 before any parsing. */
export const MAX_BODY_BYTES = 32 * 1024;

/**
 * What submitting needs (its limits come from the municipality), and what the status page reads: a case
 * whatever retention did to it.
 */
export interface IntakeDeps extends Omit<SubmitRequestDeps, 'intakeLimits'> {
  readonly cases: SubmitRequestDeps['cases'] & AnswerQuestionDeps['cases'];
  readonly municipality: Municipality;
}

type Result = APIGatewayProxyStructuredResultV2;

const json = jsonResponse;

const page = htmlPage;

type ApiMessage = keyof typeof apiMessages;
const problem = (statusCode: number, error: ApiMessage, language: Language, extra: object = {}) =>
  json(statusCode, { error, message: apiMessages[error][language], ...extra });

/** A submission's body as read: a form post (with its fields, to show them again) or an API body. */
type ReadSubmission =
  | {
      readonly kind: 'refused';
      readonly status: 413 | 415;
      readonly error: 'tooLarge' | 'unsupportedMediaType';
    }
  | { readonly kind: 'invalidJson' }
  | { readonly kind: 'honeypot'; readonly params: URLSearchParams }
  | {
      readonly kind: 'read';
      readonly input: unknown;
      readonly params: URLSearchParams | undefined;
      readonly idempotencyKey: string | undefined;
    };

/** Reads a `POST /cases` body under the limit, as a form post or JSON, with its Idempotency-Key. */
function readSubmission(event: APIGatewayProxyEventV2, isForm: boolean): ReadSubmission {
  const body = readBody(event, { maxBytes: MAX_BODY_BYTES });
  if (!body.ok) return { kind: 'refused', status: 413, error: 'tooLarge' };
  if (isForm) {
    const params = new URLSearchParams(body.text());
    // The honeypot: people never see this field, bots fill it in.
    if ((params.get('website') ?? '') !== '') return { kind: 'honeypot', params };
    const idempotencyKey = params.get('idempotencyKey') || undefined;
    return { kind: 'read', input: formInput(params), params, idempotencyKey };
  }
  if (contentTypeOf(event) !== 'application/json')
    return { kind: 'refused', status: 415, error: 'unsupportedMediaType' };
  try {
    const input: unknown = JSON.parse(body.text());
    return { kind: 'read', input, params: undefined, idempotencyKey: header(event, 'idempotency-key') };
  } catch {
    return { kind: 'invalidJson' };
  }
}

const statusUrl = (event: APIGatewayProxyEventV2, reference: string, token: string) =>
  `${header(event, 'x-forwarded-proto') ?? 'https'}://${event.requestContext.domainName}${statusPathOf(reference, token)}`;

/**
 * The intake: the form (`GET /`), submissions from the form and the API (`POST /cases`), and the
 * enterprise's status page (`GET /cases/{reference}`).
 */
export function createIntakeHandler(deps: IntakeDeps) {
  const schema = caseRequestSchema(catalogOf(deps.municipality));
  const municipality = deps.municipality;
  const submitDeps: SubmitRequestDeps = { ...deps, intakeLimits: municipality.intakeLimits };

  /** A page for the form's user, a problem (JSON) for an API client. */
  const answerFor =
    (isForm: boolean) =>
    (statusCode: number, error: ApiMessage, title: string, language: Language): Result =>
      isForm
        ? page(
            statusCode,
            messagePage({
              lang: language,
              municipality,
              title,
              text: apiMessages[error][language],
              switchHref: `/?lang=${pageTexts[language].switchLang}`,
              backToForm: true,
            }),
          )
        : problem(statusCode, error, language);

  async function submit(event: APIGatewayProxyEventV2): Promise<Result> {
    const acceptLanguage = header(event, 'accept-language');
    const fallback = pickLanguage(event.queryStringParameters?.lang, acceptLanguage);
    const isForm = contentTypeOf(event) === 'application/x-www-form-urlencoded';
    const say = answerFor(isForm);
    const read = readSubmission(event, isForm);
    if (read.kind === 'refused') {
      const t = pageTexts[fallback];
      return say(
        read.status,
        read.error,
        read.status === 413 ? t.tooLargeTitle : t.unsupportedTitle,
        fallback,
      );
    }
    if (read.kind === 'invalidJson') return problem(400, 'invalidJson', fallback);
    if (read.kind === 'honeypot') {
      // Thank the bot; store nothing.
      deps.metrics.count('HoneypotSubmissions');
      const thanksLanguage = pickLanguage(read.params.get('language'), acceptLanguage);
      const tl = pageTexts[thanksLanguage];
      const thanks = { title: tl.thanksTitle, text: tl.thanksText, switchHref: `/?lang=${tl.switchLang}` };
      return page(200, messagePage({ lang: thanksLanguage, municipality, ...thanks }));
    }
    const { input, params, idempotencyKey } = read;
    const language = pickLanguage(
      params ? params.get('language') : (input as { language?: unknown } | null)?.language,
      acceptLanguage,
    );
    if (idempotencyKey !== undefined && !IDEMPOTENCY_KEY.test(idempotencyKey))
      return say(400, 'invalidIdempotencyKey', pageTexts[language].keyReusedTitle, language);

    const parsed = schema.safeParse(input);
    if (!parsed.success) {
      deps.metrics.count('IntakeRejected');
      const errors = fieldErrors(parsed.error.issues, language);
      if (!params) return problem(400, 'invalid', language, { errors });
      const again = { values: formValues(params), errors: errors satisfies FieldErrorView[] };
      const key = idempotencyKey ?? newToken(deps.randomBytes);
      return page(400, formPage({ lang: language, municipality, ...again, idempotencyKey: key }));
    }

    const accepted = await submitRequest(submitDeps, {
      request: parsed.data,
      idempotencyKey,
      statusUrlOf: (reference, token) => statusUrl(event, reference, token),
      source: sourceOf(event),
    });
    if (accepted.outcome === 'keyReused')
      return say(422, 'idempotencyKeyReused', pageTexts[language].keyReusedTitle, language);
    if (accepted.outcome === 'limited') {
      const message = limitedMessage(accepted.limits, accepted.retryAfterSeconds, language);
      const retryAfter = { 'retry-after': String(accepted.retryAfterSeconds) };
      if (!params)
        return json(
          429,
          { error: 'tooManyRequests', message, retryAfterSeconds: accepted.retryAfterSeconds },
          retryAfter,
        );
      // The form as it was sent, the reason at its button: nothing was stored, the same form may be sent later.
      const again = { values: formValues(params), errors: [], submitError: message };
      const key = idempotencyKey ?? newToken(deps.randomBytes);
      return page(429, formPage({ lang: language, municipality, ...again, idempotencyKey: key }), retryAfter);
    }
    const { reference, token, outcome } = accepted;
    if (params) {
      const notice = outcome === 'created' ? 'new' : 'duplicate';
      return page(303, '', {
        location: `/cases/${reference}?token=${token}&lang=${language}&notice=${notice}`,
      });
    }
    return json(202, {
      reference,
      statusUrl: statusUrl(event, reference, token),
      duplicate: outcome === 'duplicate',
      message: apiMessages[outcome === 'created' ? 'accepted' : 'duplicate'][language],
    });
  }

  /**
   * `GET /cases/{reference}?token=`: the case's status, as HTML or (asked for) JSON. A case whose personal
   * data were removed shows what is left of it; a destroyed one answers 410 and says so. An unknown reference
   * and a wrong token answer the same 404.
   */
  async function status(event: APIGatewayProxyEventV2): Promise<Result> {
    const query = event.queryStringParameters ?? {};
    const acceptLanguage = header(event, 'accept-language');
    const wantsJson = /application\/json/i.test(header(event, 'accept') ?? '');
    const found = await viewStatus(deps, {
      reference: event.pathParameters?.reference ?? '',
      token: query.token,
    });
    if (found === undefined) {
      const language = pickLanguage(query.lang, acceptLanguage);
      if (wantsJson) return problem(404, 'notFound', language);
      return notFound(language);
    }
    const reference = found.kind === 'destroyed' ? found.record.reference : found.c.reference;
    const selfHref = (lang: Language) =>
      `/cases/${reference}?token=${encodeURIComponent(query.token ?? '')}&lang=${lang}`;
    if (found.kind === 'destroyed') {
      // The deletion record holds no language: the link's, or the browser's.
      const language = pickLanguage(query.lang, acceptLanguage);
      const { record } = found;
      if (wantsJson)
        return problem(410, 'destroyed', language, { reference, destroyedAt: record.destroyedAt });
      return page(410, destroyedPage({ lang: language, municipality, record, selfHref }));
    }
    const language = pickLanguage(query.lang ?? found.c.request.language, acceptLanguage);
    if (found.kind === 'anonymised') {
      if (wantsJson) return json(200, anonymisedStatusJson(found.c, municipality, language));
      return page(200, anonymisedPage({ lang: language, municipality, c: found.c, selfHref }));
    }
    if (wantsJson) return json(200, statusJson(found.c, municipality, language));
    const notice = STATUS_NOTICES.find((known) => known === query.notice);
    return page(200, statusPageOf(found.c, language, query.token ?? '', notice));
  }

  /**
   * `POST /cases/{reference}/answer`: the enterprise's answer to the open question, from the form on its
   * status page (a form post with the status token and the answer). A valid answer is taken once and the
   * page shown again (303); a refused one shows the page with the answer and its error (400), or says why it
   * is not taken (409). An unknown reference and a wrong token answer the same 404.
   */
  async function answer(event: APIGatewayProxyEventV2): Promise<Result> {
    const acceptLanguage = header(event, 'accept-language');
    const language = pickLanguage(event.queryStringParameters?.lang, acceptLanguage);
    const t = pageTexts[language];
    const say = (statusCode: number, title: string, text: string, back?: string, headers = {}) =>
      page(
        statusCode,
        messagePage({
          lang: language,
          municipality,
          title,
          text,
          switchHref: `/?lang=${t.switchLang}`,
          ...(back === undefined ? { backToForm: true } : { back: { href: back, label: t.backToStatus } }),
        }),
        headers,
      );
    const body = readBody(event, { maxBytes: MAX_BODY_BYTES });
    if (!body.ok) return say(413, t.tooLargeTitle, apiMessages.tooLarge[language]);
    if (contentTypeOf(event) !== 'application/x-www-form-urlencoded')
      return say(415, t.unsupportedTitle, apiMessages.unsupportedMediaType[language]);
    const params = new URLSearchParams(body.text());
    const reference = event.pathParameters?.reference ?? '';
    const token = params.get('token') ?? undefined;
    const typed = params.get('answer') ?? '';
    const answered = await answerQuestion(deps, { reference, token, answer: typed, source: sourceOf(event) });
    if (answered.outcome === 'notFound') return notFound(language);
    if (answered.outcome === 'limited') {
      const message = limitedMessage(['source'], answered.retryAfterSeconds, language);
      return say(429, t.answerRefusedTitle, message, undefined, {
        'retry-after': String(answered.retryAfterSeconds),
      });
    }
    if (answered.outcome === 'invalid') {
      // Shown again as typed, without the control characters that made it invalid.
      // biome-ignore lint/suspicious/noControlCharactersInRegex: removing control characters is the point
      const shown = typed.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/g, '');
      const again = { typed: shown.slice(0, ANSWER_MAX_LENGTH), error: true };
      return page(400, statusPageOf(answered.c, language, token ?? '', undefined, again));
    }
    const back = `/cases/${answered.c?.reference ?? encodeURIComponent(reference)}?token=${encodeURIComponent(token ?? '')}&lang=${language}`;
    if (answered.outcome === 'refused')
      return say(409, t.answerRefusedTitle, t.answerRefused[answered.refusal], back);
    return page(303, '', { location: `${back}&notice=answered` });
  }

  /** The page of an unknown reference or a wrong token: the same for both. */
  const notFound = (language: Language): Result =>
    answerFor(true)(404, 'notFound', pageTexts[language].notFoundTitle, language);

  const statusPageOf = (
    c: Case,
    language: Language,
    token: string,
    notice: StatusNotice | undefined,
    typed?: { readonly typed: string; readonly error: boolean },
  ) =>
    statusPage({
      lang: language,
      municipality,
      c,
      notice,
      token,
      answer: typed,
      selfHref: (lang: Language) => `/cases/${c.reference}?token=${encodeURIComponent(token)}&lang=${lang}`,
    });

  function form(event: APIGatewayProxyEventV2): Result {
    const language = pickLanguage(event.queryStringParameters?.lang, header(event, 'accept-language'));
    const empty = { values: {}, errors: [], idempotencyKey: newToken(deps.randomBytes) };
    return page(200, formPage({ lang: language, municipality, ...empty }));
  }

  return async function handler(event: APIGatewayProxyEventV2): Promise<Result> {
    const language = () => pickLanguage(event.queryStringParameters?.lang, header(event, 'accept-language'));
    try {
      switch (event.routeKey) {
        case 'GET /':
          return form(event);
        case 'GET /privacy':
          return page(200, privacyPage(language(), municipality));
        case 'GET /assets/{file}':
          return assetResponse(event, assetsOf(municipality.theme));
        case 'POST /cases':
          return await submit(event);
        case 'GET /cases/{reference}':
          return await status(event);
        case 'POST /cases/{reference}/answer':
          return await answer(event);
        default:
          return problem(404, 'notFound', pickLanguage(undefined, header(event, 'accept-language')));
      }
    } catch (error) {
      deps.log.error('intake failed', { routeKey: event.routeKey, error: errorSummary(error) });
      return problem(503, 'unavailable', pickLanguage(undefined, header(event, 'accept-language')), {
        requestId: event.requestContext.requestId,
      });
    }
  };
}
