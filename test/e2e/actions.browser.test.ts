import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { satisfactionTexts } from '../../functions/actions/satisfaction.js';
import { actionTexts } from '../../functions/actions/texts.js';
import { pageTexts } from '../../functions/intake/texts.js';
import {
  axeViolations,
  DUTCH_CONTEXT,
  findChromium,
  formatViolations,
  launchChromium,
} from '../support/browser.js';
import { type RoutingSystem, requestBody, startRoutingSystem } from '../support/local.js';
import { eventually, linkAfter } from '../support/mailbox.js';

/** Throws on CI when there is no Chromium; elsewhere prints why the tests are skipped. */
const chromiumPath = findChromium();
const nl = actionTexts.nl;
const intake = pageTexts.nl;

async function expectAccessible(page: Page) {
  const violations = await axeViolations(page);
  expect(violations, formatViolations(violations)).toEqual([]);
}

/**
 * The officials' side in a real browser: the link from the e-mail in the SES emulator opens a page that
 * changes nothing; its button POSTs and the case changes. Every page passes axe (WCAG 2.1 AA).
 */
describe.skipIf(chromiumPath === undefined)('action links in the browser: e-mail -> page -> button', () => {
  let s: RoutingSystem;
  let browser: Browser;
  let context: BrowserContext;

  beforeAll(async () => {
    s = await startRoutingSystem('actions-browser');
    browser = await launchChromium(chromiumPath ?? '');
  });

  afterEach(async () => {
    await context?.close();
  });

  afterAll(async () => {
    await browser?.close();
    await s?.stop();
  });

  /** A routed case, and the text of its contact's assignment e-mail. */
  async function routedCase(kvkNumber: string, description: string, requestType = 'question') {
    const { reference, statusUrl } = await s.submit(
      requestBody({ kvkNumber, goals: ['work'], requestType, description }),
    );
    const { contact, mails } = await s.routed(reference);
    const text = mails.find((m) => m.destination.to.includes(contact.email))?.body.text ?? '';
    context = await browser.newContext();
    const page = await context.newPage();
    return { reference, statusUrl, contact, text, page };
  }

  it('contact made: the page shows the case and changes nothing; the button stops the first-contact clock', async () => {
    // Prepare
    const { reference, contact, text, page } = await routedCase(
      '71234567',
      'Wij willen twee statushouders opleiden tot fietsenmaker.',
    );
    const before = await s.cases.get(reference);

    // Act 1: open the link from the e-mail
    await page.goto(linkAfter(text, /^Contact gemaakt/));

    // Assess 1
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe(nl.title['contact-made']);
    expect(await page.textContent('body')).toContain(reference);
    await expectAccessible(page);
    expect(await s.cases.get(reference)).toEqual(before);

    // Act 2: press the button
    await page.getByRole('button', { name: nl.button['contact-made'] }).click();
    await page.waitForLoadState('load');

    // Assess 2: the done page; the clock stopped
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe(nl.doneTitle['contact-made']);
    await expectAccessible(page);
    const after = await s.cases.get(reference);
    expect(after?.clocks.firstContact?.stoppedAt).toBeDefined();
    expect(after?.history.at(-1)).toMatchObject({ type: 'contacted', by: contact.id });

    // Act 3: the reminder job after the first-contact escalation moment
    const escalation = Date.parse(after?.clocks.firstContact?.steps.escalation ?? '');
    const mailsBefore = (await s.mailsOf(reference)).length;
    await s.system.invoke('sla', { scheduledTime: new Date(escalation + 60_000).toISOString() });

    // Assess 3: no first-contact reminder, breach or escalation
    const later = await s.cases.get(reference);
    expect(Object.keys(later?.notifications ?? {}).filter((k) => k.startsWith('firstContact'))).toEqual([]);
    expect((await s.mailsOf(reference)).length).toBe(mailsBefore);

    // Act 4: the same link again, from the browser's history
    await page.goBack();
    await page.reload();

    // Assess 4: it says the link was used, in plain words
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe(nl.problemTitle.used);
    expect(s.errors).toEqual([]);
  });

  it('pause with a reason (the form says what is missing), then resume from the link on the page', async () => {
    // Prepare
    const { reference, statusUrl, text, page } = await routedCase(
      '72345678',
      'Wij zoeken een locatie voor een tweede werkplaats.',
    );

    // Act 1: open the pause link and press the button without a reason
    await page.goto(linkAfter(text, /^Pauzeren/));
    await page.getByRole('button', { name: nl.button.pause }).click();

    // Assess 1: the browser does not send a required field left empty
    const missing = (el: unknown) => (el as { validity: { valueMissing: boolean } }).validity.valueMissing;
    expect(await page.getByLabel(nl.reason).evaluate(missing)).toBe(true);
    expect((await s.cases.get(reference))?.clocks.firstContact?.pausedAt).toBeUndefined();

    // Act 2: give the reason and pause
    await page.getByLabel(nl.reason).fill('Plattegrond van de gewenste locatie');
    await page.getByRole('button', { name: nl.button.pause }).click();
    await page.waitForLoadState('load');

    // Assess 2: paused; the done page offers to resume
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe(nl.doneTitle.pause);
    await expectAccessible(page);
    expect((await s.cases.get(reference))?.clocks.firstContact?.pausedAt).toBeDefined();
    const status = await context.newPage();
    await status.goto(`${statusUrl}${statusUrl.includes('?') ? '&' : '?'}lang=nl`);
    expect(await status.textContent('body')).toContain(
      'Gepauzeerd: wachten op u (Plattegrond van de gewenste locatie)',
    );

    // Act 3: follow the resume link on the page, and press its button
    await page.getByRole('link', { name: nl.resumeNow }).click();
    await page.waitForLoadState('load');
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe(nl.title.resume);
    await page.getByRole('button', { name: nl.button.resume }).click();
    await page.waitForLoadState('load');

    // Assess 3: running again
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe(nl.doneTitle.resume);
    const after = await s.cases.get(reference);
    expect(after?.clocks.firstContact?.pausedAt).toBeUndefined();
    expect(after?.history.at(-1)).toMatchObject({ type: 'resumed' });
    expect(s.errors).toEqual([]);
  });

  it('question: the enterprise answers the pause question on its status page (also without JavaScript); the pages pass axe', async () => {
    // Prepare: a routed case paused with a question from the official's page
    const { reference, text, page } = await routedCase(
      '74345678',
      'Wij zoeken ruimte voor een kringloopwinkel.',
    );
    await page.goto(linkAfter(text, /^Pauzeren/));
    await page.getByLabel(nl.reason).fill('Hoeveel vierkante meter zoekt u?');
    await page.getByRole('button', { name: nl.button.pause }).click();
    await page.waitForLoadState('load');
    const question = await eventually(async () =>
      (await s.mailsOf(reference)).find((m) => m.subject.startsWith(`Vraag over uw aanvraag ${reference}`)),
    );
    const line = (question.body.text ?? '').split('\n').find((l) => l.startsWith('Bekijk de status'));
    const link = /(https?:\/\/\S+\/cases\/\S+)/.exec(line ?? '')?.[1] ?? '';

    // Act 1: the enterprise opens the link from its e-mail
    const status = await context.newPage();
    await status.goto(link);

    // Assess 1: the question and its form, accessible
    expect(await status.getByRole('heading', { name: intake.questionTitle }).isVisible()).toBe(true);
    expect(await status.textContent('body')).toContain('Hoeveel vierkante meter zoekt u?');
    await expectAccessible(status);

    // Act 2: an answer of spaces only (the browser sends it: it is not empty)
    await status.getByLabel(intake.answerLabel).fill('   ');
    await status.getByRole('button', { name: intake.answerButton }).click();
    await status.waitForLoadState('load');

    // Assess 2: the form again with the error at the field, accessible; nothing changed
    expect(await status.getByLabel(intake.answerLabel).getAttribute('aria-invalid')).toBe('true');
    expect(await status.textContent('body')).toContain(intake.answerError);
    await expectAccessible(status);
    expect((await s.cases.get(reference))?.history.at(-1)?.type).toBe('paused');

    // Act 3: the answer, sent from a browser with JavaScript off
    const noScript = await browser.newContext({ ...DUTCH_CONTEXT, javaScriptEnabled: false });
    const plain = await noScript.newPage();
    await plain.goto(link);
    await plain.getByLabel(intake.answerLabel).fill('Ongeveer 200 m², met een laadperron.');
    await plain.getByRole('button', { name: intake.answerButton }).click();
    await plain.waitForLoadState('load');

    // Assess 3: the status page says so, the case is resumed with the answer; the page passes axe
    expect(new URL(plain.url()).searchParams.get('notice')).toBe('answered');
    expect(await plain.getByRole('status').first().textContent()).toContain('Uw antwoord is verstuurd');
    const after = await s.cases.get(reference);
    expect(after?.history.at(-1)).toMatchObject({
      type: 'answered',
      answer: 'Ongeveer 200 m², met een laadperron.',
    });
    expect(after?.clocks.decision?.pausedAt).toBeUndefined();
    await noScript.close();
    await status.goto(plain.url());
    await expectAccessible(status);
    expect(s.errors).toEqual([]);
  });

  it('hand over: choose a colleague from the list; they and the enterprise get an e-mail', async () => {
    // Prepare
    const { reference, contact, text, page } = await routedCase(
      '73456789',
      'Wij willen een leerwerktraject opzetten met de gemeente.',
    );

    // Act 1: open the hand-over link
    await page.goto(linkAfter(text, /^Overdragen/));

    // Assess 1: the colleagues to choose from, and routing
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe(nl.title['hand-over']);
    await expectAccessible(page);
    const select = page.getByLabel(nl.handOverTo);
    const options = await select.locator('option').allTextContents();
    expect(options.at(-1)).toBe(nl.handOverRouting);
    const first = options[1] ?? '';
    const name = first.slice(0, first.indexOf(' ('));
    expect(name).not.toBe(contact.name);

    // Act 2: choose the first colleague and press the button
    await select.selectOption({ label: first });
    await page.getByRole('button', { name: nl.button['hand-over'] }).click();
    await page.waitForLoadState('load');

    // Assess 2: handed over; the router tells the colleague and the enterprise
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe(nl.doneTitle['hand-over']);
    expect(await page.textContent('body')).toContain(`overgedragen aan ${name}`);
    await expectAccessible(page);
    const mails = await eventually(async () => {
      const all = await s.mailsOf(reference);
      const handover = all.filter(
        (m) => m.subject.startsWith('Overgedragen') || m.subject.includes(`nieuwe contactpersoon is ${name}`),
      );
      return handover.length === 2 ? handover : undefined;
    });
    expect(mails.flatMap((m) => m.destination.to)).not.toContain(contact.email);
    expect((await s.cases.get(reference))?.contact?.name).toBe(name);
    expect(s.errors).toEqual([]);
  });

  it('resolve: choose the result (a subsidy asks for its end), and the page shows the archive action date', async () => {
    // Prepare
    const { reference, text, page } = await routedCase(
      '74567890',
      'Wij vragen subsidie voor een leerwerkbedrijf in de wijk.',
      'financing',
    );

    // Act 1: open the resolve link, fill in the outcome only and press the button
    await page.goto(linkAfter(text, /^Afronden/));
    await expectAccessible(page);
    await page.getByLabel(nl.outcome).fill('Subsidie verleend voor twee jaar.');
    await page.getByRole('button', { name: nl.button.resolve }).click();
    await page.waitForLoadState('load');

    // Assess 1: the form again, the error at the result, the outcome kept, nothing changed
    expect(await page.textContent('body')).toContain(nl.resultError);
    expect(await page.getByLabel(nl.outcome).inputValue()).toBe('Subsidie verleend voor twee jaar.');
    await expectAccessible(page);
    expect((await s.cases.get(reference))?.status).toBe('assigned');

    // Act 2: the result "granted", the end of the subsidy, and resolve
    await page.getByLabel(/^Subsidie verstrekt/).check();
    await page.getByLabel('Einddatum van de subsidie', { exact: true }).fill('2028-06-30');
    await page.getByRole('button', { name: nl.button.resolve }).click();
    await page.waitForLoadState('load');

    // Assess 2: resolved; the archive action date seven years after the end of the subsidy
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe(nl.doneTitle.resolve);
    expect(await page.textContent('body')).toContain(
      'Archiefactiedatum: 30 juni 2035, waardering: vernietigen.',
    );
    await expectAccessible(page);
    expect((await s.cases.get(reference))?.archive).toMatchObject({
      selectielijst: '8.1.7',
      actionDate: '2035-06-30',
    });
    expect(s.errors).toEqual([]);
  });
  it("satisfaction: the enterprise's link opens the one-question form (axe: no violations), which says what is missing and records the answer without JavaScript", async () => {
    // Prepare: a case resolved from its link; the enterprise's e-mail asks how it went
    const { reference, text, page } = await routedCase(
      '75678901',
      'Wij willen een werkervaringsplek bieden aan twee jongeren.',
    );
    await page.goto(linkAfter(text, /^Afronden/));
    await page.getByLabel(/^Ingewilligd:/).check();
    await page.getByLabel(nl.outcome).fill('Werkervaringsplekken geregeld.');
    await page.getByRole('button', { name: nl.button.resolve }).click();
    await page.waitForLoadState('load');
    const asked = await eventually(async () =>
      (await s.mailsOf(reference)).find((m) => m.subject.startsWith('Hoe was de samenwerking')),
    );
    const link = linkAfter(asked.body.text ?? '', /^Geef uw oordeel/);
    const t = satisfactionTexts.nl;
    const form = await context.browser()?.newContext(DUTCH_CONTEXT);
    const shown = await form?.newPage();
    if (form === undefined || shown === undefined) throw new Error('no browser context');

    // Act 1: open the link, and send the form without a score
    await shown.goto(link);
    expect(await shown.getByRole('heading', { level: 1 }).textContent()).toBe(t.title);
    await expectAccessible(shown);
    await shown.getByRole('button', { name: t.button }).click();
    await shown.waitForLoadState('load');

    // Assess 1: the form again, naming the field and why; accessible; nothing recorded
    expect(await shown.textContent('body')).toContain(`${t.fieldScore}: ${t.scoreErrors.missing}`);
    await expectAccessible(shown);
    expect((await s.cases.get(reference))?.history.some((h) => h.type === 'rated')).toBe(false);
    await form.close();

    // Act 2: without JavaScript, choose 4, write a comment and send
    const noScript = await context.browser()?.newContext({ ...DUTCH_CONTEXT, javaScriptEnabled: false });
    const plain = await noScript?.newPage();
    if (noScript === undefined || plain === undefined) throw new Error('no browser context');
    await plain.goto(link);
    await plain.getByLabel(t.scores[4]).check();
    await plain.getByLabel(t.comment).fill('Eén aanspreekpunt, snel antwoord.');
    await plain.getByRole('button', { name: t.button }).click();
    await plain.waitForLoadState('load');

    // Assess 2: thanked; the answer recorded once
    expect(await plain.getByRole('heading', { level: 1 }).textContent()).toBe(t.doneTitle);
    await noScript.close();
    const rated = (await s.cases.get(reference))?.history.filter((h) => h.type === 'rated');
    expect(rated).toEqual([
      expect.objectContaining({ score: 4, comment: 'Eén aanspreekpunt, snel antwoord.' }),
    ]);

    // Act 3: the link again, in English
    const again = await context.browser()?.newContext(DUTCH_CONTEXT);
    const answered = await again?.newPage();
    if (again === undefined || answered === undefined) throw new Error('no browser context');
    const response = await answered.goto(`${link}?lang=en`);

    // Assess 3: already answered, in plain words, accessible
    expect(response?.status()).toBe(409);
    expect(await answered.getByRole('heading', { level: 1 }).textContent()).toBe(
      satisfactionTexts.en.problemTitle.alreadyRated,
    );
    await expectAccessible(answered);
    await again.close();
    expect(s.errors).toEqual([]);
  });
});
