import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page, Response } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { municipality } from '../../config/index.js';
import { fieldError, type Language } from '../../functions/domain/messages.js';
import { pageTexts } from '../../functions/intake/texts.js';
import { fill } from '../../functions/web/texts.js';
import { type LocalSystem, startLocal } from '../../infra/local/runtime.js';
import { DUTCH_CONTEXT, expectNoAxeViolations, findChromium, launchChromium } from '../support/browser.js';
import { eventually, readMailbox } from '../support/mailbox.js';

/** Throws on CI when there is no Chromium; elsewhere prints why the tests are skipped. */
const chromiumPath = findChromium();

const REFERENCE = /AP-[2-9A-HJKMNP-TV-Z]{4}-[2-9A-HJKMNP-TV-Z]{4}/;
const nl = pageTexts.nl;
const run = randomUUID().slice(0, 8);

/** What an enterprise types into the form; the description is unique per test (duplicates are merged). */
interface Entry {
  readonly organisation: string;
  readonly kvkNumber: string;
  readonly contact: string;
  readonly email: string;
  readonly phone: string;
  readonly goals: readonly string[];
  readonly requestType: string;
  readonly description: string;
  readonly consent: boolean;
}

const entry = (test: string, overrides: Partial<Entry> = {}): Entry => ({
  organisation: `De Groene Fietsfabriek (${test})`,
  kvkNumber: '12345678',
  contact: 'Marieke van Dijk',
  email: 'marieke@groenefietsfabriek.example',
  phone: '+31 6 12345678',
  goals: ['work', 'environment'],
  requestType: 'partnership',
  description: `Wij repareren fietsen met mensen met een afstand tot de arbeidsmarkt (${test}, run ${run}).`,
  consent: true,
  ...overrides,
});

const nameOf = (
  list: readonly { id: string; name: Record<Language, string> }[],
  id: string,
  lang: Language,
) => {
  const item = list.find((i) => i.id === id);
  if (item === undefined) throw new Error(`no ${id} in the municipality config`);
  return item.name[lang];
};

/** Fills the form the way a keyboard or screen-reader user finds the fields: by their labels. */
async function fillForm(page: Page, e: Entry, lang: Language = 'nl') {
  const t = pageTexts[lang];
  const field = (label: string) => page.getByLabel(label, { exact: true });
  await field(t.organisationName).fill(e.organisation);
  await field(t.kvkNumber).fill(e.kvkNumber);
  await field(t.contactName).fill(e.contact);
  await field(t.email).fill(e.email);
  await field(t.phone).fill(e.phone);
  for (const goal of e.goals) await field(nameOf(municipality.goals, goal, lang)).check();
  await field(nameOf(municipality.requestTypes, e.requestType, lang)).check();
  await field(t.description).fill(e.description);
  if (e.consent) await field(t.consentLabel).check();
}

const isFormPost = (response: Response) =>
  response.request().method() === 'POST' && new URL(response.url()).pathname === '/cases';

/** Presses the submit button and answers the response to the form post (a 303 when it was accepted). */
async function submit(page: Page, lang: Language = 'nl'): Promise<Response> {
  const posted = page.waitForResponse(isFormPost);
  await page.getByRole('button', { name: pageTexts[lang].submit }).click();
  const response = await posted;
  await page.waitForLoadState('load');
  return response;
}

/** The reference on the status page the browser landed on. */
async function shownReference(page: Page): Promise<string> {
  await page.waitForURL(/\/cases\/AP-/);
  const reference = (await page.locator('h1 .reference').textContent()) ?? '';
  expect(reference).toMatch(new RegExp(`^${REFERENCE.source}$`));
  return reference;
}

describe.skipIf(chromiumPath === undefined)(
  'the intake pages in a browser (Chromium)',
  { timeout: 30_000 },
  () => {
    let dataDir: string;
    let system: LocalSystem;
    let browser: Browser;
    let context: BrowserContext;
    const errors: unknown[] = [];

    const mailFor = (reference: string, timeoutMs = 10_000) =>
      eventually(
        async () => (await readMailbox(system.urls.mailbox)).find((m) => m.subject.includes(reference)),
        timeoutMs,
      );

    /** A fresh tab of a Dutch user (the browser asks for `nl-NL`). */
    const openForm = async (ctx: BrowserContext = context) => {
      const page = await ctx.newPage();
      const response = await page.goto(`${system.urls.intake}/`);
      expect(response?.status()).toBe(200);
      return page;
    };

    beforeAll(async () => {
      if (chromiumPath === undefined) throw new Error('unreachable: the suite is skipped without Chromium');
      dataDir = await mkdtemp(join(tmpdir(), 'aanspreekpunt-browser-'));
      system = await startLocal({
        dataDir,
        port: 0,
        ports: { dynamodb: 0, sqs: 0, ses: 0 },
        pollIdleMs: 50,
        schedules: false,
        onError: (error) => errors.push(error),
      });
      browser = await launchChromium(chromiumPath);
      context = await browser.newContext(DUTCH_CONTEXT);
    });

    afterEach(() => {
      expect(errors, 'errors the system reported (handler crashes, poll errors)').toEqual([]);
    });

    afterAll(async () => {
      await context?.close();
      await browser?.close();
      await system?.stop();
      if (dataDir !== undefined) await rm(dataDir, { recursive: true, force: true });
    });

    it('shows the empty form in Dutch without accessibility violations, and in English after the language switch', async () => {
      // Prepare / Act
      const page = await openForm();

      // Assess: Dutch, accessible
      const title = fill(nl.formTitle, { municipality: municipality.name });
      expect(await page.locator('html').getAttribute('lang')).toBe('nl');
      expect(await page.title()).toContain(title);
      expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe(title);
      expect(await page.getByRole('button', { name: nl.submit }).count()).toBe(1);
      await expectNoAxeViolations(page, 'the Dutch form');

      // Act: the switch in the header
      await page.getByRole('link', { name: nl.switchTo }).click();
      await page.waitForURL(/\?lang=en$/);

      // Assess: English, accessible
      const en = pageTexts.en;
      const enTitle = fill(en.formTitle, { municipality: municipality.name });
      expect(await page.locator('html').getAttribute('lang')).toBe('en');
      expect(await page.title()).toContain(enTitle);
      expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe(enTitle);
      expect(await page.getByRole('button', { name: en.submit }).count()).toBe(1);
      expect(await page.getByRole('link', { name: en.switchTo }).getAttribute('href')).toBe('/?lang=nl');
      await expectNoAxeViolations(page, 'the English form');
      await page.close();
    });

    it('takes a valid Dutch request to the status page with its reference, and e-mails the official', async () => {
      // Prepare
      const page = await openForm();
      await fillForm(page, entry('valid'));

      // Act
      const posted = await submit(page);

      // Assess: 303 to the status page of the new case, which is accessible and names the reference
      expect(posted.status()).toBe(303);
      const reference = await shownReference(page);
      const url = new URL(page.url());
      expect(url.pathname).toBe(`/cases/${reference}`);
      expect(url.searchParams.get('lang')).toBe('nl');
      expect(url.searchParams.get('notice')).toBe('new');
      expect(await page.getByRole('status').textContent()).toContain(fill(nl.receivedText, { reference }));
      await expectNoAxeViolations(page, 'the status page');

      const mail = await mailFor(reference);
      expect(mail.subject).toContain(reference);
      await page.close();
    });

    it('shows the form again with status 400, an error summary linking to the fields, each error at its field and the typed values kept', async () => {
      // Prepare: a wrong KvK number, no goal, no consent; the rest is fine
      const e = entry('invalid', { kvkNumber: '1234', goals: [], consent: false });
      const page = await openForm();
      await fillForm(page, e);

      // Act
      const posted = await submit(page);

      // Assess: the form again, with errors
      expect(posted.status()).toBe(400);
      expect(await page.title()).toMatch(new RegExp(`^${nl.errorTitlePrefix}`));
      const summary = page.locator('#error-summary');
      expect(await summary.isVisible()).toBe(true);
      expect(await summary.getByRole('heading').textContent()).toBe(nl.errorSummary);

      const kvkMessage = fieldError('kvkNumber', 'nl');
      const goalsMessage = fieldError('goalsMin', 'nl');
      const consentMessage = fieldError('consent', 'nl');
      const listed = await Promise.all(
        (await summary.getByRole('link').all()).map(async (link) => {
          const href = (await link.getAttribute('href')) ?? '';
          const target = page.locator(`[id="${href.replace(/^#/, '')}"]`);
          return {
            href,
            text: (await link.textContent()) ?? '',
            target: (await target.count()) === 1 ? await target.getAttribute('name') : null,
          };
        }),
      );
      expect(listed).toEqual([
        {
          href: '#organisation-kvkNumber',
          text: expect.stringContaining(kvkMessage),
          target: 'organisation.kvkNumber',
        },
        { href: '#goals-work', text: expect.stringContaining(goalsMessage), target: 'goals' },
        { href: '#consent', text: expect.stringContaining(consentMessage), target: 'consent' },
      ]);

      // ...each error next to its field and tied to it; the wrong fields are marked invalid, the right ones not
      const kvk = page.getByLabel(nl.kvkNumber, { exact: true });
      expect(await kvk.getAttribute('aria-invalid')).toBe('true');
      expect(await kvk.getAttribute('aria-describedby')).toContain('organisation-kvkNumber-error');
      expect(await kvk.locator('xpath=..').locator('#organisation-kvkNumber-error').textContent()).toContain(
        kvkMessage,
      );
      const consent = page.getByLabel(nl.consentLabel, { exact: true });
      expect(await consent.getAttribute('aria-invalid')).toBe('true');
      expect(await consent.getAttribute('aria-describedby')).toBe('consent-error');
      const consentGroup = page.getByRole('group', { name: nl.consent, exact: true });
      expect(await consentGroup.locator('#consent-error').textContent()).toContain(consentMessage);
      const goals = page.getByRole('group', { name: nl.goals, exact: true });
      expect(await goals.getAttribute('aria-describedby')).toContain('goals-error');
      expect(await goals.locator('#goals-error').textContent()).toContain(goalsMessage);
      for (const box of await goals.getByRole('checkbox').all())
        expect(await box.getAttribute('aria-invalid')).toBe('true');
      // ...and the error summary has the focus, so keyboard and screen reader users start there
      expect(await page.evaluate('document.activeElement && document.activeElement.id')).toBe(
        'error-summary',
      );
      for (const valid of [nl.organisationName, nl.contactName, nl.email, nl.description])
        expect(await page.getByLabel(valid, { exact: true }).getAttribute('aria-invalid'), valid).toBeNull();

      // ...and what was typed is still there
      expect(await page.getByLabel(nl.organisationName, { exact: true }).inputValue()).toBe(e.organisation);
      expect(await kvk.inputValue()).toBe('1234');
      expect(await page.getByLabel(nl.email, { exact: true }).inputValue()).toBe(e.email);
      expect(await page.getByLabel(nl.description, { exact: true }).inputValue()).toBe(e.description);
      expect(
        await page
          .getByLabel(nameOf(municipality.requestTypes, e.requestType, 'nl'), { exact: true })
          .isChecked(),
      ).toBe(true);

      await expectNoAxeViolations(page, 'the form with errors');
      await page.close();
    });

    it('makes one case of a form sent twice: after going back and sending it again, both show the same reference', async () => {
      // Prepare: the form is sent once
      const e = entry('twice');
      const page = await openForm();
      await fillForm(page, e);
      expect((await submit(page)).status()).toBe(303);
      const first = await shownReference(page);
      expect(new URL(page.url()).searchParams.get('notice')).toBe('new');

      // Act: back to the form, and send the same request again
      await page.goBack();
      await page.waitForURL(`${system.urls.intake}/`);
      // The form comes back from the server (no-store), so with a new hidden key; Chromium restores what
      // was typed except the KvK number (autocomplete=off), so the user types it again.
      await fillForm(page, e);
      const again = await submit(page);

      // Assess: the same case, said to be a repeat
      expect(again.status()).toBe(303);
      expect(await shownReference(page)).toBe(first);
      expect(new URL(page.url()).searchParams.get('notice')).toBe('duplicate');
      expect(await page.getByRole('status').textContent()).toContain(
        fill(nl.duplicateText, { reference: first }),
      );

      // ...and one case means one set of e-mails
      await mailFor(first);
      await new Promise((resolve) => setTimeout(resolve, 500)); // room for a second case to show up
      const mails = (await readMailbox(system.urls.mailbox)).filter((m) =>
        m.subject.includes(e.organisation),
      );
      // every e-mail about this organisation names the one case, and the official got exactly one
      expect(new Set(mails.map((m) => /AP-[2-9A-Z]{4}-[2-9A-Z]{4}/.exec(m.subject)?.[0]))).toEqual(
        new Set([first]),
      );
      expect(mails.filter((m) => m.subject.startsWith('Nieuwe aanvraag'))).toHaveLength(1);
      await page.close();
    });

    it('works without JavaScript: a valid request sent with scripts off reaches the status page and the official', async () => {
      // Prepare: a browser with JavaScript disabled
      const noScript = await browser.newContext({ ...DUTCH_CONTEXT, javaScriptEnabled: false });
      const page = await openForm(noScript);
      await fillForm(page, entry('no-javascript'));

      // Act
      const posted = await submit(page);

      // Assess
      expect(posted.status()).toBe(303);
      const reference = await shownReference(page);
      expect(new URL(page.url()).searchParams.get('notice')).toBe('new');
      expect(await page.getByRole('status').textContent()).toContain(fill(nl.receivedText, { reference }));
      expect((await mailFor(reference)).subject).toContain(reference);
      await noScript.close();
    });

    it('thanks a bot that fills in the hidden website field, and sends no e-mail', async () => {
      // Prepare: a valid request, plus the field that people never see (it is off-screen)
      const e = entry('honeypot');
      const before = new Set((await readMailbox(system.urls.mailbox)).map((m) => m.messageId));
      const page = await openForm();
      await fillForm(page, e);
      await page.evaluate(`document.getElementById('website').value = 'https://spam.example/'`);

      // Act
      const posted = await submit(page);

      // Assess: a thank-you page, no status page, and no e-mail within 2 s
      expect(posted.status()).toBe(200);
      expect(new URL(page.url()).pathname).toBe('/cases');
      expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe(nl.thanksTitle);
      expect(await page.locator('main').textContent()).toContain(nl.thanksText);
      expect(await page.locator('.reference').count()).toBe(0);
      await expectNoAxeViolations(page, 'the thank-you page');
      await new Promise((resolve) => setTimeout(resolve, 2_000));
      // (e-mails of earlier tests may still arrive: only those about this organisation count)
      const added = (await readMailbox(system.urls.mailbox)).filter(
        (m) => !before.has(m.messageId) && `${m.subject}\n${m.body.text ?? ''}`.includes(e.organisation),
      );
      expect(added.map((m) => m.subject)).toEqual([]);
      await page.close();
    });
  },
);
