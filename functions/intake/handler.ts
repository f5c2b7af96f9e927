import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import type { z } from 'zod';
import type { Municipality } from '../../config/schema.js';
import { caseRequestSchema } from '../../events/case-request.js';
import { routeMessage } from '../../events/route-message.js';
import { submitCase } from '../domain/case.js';
import { apiMessages, fieldError, type Language, pickLanguage } from '../domain/messages.js';
import type { CaseStore, Clock, Counter, Log, RouteQueue } from '../domain/ports.js';
import { newReference, parseReference, type RandomBytes } from '../domain/reference.js';
import { hashToken, newToken, tokenMatches } from '../domain/token.js';

/** Bodies above this size are refused with 413 before any parsing. */
export const MAX_BODY_BYTES = 32 * 1024;

export interface IntakeDeps {
  readonly cases: CaseStore;
  readonly queue: RouteQueue;
  readonly municipality: Municipality;
  readonly clock: Clock;
  readonly randomBytes: RandomBytes;
  readonly log: Log;
  readonly metrics: Counter;
}

type Result = APIGatewayProxyStructuredResultV2;

const json = (statusCode: number, body: unknown, headers: Record<string, string> = {}): Result => ({
  statusCode,
  headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...headers },
  body: JSON.stringify(body),
});

const problem = (statusCode: number, error: string, language: Language, extra: object = {}) =>
  json(statusCode, { error, message: apiMessages[error as keyof typeof apiMessages][language], ...extra });

export interface FieldError {
  readonly field: string;
  readonly message: string;
}

/** One message per field, in the user's language; unknown fields are named one by one. */
export function fieldErrors(issues: readonly z.core.$ZodIssue[], language: Language): FieldError[] {
  const errors = new Map<string, string>();
  for (const issue of issues) {
    const base = issue.path.map(String);
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) {
        const field = [...base, key].join('.');
        if (!errors.has(field)) errors.set(field, fieldError('unknownField', language));
      }
      continue;
    }
    const field = base.join('.') || '(body)';
    if (!errors.has(field)) errors.set(field, fieldError(issue.message, language));
  }
  return [...errors].map(([field, message]) => ({ field, message }));
}

const header = (event: APIGatewayProxyEventV2, name: string) => event.headers?.[name] ?? undefined;

function catalogOf(m: Municipality) {
  const [goal, ...goals] = m.goals.map((g) => g.id);
  const [type, ...types] = m.requestTypes.map((t) => t.id);
  if (goal === undefined || type === undefined) throw new Error('municipality has no goals or request types');
  return { goals: [goal, ...goals] as const, requestTypes: [type, ...types] as const };
}

/** The intake: `POST /cases` stores and queues a case, `GET /cases/{reference}` shows its status. */
export function createIntakeHandler(deps: IntakeDeps) {
  const schema = caseRequestSchema(catalogOf(deps.municipality));
  const names = (
    list: readonly { id: string; name: { nl: string; en: string } }[],
    id: string,
    lang: Language,
  ) => list.find((item) => item.id === id)?.name[lang] ?? id;

  async function submit(event: APIGatewayProxyEventV2): Promise<Result> {
    const acceptLanguage = header(event, 'accept-language');
    const fallback = pickLanguage(undefined, acceptLanguage);
    const raw = event.body ?? '';
    const body = event.isBase64Encoded ? Buffer.from(raw, 'base64') : Buffer.from(raw, 'utf8');
    if (body.byteLength > MAX_BODY_BYTES) return problem(413, 'tooLarge', fallback);
    const contentType = (header(event, 'content-type') ?? '').split(';')[0]?.trim().toLowerCase();
    if (contentType !== 'application/json') return problem(415, 'unsupportedMediaType', fallback);

    let input: unknown;
    try {
      input = JSON.parse(body.toString('utf8'));
    } catch {
      return problem(400, 'invalidJson', fallback);
    }
    const language = pickLanguage((input as { language?: unknown } | null)?.language, acceptLanguage);
    const parsed = schema.safeParse(input);
    if (!parsed.success) {
      deps.metrics.count('IntakeRejected');
      return problem(400, 'invalid', language, { errors: fieldErrors(parsed.error.issues, language) });
    }

    const token = newToken(deps.randomBytes);
    const now = deps.clock();
    let created: ReturnType<typeof submitCase> | undefined;
    for (let attempt = 0; attempt < 3 && created === undefined; attempt++) {
      const candidate = submitCase({
        request: parsed.data,
        reference: newReference(deps.randomBytes),
        tokenHash: hashToken(token),
        now,
      });
      if ((await deps.cases.create(candidate)) === 'created') created = candidate;
    }
    if (created === undefined) throw new Error('no free reference after 3 attempts');
    deps.metrics.count('CasesSubmitted');

    try {
      await deps.queue.send(routeMessage(created.reference));
    } catch (error) {
      // The case is stored with `nextAt` set: the SLA job queues it again once that passes.
      // Answering 5xx here would make the enterprise submit twice.
      deps.metrics.count('RouteEnqueueFailed');
      deps.log.error('route message not sent; the SLA job will queue the case again', {
        reference: created.reference,
        error,
      });
    }

    const proto = header(event, 'x-forwarded-proto') ?? 'https';
    const statusUrl = `${proto}://${event.requestContext.domainName}/cases/${created.reference}?token=${token}`;
    deps.log.info('case submitted', { reference: created.reference });
    return json(202, { reference: created.reference, statusUrl, message: apiMessages.accepted[language] });
  }

  async function status(event: APIGatewayProxyEventV2): Promise<Result> {
    const reference = parseReference(event.pathParameters?.reference ?? '');
    const query = event.queryStringParameters ?? {};
    const requested = query.lang;
    const found = reference === undefined ? undefined : await deps.cases.get(reference);
    // Unknown reference and wrong token answer alike (nothing of the case, not even its language),
    // so references cannot be probed.
    const c = found !== undefined && tokenMatches(query.token, found.tokenHash) ? found : undefined;
    if (c === undefined)
      return problem(404, 'notFound', pickLanguage(requested, header(event, 'accept-language')));
    const language = pickLanguage(requested ?? c.request.language, header(event, 'accept-language'));
    const m = deps.municipality;
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
      })),
      history: c.history.map((h) => ({ type: h.type, at: h.at })),
    });
  }

  return async function handler(event: APIGatewayProxyEventV2): Promise<Result> {
    try {
      switch (event.routeKey) {
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
