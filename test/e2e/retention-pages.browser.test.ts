import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addPeriod } from '../../functions/domain/archive.js';
import { amsterdamDay } from '../../functions/domain/calendar.js';
import { pageTexts } from '../../functions/intake/texts.js';
import { DUTCH_CONTEXT, expectNoAxeViolations, findChromium, launchChromium } from '../support/browser.js';
import { type RoutingSystem, requestBody, startRoutingSystem } from '../support/local.js';
import { linkAfter } from '../support/mailbox.js';

/** Throws on CI when there is no Chromium; elsewhere prints why the tests are skipped. */
const chromiumPath = findChromium();
const nl = pageTexts.nl;

/**
 * The enterprise's pages after retention (issue 16) in a browser, checked with axe (WCAG 2.1 A and AA): the
 * privacy statement with its periods, the status link of a case whose personal data were removed, and of
 * one destroyed (410).
 */
describe.skipIf(chromiumPath === undefined)(
  'the pages after retention in a browser (Chromium)',
  { timeout: 60_000 },
  () => {
    let local: RoutingSystem;
    let browser: Browser;
    let context: BrowserContext;

    beforeAll(async () => {
      if (chromiumPath === undefined) throw new Error('unreachable: the suite is skipped without Chromium');
      local = await startRoutingSystem('retention-browser');
      browser = await launchChromium(chromiumPath);
      context = await browser.newContext(DUTCH_CONTEXT);
    });

    afterAll(async () => {
      await context?.close();
      await browser?.close();
      await local?.stop();
    });

    it('shows the privacy statement, the anonymised case and the destroyed one without accessibility violations', async () => {
      // Prepare: a case resolved as granted (destroyed five years after closing)
      const { reference, statusUrl } = await local.submit(
        requestBody({
          kvkNumber: '63000001',
          goals: ['work'],
          requestType: 'partnership',
          description: 'Wij zoeken een werkervaringsplaats in de fietsenwerkplaats.',
        }),
      );
      const { contact, mails } = await local.routed(reference);
      const text = mails.find((m) => m.destination.to.includes(contact.email))?.body.text ?? '';
      const resolved = await fetch(linkAfter(text, /^(Afronden|Resolve)/), {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ result: 'granted', outcome: 'Samenwerking afgesproken.' }).toString(),
      });
      expect(resolved.status).toBe(200);
      const closed = amsterdamDay(new Date());
      const page = await context.newPage();

      // Act and assess: the privacy statement
      expect((await page.goto(`${local.system.urls.intake}/privacy`))?.status()).toBe(200);
      expect(await page.getByRole('heading', { level: 2, name: nl.privacyRetentionTitle }).count()).toBe(1);
      await expectNoAxeViolations(page, 'the privacy statement');

      // Act and assess: the status link a year after closing
      await local.system.invoke('retention', {
        scheduledTime: `${addPeriod(closed, 'P12M')}T03:00:00+01:00`,
      });
      expect((await page.goto(statusUrl))?.status()).toBe(200);
      expect(await page.getByRole('status').textContent()).toContain(nl.anonymisedTitle);
      await expectNoAxeViolations(page, 'the status page of an anonymised case');

      // Act and assess: the status link on its archive action date
      await local.system.invoke('retention', { scheduledTime: `${addPeriod(closed, 'P5Y')}T02:00:00+01:00` });
      expect((await page.goto(statusUrl))?.status()).toBe(410);
      expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe(nl.destroyedTitle);
      await expectNoAxeViolations(page, 'the status page of a destroyed case');
      await page.close();
      expect(local.errors).toEqual([]);
    });
  },
);
