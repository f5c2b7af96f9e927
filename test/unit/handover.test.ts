import { describe, expect, it } from 'vitest';
import { municipality } from '../../config/index.js';
import { createActionsHandler } from '../../functions/actions/handler.js';
import type { Action } from '../../functions/domain/action-link.js';
import { type Case, historyOf } from '../../functions/domain/case.js';
import { statusPage } from '../../functions/intake/views.js';
import { createRouteCase } from '../../functions/router/handler.js';
import { createSlaHandler } from '../../functions/sla/handler.js';
import { fixedClock, required, staticOfficials, submittedCase } from '../support/cases.js';
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
/** Monday 3 March 2025, 10:02 in Amsterdam: the case is routed to Anouk Jansen (werk, economie). */
const ROUTED_AT = '2025-03-03T09:02:00.000Z';
/** The next morning she hands it over. */
const NOW = '2025-03-04T08:30:00.000Z';

async function setup() {
  const cases = memoryCaseStore();
  const mailer = memoryMailer();
  const queue = memoryQueue();
  const officials = staticOfficials(municipality.officials);
  await cases.create(submittedCase(REFERENCE));
  const routerAt = (now: string) =>
    createRouteCase({
      cases,
      officials,
      digests: memoryDigestStore(),
      mailer,
      municipality,
      clock: fixedClock(now),
      links: testLinks(fixedClock(now)),
      satisfactionLinks: testSatisfactionLinks(fixedClock(now)),
      log: silentLog,
      metrics: countingMetrics(),
    });
  await routerAt(ROUTED_AT)(REFERENCE);
  const routed = required(await cases.get(REFERENCE), 'case');
  expect(routed.contact?.id).toBe('a-jansen');
  mailer.sent.length = 0;

  const metrics = countingMetrics();
  const handler = createActionsHandler({
    cases,
    municipality,
    clock: fixedClock(NOW),
    key: TEST_LINK_KEY,
    officials,
    queue,
    links: testLinks(fixedClock(NOW)),
    log: silentLog,
    metrics,
  });
  const make = testLinks(fixedClock(ROUTED_AT));
  const tokenFor = (action: Action, official = 'a-jansen') =>
    make({ reference: REFERENCE, official, lang: 'nl', action }).split('/').pop() ?? '';
  const call = async (method: 'GET' | 'POST', token: string, form: Record<string, string> = {}) => {
    const result = await handler(
      apiEvent({
        routeKey: `${method} /actions/{token}`,
        pathParameters: { token },
        body: method === 'POST' ? new URLSearchParams(form).toString() : undefined,
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      }),
    );
    return { status: result.statusCode, body: String(result.body) };
  };
  const stored = async (): Promise<Case> => required(await cases.get(REFERENCE), 'case');
  const slaAt = (scheduledTime: string) =>
    createSlaHandler({
      cases,
      officials: staticOfficials(municipality.officials),
      digests: memoryDigestStore(),
      rateMinutes: 5,
      queue,
      mailer,
      municipality,
      clock: () => new Date(scheduledTime),
      links: testLinks(),
      log: silentLog,
      metrics: countingMetrics(),
    })({ scheduledTime });
  return {
    cases,
    mailer,
    queue,
    metrics,
    routed,
    tokenFor,
    get: (token: string) => call('GET', token),
    post: (token: string, form: Record<string, string> = {}) => call('POST', token, form),
    stored,
    route: () => routerAt(NOW)(REFERENCE),
    slaAt,
  };
}

const optionValues = (page: string) => [...page.matchAll(/<option value="([^"]*)"/g)].map((m) => m[1]);

describe('hand over: the page', () => {
  it('lists the colleagues who are in, those of the case’s departments first, and routing; it changes nothing', async () => {
    const { tokenFor, get, stored } = await setup();
    const before = await stored();

    const page = await get(tokenFor('hand-over'));

    expect(page.status).toBe(200);
    expect(page.body).toContain('Aanvraag overdragen');
    expect(page.body).toMatch(/<select id="to" name="to" required/);
    const values = optionValues(page.body);
    // The sample touches werk (lead), duurzaamheid and economie: Emma de Groot (economie), Mohamed Bakker
    // (werk), Noor Meijer and Pieter Smit (duurzaamheid) first, by name; never Anouk Jansen herself.
    expect(values.slice(0, 5)).toEqual(['', 'e-degroot', 'm-bakker', 'n-meijer', 'p-smit']);
    expect(values).not.toContain('a-jansen');
    expect(values.at(-1)).toBe('routing');
    expect(page.body).toContain('Mohamed Bakker (Werk en Inkomen)');
    expect(await stored()).toEqual(before);
  });

  it('refuses a POST without a choice, or with someone not on the list, and changes nothing', async () => {
    const { tokenFor, post, stored, queue } = await setup();
    const before = await stored();

    const none = await post(tokenFor('hand-over'));
    const self = await post(tokenFor('hand-over'), { to: 'a-jansen' });
    const stranger = await post(tokenFor('hand-over'), { to: 'x-unknown' });

    for (const result of [none, self, stranger]) {
      expect(result.status).toBe(400);
      expect(result.body).toContain('aria-invalid="true"');
      expect(result.body).toContain('Kies een collega uit de lijst, of de verdeling.');
    }
    expect(await stored()).toEqual(before);
    expect(queue.sent).toEqual([]);
  });

  it('does not offer a colleague who is away today', async () => {
    const { tokenFor, get, stored, cases } = await setup();
    // Ruben Bos is away from 23 November 2026 to 8 January 2027: look at the page on 1 December 2026.
    const c = await stored();
    const handler = createActionsHandler({
      cases,
      municipality,
      clock: fixedClock('2026-12-01T09:00:00.000Z'),
      key: TEST_LINK_KEY,
      officials: staticOfficials(municipality.officials),
      queue: memoryQueue(),
      links: testLinks(),
      log: silentLog,
      metrics: countingMetrics(),
    });
    const token =
      testLinks(fixedClock('2026-11-30T09:00:00.000Z'))({
        reference: c.reference,
        official: 'a-jansen',
        lang: 'nl',
        action: 'hand-over',
      })
        .split('/')
        .pop() ?? '';

    const away = await handler(apiEvent({ routeKey: 'GET /actions/{token}', pathParameters: { token } }));
    const today = await get(tokenFor('hand-over'));

    expect(optionValues(String(away.body))).not.toContain('r-bos');
    expect(optionValues(today.body)).toContain('r-bos');
  });
});

describe('hand over to a colleague', () => {
  it('makes the colleague the contact, keeps the promises, records who and to whom, and queues the e-mails', async () => {
    const { tokenFor, post, stored, queue, routed } = await setup();

    const done = await post(tokenFor('hand-over'), { to: 'm-bakker' });

    expect(done.status).toBe(200);
    expect(done.body).toContain('Aanvraag overgedragen');
    expect(done.body).toContain('overgedragen aan Mohamed Bakker');
    const c = await stored();
    expect(c.status).toBe('assigned');
    expect(c.contact).toMatchObject({
      id: 'm-bakker',
      name: 'Mohamed Bakker',
      email: 'm.bakker@voorbeeld.example',
    });
    expect(c.clocks).toEqual(routed.clocks);
    expect(c.history.at(-1)).toEqual({
      type: 'handedOver',
      version: 1,
      at: NOW,
      by: 'a-jansen',
      byName: 'Anouk Jansen',
      to: 'm-bakker',
      toName: 'Mohamed Bakker',
    });
    expect(queue.sent).toEqual([{ type: 'case.submitted', version: 1, reference: REFERENCE }]);
    // The SLA job looks again within the routing grace, in case the queued message is lost.
    expect(Date.parse(c.nextAt ?? '')).toBeLessThanOrEqual(Date.parse(NOW) + 5 * 60_000);
  });

  it('ends the links of the official who handed over: they are no longer the contact', async () => {
    const { tokenFor, post } = await setup();
    await post(tokenFor('hand-over'), { to: 'm-bakker' });

    const later = await post(tokenFor('contact-made'));

    expect(later.status).toBe(403);
    expect(later.body).toContain('Niet meer uw aanvraag');
  });

  it('the router then tells the new contact (with their own action links) and the enterprise, once', async () => {
    const { tokenFor, post, route, mailer, stored } = await setup();
    await post(tokenFor('hand-over'), { to: 'm-bakker' });

    await route();
    await route();

    expect(mailer.sent.map((m) => [m.to, m.subject])).toEqual([
      [
        'm.bakker@voorbeeld.example',
        `Overgedragen: aanvraag ${REFERENCE}: u bent nu het aanspreekpunt voor De Groene Fietsfabriek`,
      ],
      [
        'marieke@groenefietsfabriek.example',
        `Uw aanvraag ${REFERENCE} bij Gemeente Voorbeeld: uw nieuwe contactpersoon is Mohamed Bakker`,
      ],
    ]);
    const [toContact, toEnterprise] = mailer.sent;
    expect(toContact?.text).toContain('Anouk Jansen heeft deze aanvraag aan u overgedragen.');
    expect(toContact?.text).toMatch(
      /Contact gemaakt: ik heb contact opgenomen met de ondernemer: \S+\/actions\//,
    );
    expect(toEnterprise?.text).toContain('Vanaf nu is Mohamed Bakker (m.bakker@voorbeeld.example)');
    expect(toEnterprise?.replyTo).toBe('m.bakker@voorbeeld.example');
    const c = await stored();
    expect(Object.keys(c.notifications)).toEqual(
      expect.arrayContaining(['handover:1:contact', 'handover:1:enterprise']),
    );
    // The new contact's links work for them.
    const links = [...(toContact?.text ?? '').matchAll(/\/actions\/(\S+)/g)].map((m) => m[1] ?? '');
    expect(links.length).toBeGreaterThanOrEqual(4);
  });

  it('if the queued message is lost, the SLA job queues the handover again; once sent, it does not', async () => {
    const { tokenFor, post, route, queue, slaAt, stored } = await setup();
    await post(tokenFor('hand-over'), { to: 'm-bakker' });
    queue.sent.length = 0;
    const retryAt = required((await stored()).nextAt, 'nextAt');

    const first = await slaAt(retryAt);
    await route();
    const second = await slaAt(new Date(Date.parse(retryAt) + 10 * 60_000).toISOString());

    expect(first.requeued).toBe(1);
    expect(queue.sent).toEqual([{ type: 'case.submitted', version: 1, reference: REFERENCE }]);
    expect(second.requeued).toBe(0);
  });
});

describe('hand back to routing', () => {
  it('takes the case out of their hands; the router chooses someone else and keeps the promises', async () => {
    const { tokenFor, post, route, stored, mailer, queue, routed } = await setup();

    const done = await post(tokenFor('hand-over'), { to: 'routing' });
    const handedBack = await stored();
    await route();
    const c = await stored();

    expect(done.status).toBe(200);
    expect(done.body).toContain('overgedragen aan de verdeling');
    expect(handedBack.status).toBe('submitted');
    expect(handedBack.contact).toBeUndefined();
    expect(handedBack.history.at(-1)).toEqual({
      type: 'handedOver',
      version: 1,
      at: NOW,
      by: 'a-jansen',
      byName: 'Anouk Jansen',
    });
    expect(queue.sent).toHaveLength(1);
    // Anouk led on werk; handed back, werk's other official is chosen.
    expect(c.status).toBe('assigned');
    expect(c.contact?.id).toBe('m-bakker');
    expect(c.clocks).toEqual(routed.clocks);
    expect(historyOf(c).at(-1)).toMatchObject({ type: 'notified', notification: 'handover:1:enterprise' });
    expect(mailer.sent.map((m) => m.to)).toEqual([
      'm.bakker@voorbeeld.example',
      'marieke@groenefietsfabriek.example',
    ]);
  });

  it('never hands the case back to the official who handed it back, not even as a deputy', async () => {
    const { tokenFor, post, route, stored, cases } = await setup();
    await post(tokenFor('hand-over'), { to: 'routing' });
    await route();
    // Mohamed hands it back as well: werk has nobody left, so the coordinator takes it.
    const make = testLinks(fixedClock(NOW));
    const token = make({ reference: REFERENCE, official: 'm-bakker', lang: 'nl', action: 'hand-over' });
    const handler = createActionsHandler({
      cases,
      municipality,
      clock: fixedClock(NOW),
      key: TEST_LINK_KEY,
      officials: staticOfficials(municipality.officials),
      queue: memoryQueue(),
      links: testLinks(),
      log: silentLog,
      metrics: countingMetrics(),
    });
    await handler(
      apiEvent({
        routeKey: 'POST /actions/{token}',
        pathParameters: { token: token.split('/').pop() ?? '' },
        body: 'to=routing',
      }),
    );
    await route();

    const c = await stored();
    expect(c.contact?.id).not.toBe('a-jansen');
    expect(c.contact?.id).not.toBe('m-bakker');
    expect(Object.keys(c.notifications)).toEqual(
      expect.arrayContaining(['handover:2:contact', 'handover:2:enterprise']),
    );
  });
});

describe('hand over: what the enterprise reads', () => {
  it('shows the handover on the status page, in Dutch and English', async () => {
    const { tokenFor, post, stored } = await setup();
    await post(tokenFor('hand-over'), { to: 'm-bakker' });
    const c = await stored();
    const page = (lang: 'nl' | 'en') =>
      statusPage({ lang, municipality, c, selfHref: (l) => `/cases/x?lang=${l}` });

    expect(page('nl')).toContain('Overgedragen aan Mohamed Bakker');
    expect(page('en')).toContain('Handed over to Mohamed Bakker');
  });
});

describe('pause: a fresh link to resume', () => {
  it('shows, right after a pause, a link that resumes the case', async () => {
    const { tokenFor, post, get, stored } = await setup();

    const paused = await post(tokenFor('pause'), { reason: 'Begroting nodig' });
    const href = required(
      /<a href="([^"]+)" class="utrecht-link utrecht-link--html-a">Nu hervatten<\/a>/.exec(paused.body)?.[1],
      'resume link',
    );
    const token = href.split('/').pop()?.split('?')[0] ?? '';
    const shown = await get(token);
    const resumed = await post(token);

    expect(shown.status).toBe(200);
    expect(shown.body).toContain('Aanvraag hervatten');
    expect(resumed.status).toBe(200);
    expect((await stored()).history.at(-1)).toMatchObject({ type: 'resumed', by: 'a-jansen' });
  });
});
