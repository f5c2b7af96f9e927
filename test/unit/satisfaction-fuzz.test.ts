import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { municipality } from '../../config/index.js';
import { createActionsHandler } from '../../functions/actions/handler.js';
import type { Case } from '../../functions/domain/case.js';
import { COMMENT_MAX, readRating } from '../../functions/domain/satisfaction.js';
import { fixedClock, required, resolvedCase, staticOfficials } from '../support/cases.js';
import { apiEvent } from '../support/events.js';
import {
  countingMetrics,
  memoryCaseStore,
  memoryQueue,
  silentLog,
  TEST_LINK_KEY,
  testLinks,
  testSatisfactionLinks,
} from '../support/fakes.js';

/*
 * Property: whatever reaches `POST /satisfaction/{token}` (any body, encoding, language, any token), the
 * answer is never a 5xx: 200 with exactly the rating the form's rules read from the body, else a 4xx with
 * the case unchanged; a page never echoes markup unescaped; a case never holds more than one `rated` event.
 *
 * FUZZ_RUNS sets the number of posts (default 500), FUZZ_SEED replays a failing run.
 */

const RUNS = Number(process.env.FUZZ_RUNS ?? '') > 0 ? Number(process.env.FUZZ_RUNS) : 500;
const SEED = process.env.FUZZ_SEED === undefined ? undefined : Number(process.env.FUZZ_SEED);
const NOW = '2025-03-11T08:30:00.000Z';
const REFERENCE = 'AP-2345-6789';
const MARKUP = '<script>alert(1)</script>';

/** Text that breaks careless forms: markup, control characters, lone surrogates, long runs, entities. */
const hostileText = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.constantFrom(
    MARKUP,
    '"><img src=x onerror=alert(1)>',
    '&amp;&#0;',
    '\u0000',
    '\u001b[31m',
    '\ud800',
    '\r\n\r\n',
  ),
  fc
    .tuple(fc.integer({ min: COMMENT_MAX - 2, max: 20_000 }), fc.constantFrom('x', 'é', '<', '🚲'))
    .map(([n, c]) => c.repeat(n)),
);

const scoreValue = fc.oneof(
  fc.constantFrom(
    '1',
    '2',
    '3',
    '4',
    '5',
    '0',
    '6',
    '-1',
    '3.0',
    ' 4 ',
    '٣',
    '1e0',
    '',
    '99999999999999999999',
  ),
  hostileText,
);

/** A form body: an answer as the form sends it, or the fields in any number and order, stray fields, raw text. */
const formBody = fc.oneof(
  fc
    .record({
      score: fc.constantFrom('1', '2', '3', '4', '5'),
      comment: fc.oneof(fc.constant(''), fc.string({ maxLength: 200 }), fc.constant(MARKUP)),
    })
    .map((form) => new URLSearchParams(form).toString()),
  fc
    .array(
      fc.oneof(
        fc.tuple(fc.constant('score'), scoreValue),
        fc.tuple(fc.constant('comment'), hostileText),
        fc.tuple(fc.string({ maxLength: 10 }), hostileText),
      ),
      { maxLength: 5 },
    )
    .map((pairs) => new URLSearchParams(pairs).toString()),
  hostileText,
  fc.jsonValue({ maxDepth: 2 }).map((v) => JSON.stringify(v)),
);

const post = fc.record({
  body: formBody,
  base64: fc.boolean(),
  lang: fc.constantFrom(undefined, 'nl', 'en', 'de', '<x>'),
  contentType: fc.constantFrom(
    'application/x-www-form-urlencoded',
    'application/json',
    'text/plain',
    'multipart/form-data; boundary=x',
    '',
  ),
  /** The genuine link, a changed one, or garbage. */
  token: fc.oneof(
    fc.constant('genuine'),
    fc.constant('flipped'),
    fc.string({ maxLength: 2_000 }).filter((t) => t !== 'genuine' && t !== 'flipped'),
  ),
  /** Answered once already before this post. */
  answered: fc.boolean(),
});

describe('POST /satisfaction/{token} under fuzzing: never a 5xx, one answer at most, nothing unescaped', () => {
  it(`answers ${RUNS} generated posts with 200 (exactly what the form reads) or a 4xx (the case unchanged)`, async () => {
    const genuine = required(
      testSatisfactionLinks(fixedClock(NOW))({ reference: REFERENCE, lang: 'nl' }).split('/').pop(),
      'a token',
    );
    const seen = new Map<number, number>();
    await fc.assert(
      fc.asyncProperty(post, async (p) => {
        // Prepare: a resolved case, answered already or not
        const cases = memoryCaseStore();
        const c: Case = resolvedCase(municipality, {
          result: 'granted',
          closedAt: new Date('2025-03-10T10:00:00.000Z'),
          reference: REFERENCE,
        });
        await cases.create(
          p.answered
            ? { ...c, history: [...c.history, { type: 'rated', version: 1, at: NOW, score: 3 }] }
            : c,
        );
        const before = structuredClone(required(cases.items.get(REFERENCE), 'the case'));
        const handler = createActionsHandler({
          cases,
          municipality,
          clock: fixedClock(NOW),
          key: TEST_LINK_KEY,
          officials: staticOfficials(municipality.officials),
          queue: memoryQueue(),
          links: testLinks(fixedClock(NOW)),
          log: silentLog,
          metrics: countingMetrics(),
        });
        const token =
          p.token === 'genuine'
            ? genuine
            : p.token === 'flipped'
              ? `${genuine.slice(0, -1)}${genuine.endsWith('A') ? 'B' : 'A'}`
              : p.token;

        // Act
        const result = await handler(
          apiEvent({
            routeKey: 'POST /satisfaction/{token}',
            pathParameters: { token },
            ...(p.lang === undefined ? {} : { query: { lang: p.lang } }),
            body: p.base64 ? Buffer.from(p.body, 'utf8').toString('base64') : p.body,
            isBase64Encoded: p.base64,
            headers: p.contentType === '' ? {} : { 'content-type': p.contentType },
          }),
        );

        // Assess
        const status = result.statusCode ?? 0;
        seen.set(status, (seen.get(status) ?? 0) + 1);
        const page = String(result.body);
        const after = required(cases.items.get(REFERENCE), 'the case');
        const rated = after.history.filter((h) => h.type === 'rated');
        expect(status).toBeGreaterThanOrEqual(200);
        expect(status).toBeLessThan(500);
        expect(page).not.toContain(MARKUP);
        expect(page).not.toContain('<img src=x');
        expect(rated.length).toBeLessThanOrEqual(1);
        const read = readRating(Buffer.from(p.body, 'utf8').toString('utf8'));
        if (status === 200) {
          expect(p.token === 'genuine' && !p.answered && read.ok).toBe(true);
          expect(after.history).toHaveLength(before.history.length + 1);
          expect(after.history.at(-1)).toEqual({
            type: 'rated',
            version: 1,
            at: NOW,
            ...(read.ok ? read.value : {}),
          });
        } else {
          expect([400, 403, 409, 410, 413]).toContain(status);
          expect(after).toEqual(before);
        }
      }),
      { numRuns: RUNS, ...(SEED === undefined ? {} : { seed: SEED }) },
    );
    // The runs reached every outcome: recorded, refused input, a changed link, answered already.
    for (const status of [200, 400, 403, 409])
      expect(seen.get(status) ?? 0, String(status)).toBeGreaterThan(0);
  }, 120_000);
});
