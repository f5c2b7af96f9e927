import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { municipality } from '../../config/index.js';
import { amsterdamDay, instantAt } from '../../functions/domain/calendar.js';
import { reportDayOf } from '../../functions/domain/report.js';
import type { DigestRun } from '../../functions/use-cases/run-digest-job.js';
import { DUTCH_CONTEXT, expectNoAxeViolations, findChromium, launchChromium } from '../support/browser.js';
import { required } from '../support/cases.js';
import { type RoutingSystem, requestBody, startRoutingSystem } from '../support/local.js';
import { linkAfter } from '../support/mailbox.js';

/** Throws on CI when there is no Chromium; elsewhere prints why the tests are skipped. */
const chromiumPath = findChromium();

/**
 * The digest e-mails (issue 17) as a mail client shows their HTML part, in a browser, checked with axe
 * (WCAG 2.1 A and AA): a department's daily digest and an official's weekly digest, as the SES emulator
 * received them.
 */
describe.skipIf(chromiumPath === undefined)(
  'the digest e-mails in a browser (Chromium)',
  { timeout: 60_000 },
  () => {
    let local: RoutingSystem;
    let browser: Browser;
    let context: BrowserContext;

    beforeAll(async () => {
      if (chromiumPath === undefined) throw new Error('unreachable: the suite is skipped without Chromium');
      local = await startRoutingSystem('digest-browser');
      browser = await launchChromium(chromiumPath);
      context = await browser.newContext(DUTCH_CONTEXT);
    });

    afterAll(async () => {
      await context?.close();
      await browser?.close();
      await local?.stop();
    });

    it('shows the digests of a department, an official and the coordinator, the pages of the link to join and the "Mijn zaken" page, without accessibility violations', async () => {
      // Prepare: two cases that inform duurzaamheid, routed; then the digests of a Monday morning
      for (const i of [1, 2]) {
        const { reference } = await local.submit(
          requestBody({
            kvkNumber: `6400000${i}`,
            goals: ['work', 'environment'],
            requestType: 'partnership',
            description: `Wij repareren fietsen met mensen die lang thuis zaten (${i}).`,
          }),
        );
        await local.routed(reference);
      }
      const run = (await local.system.invoke('digest', {
        scheduledTime: '2030-03-04T08:05:00+01:00',
      })) as DigestRun;
      expect(run.failed).toEqual([]);
      const mails = await local.mails();
      const department = required(
        mails.find((m) => m.subject.startsWith('Dagoverzicht ')),
        "a department's digest",
      );
      const official = required(
        mails.find((m) => /^(Weekoverzicht|Weekly overview) /.test(m.subject)),
        "an official's digest",
      );

      // Act and assess: each HTML part as a page
      const coordinator = required(
        mails.find((m) => m.subject.startsWith('Coördinatie ')),
        "the coordinator's digest",
      );
      for (const [mail, where] of [
        [department, "the department's digest"],
        [official, "the official's digest"],
        [coordinator, "the coordinator's digest"],
      ] as const) {
        const page = await context.newPage();
        await page.setContent(required(mail.body.html, `the HTML of ${where}`));
        expect(await page.title()).toBe(mail.subject);
        expect((await page.screenshot({ fullPage: true })).length).toBeGreaterThan(0);
        await expectNoAxeViolations(page, where);
        await page.close();
      }

      // Act and assess: the department's link to join a case, its page and the page after it
      const page = await context.newPage();
      await page.goto(
        linkAfter(department.body.text ?? '', /^Wij denken mee \/ We want to be involved: AP-/),
      );
      expect(await page.locator('h1').textContent()).toBe('Wij denken mee');
      await expectNoAxeViolations(page, 'the page of the link to join');
      await page.getByRole('button', { name: 'Ja, wij denken mee' }).click();
      await page.waitForLoadState();
      expect(await page.locator('h1').textContent()).toBe('Vastgelegd: uw afdeling denkt mee');
      await expectNoAxeViolations(page, 'the page after joining');

      // Act and assess: the official's link to "Mijn zaken", in both languages
      await page.goto(linkAfter(official.body.text ?? '', /^(Mijn zaken|My cases): /));
      expect(await page.locator('h1').textContent()).toMatch(/^(Mijn zaken|My cases)$/);
      expect(await page.locator('h3').count()).toBeGreaterThan(0);
      expect((await page.screenshot({ fullPage: true })).length).toBeGreaterThan(0);
      await expectNoAxeViolations(page, 'the "Mijn zaken" page');
      await page.getByRole('link', { name: /^(English|Nederlands)/ }).click();
      await page.waitForLoadState();
      expect(await page.locator('h1').textContent()).toMatch(/^(Mijn zaken|My cases)$/);
      await expectNoAxeViolations(page, 'the "Mijn zaken" page in the other language');
      await page.close();
    });

    it('shows the monthly report e-mail, its tables and bars, without accessibility violations', async () => {
      // Prepare: a case of this month, and the moment its report goes out (the next month's first working day)
      const { reference } = await local.submit(
        requestBody({
          kvkNumber: '64000009',
          goals: ['work', 'environment'],
          requestType: 'partnership',
          description: 'Wij repareren fietsen met mensen die lang thuis zaten (rapport).',
        }),
      );
      await local.routed(reference);
      const thisMonth = amsterdamDay(new Date()).slice(0, 7);
      const day = required(reportDayOf(thisMonth, municipality.sla.calendar), 'a working day next month');

      // Act
      const run = (await local.system.invoke('digest', {
        scheduledTime: instantAt(day, '08:05').toISOString(),
      })) as DigestRun;
      const mails = (await local.mails()).filter((m) => /^(Maandrapportage|Monthly report) /.test(m.subject));

      // Assess: each report's HTML part as a page, with its tables and bars
      expect(run.reports?.month).toBe(thisMonth);
      expect(mails.length).toBeGreaterThan(1);
      for (const mail of mails) {
        const page = await context.newPage();
        await page.setContent(required(mail.body.html, `the HTML of ${mail.subject}`));
        expect(await page.title()).toBe(mail.subject);
        expect(await page.locator('h2').count()).toBeGreaterThan(5);
        expect((await page.screenshot({ fullPage: true })).length).toBeGreaterThan(0);
        await expectNoAxeViolations(page, mail.subject);
        await page.close();
      }
      const werk = required(
        mails.find((m) => m.destination.to.includes('wethouder.elamrani@voorbeeld.example')),
        "werk's wethouder's report",
      );
      const page = await context.newPage();
      await page.setContent(required(werk.body.html, 'its HTML'));
      // The bars: coloured cells beside the counts
      expect(await page.locator('td[bgcolor]').count()).toBeGreaterThan(0);
      await page.close();
    });
  },
);
