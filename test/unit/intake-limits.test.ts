import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { municipality } from '../../config/index.js';
import { allowancesFor, limitKeyOf, retryAfterSeconds } from '../../functions/domain/intake-limits.js';
import { createIntakeHandler } from '../../functions/intake/handler.js';
import {
  behindEdge,
  EDGE_ORIGIN_HEADER,
  type EdgeOrigin,
  VIEWER_ADDRESS_HEADER,
} from '../../functions/web/edge.js';
import { sampleBody } from '../support/cases.js';
import { apiEvent, postCase } from '../support/events.js';
import {
  countingMetrics,
  memoryCaseStore,
  memoryQueue,
  memoryRequestCounter,
  silentLog,
} from '../support/fakes.js';

const limits = { requestsPerEmailPerDay: 3, requestsPerSourcePerHour: 4 };

function setup(now: () => Date, edge?: EdgeOrigin) {
  const cases = memoryCaseStore();
  const queue = memoryQueue();
  const counts = memoryRequestCounter();
  const metrics = countingMetrics();
  const intake = createIntakeHandler({
    cases,
    queue,
    requestCounts: counts,
    municipality: { ...municipality, intakeLimits: limits },
    clock: now,
    randomBytes,
    log: silentLog,
    metrics,
  });
  return { handler: behindEdge(intake, edge), cases, queue, counts, metrics };
}

/** A valid, distinct request (its own KvK number and description) for an address, from a source. */
function submission(i: number, email: string, source: string, language: 'nl' | 'en' = 'nl') {
  const body = sampleBody();
  return postCase(
    {
      ...body,
      language,
      organisation: { ...body.organisation, kvkNumber: String(30_000_000 + i) },
      contact: { ...body.contact, email },
      description: `${body.description} Verzoek ${i}.`,
    },
    {},
    source,
  );
}

const limitedShape = z.strictObject({
  error: z.literal('tooManyRequests'),
  message: z.string(),
  retryAfterSeconds: z.number().int().positive(),
});

describe('intake limits: windows and keys', () => {
  it('counts a source per UTC hour and an address per UTC day, by a hash of the address', () => {
    // Act
    const [source, email] = allowancesFor(
      'Iemand@Voorbeeld.example',
      '192.0.2.7',
      new Date('2026-12-03T10:17:00Z'),
      limits,
    );
    // Assess
    expect(source).toMatchObject({
      kind: 'source',
      max: 4,
      windowStart: new Date('2026-12-03T10:00:00Z'),
      windowEnd: new Date('2026-12-03T11:00:00Z'),
    });
    expect(email).toMatchObject({
      kind: 'email',
      max: 3,
      windowStart: new Date('2026-12-03T00:00:00Z'),
      windowEnd: new Date('2026-12-04T00:00:00Z'),
    });
    // The stored key is no address, and the same address in other case is the same key.
    expect(email?.key).not.toContain('voorbeeld');
    expect(source?.key).not.toContain('192');
    const [, again] = allowancesFor(
      ' iemand@voorbeeld.EXAMPLE',
      '192.0.2.8',
      new Date('2026-12-03T23:59:00Z'),
      limits,
    );
    expect(again?.key).toBe(email?.key);
  });

  it("gives the key an address is counted by (limitKeyOf), to find the address's counts again", () => {
    // Prepare
    const [source, email] = allowancesFor('Iemand@Voorbeeld.example', '192.0.2.7', new Date(), limits);

    // Act and assess: the same key in any case and with spaces around; another kind is another key
    expect(limitKeyOf('email', '  IEMAND@voorbeeld.example ')).toBe(email.key);
    expect(limitKeyOf('source', '192.0.2.7')).toBe(source.key);
    expect(limitKeyOf('source', 'iemand@voorbeeld.example')).not.toBe(email.key);
  });

  it('tells to try again when the last full window ends, at least in a second', () => {
    const now = new Date('2026-12-03T10:17:30Z');
    const [source, email] = allowancesFor('a@b.example', '192.0.2.7', now, limits);
    if (source === undefined || email === undefined) throw new Error('no allowances');
    expect(retryAfterSeconds([source], now)).toBe(42 * 60 + 30);
    expect(retryAfterSeconds([source, email], now)).toBe(13 * 3600 + 42 * 60 + 30);
    expect(retryAfterSeconds([source], new Date('2026-12-03T10:59:59.900Z'))).toBe(1);
  });
});

describe('intake limits: POST /cases', () => {
  it('answers 429 with Retry-After above the per-source limit, storing and queueing nothing, and again in the next hour', async () => {
    // Prepare
    let now = new Date('2026-12-03T10:50:00Z');
    const { handler, cases, queue, metrics } = setup(() => now);
    // Act
    const answers = [];
    for (let i = 0; i < 6; i++)
      answers.push(await handler(submission(i, `adres${i}@voorbeeld.example`, '192.0.2.7')));
    // Assess
    expect(answers.map((a) => a.statusCode)).toEqual([202, 202, 202, 202, 429, 429]);
    const limited = answers[4];
    expect(limited?.headers?.['retry-after']).toBe(String(10 * 60));
    const body = limitedShape.parse(JSON.parse(limited?.body ?? ''));
    expect(body.retryAfterSeconds).toBe(600);
    expect(body.message).toBe(
      'Vanaf uw internetverbinding zijn het afgelopen uur al zoveel aanvragen gedaan als wij per uur aannemen. Probeer het over 10 minuten opnieuw.',
    );
    expect(cases.items.size).toBe(4);
    expect(queue.sent).toHaveLength(4);
    expect(metrics.counts.get('IntakeLimited')).toBe(2);
    // Another source is not limited; the same source is again once its hour is over.
    expect((await handler(submission(6, 'adres6@voorbeeld.example', '192.0.2.8'))).statusCode).toBe(202);
    now = new Date('2026-12-03T11:00:00Z');
    expect((await handler(submission(7, 'adres7@voorbeeld.example', '192.0.2.7'))).statusCode).toBe(202);
  });

  it('answers 429 above the per-address limit from any source, in the language of the request', async () => {
    // Prepare
    const now = new Date('2026-12-03T20:00:00Z');
    const { handler } = setup(() => now);
    // Act
    const answers = [];
    for (let i = 0; i < 4; i++)
      answers.push(await handler(submission(i, 'een@voorbeeld.example', `192.0.2.${i + 1}`, 'en')));
    // Assess
    expect(answers.map((a) => a.statusCode)).toEqual([202, 202, 202, 429]);
    const body = limitedShape.parse(JSON.parse(answers[3]?.body ?? ''));
    expect(body.retryAfterSeconds).toBe(4 * 3600);
    expect(body.message).toBe(
      'This e-mail address has made as many requests today as we accept in a day. Please try again in 4 hours, or call or e-mail the municipality.',
    );
  });

  it("counts each viewer behind the edge, not CloudFront's servers", async () => {
    // Prepare: every request connects from one CloudFront address, for two viewers
    const edge = { secret: 's'.repeat(48), publicHost: 'aanspreekpunt.zuidstad.nl' };
    const { handler } = setup(() => new Date('2026-12-03T10:00:00Z'), edge);
    const viaCloudFront = (i: number, viewer: string) => {
      const event = submission(i, `adres${i}@voorbeeld.example`, '130.176.0.1');
      return {
        ...event,
        headers: {
          ...event.headers,
          [EDGE_ORIGIN_HEADER]: edge.secret,
          [VIEWER_ADDRESS_HEADER]: `${viewer}:50000`,
        },
      };
    };
    // Act
    const first = [];
    for (let i = 0; i < 5; i++) first.push((await handler(viaCloudFront(i, '203.0.113.9'))).statusCode);
    const other = (await handler(viaCloudFront(5, '198.51.100.4'))).statusCode;
    // Assess: the first viewer has its hour's 4; the second is a client of its own
    expect(first).toEqual([202, 202, 202, 202, 429]);
    expect(other).toBe(202);
  });

  it('counts no request the schema refuses', async () => {
    // Prepare
    const { handler, counts } = setup(() => new Date('2026-12-03T10:00:00Z'));
    const body = sampleBody();
    // Act
    for (let i = 0; i < 10; i++)
      await handler(
        postCase({ ...body, organisation: { ...body.organisation, name: 'Kijk op www.evil.example' } }),
      );
    // Assess
    expect(counts.counts.size).toBe(0);
    expect((await handler(submission(1, 'adres@voorbeeld.example', '192.0.2.1'))).statusCode).toBe(202);
  });

  it('shows the form again with the reason next to the submit button, 429 and Retry-After', async () => {
    // Prepare: the source's hour is full
    const now = new Date('2026-12-03T10:30:00Z');
    const { handler } = setup(() => now);
    for (let i = 0; i < 4; i++) await handler(submission(i, `adres${i}@voorbeeld.example`, '192.0.2.7'));
    const form = new URLSearchParams({
      language: 'nl',
      idempotencyKey: 'form-key-0000000009',
      'organisation.name': 'De Groene Fietsfabriek',
      'organisation.kvkNumber': '12345670',
      'contact.name': 'Marieke van Dijk',
      'contact.email': 'marieke@groenefietsfabriek.example',
      requestType: 'partnership',
      description: 'Wij repareren fietsen met mensen met een afstand tot de arbeidsmarkt.',
      consent: 'yes',
      website: '',
    });
    form.append('goals', 'work');
    const fromSource = apiEvent({
      routeKey: 'POST /cases',
      body: form.toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      sourceIp: '192.0.2.7',
    });
    // Act
    const page = await handler(fromSource);
    // Assess
    expect(page.statusCode).toBe(429);
    expect(page.headers?.['retry-after']).toBe('1800');
    const html = page.body ?? '';
    const button = html.indexOf('<button type="submit"');
    const reason = html.indexOf('id="submit-error"');
    expect(reason).toBeGreaterThan(0);
    expect(button).toBeGreaterThan(reason);
    expect(html.slice(reason, button)).toContain('Probeer het over 30 minuten opnieuw.');
    expect(html).toContain('aria-describedby="submit-error"');
    // What was typed is kept.
    expect(html).toContain('value="De Groene Fietsfabriek"');
    expect(html).toContain('<title>Fout: ');
  });
});
