import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { municipality } from '../../config/index.js';
import { addWorkingDays, workingDaysBetween } from '../../functions/domain/calendar.js';
import { hashToken } from '../../functions/domain/token.js';
import { type RoutingSystem, requestBody, startRoutingSystem } from '../support/local.js';
import { eventually, linkAfter } from '../support/mailbox.js';

/**
 * "Information requested" (issue 18, Deliver 2) on the embedded emulators: the official pauses with a
 * question -> the enterprise's e-mail has the question and a status link -> the answer posted on the status
 * page -> the clocks resumed, both steps in the history, the official e-mailed the answer once.
 */
describe('a question to the enterprise, answered on its status page', () => {
  let s: RoutingSystem;
  const form = { 'content-type': 'application/x-www-form-urlencoded' };
  const QUESTION = 'Kunt u de plattegrond van de gewenste locatie sturen? <b>graag</b>';
  const ANSWER = 'De plattegrond staat op onze website.\nBel gerust als er iets ontbreekt & "zo".';

  beforeAll(async () => {
    s = await startRoutingSystem('information-requested');
  });

  afterAll(async () => {
    await s?.stop();
  });

  /** A routed case and the action links of its assignment e-mail. */
  async function routedCase(kvkNumber: string, description: string) {
    const submitted = await s.submit(
      requestBody({ kvkNumber, goals: ['work'], requestType: 'question', description }),
    );
    const { contact, mails } = await s.routed(submitted.reference);
    const text = mails.find((m) => m.destination.to.includes(contact.email))?.body.text ?? '';
    return { ...submitted, contact, text };
  }

  const answerAt = (reference: string, body: Record<string, string>) =>
    fetch(`${s.system.urls.intake}/cases/${reference}/answer?lang=nl`, {
      method: 'POST',
      headers: form,
      body: new URLSearchParams(body).toString(),
      redirect: 'manual',
    });

  it('e-mails the question with a working status link; the answer resumes the clocks and reaches the official once', async () => {
    // Prepare: a routed case, paused by its contact with a question
    const { reference, statusUrl, contact, text } = await routedCase(
      '71234567',
      'Wij willen uitbreiden en zoeken een locatie op het bedrijventerrein.',
    );
    const paused = await fetch(linkAfter(text, /^(Pauzeren|Pause)/), {
      method: 'POST',
      headers: form,
      body: new URLSearchParams({ reason: QUESTION }).toString(),
    });
    expect(paused.status).toBe(200);

    // Act 1: the router e-mails the question to the enterprise
    const enterprise = 'kvk71234567@onderneming.example';
    const question = await eventually(async () =>
      (await s.mailsOf(reference)).find((m) => m.subject.startsWith(`Vraag over uw aanvraag ${reference}`)),
    );

    // Assess 1: to the enterprise, with the question and a status link of its own that works
    expect(question.destination.to).toContain(enterprise);
    expect(question.body.text).toContain(QUESTION);
    const line = (question.body.text ?? '').split('\n').find((l) => l.startsWith('Bekijk de status'));
    const link = /(https?:\/\/\S+\/cases\/\S+)/.exec(line ?? '')?.[1] ?? '';
    expect(link.startsWith(`${s.system.urls.intake}/cases/${reference}?token=`)).toBe(true);
    expect(link).not.toBe(statusUrl);
    const token = new URL(link).searchParams.get('token') ?? '';
    const during = await eventually(async () => {
      const c = await s.cases.get(reference);
      return c?.notifications['question:1'] !== undefined && c.nextAt === undefined ? c : undefined;
    });
    expect(during.tokenHashes).toContain(hashToken(token));
    expect(during.tokenHashes).toHaveLength(2);
    const page = await fetch(`${link}&lang=nl`);
    const html = await page.text();
    expect(page.status).toBe(200);
    expect(html).toContain('Vraag van uw contactpersoon');
    expect(html).toContain('Kunt u de plattegrond van de gewenste locatie sturen? &lt;b&gt;graag&lt;/b&gt;');
    expect(html).toContain(`<form method="post" action="/cases/${reference}/answer?lang=nl">`);
    expect(html).toMatch(/<textarea id="answer" name="answer"[^>]* required/);

    // Prepare 2: the case has been paused for a week (the pause moment moved back in the table)
    const since = new Date(Date.now() - 7 * 86_400_000).toISOString();
    await s.db.send(
      new UpdateCommand({
        TableName: s.system.tables.cases,
        Key: { pk: `CASE#${reference}`, sk: 'CASE' },
        UpdateExpression: 'SET clocks.firstContact.pausedAt = :since, clocks.decision.pausedAt = :since',
        ExpressionAttributeValues: { ':since': since },
      }),
    );

    // Act 2: the enterprise answers on its status page: first with a control character, then as it should
    const control = await answerAt(reference, { token, answer: 'Een\u0007antwoord' });
    expect(control.status).toBe(400);
    const refused = await control.text();
    expect(refused).toContain('Vul uw antwoord in: hoogstens 2000 tekens, zonder stuurtekens.');
    expect(refused).toMatch(/<textarea id="answer" name="answer"[^>]*aria-invalid="true"[^>]*>Eenantwoord</);
    expect((await s.cases.get(reference))?.history).toEqual(during.history);
    const answered = await answerAt(reference, { token, answer: ANSWER });

    // Assess 2: back to the status page, which says so; the clocks resumed with their moments moved
    expect(answered.status).toBe(303);
    const location = answered.headers.get('location') ?? '';
    expect(location).toContain(`/cases/${reference}?token=`);
    expect(location).toContain('notice=answered');
    const after = await s.cases.get(reference);
    const days = workingDaysBetween(new Date(since), new Date(), municipality.sla.calendar);
    expect(days).toBeGreaterThanOrEqual(3);
    const moved = (iso: string | undefined) =>
      addWorkingDays(new Date(iso ?? ''), days, municipality.sla.calendar).due.toISOString();
    expect(after?.clocks.decision?.due).toBe(moved(during.clocks.decision?.due));
    expect(after?.clocks.firstContact?.due).toBe(moved(during.clocks.firstContact?.due));
    expect(after?.clocks.firstContact?.steps.reminder).toBe(
      moved(during.clocks.firstContact?.steps.reminder),
    );
    expect(after?.clocks.decision?.pausedAt).toBeUndefined();
    expect(after?.clocks.decision?.extendedWorkingDays).toBe(days);
    expect(after?.history.at(-2)).toMatchObject({ type: 'paused', by: contact.id, reason: QUESTION });
    expect(after?.history.at(-1)).toMatchObject({ type: 'answered', answer: ANSWER, workingDays: days });
    const shown = await (await fetch(`${s.system.urls.intake}${location}`)).text();
    expect(shown).toContain('Uw antwoord is verstuurd naar');
    expect(shown).not.toContain('name="answer"');
    expect(shown).toContain('U hebt de vraag beantwoord: de termijnen lopen weer');
    const status = (await (await fetch(statusUrl, { headers: { accept: 'application/json' } })).json()) as {
      history: { type: string }[];
    };
    expect(status.history.map((h) => h.type)).toEqual(expect.arrayContaining(['paused', 'answered']));

    // Assess 3: the official got the answer in one e-mail, once
    const toOfficial = await eventually(async () => {
      const c = await s.cases.get(reference);
      const mails = (await s.mailsOf(reference)).filter((m) => m.subject.startsWith('Antwoord van'));
      return c?.notifications['answer:1'] !== undefined && mails.length > 0 ? mails : undefined;
    });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect((await s.mailsOf(reference)).filter((m) => m.subject.startsWith('Antwoord van'))).toHaveLength(1);
    expect(toOfficial[0]?.destination.to).toEqual([contact.email]);
    expect(toOfficial[0]?.body.text).toContain(ANSWER);
    expect(toOfficial[0]?.body.text).toContain(QUESTION);
    // The SLA job looks again at the clocks' next step once the answer's e-mail is recorded
    const scheduled = await eventually(async () => {
      const c = await s.cases.get(reference);
      return c?.nextAt === c?.clocks.firstContact?.steps.reminder ? c : undefined;
    });
    expect(scheduled.nextAt).toBeDefined();

    // Act 4: the same question answered again (a second tab, a replayed form)
    const again = await answerAt(reference, { token, answer: 'Nog een antwoord.' });

    // Assess 4: refused with its reason, nothing changed
    expect(again.status).toBe(409);
    expect(await again.text()).toContain('Deze vraag is al beantwoord.');
    expect((await s.cases.get(reference))?.history).toEqual(scheduled.history);
    expect(s.errors).toEqual([]);
  });

  it('refuses an answer when nothing is asked, to a resolved case, and with a wrong token (no 5xx, nothing changes)', async () => {
    // Prepare: a routed case that is not paused
    const { reference, statusUrl, text } = await routedCase(
      '72345678',
      'Een vraag over loonkostensubsidie voor twee nieuwe medewerkers.',
    );
    const token = new URL(statusUrl).searchParams.get('token') ?? '';
    const before = await s.cases.get(reference);

    // Act: answer while nothing is asked, and with a wrong token
    const notAsked = await answerAt(reference, { token, answer: 'Een antwoord.' });
    const wrong = await answerAt(reference, { token: 'x'.repeat(32), answer: 'Een antwoord.' });

    // Assess: each refused as it should be; the case as it was
    expect(notAsked.status).toBe(409);
    expect(await notAsked.text()).toContain('Er staat geen vraag voor u open');
    expect(wrong.status).toBe(404);
    expect(await s.cases.get(reference)).toEqual(before);

    // Act 2: the case resolved, then an answer
    const resolved = await fetch(linkAfter(text, /^(Afronden|Resolve)/), {
      method: 'POST',
      headers: form,
      body: new URLSearchParams({ result: 'granted', outcome: 'Subsidie aangevraagd.' }).toString(),
    });
    expect(resolved.status).toBe(200);
    const closed = await answerAt(reference, { token, answer: 'Een antwoord.' });

    // Assess 2: refused, the case is closed
    expect(closed.status).toBe(409);
    expect(await closed.text()).toContain('Deze aanvraag is afgerond');
    expect((await s.cases.get(reference))?.history.at(-1)?.type).toBe('resolved');
    expect(s.errors).toEqual([]);
  });

  it('refuses hostile answer forms over HTTP without a 5xx and without changing the case', async () => {
    // Prepare: a case paused with a question, and hostile variants of its answer form
    const { reference, statusUrl, text } = await routedCase(
      '73456789',
      'Wij zoeken ruimte voor een repair cafe in de wijk.',
    );
    await fetch(linkAfter(text, /^(Pauzeren|Pause)/), {
      method: 'POST',
      headers: form,
      body: new URLSearchParams({ reason: QUESTION }).toString(),
    });
    const before = await eventually(async () => {
      const c = await s.cases.get(reference);
      return c?.notifications['question:1'] !== undefined && c.nextAt === undefined ? c : undefined;
    });
    const token = new URL(statusUrl).searchParams.get('token') ?? '';
    const answers = [
      '',
      '   ',
      'a'.repeat(2001),
      'nul\u0000',
      'bel\u0007',
      '\u001b[31mrood',
      'del\u007f',
      '<script>alert(1)</script>\u0000',
    ];
    const tokens = ['', 'x', 'x'.repeat(200), `${token}x`, '../../etc/passwd', '<script>'];
    const variants: { body: string; type: string; path?: string }[] = [
      ...answers.map((answer) => ({
        body: new URLSearchParams({ token, answer }).toString(),
        type: form['content-type'],
      })),
      ...tokens.map((t) => ({
        body: new URLSearchParams({ token: t, answer: 'Een antwoord.' }).toString(),
        type: form['content-type'],
      })),
      { body: new URLSearchParams({ answer: 'Zonder token.' }).toString(), type: form['content-type'] },
      { body: JSON.stringify({ token, answer: 'Als JSON.' }), type: 'application/json' },
      { body: `token=${token}&answer=${'a'.repeat(40_000)}`, type: form['content-type'] },
      { body: '%zz&&==%', type: form['content-type'] },
      { body: `token=${token}&answer=%E0%A4%A`, type: form['content-type'] },
      {
        body: new URLSearchParams({ token, answer: 'Ander pad.' }).toString(),
        type: form['content-type'],
        path: 'AP-0000-0000',
      },
      {
        body: new URLSearchParams({ token, answer: 'Ander pad.' }).toString(),
        type: form['content-type'],
        path: '%3Cscript%3E',
      },
    ];

    // Act
    const statuses = [];
    for (const v of variants) {
      const response = await fetch(`${s.system.urls.intake}/cases/${v.path ?? reference}/answer`, {
        method: 'POST',
        headers: { 'content-type': v.type },
        body: v.body,
        redirect: 'manual',
      });
      const page = await response.text();
      expect(page).not.toContain('<script>alert');
      statuses.push(response.status);
    }

    // Assess: every one refused, none 5xx, and the case exactly as it was
    expect(statuses.filter((status) => status >= 500)).toEqual([]);
    // (429: the intake's per-source limit, shared with the submissions, counts every answer posted)
    expect(statuses.every((status) => [400, 404, 413, 415, 429].includes(status))).toBe(true);
    expect(statuses).toContain(400);
    expect(statuses).toContain(404);
    expect(await s.cases.get(reference)).toEqual(before);
    expect(s.errors).toEqual([]);
  });
});
