import { describe, expect, it } from 'vitest';
import { municipality } from '../../config/index.js';
import { createActionsHandler } from '../../functions/actions/handler.js';
import { satisfactionTexts } from '../../functions/actions/satisfaction.js';
import {
  ACTION_LINK_TTL_MS,
  type ActionClaims,
  SATISFACTION_LINK_TTL_MS,
  type SatisfactionClaims,
  signAction,
  signMyCases,
  signSatisfaction,
  verifyAction,
  verifyMyCases,
  verifySatisfaction,
} from '../../functions/domain/action-link.js';
import { type Case, ROUTING_GRACE_MS } from '../../functions/domain/case.js';
import { escapeHtml } from '../../functions/domain/html.js';
import { routingPending } from '../../functions/domain/mail/notifications.js';
import { personalDataExport } from '../../functions/domain/privacy.js';
import { anonymise, deletionRecordOf } from '../../functions/domain/retention.js';
import { COMMENT_MAX, planRating, ratingRefusal, readRating } from '../../functions/domain/satisfaction.js';
import { createRouteCase } from '../../functions/router/handler.js';
import { createSlaHandler } from '../../functions/sla/handler.js';
import { fixedClock, required, resolvedCase, staticOfficials } from '../support/cases.js';
import { apiEvent } from '../support/events.js';
import {
  countingMetrics,
  memoryCaseStore,
  memoryDigestStore,
  memoryMailer,
  memoryQueue,
  silentLog,
  TEST_LINK_KEY,
  testLinks,
  testSatisfactionLinks,
} from '../support/fakes.js';

const REFERENCE = 'AP-2345-6789';
const CLOSED_AT = new Date('2025-03-10T10:00:00.000Z');
/** The next morning: the enterprise opens the link in its e-mail. */
const NOW = '2025-03-11T08:30:00.000Z';
const claims: SatisfactionClaims = {
  survey: 'satisfaction',
  case: REFERENCE,
  lang: 'nl',
  expiresAt: new Date(Date.parse(NOW) + SATISFACTION_LINK_TTL_MS).toISOString(),
};
const b64 = (value: unknown) => Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');
const aResolvedCase = (): Case =>
  resolvedCase(municipality, { result: 'granted', closedAt: CLOSED_AT, reference: REFERENCE });

describe('satisfaction links: signed with the action-link key, a kind of their own', () => {
  it('accepts a link it signed, with its claims, until it expires 30 days after sending', () => {
    const url = testSatisfactionLinks(fixedClock(NOW))({ reference: REFERENCE, lang: 'en' });
    const token = required(url.split('/satisfaction/')[1], 'a token');
    const expiry = Date.parse(NOW) + 30 * 86_400_000;

    expect(url.startsWith('https://aanspreekpunt.voorbeeld.example/satisfaction/')).toBe(true);
    expect(verifySatisfaction(token, TEST_LINK_KEY, new Date(expiry - 1))).toEqual({
      ok: true,
      claims: { ...claims, lang: 'en', expiresAt: new Date(expiry).toISOString() },
    });
    expect(verifySatisfaction(token, TEST_LINK_KEY, new Date(expiry))).toEqual({
      ok: false,
      reason: 'expired',
    });
  });

  it('refuses claims changed to name another case, and a link signed with another key', () => {
    const [, signature] = signSatisfaction(claims, TEST_LINK_KEY).split('.');
    const otherCase = `${b64({ ...claims, case: 'AP-9999-9999' })}.${signature}`;

    expect(verifySatisfaction(otherCase, TEST_LINK_KEY, new Date(NOW))).toEqual({
      ok: false,
      reason: 'signature',
    });
    expect(
      verifySatisfaction(signSatisfaction(claims, new Uint8Array(32).fill(7)), TEST_LINK_KEY, new Date(NOW)),
    ).toEqual({ ok: false, reason: 'signature' });
  });

  it('reads a genuine action link or "Mijn zaken" link as malformed, and a satisfaction link as neither', () => {
    const at = new Date(NOW);
    const action: ActionClaims = {
      id: 'link-id-0123456789abcdef',
      reference: REFERENCE,
      official: 'a-jansen',
      action: 'resolve',
      lang: 'nl',
      expiresAt: new Date(at.getTime() + ACTION_LINK_TTL_MS).toISOString(),
    };
    const myCases = signMyCases(
      { page: 'my-cases', official: 'a-jansen', lang: 'nl', expiresAt: claims.expiresAt },
      TEST_LINK_KEY,
    );
    const satisfaction = signSatisfaction(claims, TEST_LINK_KEY);

    expect(verifySatisfaction(signAction(action, TEST_LINK_KEY), TEST_LINK_KEY, at)).toEqual({
      ok: false,
      reason: 'malformed',
    });
    expect(verifySatisfaction(myCases, TEST_LINK_KEY, at)).toEqual({ ok: false, reason: 'malformed' });
    expect(verifyAction(satisfaction, TEST_LINK_KEY, at)).toEqual({ ok: false, reason: 'malformed' });
    expect(verifyMyCases(satisfaction, TEST_LINK_KEY, at)).toEqual({ ok: false, reason: 'malformed' });
  });
});

describe('the satisfaction form: reading the post', () => {
  it('takes a score from 1 to 5 and a comment, trimmed; an empty comment is no comment', () => {
    expect(readRating('score=4&comment=%20Snel%20geholpen.%0D%0ADank!%20')).toEqual({
      ok: true,
      value: { score: 4, comment: 'Snel geholpen.\nDank!' },
    });
    expect(readRating('score=1&comment=%20%20')).toEqual({ ok: true, value: { score: 1 } });
    expect(readRating('score=5')).toEqual({ ok: true, value: { score: 5 } });
  });

  it.each([
    ['', 'missing'],
    ['score=', 'missing'],
    ['score=0', 'invalid'],
    ['score=6', 'invalid'],
    ['score=3.5', 'invalid'],
    ['score=abc', 'invalid'],
    ['score=%204', 'invalid'],
    ['score=1e0', 'invalid'],
    ['score=1&score=9', 'invalid'],
  ])('refuses the score of %j (%s)', (form, problem) => {
    const read = readRating(`${form}&comment=ok`);

    expect(read.ok).toBe(false);
    expect(read.ok ? undefined : read.errors).toEqual({ score: problem });
  });

  it('refuses a comment above the limit and one with control characters, keeping the score chosen', () => {
    const long = readRating(`score=3&comment=${'x'.repeat(COMMENT_MAX + 1)}`);
    const control = readRating('score=3&comment=a%00b');

    expect(long).toEqual({
      ok: false,
      typed: { score: '3', comment: 'x'.repeat(COMMENT_MAX) },
      errors: { comment: 'tooLong' },
    });
    expect(control.ok ? undefined : control.errors).toEqual({ comment: 'control' });
    expect(readRating(`score=3&comment=${'x'.repeat(COMMENT_MAX)}`).ok).toBe(true);
  });
});

describe('the satisfaction form: one answer per resolved case', () => {
  it('takes an answer for a resolved case only, and only once', () => {
    const c = aResolvedCase();
    const open: Case = { ...c, status: 'assigned' };
    const change = planRating(c, claims, { score: 4, comment: 'Goed' }, new Date(NOW));
    const rated: Case = { ...c, history: [...c.history, change.history] };

    expect(ratingRefusal(undefined)).toBe('missing');
    expect(ratingRefusal(open)).toBe('notResolved');
    expect(ratingRefusal(c)).toBeUndefined();
    expect(ratingRefusal(rated)).toBe('alreadyRated');
    expect(change).toEqual({
      reference: REFERENCE,
      historyLength: c.history.length,
      history: { type: 'rated', version: 1, at: NOW, score: 4, comment: 'Goed' },
    });
  });

  it('refuses to plan an answer for another case than the link names', () => {
    const c = { ...aResolvedCase(), reference: 'AP-9999-9999' };

    expect(() => planRating(c, claims, { score: 2 }, new Date(NOW))).toThrow();
  });

  it('retention removes the comment with the personal data and keeps the score; the deletion record holds neither', () => {
    const c = aResolvedCase();
    const rated: Case = {
      ...c,
      history: [
        ...c.history,
        planRating(c, claims, { score: 2, comment: 'Marieke was lastig' }, new Date(NOW)).history,
      ],
    };

    const anonymised = anonymise(rated, new Date('2026-03-11T03:00:00.000Z'));

    expect(anonymised.history).toContainEqual({ type: 'rated', version: 1, at: NOW, score: 2 });
    expect(JSON.stringify(anonymised)).not.toContain('Marieke was lastig');
    expect(JSON.stringify(deletionRecordOf(rated, new Date('2030-03-11T03:00:00.000Z')))).not.toContain(
      'lastig',
    );
  });
});

describe('the satisfaction comment is personal data', () => {
  it("a person's export (AVG art. 15) holds their answer with its comment", () => {
    const c = aResolvedCase();
    const rated: Case = {
      ...c,
      history: [
        ...c.history,
        planRating(c, claims, { score: 5, comment: 'Top geholpen' }, new Date(NOW)).history,
      ],
    };

    const exported = personalDataExport({
      address: c.request.contact.email,
      now: new Date(NOW),
      cases: [rated],
      suppression: undefined,
      requestCounts: [],
      official: false,
    });

    expect(exported.cases[0]?.history).toContainEqual({
      type: 'rated',
      version: 1,
      at: NOW,
      score: 5,
      comment: 'Top geholpen',
    });
  });
});

/** The actions function with a resolved case in memory, and the enterprise's link to its form. */
async function setup(c: Case = aResolvedCase()) {
  const cases = memoryCaseStore();
  await cases.create(c);
  const metrics = countingMetrics();
  const handler = createActionsHandler({
    cases,
    municipality,
    clock: fixedClock(NOW),
    key: TEST_LINK_KEY,
    officials: staticOfficials(municipality.officials),
    queue: memoryQueue(),
    links: testLinks(fixedClock(NOW)),
    log: silentLog,
    metrics,
  });
  const tokenFor = (lang: 'nl' | 'en' = 'nl', clock = fixedClock(CLOSED_AT.toISOString())) =>
    required(testSatisfactionLinks(clock)({ reference: c.reference, lang }).split('/').pop(), 'a token');
  const send = async (method: 'GET' | 'POST', token: string, body = '', query?: Record<string, string>) => {
    const result = await handler(
      apiEvent({
        routeKey: `${method} /satisfaction/{token}`,
        pathParameters: { token },
        ...(query === undefined ? {} : { query }),
        ...(method === 'POST'
          ? { body, headers: { 'content-type': 'application/x-www-form-urlencoded' } }
          : {}),
      }),
    );
    return { status: result.statusCode, body: String(result.body) };
  };
  const stored = async (): Promise<Case> => required(cases.items.get(c.reference), 'the case');
  return { cases, metrics, tokenFor, send, stored };
}

describe('GET and POST /satisfaction/{token}', () => {
  it('GET shows the question with five radio buttons and a comment field in Dutch, posting to itself, and changes nothing', async () => {
    const { tokenFor, send, stored } = await setup();
    const before = structuredClone(await stored());
    const token = tokenFor();

    const page = await send('GET', token);

    expect(page.status).toBe(200);
    expect(page.body).toContain('<html lang="nl">');
    expect(page.body).toContain('Hoe was de samenwerking met de gemeente?');
    expect(
      [...page.body.matchAll(/<input type="radio"[^>]* name="score" value="(\d)"/g)].map((m) => m[1]),
    ).toEqual(['1', '2', '3', '4', '5']);
    expect(page.body).toContain(
      '<label class="utrecht-form-label utrecht-form-label--radio" for="score-5">5 – zeer goed</label>',
    );
    expect(page.body).toContain(`maxlength="${COMMENT_MAX}"`);
    expect(page.body).toContain(`<form method="post" action="/satisfaction/${token}?lang=nl">`);
    expect(page.body).toContain(`href="/satisfaction/${token}?lang=en"`);
    expect(page.body).not.toContain('<script');
    expect(await stored()).toEqual(before);
  });

  it('GET in English with ?lang=en: the question and the labels in English', async () => {
    const { tokenFor, send } = await setup();

    const page = await send('GET', tokenFor(), '', { lang: 'en' });

    expect(page.body).toContain('<html lang="en">');
    expect(page.body).toContain('How was working with the municipality?');
    expect(page.body).toContain('1 – poor');
  });

  it('POST records one rated event with the score and the comment, and thanks', async () => {
    const { tokenFor, send, stored, metrics } = await setup();
    const length = (await stored()).history.length;

    const done = await send('POST', tokenFor(), 'score=4&comment=Snel+geholpen%2C+%3Cb%3Edank%3C%2Fb%3E');

    expect(done.status).toBe(200);
    expect(done.body).toContain(satisfactionTexts.nl.doneTitle);
    const c = await stored();
    expect(c.history).toHaveLength(length + 1);
    expect(c.history.at(-1)).toEqual({
      type: 'rated',
      version: 1,
      at: NOW,
      score: 4,
      comment: 'Snel geholpen, <b>dank</b>',
    });
    expect(metrics.counts.get('SatisfactionRated')).toBe(1);
  });

  it('a second answer (another copy of the link, or the same again) shows "already answered" with 409 and adds nothing', async () => {
    const { tokenFor, send, stored } = await setup();
    await send('POST', tokenFor(), 'score=5');
    const after = structuredClone(await stored());

    for (const [method, token, lang] of [
      ['POST', tokenFor(), 'nl'],
      ['POST', tokenFor('en', fixedClock(NOW)), 'en'],
      ['GET', tokenFor(), 'nl'],
    ] as const) {
      const again = await send(method, token, 'score=1');

      expect(again.status).toBe(409);
      expect(again.body).toContain(escapeHtml(satisfactionTexts[lang].problemText.alreadyRated));
    }
    expect(await stored()).toEqual(after);
  });

  it('bad input: 400, the form again naming the field and why in the page language, the comment kept escaped; nothing recorded', async () => {
    const { tokenFor, send, stored } = await setup();
    const before = structuredClone(await stored());

    const nl = await send('POST', tokenFor(), 'comment=%3Cscript%3Ex%3C%2Fscript%3E');
    const en = await send('POST', tokenFor('en'), `score=7&comment=${'x'.repeat(COMMENT_MAX + 5)}`);

    expect(nl.status).toBe(400);
    expect(nl.body).toContain('Cijfer: Kies een cijfer van 1 tot 5.');
    expect(nl.body).toContain('aria-invalid="true"');
    expect(nl.body).toContain('&lt;script&gt;x&lt;/script&gt;</textarea>');
    expect(nl.body).not.toContain('<script>');
    expect(en.status).toBe(400);
    expect(en.body).toContain('Score: This is not a score from 1 to 5; choose one.');
    expect(en.body).toContain(`Comment: The comment is too long: at most ${COMMENT_MAX} characters.`);
    expect(await stored()).toEqual(before);
  });

  it('refuses a tampered, expired or foreign link with its status and changes nothing', async () => {
    const { tokenFor, send, stored } = await setup();
    const before = structuredClone(await stored());
    const token = tokenFor();
    const expired = tokenFor(
      'nl',
      fixedClock(new Date(Date.parse(NOW) - SATISFACTION_LINK_TTL_MS - 1).toISOString()),
    );
    const action = required(
      testLinks(fixedClock(NOW))({
        reference: REFERENCE,
        official: 'a-jansen',
        lang: 'nl',
        action: 'resolve',
      })
        .split('/')
        .pop(),
      'an action token',
    );

    for (const [bad, status, problem] of [
      [`${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}`, 403, 'invalid'],
      [expired, 410, 'expired'],
      [action, 403, 'invalid'],
      ['x'.repeat(2_000), 403, 'invalid'],
    ] as const) {
      const response = await send('POST', bad, 'score=5');

      expect(response.status).toBe(status);
      expect(response.body).toContain(escapeHtml(satisfactionTexts.nl.problemTitle[problem]));
    }
    expect(await stored()).toEqual(before);
  });

  it('refuses an open case (409) and one whose personal data retention removed (410)', async () => {
    const open = await setup({ ...aResolvedCase(), status: 'assigned' });
    const gone = await setup();
    const c = await gone.stored();
    await gone.cases.anonymise(c, anonymise(c, new Date(NOW)));

    expect((await open.send('POST', open.tokenFor(), 'score=3')).status).toBe(409);
    expect((await gone.send('POST', gone.tokenFor(), 'score=3')).status).toBe(410);
    expect((await gone.send('GET', gone.tokenFor())).body).toContain(
      satisfactionTexts.nl.problemTitle.anonymised,
    );
  });
});

describe('the satisfaction e-mail: sent once by the router after the case is resolved', () => {
  function routerSetup() {
    const cases = memoryCaseStore();
    const mailer = memoryMailer();
    const deps = {
      cases,
      officials: staticOfficials(municipality.officials),
      digests: memoryDigestStore(),
      mailer,
      municipality,
      clock: fixedClock(NOW),
      links: testLinks(fixedClock(NOW)),
      satisfactionLinks: testSatisfactionLinks(fixedClock(NOW)),
      log: silentLog,
      metrics: countingMetrics(),
    };
    return { cases, mailer, route: createRouteCase(deps), deps };
  }

  it('e-mails the enterprise once, in its language, with a link that opens its form; a second delivery sends nothing', async () => {
    const { cases, mailer, route } = routerSetup();
    const c = aResolvedCase();
    await cases.create({ ...c, request: { ...c.request, language: 'en' }, nextAt: NOW });

    await route(REFERENCE);
    await route(REFERENCE);

    expect(mailer.sent).toHaveLength(1);
    const [mail] = mailer.sent;
    expect(mail?.to).toBe(c.request.contact.email);
    expect(mail?.replyTo).toBe('a@x.example');
    expect(mail?.subject).toBe(`How was working with ${municipality.name}? Request ${REFERENCE}`);
    const url = /Rate working with us: (\S+)/.exec(mail?.text ?? '')?.[1] ?? '';
    const verified = verifySatisfaction(
      required(url.split('/satisfaction/')[1], 'a token'),
      TEST_LINK_KEY,
      new Date(NOW),
    );
    expect(verified).toMatchObject({ ok: true, claims: { case: REFERENCE, lang: 'en' } });
    const stored = required(cases.items.get(REFERENCE), 'the case');
    expect(Object.keys(stored.notifications)).toEqual(['satisfaction']);
    // Recorded: out of the SLA job's index.
    expect(stored.nextAt).toBeUndefined();
  });

  it('the SLA job queues a resolved case again while its satisfaction e-mail is missing, and lets it go once it is recorded', async () => {
    const { cases, route, deps } = routerSetup();
    await cases.create({ ...aResolvedCase(), nextAt: NOW });
    const queue = memoryQueue();
    const sla = createSlaHandler({ ...deps, queue, rateMinutes: 5 });
    const later = new Date(Date.parse(NOW) + ROUTING_GRACE_MS).toISOString();

    expect(routingPending(required(cases.items.get(REFERENCE), 'the case'), municipality)).toBe(true);
    await sla({ scheduledTime: later });
    expect(queue.sent.map((m) => m.reference)).toEqual([REFERENCE]);
    expect(cases.items.get(REFERENCE)?.nextAt).toBeDefined();

    await route(REFERENCE);
    await sla({ scheduledTime: new Date(Date.parse(later) + ROUTING_GRACE_MS).toISOString() });

    expect(queue.sent).toHaveLength(1);
    expect(routingPending(required(cases.items.get(REFERENCE), 'the case'), municipality)).toBe(false);
  });
});
