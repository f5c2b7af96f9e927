import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import type * as z from 'zod';
import type { Municipality } from '../../config/schema.js';
import { caseRequestSchema } from '../../events/case-request.js';
import { describeReason } from '../domain/mail/describe.js';
import { apiMessages, fieldError, type Language } from '../domain/messages.js';
import type { CaseReader } from '../domain/ports.js';
import { parseReference } from '../domain/reference.js';
import { IDEMPOTENCY_KEY } from '../domain/submission.js';
import { newToken, tokenMatches } from '../domain/token.js';
import { type SubmitRequestDeps, submitRequest } from '../use-cases/submit-request.js';
import { assetsOf } from '../web/assets.js';
import { pickLanguage } from '../web/language.js';
import { contentTypeOf, header, readBody } from '../web/request.js';
import { assetResponse, htmlPage, jsonResponse } from '../web/responses.js';
import { pageTexts } from './texts.js';
import {
  type FieldErrorView,
  type FormValues,
  formPage,
  messagePage,
  privacyPage,
  statusPage,
} from './views.js';

/** Bodies above this size are refused with 413 before any parsing. */
export const MAX_BODY_BYTES = 32 * 1024;

/** What submitting needs, and the case reader of the status page. */
export interface IntakeDeps extends SubmitRequestDeps {
  readonly cases: SubmitRequestDeps['cases'] & CaseReader;
  readonly municipality: Municipality;
}

type Result = APIGatewayProxyStructuredResultV2;

const json = jsonResponse;

const page = htmlPage;

type ApiMessage = keyof typeof apiMessages;
const problem = (statusCode: number, error: ApiMessage, language: Language, extra: object = {}) =>
  json(statusCode, { error, message: apiMessages[error][language], ...extra });

export interface FieldError {
  readonly field: string;
  readonly message: string;
}

/** One message per field, in the user's language; unknown fields are named one by one. */
export function fieldErrors(issues: readonly z.core.$ZodIssue[], language: Language): FieldError[] {
  const errors = new Map<string, string>();
  // A key that is empty or holds a dot or odd characters is shown quoted, so every field is named.
  const segment = (key: PropertyKey) => {
    const text = String(key);
    return /^[A-Za-z0-9_$-]+$/.test(text) ? text : JSON.stringify(text);
  };
  for (const issue of issues) {
    const base = issue.path.map(segment);
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) {
        const field = [...base, segment(key)].join('.');
        if (!errors.has(field)) errors.set(field, fieldError('unknownField', language));
      }
      continue;
    }
    const field = base.join('.') || '(body)';
    if (!errors.has(field)) errors.set(field, fieldError(issue.message, language));
  }
  return [...errors].map(([field, message]) => ({ field, message }));
}

function catalogOf(m: Municipality) {
  const [goal, ...goals] = m.goals.map((g) => g.id);
  const [type, ...types] = m.requestTypes.map((t) => t.id);
  if (goal === undefined || type === undefined) throw new Error('municipality has no goals or request types');
  return { goals: [goal, ...goals] as const, requestTypes: [type, ...types] as const };
}

/** Fields of the form, named by their path in the request schema. */
const FORM_FIELDS = new Set([
  'organisation.name',
  'organisation.kvkNumber',
  'contact.name',
  'contact.email',
  'contact.phone',
  'language',
  'requestType',
  'description',
]);

/** Own, enumerable property, whatever the key (also `__proto__`): the schema then names it as unknown. */
const put = (target: Record<string, unknown>, key: string, value: unknown) =>
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });

/** The form post as the request schema reads it; empty fields count as missing. */
export function formInput(params: URLSearchParams): Record<string, unknown> {
  // The groups always exist, so a missing field is named by its own path (`contact.name`), not the group's.
  const input: Record<string, unknown> = { organisation: {}, contact: {} };
  for (const key of new Set(params.keys())) {
    if (key === 'idempotencyKey' || key === 'website') continue;
    const value = params.get(key) ?? '';
    if (key === 'goals') put(input, 'goals', params.getAll('goals'));
    else if (key === 'consent') put(input, 'consent', value === 'yes' ? true : value);
    else if (!FORM_FIELDS.has(key)) put(input, key, value);
    else if (value.trim() !== '') {
      const [outer = '', inner] = key.split('.');
      if (inner === undefined) put(input, outer, value);
      else {
        const nested = (input[outer] as Record<string, unknown> | undefined) ?? {};
        put(nested, inner, value);
        put(input, outer, nested);
      }
    }
  }
  // Unticked boxes are not sent at all: they mean "none chosen" and "no consent", not "missing".
  if (!Object.hasOwn(input, 'goals')) put(input, 'goals', []);
  if (!Object.hasOwn(input, 'consent')) put(input, 'consent', false);
  return input;
}

const formValues = (params: URLSearchParams): FormValues => ({
  organisationName: params.get('organisation.name') ?? undefined,
  kvkNumber: params.get('organisation.kvkNumber') ?? undefined,
  contactName: params.get('contact.name') ?? undefined,
  email: params.get('contact.email') ?? undefined,
  phone: params.get('contact.phone') ?? undefined,
  goals: params.getAll('goals'),
  requestType: params.get('requestType') ?? undefined,
  description: params.get('description') ?? undefined,
  consent: params.get('consent') === 'yes',
});

/**
 * The intake: the form (`GET /`), submissions from the form and the API (`POST /cases`), and the
 * enterprise's status page (`GET /cases/{reference}`).
 */
export function createIntakeHandler(deps: IntakeDeps) {
  const schema = caseRequestSchema(catalogOf(deps.municipality));
  const m = deps.municipality;
  const names = (
    list: readonly { id: string; name: { nl: string; en: string } }[],
    id: string,
    lang: Language,
  ) => list.find((item) => item.id === id)?.name[lang] ?? id;

  const statusUrl = (event: APIGatewayProxyEventV2, reference: string, token: string) =>
    `${header(event, 'x-forwarded-proto') ?? 'https'}://${event.requestContext.domainName}/cases/${reference}?token=${token}`;

  async function submit(event: APIGatewayProxyEventV2): Promise<Result> {
    const acceptLanguage = header(event, 'accept-language');
    const query = event.queryStringParameters ?? {};
    const fallback = pickLanguage(query.lang, acceptLanguage);
    const contentType = contentTypeOf(event);
    const isForm = contentType === 'application/x-www-form-urlencoded';
    const t = pageTexts[fallback];
    const say = (statusCode: number, error: ApiMessage, title: string, language = fallback) =>
      isForm
        ? page(
            statusCode,
            messagePage({
              lang: language,
              municipality: m,
              title,
              text: apiMessages[error][language],
              switchHref: `/?lang=${pageTexts[language].switchLang}`,
              backToForm: true,
            }),
          )
        : problem(statusCode, error, language);

    const body = readBody(event, { maxBytes: MAX_BODY_BYTES });
    if (!body.ok) return say(413, 'tooLarge', t.tooLargeTitle);
    if (contentType !== 'application/json' && !isForm)
      return say(415, 'unsupportedMediaType', t.unsupportedTitle);

    let input: unknown;
    let params: URLSearchParams | undefined;
    let idempotencyKey: string | undefined;
    if (isForm) {
      params = new URLSearchParams(body.text());
      input = formInput(params);
      idempotencyKey = params.get('idempotencyKey') || undefined;
      // The honeypot: people never see this field, bots fill it in. Thank them; store nothing.
      if ((params.get('website') ?? '') !== '') {
        deps.metrics.count('HoneypotSubmissions');
        const language = pickLanguage(params.get('language'), acceptLanguage);
        const tl = pageTexts[language];
        return page(
          200,
          messagePage({
            lang: language,
            municipality: m,
            title: tl.thanksTitle,
            text: tl.thanksText,
            switchHref: `/?lang=${tl.switchLang}`,
          }),
        );
      }
    } else {
      try {
        input = JSON.parse(body.text());
      } catch {
        return problem(400, 'invalidJson', fallback);
      }
      idempotencyKey = header(event, 'idempotency-key');
    }
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
      return page(
        400,
        formPage({
          lang: language,
          municipality: m,
          values: formValues(params),
          errors: errors satisfies FieldErrorView[],
          idempotencyKey: idempotencyKey ?? newToken(deps.randomBytes),
        }),
      );
    }

    const accepted = await submitRequest(deps, {
      request: parsed.data,
      idempotencyKey,
      statusUrlOf: (reference, token) => statusUrl(event, reference, token),
    });
    if (accepted.outcome === 'keyReused')
      return say(422, 'idempotencyKeyReused', pageTexts[language].keyReusedTitle, language);
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

  async function status(event: APIGatewayProxyEventV2): Promise<Result> {
    const reference = parseReference(event.pathParameters?.reference ?? '');
    const query = event.queryStringParameters ?? {};
    const acceptLanguage = header(event, 'accept-language');
    const wantsJson = /application\/json/i.test(header(event, 'accept') ?? '');
    const found = reference === undefined ? undefined : await deps.cases.get(reference);
    // Unknown reference and wrong token answer alike (nothing of the case, not even its language),
    // so references cannot be probed.
    const c = found !== undefined && tokenMatches(query.token, found.tokenHashes) ? found : undefined;
    if (c === undefined) {
      const language = pickLanguage(query.lang, acceptLanguage);
      if (wantsJson) return problem(404, 'notFound', language);
      const t = pageTexts[language];
      return page(
        404,
        messagePage({
          lang: language,
          municipality: m,
          title: t.notFoundTitle,
          text: apiMessages.notFound[language],
          switchHref: `/?lang=${t.switchLang}`,
          backToForm: true,
        }),
      );
    }
    const language = pickLanguage(query.lang ?? c.request.language, acceptLanguage);
    if (wantsJson)
      return json(200, {
        reference: c.reference,
        status: c.status,
        submittedAt: c.submittedAt,
        organisation: c.request.organisation.name,
        contact: c.contact === undefined ? null : { name: c.contact.name },
        departments: c.tags.map((t) => ({
          id: t.department,
          name: names(m.departments, t.department, language),
          lead: t.lead,
          reasons: t.reasons.map((reason) => describeReason(reason, m, language)),
        })),
        promises: Object.fromEntries(
          Object.entries(c.clocks).map(([clock, running]) => [
            clock,
            {
              due: running.due,
              explanation: running.explanation[language],
              stopped: running.stoppedAt !== undefined,
            },
          ]),
        ),
        history: c.history.map((h) => ({ type: h.type, at: h.at })),
        outcome: c.history.findLast((h) => h.type === 'resolved')?.outcome ?? null,
      });
    const token = query.token ?? '';
    return page(
      200,
      statusPage({
        lang: language,
        municipality: m,
        c,
        notice: query.notice === 'new' || query.notice === 'duplicate' ? query.notice : undefined,
        selfHref: (lang) => `/cases/${c.reference}?token=${encodeURIComponent(token)}&lang=${lang}`,
      }),
    );
  }

  function form(event: APIGatewayProxyEventV2): Result {
    const language = pickLanguage(event.queryStringParameters?.lang, header(event, 'accept-language'));
    return page(
      200,
      formPage({
        lang: language,
        municipality: m,
        values: {},
        errors: [],
        idempotencyKey: newToken(deps.randomBytes),
      }),
    );
  }

  return async function handler(event: APIGatewayProxyEventV2): Promise<Result> {
    try {
      switch (event.routeKey) {
        case 'GET /':
          return form(event);
        case 'GET /privacy':
          return page(
            200,
            privacyPage(pickLanguage(event.queryStringParameters?.lang, header(event, 'accept-language')), m),
          );
        case 'GET /assets/{file}':
          return assetResponse(event, assetsOf(m.theme));
        case 'POST /cases':
          return await submit(event);
        case 'GET /cases/{reference}':
          return await status(event);
        default:
          return problem(404, 'notFound', pickLanguage(undefined, header(event, 'accept-language')));
      }
    } catch (error) {
      deps.log.error('intake failed', { routeKey: event.routeKey, error });
      return problem(503, 'unavailable', pickLanguage(undefined, header(event, 'accept-language')), {
        requestId: event.requestContext.requestId,
      });
    }
  };
}
