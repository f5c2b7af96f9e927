import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { municipality } from '../../config/index.js';
import type { ActionClaims } from '../../functions/domain/action-link.js';
import { planAction } from '../../functions/domain/actions.js';
import { assign, assignedCase, type Case, contactOf } from '../../functions/domain/case.js';
import { escapeHtml } from '../../functions/domain/html.js';
import { answerSchema } from '../../functions/domain/question.js';
import { createIntakeHandler } from '../../functions/intake/handler.js';
import {
  anOfficial,
  aTag,
  byteChunks,
  fixedClock,
  SUBMITTED_AT,
  submittedCase,
  TOKEN,
} from '../support/cases.js';
import { apiEvent } from '../support/events.js';
import {
  countingMetrics,
  memoryCaseStore,
  memoryQueue,
  memoryRequestCounter,
  silentLog,
} from '../support/fakes.js';

/*
 * Property: whatever body reaches `POST /cases/{reference}/answer` (the answer form of the status page), the
 * intake never answers 5xx; it takes an answer only when the form is the real one (the case's status token,
 * an answer within the rules) and then exactly once, as sent; anything else changes nothing and queues
 * nothing, and every page it answers with shows the typed text escaped.
 *
 * FUZZ_RUNS sets the number of bodies (default 1,000), FUZZ_SEED replays a failing run.
 */

const RUNS = Number(process.env.FUZZ_RUNS ?? '') || 1000;
const SEED = process.env.FUZZ_SEED === undefined ? undefined : Number(process.env.FUZZ_SEED);
const NOW = '2025-03-10T10:00:00.000Z';
const REFERENCE = 'AP-2345-6789';
const ROUTE = 'POST /cases/{reference}/answer';

function pausedCase(): Case {
  const c = submittedCase(REFERENCE);
  const official = anOfficial('a-jansen', ['werk']);
  const routed = assignedCase(
    c,
    assign(
      c,
      [aTag('werk', true)],
      { contact: contactOf(official), choice: 'coverage' },
      SUBMITTED_AT,
      municipality.sla,
    ),
  );
  const claims: ActionClaims = {
    id: 'link-pause-0000000001',
    reference: REFERENCE,
    official: 'a-jansen',
    lang: 'nl',
    action: 'pause',
    expiresAt: '2025-04-01T00:00:00.000Z',
  };
  const change = planAction(routed, claims, new Date('2025-03-04T10:00:00.000Z'), municipality.sla.calendar, {
    text: 'Kunt u de jaarcijfers sturen?',
  });
  const clocks = { ...routed.clocks };
  for (const r of change.rewrite) clocks[r.name] = r.clock;
  return { ...routed, clocks, history: [...routed.history, change.history] };
}

function freshIntake() {
  const cases = memoryCaseStore();
  const queue = memoryQueue();
  cases.items.set(REFERENCE, pausedCase());
  const handler = createIntakeHandler({
    cases,
    queue,
    requestCounts: memoryRequestCounter(),
    municipality,
    clock: fixedClock(NOW),
    randomBytes: byteChunks([3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5, 8, 9, 7, 9, 3]),
    log: silentLog,
    metrics: countingMetrics(),
  });
  return { handler, cases, queue };
}

const HOSTILE = [
  '<script>alert(1)</script>',
  '"><img src=x onerror=alert(1)>',
  "'><svg onload=alert(1)>",
  '</textarea><script>alert(1)</script>',
  '{reference} $& $1 $$',
  '\u202Eevil\u202C zero\u200Bwidth',
  '👩‍👩‍👧‍👦 Cafe\u0301',
  'a\uD800b',
  'regel\r\nregel\u2028',
  '\u0000nul',
  'bel\u0007',
  '\u001b[31mrood',
  '\u007f',
  '   ',
  '',
] as const;

const answerText: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(...HOSTILE),
  fc.string({ maxLength: 50 }),
  fc.string({ unit: 'binary', maxLength: 50 }),
  fc
    .tuple(fc.integer({ min: 1990, max: 2010 }), fc.constantFrom('x', 'é', '<', '🚲'))
    .map(([n, u]) => u.repeat(n)),
  fc.tuple(fc.constantFrom(...HOSTILE), fc.string({ maxLength: 20 })).map(([a, b]) => `${a}${b}`),
);

const tokenField: fc.Arbitrary<string | undefined> = fc.oneof(
  { arbitrary: fc.constant(TOKEN), weight: 6 },
  fc.constant(undefined),
  fc.constant(''),
  fc.string({ maxLength: 40 }),
  fc.constant('x'.repeat(200)),
  fc.constant(`${TOKEN} `),
);

/** A body: a form post with some of its fields (duplicated, extra, polluting), or raw bytes. */
const body: fc.Arbitrary<{ text: string; label: string }> = fc.oneof(
  {
    weight: 12,
    arbitrary: fc
      .record({
        token: tokenField,
        answer: fc.option(answerText, { nil: undefined }),
        extra: fc.array(
          fc.tuple(
            fc.constantFrom('__proto__', 'constructor', 'answer', 'token', 'lang', 'x'),
            fc.string({ maxLength: 10 }),
          ),
          { maxLength: 3 },
        ),
      })
      .map(({ token, answer, extra }) => {
        const params = new URLSearchParams();
        if (token !== undefined) params.append('token', token);
        if (answer !== undefined) params.append('answer', answer);
        for (const [k, v] of extra) params.append(k, v);
        return { text: params.toString(), label: 'form' };
      }),
  },
  fc.string({ maxLength: 200 }).map((text) => ({ text, label: 'raw' })),
  fc
    .constantFrom('%', '%zz', '&&&=', 'answer=%E0%A4%A', 'token&answer', '=')
    .map((text) => ({ text, label: 'broken' })),
  fc.constant({ text: `token=${TOKEN}&answer=${'a'.repeat(40_000)}`, label: 'oversized' }),
);

const request = fc.record({
  body,
  contentType: fc.constantFrom(
    'application/x-www-form-urlencoded',
    'application/x-www-form-urlencoded',
    'application/x-www-form-urlencoded',
    'application/x-www-form-urlencoded',
    'application/x-www-form-urlencoded; charset=utf-8',
    'APPLICATION/X-WWW-FORM-URLENCODED',
    'application/json',
    'multipart/form-data; boundary=x',
    'text/plain',
    '',
  ),
  base64: fc.boolean(),
  reference: fc.constantFrom(
    REFERENCE,
    REFERENCE,
    REFERENCE,
    'ap 2345 6789',
    'AP-0000-0000',
    '../../etc',
    '<script>',
    '',
  ),
  lang: fc.constantFrom('nl', 'en', 'fr', '<x>', undefined),
});

describe('answer form fuzz: hostile POST /cases/{reference}/answer', () => {
  it(
    'never answers 5xx; takes a valid answer with the right token once, as sent; changes nothing otherwise',
    async () => {
      const statuses = new Map<number, number>();
      let serverErrors = 0;
      let taken = 0;
      await fc.assert(
        fc.asyncProperty(request, async (r) => {
          // Prepare
          const { handler, cases, queue } = freshIntake();
          const before = structuredClone(cases.items.get(REFERENCE));
          const e = apiEvent({
            routeKey: ROUTE,
            pathParameters: { reference: r.reference },
            headers: r.contentType === '' ? {} : { 'content-type': r.contentType },
            body: r.base64 ? Buffer.from(r.body.text, 'utf8').toString('base64') : r.body.text,
            isBase64Encoded: r.base64,
            ...(r.lang === undefined ? {} : { query: { lang: r.lang } }),
          });

          // Act
          const result = await handler(e);

          // Assess
          const status = result.statusCode ?? 0;
          statuses.set(status, (statuses.get(status) ?? 0) + 1);
          if (status >= 500) serverErrors++;
          expect(status, r.body.label).toBeLessThan(500);
          expect([303, 400, 404, 409, 413, 415, 429]).toContain(status);
          const bodyText = typeof result.body === 'string' ? result.body : '';
          expect(bodyText).not.toMatch(/<script>alert|onerror=alert|onload=alert/);
          const params = new URLSearchParams(r.body.text);
          const answer = answerSchema.safeParse(params.get('answer') ?? '');
          const form = r.contentType.toLowerCase().startsWith('application/x-www-form-urlencoded');
          const real =
            form &&
            r.body.text.length <= 32 * 1024 &&
            params.get('token') === TOKEN &&
            answer.success &&
            (r.reference === REFERENCE || r.reference === 'ap 2345 6789');
          const after = cases.items.get(REFERENCE);
          if (real) {
            taken++;
            expect(status).toBe(303);
            expect(after?.history.at(-1)).toMatchObject({ type: 'answered', answer: answer.data });
            expect(after?.clocks.decision?.pausedAt).toBeUndefined();
            expect(queue.sent).toHaveLength(1);
          } else {
            expect(after).toEqual(before);
            expect(queue.sent).toEqual([]);
          }
          if (status === 400) {
            // The form again, the typed text escaped in it, the error at the field
            expect(bodyText).toContain('aria-invalid="true"');
            const typed = params.get('answer') ?? '';
            if (typed.length < 100 && /^[ -~]+$/.test(typed))
              expect(bodyText).toContain(escapeHtml(typed.trim()).slice(0, 20));
          }
        }),
        { numRuns: RUNS, ...(SEED === undefined ? {} : { seed: SEED }) },
      );
      const counts = [...statuses].sort(([a], [b]) => a - b).map(([s, n]) => `${s}: ${n}`);
      console.log(
        `answer fuzz: ${RUNS} bodies, ${serverErrors} 5xx, ${taken} taken, statuses {${counts.join(', ')}}`,
      );
      expect(serverErrors).toBe(0);
      expect(taken).toBeGreaterThan(0);
    },
    Math.max(30_000, RUNS * 30),
  );
});
