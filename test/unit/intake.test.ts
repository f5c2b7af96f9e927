import { randomBytes } from 'node:crypto';
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { municipality } from '../../config/index.js';
import { caseRequestSchema } from '../../events/case-request.js';
import { ROUTING_GRACE_MS } from '../../functions/domain/case.js';
import type { CaseStore, RouteQueue } from '../../functions/domain/ports.js';
import { REFERENCE_ALPHABET } from '../../functions/domain/reference.js';
import { fieldErrors } from '../../functions/intake/form.js';
import { createIntakeHandler, type IntakeDeps, MAX_BODY_BYTES } from '../../functions/intake/handler.js';
import { catalogOf, required, sampleBody } from '../support/cases.js';
import { API_DOMAIN, apiEvent, getCase, postCase } from '../support/events.js';
import {
  countingMetrics,
  memoryCaseStore,
  memoryQueue,
  memoryRequestCounter,
  silentLog,
} from '../support/fakes.js';

const NOW = '2025-03-03T09:00:00.000Z';
const REFERENCE = new RegExp(`^AP-[${REFERENCE_ALPHABET}]{4}-[${REFERENCE_ALPHABET}]{4}$`);

function setup(overrides: Partial<IntakeDeps> = {}) {
  const cases = memoryCaseStore();
  const queue = memoryQueue();
  const metrics = countingMetrics();
  const deps: IntakeDeps = {
    cases,
    queue,
    requestCounts: memoryRequestCounter(),
    municipality,
    clock: () => new Date(NOW),
    randomBytes,
    log: silentLog,
    metrics,
    ...overrides,
  };
  return { cases, queue, metrics, handler: createIntakeHandler(deps) };
}

const acceptedSchema = z.strictObject({
  reference: z.string(),
  statusUrl: z.string(),
  duplicate: z.boolean(),
  message: z.string(),
});
const problemSchema = z.object({
  error: z.string(),
  message: z.string(),
  errors: z.array(z.strictObject({ field: z.string(), message: z.string() })).optional(),
});

const bodyOf = (result: APIGatewayProxyStructuredResultV2): unknown => JSON.parse(result.body ?? 'null');
const accepted = (result: APIGatewayProxyStructuredResultV2) => acceptedSchema.parse(bodyOf(result));
const problemOf = (result: APIGatewayProxyStructuredResultV2) => problemSchema.parse(bodyOf(result));
const tokenOf = (statusUrl: string) =>
  required(new URL(statusUrl).searchParams.get('token'), 'token in statusUrl');

const withKvk = (kvkNumber: string) => {
  const sample = sampleBody();
  return { ...sample, organisation: { ...sample.organisation, kvkNumber } };
};

describe('fieldErrors', () => {
  const schema = caseRequestSchema(catalogOf(municipality));
  const issuesOf = (body: unknown) => {
    const result = schema.safeParse(body);
    return result.success ? [] : result.error.issues;
  };

  it('names each unknown field with its full path', () => {
    const sample = sampleBody();
    const issues = issuesOf({
      ...sample,
      organisation: { ...sample.organisation, extra: 1, other: 2 },
      admin: true,
    });

    const errors = fieldErrors(issues, 'en');

    expect(errors).toEqual(
      expect.arrayContaining([
        { field: 'organisation.extra', message: 'This field is not known.' },
        { field: 'organisation.other', message: 'This field is not known.' },
        { field: 'admin', message: 'This field is not known.' },
      ]),
    );
    expect(errors).toHaveLength(3);
  });

  it('gives one message per field, in the language asked for', () => {
    const issues = issuesOf({ ...withKvk('123'), goals: [] });

    const errors = fieldErrors(issues, 'nl');

    expect(errors).toEqual([
      { field: 'organisation.kvkNumber', message: 'Een KvK-nummer bestaat uit precies 8 cijfers.' },
      { field: 'goals', message: 'Kies minstens één doel.' },
    ]);
  });

  it('names a body that is not an object as (body)', () => {
    const issues = issuesOf('just a string');

    const errors = fieldErrors(issues, 'nl');

    expect(errors).toEqual([{ field: '(body)', message: 'Stuur de aanvraag als JSON-object.' }]);
  });
});

describe('intake: POST /cases', () => {
  it('answers 202 with the reference and a status URL built from the forwarded protocol and domain', async () => {
    const { handler } = setup();

    const result = await handler(postCase(sampleBody(), { 'x-forwarded-proto': 'http' }));

    expect(result.statusCode).toBe(202);
    const { reference, statusUrl } = accepted(result);
    expect(reference).toMatch(REFERENCE);
    expect(statusUrl).toMatch(
      new RegExp(`^http://${API_DOMAIN.replaceAll('.', '\\.')}/cases/${reference}\\?token=[\\w-]{32}$`),
    );
  });

  it('answers in the language of the request', async () => {
    const { handler } = setup();

    const result = await handler(postCase({ ...sampleBody(), language: 'en' }));

    expect(accepted(result).message).toBe(
      'Your request has been received. You will get one fixed point of contact at the municipality.',
    );
  });

  it('stores the case as submitted with a time for the SLA job to look at it', async () => {
    const { handler, cases } = setup();

    const { reference } = accepted(await handler(postCase(sampleBody())));

    const stored = required(await cases.get(reference), 'stored case');
    expect(stored).toMatchObject({
      reference,
      status: 'submitted',
      submittedAt: NOW,
      nextAt: new Date(Date.parse(NOW) + ROUTING_GRACE_MS).toISOString(),
      request: { organisation: { name: 'De Groene Fietsfabriek', kvkNumber: '12345678' } },
    });
  });

  it('stores only the hash of the status token', async () => {
    const { handler, cases } = setup();

    const { reference, statusUrl } = accepted(await handler(postCase(sampleBody())));

    const stored = required(await cases.get(reference), 'stored case');
    expect(JSON.stringify(stored)).not.toContain(tokenOf(statusUrl));
  });

  it('queues exactly one route message for the new case, with the status link for the enterprise', async () => {
    const { handler, queue } = setup();

    const { reference, statusUrl } = accepted(await handler(postCase(sampleBody())));

    expect(queue.sent).toEqual([{ type: 'case.submitted', version: 1, reference, statusUrl }]);
  });

  it('lists the field errors in Dutch by default', async () => {
    const { handler, cases, queue } = setup();

    const result = await handler(postCase(withKvk('1234567')));

    expect(result.statusCode).toBe(400);
    expect(problemOf(result)).toEqual({
      error: 'invalid',
      message: 'De aanvraag bevat fouten. Verbeter de genoemde velden.',
      errors: [{ field: 'organisation.kvkNumber', message: 'Een KvK-nummer bestaat uit precies 8 cijfers.' }],
    });
    expect(cases.items.size).toBe(0);
    expect(queue.sent).toEqual([]);
  });

  it('lists the field errors in English when the body asks for English', async () => {
    const { handler } = setup();

    const result = await handler(postCase({ ...withKvk('1234567'), language: 'en' }));

    expect(result.statusCode).toBe(400);
    expect(problemOf(result)).toEqual({
      error: 'invalid',
      message: 'The request has errors. Please correct the fields listed.',
      errors: [
        {
          field: 'organisation.kvkNumber',
          message: 'A KvK (Chamber of Commerce) number has exactly 8 digits.',
        },
      ],
    });
  });

  it('lists the field errors in English when Accept-Language prefers English', async () => {
    const { handler } = setup();
    const { language: _language, ...body } = withKvk('1234567');

    const result = await handler(postCase(body, { 'accept-language': 'en-GB,en;q=0.9,nl;q=0.5' }));

    expect(result.statusCode).toBe(400);
    expect(problemOf(result).errors).toEqual([
      {
        field: 'organisation.kvkNumber',
        message: 'A KvK (Chamber of Commerce) number has exactly 8 digits.',
      },
      { field: 'language', message: 'This field is required.' },
    ]);
  });

  it('counts a rejected request', async () => {
    const { handler, metrics } = setup();

    await handler(postCase(withKvk('x')));

    expect(metrics.counts.get('IntakeRejected')).toBe(1);
  });

  it('refuses a body that is not JSON by content type with 415', async () => {
    const { handler, cases } = setup();
    const event = apiEvent({
      routeKey: 'POST /cases',
      body: JSON.stringify(sampleBody()),
      headers: { 'content-type': 'text/plain' },
    });

    const result = await handler(event);

    expect(result.statusCode).toBe(415);
    expect(problemOf(result)).toEqual({
      error: 'unsupportedMediaType',
      message: 'Stuur de aanvraag als application/json of via het formulier.',
    });
    expect(cases.items.size).toBe(0);
  });

  it('accepts application/json with a charset parameter', async () => {
    const { handler } = setup();
    const event = apiEvent({
      routeKey: 'POST /cases',
      body: JSON.stringify(sampleBody()),
      headers: { 'content-type': 'Application/JSON; charset=utf-8' },
    });

    const result = await handler(event);

    expect(result.statusCode).toBe(202);
  });

  it('refuses a body over 32 KB with 413 before parsing it', async () => {
    const { handler, cases } = setup();
    const body = { ...sampleBody(), description: 'x'.repeat(MAX_BODY_BYTES) };

    const result = await handler(postCase(body));

    expect(MAX_BODY_BYTES).toBe(32 * 1024);
    expect(result.statusCode).toBe(413);
    expect(problemOf(result)).toEqual({ error: 'tooLarge', message: 'De aanvraag is te groot.' });
    expect(cases.items.size).toBe(0);
  });

  it('answers 400 invalidJson for a broken JSON body', async () => {
    const { handler } = setup();
    const event = apiEvent({
      routeKey: 'POST /cases',
      body: '{"organisation": {"name": "De Groene',
      headers: { 'content-type': 'application/json' },
    });

    const result = await handler(event);

    expect(result.statusCode).toBe(400);
    expect(problemOf(result)).toEqual({ error: 'invalidJson', message: 'De aanvraag is geen geldige JSON.' });
  });

  it('accepts a base64-encoded JSON body', async () => {
    const { handler, cases } = setup();
    const event = apiEvent({
      routeKey: 'POST /cases',
      body: Buffer.from(JSON.stringify(sampleBody()), 'utf8').toString('base64'),
      isBase64Encoded: true,
      headers: { 'content-type': 'application/json' },
    });

    const result = await handler(event);

    expect(result.statusCode).toBe(202);
    const stored = required(await cases.get(accepted(result).reference), 'stored case');
    expect(stored.request.organisation.name).toBe('De Groene Fietsfabriek');
  });

  it('retries with another reference when the first one is taken', async () => {
    const store = memoryCaseStore();
    const attempts: string[] = [];
    const cases: CaseStore = {
      ...store,
      async create(c) {
        attempts.push(c.reference);
        return attempts.length === 1 ? 'exists' : store.create(c);
      },
    };
    const { handler } = setup({ cases });

    const result = await handler(postCase(sampleBody()));

    expect(result.statusCode).toBe(202);
    const { reference } = accepted(result);
    expect(attempts).toHaveLength(2);
    expect(attempts[0]).not.toBe(reference);
    expect(attempts[1]).toBe(reference);
    expect([...store.items.keys()]).toEqual([reference]);
  });

  it('still answers 202 when the queue is down, leaving the case for the SLA job', async () => {
    const cases = memoryCaseStore();
    const queue: RouteQueue = {
      async send() {
        throw new Error('queue unavailable');
      },
    };
    const { handler, metrics } = setup({ cases, queue });

    const result = await handler(postCase(sampleBody()));

    expect(result.statusCode).toBe(202);
    const stored = required(await cases.get(accepted(result).reference), 'stored case');
    expect(stored.status).toBe('submitted');
    expect(stored.nextAt).toBe(new Date(Date.parse(NOW) + ROUTING_GRACE_MS).toISOString());
    expect(metrics.counts.get('RouteEnqueueFailed')).toBe(1);
  });

  it("logs a failing store by the error's name and code, never its message (it may hold an address)", async () => {
    // Prepare: the SDK error names the enterprise's address in its message
    const lines: string[] = [];
    const keep = (message: string, ...extra: Record<string, unknown>[]) =>
      void lines.push(JSON.stringify([message, ...extra]));
    const cases: CaseStore = {
      ...memoryCaseStore(),
      async create() {
        throw Object.assign(new Error('Item with contact.email jan@voorbeeld.nl too large'), {
          name: 'ValidationException',
          $metadata: { httpStatusCode: 400 },
        });
      },
    };
    const { handler } = setup({ cases, log: { info: keep, warn: keep, error: keep } });

    // Act
    const result = await handler(postCase(sampleBody()));

    // Assess
    expect(result.statusCode).toBe(503);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('"name":"ValidationException"');
    expect(lines[0]).toContain('"httpStatus":400');
    expect(lines.join('')).not.toContain('@');
  });

  it('answers 503 without error details when the store fails', async () => {
    const cases: CaseStore = {
      ...memoryCaseStore(),
      async create() {
        throw new TypeError('ProvisionedThroughputExceededException: table aanspreekpunt-cases');
      },
    };
    const { handler, queue } = setup({ cases });

    const result = await handler(postCase(sampleBody()));

    expect(result.statusCode).toBe(503);
    const body = result.body ?? '';
    expect(problemOf(result)).toMatchObject({
      error: 'unavailable',
      message: 'Er ging iets mis aan onze kant. Probeer het over een minuut opnieuw.',
    });
    expect(body).not.toMatch(/Error|Exception|aanspreekpunt-cases/);
    expect(body).not.toMatch(/\bat .*:\d+:\d+/);
    expect(queue.sent).toEqual([]);
  });
});

describe('intake: GET /cases/{reference}', () => {
  async function submitted(body: object = sampleBody()) {
    const deps = setup();
    const { reference, statusUrl } = accepted(await deps.handler(postCase(body)));
    return { ...deps, reference, token: tokenOf(statusUrl) };
  }

  it('shows the status of a case to whoever has its token', async () => {
    const { handler, reference, token } = await submitted();

    const result = await handler(getCase(reference, token));

    expect(result.statusCode).toBe(200);
    expect(result.headers).toMatchObject({ 'content-type': 'application/json; charset=utf-8' });
    expect(bodyOf(result)).toEqual({
      reference,
      status: 'submitted',
      submittedAt: NOW,
      organisation: 'De Groene Fietsfabriek',
      contact: null,
      departments: [],
      promises: {},
      history: [{ type: 'submitted', at: NOW }],
      outcome: null,
    });
  });

  it('finds the case when the reference is typed in lowercase without dashes', async () => {
    const { handler, reference, token } = await submitted();

    const result = await handler(getCase(reference.toLowerCase().replaceAll('-', ''), token));

    expect(result.statusCode).toBe(200);
    expect(bodyOf(result)).toMatchObject({ reference, status: 'submitted' });
  });

  it('answers a wrong token, a missing token and an unknown reference with the same 404', async () => {
    const { handler, reference } = await submitted();

    const wrongToken = await handler(getCase(reference, 'not-the-token'));
    const missingToken = await handler(getCase(reference, undefined));
    const unknownReference = await handler(getCase('AP-ZZZZ-ZZZZ', 'not-the-token'));

    for (const result of [wrongToken, missingToken, unknownReference]) expect(result.statusCode).toBe(404);
    expect(problemOf(unknownReference)).toEqual({
      error: 'notFound',
      message: 'Deze zaak bestaat niet of de link is niet geldig.',
    });
    expect(wrongToken.body).toBe(unknownReference.body);
    expect(missingToken.body).toBe(unknownReference.body);
  });

  it('does not reveal through the 404 language that a reference of an English case exists', async () => {
    const { handler, reference } = await submitted({ ...sampleBody(), language: 'en' });

    const wrongToken = await handler(getCase(reference, 'not-the-token'));
    const unknownReference = await handler(getCase('AP-ZZZZ-ZZZZ', 'not-the-token'));

    expect(wrongToken.statusCode).toBe(404);
    expect(wrongToken.body).toBe(unknownReference.body);
  });

  it('answers 404 for a reference that cannot be one', async () => {
    const { handler } = await submitted();

    const result = await handler(getCase('AP-0000-OOOO', 'token'));

    expect(result.statusCode).toBe(404);
  });
});

describe('intake: other routes', () => {
  it('answers 404 for a route it does not serve', async () => {
    const { handler } = setup();

    const result = await handler(apiEvent({ routeKey: 'DELETE /cases/{reference}' }));

    expect(result.statusCode).toBe(404);
    expect(problemOf(result).error).toBe('notFound');
  });
});
