import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { municipality } from '../../config/index.js';
import { formInput } from '../../functions/intake/form.js';
import { createIntakeHandler, type IntakeDeps } from '../../functions/intake/handler.js';
import { pageTexts } from '../../functions/intake/texts.js';
import { pickLanguage } from '../../functions/web/language.js';
import { required, sampleBody } from '../support/cases.js';
import { apiEvent, getCase, postCase } from '../support/events.js';
import {
  countingMetrics,
  memoryCaseStore,
  memoryQueue,
  memoryRequestCounter,
  silentLog,
} from '../support/fakes.js';

const NOW = '2025-03-03T09:00:00.000Z';

function setup(overrides: Partial<IntakeDeps> = {}) {
  const cases = memoryCaseStore();
  const queue = memoryQueue();
  const metrics = countingMetrics();
  let now = new Date(NOW);
  const deps: IntakeDeps = {
    cases,
    queue,
    requestCounts: memoryRequestCounter(),
    municipality,
    clock: () => now,
    randomBytes,
    log: silentLog,
    metrics,
    ...overrides,
  };
  return {
    cases,
    queue,
    metrics,
    handler: createIntakeHandler(deps),
    setNow: (iso: string) => {
      now = new Date(iso);
    },
  };
}

/** The fields of the form as a browser sends them. */
function formBody(changes: Record<string, string | string[] | undefined> = {}): string {
  const fields: Record<string, string | string[] | undefined> = {
    language: 'nl',
    idempotencyKey: 'form-key-0000000001',
    'organisation.name': 'De Groene Fietsfabriek',
    'organisation.kvkNumber': '12345678',
    'contact.name': 'Marieke van Dijk',
    'contact.email': 'marieke@groenefietsfabriek.example',
    'contact.phone': '',
    goals: ['work', 'environment'],
    requestType: 'partnership',
    description: 'Wij repareren fietsen met mensen met een afstand tot de arbeidsmarkt.',
    consent: 'yes',
    website: '',
    ...changes,
  };
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(fields)) {
    if (value === undefined) continue;
    for (const v of Array.isArray(value) ? value : [value]) params.append(name, v);
  }
  return params.toString();
}

const postForm = (body: string, headers: Record<string, string> = {}) =>
  apiEvent({
    routeKey: 'POST /cases',
    body,
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
  });

const location = (headers: Record<string, unknown> | undefined) => String(headers?.location ?? '');

describe('intake form: GET /', () => {
  it('renders the form in Dutch by default with a fresh one-time key', async () => {
    const { handler } = setup();

    const first = await handler(apiEvent({ routeKey: 'GET /' }));
    const second = await handler(apiEvent({ routeKey: 'GET /' }));

    expect(first.statusCode).toBe(200);
    expect(first.headers?.['content-type']).toBe('text/html; charset=utf-8');
    expect(first.body).toContain('<html lang="nl">');
    expect(first.body).toContain(pageTexts.nl.submit);
    const key = (body: string | undefined) => /name="idempotencyKey" value="([^"]+)"/.exec(body ?? '')?.[1];
    expect(key(first.body)).toBeDefined();
    expect(key(first.body)).not.toBe(key(second.body));
  });

  it('renders English for ?lang=en and for an English browser', async () => {
    const { handler } = setup();

    const byQuery = await handler(apiEvent({ routeKey: 'GET /', query: { lang: 'en' } }));
    const byBrowser = await handler(
      apiEvent({ routeKey: 'GET /', headers: { 'accept-language': 'en-GB,en;q=0.9' } }),
    );

    for (const page of [byQuery, byBrowser]) {
      expect(page.body).toContain('<html lang="en">');
      expect(page.body).toContain(pageTexts.en.submit);
    }
  });

  it('forbids scripts, framing and referrers on its pages', async () => {
    const { handler } = setup();

    const page = await handler(apiEvent({ routeKey: 'GET /' }));

    expect(page.headers?.['content-security-policy']).toContain("default-src 'none'");
    expect(page.headers?.['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(page.headers?.['referrer-policy']).toBe('no-referrer');
  });

  it('links the consent to a privacy statement that exists in both languages', async () => {
    const { handler } = setup();

    const form = await handler(apiEvent({ routeKey: 'GET /' }));
    const privacy = await handler(apiEvent({ routeKey: 'GET /privacy', query: { lang: 'en' } }));

    expect(form.body).toContain('href="/privacy?lang=nl"');
    expect(privacy.statusCode).toBe(200);
    expect(privacy.body).toContain(pageTexts.en.privacyTitle);
  });
});

describe('intake form: POST /cases as a form', () => {
  it('maps the form fields onto the request schema, empty fields as missing', () => {
    const input = formInput(
      new URLSearchParams(formBody({ 'contact.phone': '', 'organisation.name': '  ' })),
    );

    expect(input).toMatchObject({
      organisation: { kvkNumber: '12345678' },
      contact: { name: 'Marieke van Dijk', email: 'marieke@groenefietsfabriek.example' },
      goals: ['work', 'environment'],
      consent: true,
    });
    expect(input).not.toHaveProperty('organisation.name');
    expect(input).not.toHaveProperty('contact.phone');
    expect(input).not.toHaveProperty('website');
    expect(input).not.toHaveProperty('idempotencyKey');
  });

  it('keeps a field named __proto__ as an own field, which the schema then rejects', async () => {
    const { handler, cases } = setup();

    const result = await handler(postForm(`${formBody()}&__proto__=x&constructor=y`));

    expect(result.statusCode).toBe(400);
    expect(result.body).toContain(pageTexts.nl.errorSummary);
    expect(cases.items.size).toBe(0);
    expect(({} as Record<string, unknown>).x).toBeUndefined();
  });

  it('redirects a valid form to the status page of the new case (303), and queues it once', async () => {
    const { handler, cases, queue } = setup();

    const result = await handler(postForm(formBody()));

    expect(result.statusCode).toBe(303);
    const target = new URL(location(result.headers), 'https://example.test');
    const reference = target.pathname.split('/').pop() ?? '';
    expect(target.pathname).toMatch(/^\/cases\/AP-/);
    expect(target.searchParams.get('notice')).toBe('new');
    expect(cases.items.has(reference)).toBe(true);
    expect(queue.sent).toEqual([expect.objectContaining({ reference })]);

    const status = await handler(
      apiEvent({
        routeKey: 'GET /cases/{reference}',
        pathParameters: { reference },
        query: Object.fromEntries(target.searchParams),
        headers: { accept: 'text/html' },
      }),
    );
    expect(status.statusCode).toBe(200);
    expect(status.body).toContain(reference);
    expect(status.body).toContain(pageTexts.nl.received);
  });

  it('shows the form again with the errors next to the fields and the input kept', async () => {
    const { handler, cases } = setup();

    const result = await handler(
      postForm(formBody({ 'organisation.kvkNumber': '1234', goals: undefined, consent: undefined })),
    );

    expect(result.statusCode).toBe(400);
    const body = result.body ?? '';
    expect(body).toContain('id="error-summary"');
    expect(body).toContain('Een KvK-nummer bestaat uit precies 8 cijfers.');
    expect(body).toContain('Kies minstens één doel.');
    expect(body).toContain('Geef toestemming om uw gegevens voor deze aanvraag te gebruiken.');
    expect(body).toContain('href="#organisation-kvkNumber"');
    expect(body).toMatch(
      /id="organisation-kvkNumber" name="organisation.kvkNumber" value="1234" aria-describedby="[^"]*organisation-kvkNumber-error"/,
    );
    expect(body).toContain('value="De Groene Fietsfabriek"');
    expect(body).toContain('Wij repareren fietsen');
    expect(body).toContain('name="idempotencyKey" value="form-key-0000000001"');
    expect(cases.items.size).toBe(0);
  });

  it('escapes what the user typed when it shows the form again', async () => {
    const { handler } = setup();

    const result = await handler(
      postForm(
        formBody({ 'organisation.name': '"><script>alert(1)</script>', 'organisation.kvkNumber': 'x' }),
      ),
    );

    expect(result.body).not.toContain('<script>alert(1)</script>');
    expect(result.body).toContain('&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;');
  });

  it('thanks a bot that filled the honeypot, and stores and queues nothing', async () => {
    const { handler, cases, queue, metrics } = setup();

    const result = await handler(postForm(formBody({ website: 'https://spam.example' })));

    expect(result.statusCode).toBe(200);
    expect(result.body).toContain(pageTexts.nl.thanksText);
    expect(cases.items.size).toBe(0);
    expect(queue.sent).toEqual([]);
    expect(metrics.counts.get('HoneypotSubmissions')).toBe(1);
  });

  it('answers a form that is too large with a page, not JSON', async () => {
    const { handler } = setup();

    const result = await handler(postForm(formBody({ description: 'x'.repeat(40_000) })));

    expect(result.statusCode).toBe(413);
    expect(result.headers?.['content-type']).toBe('text/html; charset=utf-8');
  });
});

describe('intake: one case per request', () => {
  it('returns the same case for the same Idempotency-Key, and queues it once', async () => {
    const { handler, cases, queue } = setup();
    const key = { 'idempotency-key': '3f2b8c1e-7d4a-4e0b-9a51-6c2d9e8f7a10' };

    const first = JSON.parse((await handler(postCase(sampleBody(), key))).body ?? '{}');
    const second = JSON.parse((await handler(postCase(sampleBody(), key))).body ?? '{}');

    expect(second.reference).toBe(first.reference);
    expect([first.duplicate, second.duplicate]).toEqual([false, true]);
    expect(cases.items.size).toBe(1);
    expect(queue.sent).toHaveLength(1);
    // Both status links open the case.
    for (const url of [first.statusUrl, second.statusUrl]) {
      const token = new URL(url).searchParams.get('token') ?? '';
      expect((await handler(getCase(first.reference, token))).statusCode).toBe(200);
    }
  });

  it('refuses an Idempotency-Key reused for a different request with 422', async () => {
    const { handler, cases } = setup();
    const key = { 'idempotency-key': '3f2b8c1e-7d4a-4e0b-9a51-6c2d9e8f7a10' };
    await handler(postCase(sampleBody(), key));

    const other = await handler(
      postCase({ ...sampleBody(), organisation: { name: 'Ander Bedrijf', kvkNumber: '87654321' } }, key),
    );

    expect(other.statusCode).toBe(422);
    expect(JSON.parse(other.body ?? '{}').error).toBe('idempotencyKeyReused');
    expect(cases.items.size).toBe(1);
  });

  it('refuses a malformed Idempotency-Key with 400', async () => {
    const { handler, cases } = setup();

    const result = await handler(postCase(sampleBody(), { 'idempotency-key': 'short' }));

    expect(result.statusCode).toBe(400);
    expect(cases.items.size).toBe(0);
  });

  it('returns the existing reference for the same KvK number and description within 24 hours', async () => {
    const { handler, cases, queue } = setup();
    const first = JSON.parse((await handler(postCase(sampleBody()))).body ?? '{}');

    const again = sampleBody();
    again.contact.name = 'Iemand Anders';
    again.description = `  ${again.description.toUpperCase()}  `;
    const second = JSON.parse((await handler(postCase(again))).body ?? '{}');

    expect(second.reference).toBe(first.reference);
    expect(second.duplicate).toBe(true);
    expect(cases.items.size).toBe(1);
    expect(queue.sent).toHaveLength(1);
  });

  it('makes a new case for the same request after 24 hours', async () => {
    const { handler, cases, setNow } = setup();
    const first = JSON.parse((await handler(postCase(sampleBody()))).body ?? '{}');

    setNow('2025-03-04T09:00:01.000Z');
    const second = JSON.parse((await handler(postCase(sampleBody()))).body ?? '{}');

    expect(second.reference).not.toBe(first.reference);
    expect(cases.items.size).toBe(2);
  });

  it('lands a double-clicked form on one case', async () => {
    const { handler, cases } = setup();

    const [a, b] = await Promise.all([handler(postForm(formBody())), handler(postForm(formBody()))]);

    const ref = (r: typeof a) => new URL(location(r.headers), 'https://example.test').pathname;
    expect(ref(a)).toBe(ref(b));
    expect(cases.items.size).toBe(1);
  });
});

describe('status page', () => {
  it('is HTML by default, in the language of the case, with the contact once assigned', async () => {
    const { handler, cases } = setup();
    const body = { ...sampleBody(), language: 'en' };
    const { reference, statusUrl } = JSON.parse((await handler(postCase(body))).body ?? '{}');
    const stored = required(cases.items.get(reference), 'case');
    stored.status = 'assigned';
    stored.contact = {
      kind: 'official',
      id: 'a-jansen',
      name: 'Anouk Jansen',
      email: 'a@x.example',
      language: 'nl',
    };
    stored.tags = [{ department: 'werk', lead: true, reasons: [{ kind: 'goal', goal: 'work' }] }];

    const page = await handler(
      getCase(reference, new URL(statusUrl).searchParams.get('token') ?? '', { accept: 'text/html' }),
    );

    expect(page.headers?.['content-type']).toBe('text/html; charset=utf-8');
    expect(page.body).toContain('<html lang="en">');
    expect(page.body).toContain('Your fixed point of contact is Anouk Jansen.');
    expect(page.body).toContain('Work and Income');
  });

  it('escapes the organisation name', async () => {
    const { handler } = setup();
    const body = {
      ...sampleBody(),
      organisation: { name: `"Jansen" & O'Brien`, kvkNumber: '12345678' },
    };
    const { reference, statusUrl } = JSON.parse((await handler(postCase(body))).body ?? '{}');

    const page = await handler(
      getCase(reference, new URL(statusUrl).searchParams.get('token') ?? '', { accept: 'text/html' }),
    );

    expect(page.body).not.toContain(`"Jansen" & O'Brien`);
    expect(page.body).toContain('&quot;Jansen&quot; &amp; O&#39;Brien');
  });

  it('answers an unknown case with the same 404 page as a wrong token', async () => {
    const { handler } = setup();
    const { reference } = JSON.parse((await handler(postCase(sampleBody()))).body ?? '{}');

    const wrong = await handler(getCase(reference, 'wrong', { accept: 'text/html' }));
    const unknown = await handler(getCase('AP-ZZZZ-ZZZZ', 'wrong', { accept: 'text/html' }));

    expect(wrong.statusCode).toBe(404);
    expect(wrong.body).toBe(unknown.body);
    expect(pickLanguage(undefined, undefined)).toBe('nl');
  });
});
