import { describe, expect, it } from 'vitest';
import { municipality } from '../../config/index.js';
import { createActionsHandler } from '../../functions/actions/handler.js';
import { ACTION_LINK_TTL_MS, type Action } from '../../functions/domain/action-link.js';
import { actionUrlsFor } from '../../functions/domain/actions.js';
import { assign, type Case, type Contact, ROUTING_GRACE_MS } from '../../functions/domain/case.js';
import { assignmentMail } from '../../functions/domain/mail/assignment.js';
import { anonymise, deletionRecordOf } from '../../functions/domain/retention.js';
import { explainClock, stepAt } from '../../functions/domain/sla.js';
import { statusPage } from '../../functions/intake/views.js';
import { createSlaHandler } from '../../functions/sla/handler.js';
import {
  aTag,
  fixedClock,
  SUBMITTED_AT,
  sampleRequest,
  staticOfficials,
  submittedCase,
} from '../support/cases.js';
import { apiEvent } from '../support/events.js';
import {
  countingMetrics,
  memoryCaseStore,
  memoryMailer,
  memoryQueue,
  silentLog,
  TEST_LINK_KEY,
  testLinks,
} from '../support/fakes.js';

const REFERENCE = 'AP-2345-6789';
/** The next morning: the link in the assignment e-mail is opened. */
const NOW = '2025-03-04T08:30:00.000Z';
const contact: Contact = {
  kind: 'official',
  id: 'a-jansen',
  name: 'Anouk Jansen',
  email: 'a.jansen@voorbeeld.example',
  language: 'nl',
  departments: ['werk'],
};

async function setup(now = NOW, requestType = 'partnership') {
  const cases = memoryCaseStore();
  await cases.create(submittedCase(REFERENCE, sampleRequest({ requestType })));
  const submitted = await cases.get(REFERENCE);
  if (submitted === undefined) throw new Error('test setup: case not stored');
  await cases.assign(
    assign(submitted, [aTag('werk', true)], { contact, choice: 'coverage' }, SUBMITTED_AT, municipality.sla),
  );
  const metrics = countingMetrics();
  const queue = memoryQueue();
  const handler = createActionsHandler({
    cases,
    municipality,
    clock: fixedClock(now),
    key: TEST_LINK_KEY,
    officials: staticOfficials(municipality.officials),
    queue,
    links: testLinks(fixedClock(now)),
    log: silentLog,
    metrics,
  });
  const make = testLinks(fixedClock(SUBMITTED_AT.toISOString()));
  const tokenFor = (action: Action, official = contact.id) =>
    make({ reference: REFERENCE, official, lang: 'nl', action }).split('/').pop() ?? '';
  const get = async (token: string) => {
    const result = await handler(apiEvent({ routeKey: 'GET /actions/{token}', pathParameters: { token } }));
    return { status: result.statusCode, body: String(result.body), headers: result.headers ?? {} };
  };
  const post = async (token: string, form: Record<string, string> = {}) => {
    const result = await handler(
      apiEvent({
        routeKey: 'POST /actions/{token}',
        pathParameters: { token },
        body: new URLSearchParams(form).toString(),
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      }),
    );
    return { status: result.statusCode, body: String(result.body) };
  };
  const stored = async (): Promise<Case> => {
    const c = await cases.get(REFERENCE);
    if (c === undefined) throw new Error('case vanished');
    return c;
  };
  return { cases, metrics, queue, tokenFor, get, post, stored };
}

describe('actions: GET shows what a link would do and changes nothing', () => {
  it('shows a confirmation page in the official language with the case, what happens, and a POST button', async () => {
    const { tokenFor, get, stored } = await setup();
    const before = await stored();
    const token = tokenFor('contact-made');

    const page = await get(token);

    expect(page.status).toBe(200);
    expect(page.body).toContain('<html lang="nl">');
    expect(page.body).toContain(REFERENCE);
    expect(page.body).toContain('De Groene Fietsfabriek');
    expect(page.body).toContain('De termijn voor het eerste contact stopt');
    expect(page.body).toContain(`<form method="post" action="/actions/${token}?lang=nl">`);
    expect(page.headers['content-security-policy']).toContain("default-src 'none'");
    expect(page.headers['referrer-policy']).toBe('no-referrer');
    expect(await stored()).toEqual(before);
  });

  it('asks for the outcome on the resolve page', async () => {
    const { tokenFor, get } = await setup();

    const page = await get(tokenFor('resolve'));

    expect(page.status).toBe(200);
    expect(page.body).toMatch(/<textarea id="outcome" name="outcome"[^>]* required/);
  });
});

describe('actions: POST contact made', () => {
  it('stops the first-contact clock once, and the SLA job then sends no first-contact step', async () => {
    const { cases, tokenFor, post, stored, metrics } = await setup();

    const done = await post(tokenFor('contact-made'));
    expect(metrics.counts.get('SlaMet{department=werk}')).toBe(1);

    expect(done.status).toBe(200);
    expect(done.body).toContain('Contact geregistreerd');
    const c = await stored();
    expect(c.clocks.firstContact?.stoppedAt).toBe(NOW);
    expect(c.clocks.decision?.stoppedAt).toBeUndefined();
    expect(c.history.at(-1)).toEqual({ type: 'contacted', version: 1, at: NOW, by: 'a-jansen' });
    expect(Object.values(c.usedLinks)).toEqual([NOW]);
    // Next for the SLA job: the decision clock's reminder, not the first-contact breach.
    expect(c.nextAt).toBe(c.clocks.decision?.steps.reminder);

    // Act: the SLA job well after the first-contact breach and escalation
    const mailer = memoryMailer();
    const sla = createSlaHandler({
      cases,
      officials: staticOfficials(municipality.officials),
      rateMinutes: 5,
      queue: memoryQueue(),
      mailer,
      municipality,
      clock: () => new Date(),
      links: testLinks(),
      log: silentLog,
      metrics: countingMetrics(),
    });
    const escalation = c.clocks.firstContact?.steps.escalation ?? '';
    await sla({ scheduledTime: new Date(Date.parse(escalation) + 60_000).toISOString() });
    await sla({ scheduledTime: new Date(Date.parse(escalation) + 60_000).toISOString() });

    expect(mailer.sent).toEqual([]);
    expect(Object.keys((await stored()).notifications).filter((k) => k.startsWith('firstContact'))).toEqual(
      [],
    );
  });

  it('says a link is already used the second time, and changes nothing more', async () => {
    const { tokenFor, post, stored } = await setup();
    const token = tokenFor('contact-made');
    await post(token);
    const after = await stored();

    const again = await post(token);

    expect(again.status).toBe(409);
    expect(again.body).toContain('Link al gebruikt');
    expect(again.body).toContain('Er is niets veranderd');
    expect(await stored()).toEqual(after);
  });

  it('says contact is already recorded when another contact-made link comes after the first', async () => {
    const { tokenFor, post, stored } = await setup();
    await post(tokenFor('contact-made'));
    const after = await stored();

    const second = await post(tokenFor('contact-made'));

    expect(second.status).toBe(409);
    expect(second.body).toContain('Contact al geregistreerd');
    expect(await stored()).toEqual(after);
  });
});

describe('actions: links that do nothing, and say why', () => {
  it('refuses an expired link with 410 on GET and POST', async () => {
    const expired = new Date(SUBMITTED_AT.getTime() + ACTION_LINK_TTL_MS + 1).toISOString();
    const { tokenFor, get, post, stored } = await setup(expired);
    const before = await stored();
    const token = tokenFor('contact-made');

    const [shown, posted] = [await get(token), await post(token)];

    expect([shown.status, posted.status]).toEqual([410, 410]);
    expect(posted.body).toContain('Link verlopen');
    expect(await stored()).toEqual(before);
  });

  it('refuses a tampered link with 403 and changes nothing', async () => {
    const { tokenFor, post, stored } = await setup();
    const before = await stored();
    const [payload = '', signature = ''] = tokenFor('contact-made').split('.');
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    const tampered = `${Buffer.from(JSON.stringify({ ...claims, action: 'resolve' })).toString('base64url')}.${signature}`;

    const results = [await post(tampered, { outcome: 'klaar' }), await post('not-a-link')];

    expect(results.map((r) => r.status)).toEqual([403, 403]);
    expect(results[0]?.body).toContain('Link ongeldig');
    expect(await stored()).toEqual(before);
  });

  it('refuses a link of an official who is no longer the contact', async () => {
    const { tokenFor, post, stored } = await setup();
    const before = await stored();

    const result = await post(tokenFor('contact-made', 'r-bos'));

    expect(result.status).toBe(403);
    expect(result.body).toContain('Niet meer uw aanvraag');
    expect(await stored()).toEqual(before);
  });
});

describe('actions: POST above the body limit', () => {
  it('answers 413 with a page that says so, and changes nothing', async () => {
    const { tokenFor, post, stored } = await setup();
    const before = await stored();

    const result = await post(tokenFor('resolve'), { outcome: 'x'.repeat(20_000) });

    expect(result.status).toBe(413);
    expect(result.body).toContain('<h1 class="utrecht-heading-1">Te veel tekst</h1>');
    expect(result.body).toContain('Er is niets veranderd.');
    expect(await stored()).toEqual(before);
  });

  it('says so in English when the link asks for English', async () => {
    const { cases, tokenFor } = await setup();
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

    const result = await handler(
      apiEvent({
        routeKey: 'POST /actions/{token}',
        pathParameters: { token: tokenFor('pause') },
        query: { lang: 'en' },
        body: `reason=${'x'.repeat(20_000)}`,
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      }),
    );

    expect(result.statusCode).toBe(413);
    expect(String(result.body)).toContain('<h1 class="utrecht-heading-1">Too much text</h1>');
  });
});

describe('actions: POST resolve', () => {
  it('needs an outcome: without one it shows the form again with the error, changing nothing', async () => {
    const { tokenFor, post, stored } = await setup();
    const before = await stored();

    const result = await post(tokenFor('resolve'), { outcome: '   ' });

    expect(result.status).toBe(400);
    expect(result.body).toContain('aria-invalid="true"');
    expect(await stored()).toEqual(before);
  });

  it('resolves the case: status resolved, every clock stopped, out of the open cases, queued for its satisfaction e-mail', async () => {
    const { cases, queue, tokenFor, post, stored } = await setup();
    expect(await cases.openCaseCount('a-jansen', 100)).toBe(1);

    const result = await post(tokenFor('resolve'), {
      result: 'granted',
      outcome: 'Subsidie toegekend; <b>start</b> in mei.',
    });

    expect(result.status).toBe(200);
    expect(result.body).toContain('Aanvraag afgerond');
    const c = await stored();
    expect(c.status).toBe('resolved');
    expect(c.clocks.firstContact?.stoppedAt).toBe(NOW);
    expect(c.clocks.decision?.stoppedAt).toBe(NOW);
    // The router sends the enterprise's satisfaction e-mail; the SLA job looks again after the routing grace
    // (and queues the case again if that e-mail has not gone out by then).
    expect(queue.sent).toEqual([expect.objectContaining({ reference: REFERENCE })]);
    expect(c.nextAt).toBe(new Date(Date.parse(NOW) + ROUTING_GRACE_MS).toISOString());
    expect(c.history.at(-1)).toEqual({
      type: 'resolved',
      version: 1,
      at: NOW,
      by: 'a-jansen',
      outcome: 'Subsidie toegekend; <b>start</b> in mei.',
      result: 'granted',
    });
    expect(await cases.openCaseCount('a-jansen', 100)).toBe(0);
    // A contact-made link sent earlier now says the case is closed.
    const late = await post(tokenFor('contact-made'));
    expect(late.status).toBe(409);
    expect(late.body).toContain('Aanvraag al afgerond');
  });

  it("offers the results of the request type's Selectielijst process type, each with what the archive does", async () => {
    const { get, tokenFor } = await setup();

    const page = await get(tokenFor('resolve'));

    // A partnership is handled as a request (process type 6): granted, with financial consequences, rejected, withdrawn.
    const values = [...page.body.matchAll(/<input type="radio"[^>]* name="result" value="([^"]+)"/g)].map(
      (m) => m[1],
    );
    expect(values).toEqual(['granted', 'granted-financial', 'rejected', 'withdrawn']);
    expect(page.body).toContain('Ingewilligd: vernietigen 5 jaar na afronden (6.1)');
    expect(page.body).toContain(
      'Ingewilligd, met financiële gevolgen: vernietigen 7 jaar na afronden (6.1.1)',
    );
    expect(page.body).toContain('Afgewezen: vernietigen 1 jaar na afronden (6.2)');
    expect(page.body).not.toContain('name="from"');
  });

  it('needs a result: without one it shows the form again with the error at the choice, keeping the outcome typed', async () => {
    const { tokenFor, post, stored } = await setup();
    const before = await stored();

    const result = await post(tokenFor('resolve'), { outcome: 'Samenwerking afgesproken.' });

    expect(result.status).toBe(400);
    expect(result.body).toContain('id="result-error"');
    expect(result.body).toContain('Kies een resultaat.');
    expect(result.body).toContain('>Samenwerking afgesproken.</textarea>');
    expect(await stored()).toEqual(before);
  });

  it('gives the case its archive action date and nomination, and the day its personal data go, and shows them', async () => {
    const { tokenFor, post, stored } = await setup();

    const result = await post(tokenFor('resolve'), {
      result: 'rejected',
      outcome: 'Past niet bij ons beleid.',
    });

    expect(result.status).toBe(200);
    const c = await stored();
    expect(c.archive).toEqual({
      processType: 'verzoeken',
      processTypeNumber: 6,
      result: 'rejected',
      selectielijst: '6.2',
      nomination: 'destroy',
      from: '2025-03-04',
      period: 'P1Y',
      actionDate: '2026-03-04',
    });
    expect(c.anonymiseOn).toBe('2026-03-04');
    expect(result.body).toContain(
      'Resultaat: Afgewezen (Selectielijst 6.2). Archiefactiedatum: 4 maart 2026, waardering: vernietigen.',
    );
    expect(result.body).toContain('De persoonsgegevens van de ondernemer worden verwijderd op 4 maart 2026.');
  });

  it('counts a granted subsidy from the end of the subsidy the official enters, and asks for it when it is missing', async () => {
    const { tokenFor, post, stored } = await setup(NOW, 'financing');

    const missing = await post(tokenFor('resolve'), { result: 'granted', outcome: 'Subsidie verleend.' });
    const before = await post(tokenFor('resolve'), {
      result: 'granted',
      from: '2025-03-03',
      outcome: 'Subsidie verleend.',
    });
    const done = await post(tokenFor('resolve'), {
      result: 'granted',
      from: '2026-12-31',
      outcome: 'Subsidie verleend.',
    });

    expect(missing.status).toBe(400);
    expect(missing.body).toContain(
      '<label class="utrecht-form-label" for="from">Einddatum van de subsidie</label>',
    );
    expect(missing.body).toContain('Vul deze datum in: het gekozen resultaat telt vanaf die dag.');
    expect(before.status).toBe(400);
    expect(before.body).toContain('Deze datum ligt vóór vandaag');
    expect(done.status).toBe(200);
    expect((await stored()).archive).toMatchObject({
      processType: 'subsidie',
      selectielijst: '8.1.7',
      from: '2026-12-31',
      period: 'P7Y',
      actionDate: '2033-12-31',
    });
  });
});

describe('actions: links in the assignment e-mail', () => {
  it('carries the contact-made and resolve links in HTML and text, in the official language', async () => {
    const { stored } = await setup();
    const c = await stored();
    const urls = { contactMade: 'https://x.example/actions/a.b', resolve: 'https://x.example/actions/c.d' };

    const nl = assignmentMail(c, contact, municipality, urls);
    const en = assignmentMail(c, { ...contact, language: 'en' }, municipality, urls);

    expect(nl.html).toContain('<a href="https://x.example/actions/a.b">Contact gemaakt');
    expect(nl.html).toContain('<a href="https://x.example/actions/c.d">Afronden');
    expect(nl.text).toContain('https://x.example/actions/a.b');
    expect(en.text).toContain(
      'Contact made: I got in touch with the enterprise: https://x.example/actions/a.b',
    );
    expect(en.text).toContain('Resolve: the request has been dealt with: https://x.example/actions/c.d');
  });
});

describe('actions: pause and resume', () => {
  /** Monday 3 March 2025, 10:30 in Amsterdam: the case is paused. */
  const PAUSED_AT = '2025-03-03T09:30:00.000Z';
  /** Wednesday 5 March 2025, 10:30 in Amsterdam: it is resumed, 2 working days later. */
  const RESUMED_AT = '2025-03-05T09:30:00.000Z';

  const slaJob = (cases: ReturnType<typeof memoryCaseStore>) => {
    const mailer = memoryMailer();
    const run = createSlaHandler({
      cases,
      officials: staticOfficials(municipality.officials),
      rateMinutes: 5,
      queue: memoryQueue(),
      mailer,
      municipality,
      clock: () => new Date(),
      links: testLinks(),
      log: silentLog,
      metrics: countingMetrics(),
    });
    return { mailer, run: (at: string) => run({ scheduledTime: at }) };
  };

  it('needs a reason to pause: without one it shows the form again with the error, changing nothing', async () => {
    const { tokenFor, get, post, stored } = await setup(PAUSED_AT);
    const before = await stored();

    const shown = await get(tokenFor('pause'));
    const result = await post(tokenFor('pause'), { reason: ' ' });

    expect(shown.body).toMatch(/<textarea id="reason" name="reason"[^>]* required/);
    expect(result.status).toBe(400);
    expect(result.body).toContain('aria-invalid="true"');
    expect(await stored()).toEqual(before);
  });

  it('pauses every running clock and stops the reminders: the SLA job later sends nothing', async () => {
    const { cases, tokenFor, post, stored } = await setup(PAUSED_AT);

    const done = await post(tokenFor('pause'), { reason: 'Jaarcijfers 2024 aanleveren' });

    expect(done.status).toBe(200);
    expect(done.body).toContain('Aanvraag gepauzeerd');
    const c = await stored();
    expect(c.clocks.firstContact?.pausedAt).toBe(PAUSED_AT);
    expect(c.clocks.decision?.pausedAt).toBe(PAUSED_AT);
    // No step is due while paused: the SLA job looks only once the question's route message could be lost.
    expect(c.nextAt).toBe(new Date(Date.parse(PAUSED_AT) + ROUTING_GRACE_MS).toISOString());
    expect(c.history.at(-1)).toEqual({
      type: 'paused',
      version: 1,
      at: PAUSED_AT,
      by: 'a-jansen',
      reason: 'Jaarcijfers 2024 aanleveren',
    });
    // Act: the SLA job after every step of both clocks (it also looks at the case by its moments)
    const job = slaJob(cases);
    const late = Date.parse(c.clocks.decision?.steps.escalation ?? '') + 60_000;
    await job.run(new Date(late).toISOString());
    expect(job.mailer.sent).toEqual([]);
    expect((await stored()).notifications).toEqual(c.notifications);
  });

  it('refuses to pause twice (409), and to resume a case that is not paused (409)', async () => {
    const { tokenFor, post, stored } = await setup(PAUSED_AT);
    const before = await stored();

    const resume = await post(tokenFor('resume'));
    await post(tokenFor('pause'), { reason: 'Offerte nodig' });
    const paused = await stored();
    const again = await post(tokenFor('pause'), { reason: 'Nog iets' });

    expect(resume.status).toBe(409);
    expect(resume.body).toContain('Aanvraag niet gepauzeerd');
    expect(before.history).toEqual(paused.history.slice(0, -1));
    expect(again.status).toBe(409);
    expect(again.body).toContain('Aanvraag al gepauzeerd');
    expect(await stored()).toEqual(paused);
  });

  it('resumes: due and every step move by the paused working days (Monday to Wednesday: 2), and the SLA job fires at the new moments', async () => {
    const { cases, tokenFor, post, stored } = await setup(PAUSED_AT);
    const original = await stored();
    await post(tokenFor('pause'), { reason: 'Jaarcijfers 2024 aanleveren' });
    const { get, post: postLater } = await setupResumeAt(cases, RESUMED_AT);
    const token = tokenFor('resume');
    const page = await get(token);

    const done = await postLater(token);

    expect(page.status).toBe(200);
    expect(done.status).toBe(200);
    expect(done.body).toContain('Aanvraag hervat');
    const c = await stored();
    const first = c.clocks.firstContact;
    // Submitted Monday 10:00, 3 working days: due Thursday 6 March 17:00; 2 paused working days: Monday
    // 10 March, still at 17:00 (the end of the working day).
    expect(original.clocks.firstContact?.due).toBe('2025-03-06T16:00:00.000Z');
    expect(first?.due).toBe('2025-03-10T16:00:00.000Z');
    // The breach fires at the due moment: it is not stored.
    expect(first === undefined ? undefined : stepAt(first, 'breach', municipality.sla.calendar)).toBe(
      '2025-03-10T16:00:00.000Z',
    );
    expect(first?.steps).not.toHaveProperty('breach');
    expect(first?.steps.reminder).toBe('2025-03-07T16:00:00.000Z');
    expect(first?.pausedAt).toBeUndefined();
    expect(first?.extendedWorkingDays).toBe(2);
    expect(first).not.toHaveProperty('explanation');
    const explained = (lang: 'nl' | 'en') =>
      first === undefined ? '' : explainClock(first, municipality.sla.calendar, lang);
    expect(explained('nl')).toMatch(/^3 werkdagen .*; verlengd met 2 werkdagen \(gepauzeerd\)$/);
    expect(explained('en')).toMatch(/^3 working days .*; extended by 2 working days \(paused\)$/);
    expect(c.clocks.decision?.pausedAt).toBeUndefined();
    expect(c.nextAt).toBe('2025-03-07T16:00:00.000Z');
    expect(c.history.at(-1)).toEqual({
      type: 'resumed',
      version: 1,
      at: RESUMED_AT,
      by: 'a-jansen',
      workingDays: 2,
    });

    // The SLA job at the old reminder moment sends nothing; at the new one, the reminder.
    const job = slaJob(cases);
    await job.run(original.clocks.firstContact?.steps.reminder ?? '');
    expect(job.mailer.sent).toEqual([]);
    await job.run('2025-03-07T16:00:00.000Z');
    expect(Object.keys((await stored()).notifications)).toContain('firstContact:reminder');
    expect(job.mailer.sent).toHaveLength(1);
  });
});

/** The actions handler for the same case store at a later moment. */
async function setupResumeAt(cases: ReturnType<typeof memoryCaseStore>, now: string) {
  const handler = createActionsHandler({
    cases,
    municipality,
    clock: fixedClock(now),
    key: TEST_LINK_KEY,
    officials: staticOfficials(municipality.officials),
    queue: memoryQueue(),
    links: testLinks(fixedClock(now)),
    log: silentLog,
    metrics: countingMetrics(),
  });
  const call = async (method: 'GET' | 'POST', token: string) => {
    const result = await handler(
      apiEvent({ routeKey: `${method} /actions/{token}`, pathParameters: { token }, body: '' }),
    );
    return { status: result.statusCode, body: String(result.body) };
  };
  return { get: (token: string) => call('GET', token), post: (token: string) => call('POST', token) };
}

describe('actions: pause and resume links and the status page', () => {
  it('carries pause and resume links in the assignment e-mail', async () => {
    const { stored } = await setup();
    const c = await stored();
    const urls = actionUrlsFor(testLinks(), c, contact);

    const nl = assignmentMail(c, contact, municipality, urls);
    const en = assignmentMail(c, { ...contact, language: 'en' }, municipality, urls);

    expect(nl.html).toContain(`<a href="${urls.pause}">Pauzeren`);
    expect(nl.html).toContain(`<a href="${urls.resume}">Hervatten`);
    expect(en.text).toContain(`Pause: waiting for the enterprise (the clocks stand still): ${urls.pause}`);
    expect(en.text).toContain(`Resume: the clocks run again`);
  });

  it('tells the enterprise the case waits for them, with the reason, in their language', async () => {
    const { tokenFor, post, stored } = await setup();
    await post(tokenFor('pause'), { reason: 'Jaarcijfers <2024>' });
    const c = await stored();
    const page = (lang: 'nl' | 'en') =>
      statusPage({ lang, municipality, c, selfHref: (l) => `/cases/x?lang=${l}` });

    const [nl, en] = [page('nl'), page('en')];

    expect(nl).toContain('Gepauzeerd: wachten op u (Jaarcijfers &lt;2024&gt;)');
    expect(en).toContain('Paused: waiting for you (Jaarcijfers &lt;2024&gt;)');
  });
});

describe('actions: a link of a case retention removed the personal data of, or destroyed', () => {
  it('says so, 410, instead of "not found": after anonymisation, and after destruction', async () => {
    // Prepare: the case resolved, then its personal data removed a year on
    const { cases, tokenFor, post, get, stored } = await setup();
    const pause = tokenFor('pause');
    await post(tokenFor('resolve'), { result: 'rejected', outcome: 'Past niet.' });
    const resolved = await stored();
    const later = new Date('2026-03-04T02:00:00Z');
    await cases.anonymise(resolved, anonymise(resolved, later));

    // Act
    const anonymised = await get(pause);
    await cases.destroy(resolved, deletionRecordOf(resolved, later));
    const destroyed = await post(pause, { reason: 'x' });

    // Assess
    expect(anonymised.status).toBe(410);
    expect(anonymised.body).toContain('<h1 class="utrecht-heading-1">Persoonsgegevens verwijderd</h1>');
    expect(destroyed.status).toBe(410);
    expect(destroyed.body).toContain('<h1 class="utrecht-heading-1">Aanvraag vernietigd</h1>');
    expect((await cases.record(REFERENCE))?.kind).toBe('destroyed');
  });
});
