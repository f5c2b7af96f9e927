import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { routeMessage } from '../../events/route-message.js';
import type { OpsFigures } from '../../infra/local/ops/figures.js';
import { opsTexts } from '../../infra/local/ops/texts.js';
import { DUTCH_CONTEXT, expectNoAxeViolations, findChromium, launchChromium } from '../support/browser.js';
import { required } from '../support/cases.js';
import { type RoutingSystem, requestBody, startRoutingSystem } from '../support/local.js';
import { eventually, linkAfter } from '../support/mailbox.js';

/** Throws on CI when there is no Chromium; elsewhere prints why the tests are skipped. */
const chromiumPath = findChromium();

const nl = opsTexts.nl;
const en = opsTexts.en;

/** The numbers next to the bars of a chart, top to bottom. */
const barValues = (page: Page, chart: string) => page.locator(`#${chart} svg .value`).allTextContents();

/** A row of a table as its cells' texts, found by its row header. */
const tableRow = async (page: Page, table: string, header: string) =>
  page
    .locator(`#${table} tbody tr`)
    .filter({ has: page.getByRole('rowheader', { name: header, exact: true }) })
    .locator('td')
    .allTextContents();

describe.skipIf(chromiumPath === undefined)(
  'the local ops page in a browser (Chromium)',
  { timeout: 60_000 },
  () => {
    let s: RoutingSystem;
    let sqs: SQSClient;
    let browser: Browser;
    let context: BrowserContext;
    const unknownReference = 'AP-ZZZZ-ZZZZ';

    const opsJson = async (): Promise<OpsFigures> =>
      (await (await fetch(`${s.system.urls.ops}.json`)).json()) as OpsFigures;

    beforeAll(async () => {
      if (chromiumPath === undefined) throw new Error('unreachable: the suite is skipped without Chromium');
      s = await startRoutingSystem('ops');
      sqs = new SQSClient({
        endpoint: s.system.urls.sqs,
        region: 'eu-west-1',
        credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
      });

      // Three cases through the API: werk leads two of them, zorg one; the request types touch more.
      const submitted = await Promise.all([
        s.submit(
          requestBody({
            kvkNumber: '71234561',
            goals: ['work'],
            requestType: 'question',
            description: 'Wij hebben een vraag voor de gemeente.',
          }),
        ),
        s.submit(
          requestBody({
            kvkNumber: '71234562',
            goals: ['care', 'environment'],
            requestType: 'question',
            description: 'Wij hebben een tweede vraag voor de gemeente.',
          }),
        ),
        s.submit(
          requestBody({
            kvkNumber: '71234563',
            goals: ['work'],
            requestType: 'partnership',
            description: 'Wij stellen een samenwerking voor.',
          }),
        ),
      ]);
      const [a, b, c] = await Promise.all(submitted.map(({ reference }) => s.routed(reference)));
      if (a === undefined || b === undefined || c === undefined) throw new Error('three cases expected');

      // The first case's contact confirms the contact in time, through the link in their e-mail.
      const assignment = a.mails.find((m) => m.destination.to.includes(a.contact.email));
      const contactMade = linkAfter(assignment?.body.text ?? '', /^(Contact gemaakt|Contact made)/);
      const posted = await fetch(contactMade, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: '',
      });
      expect(posted.status).toBe(200);

      // The SLA job, run at a moment after the other two first-contact promises were due: breaches.
      const lastDue = Math.max(
        ...[b, c].map((r) => Date.parse(required(r.c.clocks.firstContact, 'first-contact clock').due)),
      );
      await s.system.invoke('sla', { scheduledTime: new Date(lastDue + 60_000).toISOString() });

      // Two messages in the DLQ, and a route message for a case that does not exist: the router fails it
      // (alone in its batch, so the whole batch fails), it stays in flight until its visibility timeout,
      // and the runtime reports the failure.
      for (const body of ['{"not":"a route message"}', '{"also":"not one"}'])
        await sqs.send(
          new SendMessageCommand({ QueueUrl: s.system.queues.route.deadLetterUrl, MessageBody: body }),
        );
      await sqs.send(
        new SendMessageCommand({
          QueueUrl: s.system.queues.route.url,
          MessageBody: JSON.stringify(routeMessage(unknownReference)),
        }),
      );
      await eventually(async () => {
        const f = await opsJson();
        return f.errors.length > 0 && f.queues.route.inFlight === 1 ? f : undefined;
      });
      // That one failure is expected: taken out of what the system reported, so nothing else may be there.
      expect(s.errors.splice(0)).toEqual([
        expect.objectContaining({
          name: 'FullBatchFailureError',
          recordErrors: [expect.objectContaining({ name: 'CaseNotFoundError', reference: unknownReference })],
        }),
      ]);

      browser = await launchChromium(chromiumPath);
      context = await browser.newContext(DUTCH_CONTEXT);
    });

    afterEach(() => {
      expect(s.errors, 'errors the system reported (handler crashes, poll errors)').toEqual([]);
    });

    afterAll(async () => {
      await context?.close();
      await browser?.close();
      sqs?.destroy();
      await s?.stop();
    });

    it('shows the figures of the local system in Dutch, as charts and tables, without accessibility violations', async () => {
      // Act
      const page = await context.newPage();
      const response = await page.goto(s.system.urls.ops);

      // Assess: a Dutch page
      expect(response?.status()).toBe(200);
      expect(await page.locator('html').getAttribute('lang')).toBe('nl');
      expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe(nl.title);

      // ...the tiles at a glance
      const tile = (id: string) => page.locator(`#tile-${id} dd`).textContent();
      expect(await tile('total')).toBe('3');
      expect(await tile('open')).toBe('3');
      expect(await tile('breached')).toBe('2');
      expect(await tile('route')).toBe('1');
      expect(await tile('dlq')).toBe('2');
      expect(await tile('errors')).toBe('1');

      // ...cases by status: a chart a screen reader gets as one image with every value
      const status = page.getByRole('img', { name: nl.byStatus });
      expect(await status.count()).toBe(1);
      expect(await page.locator('#chart-status-desc').textContent()).toBe(
        `${nl.status.submitted}: 0; ${nl.status.assigned}: 3; ${nl.status.resolved}: 0`,
      );
      expect(await barValues(page, 'chart-status')).toEqual(['0', '3', '0']);

      // ...the promises: first contact met once and breached twice; every decision still running
      expect(await barValues(page, 'chart-sla-firstContact')).toEqual(['1', '2', '0', '0']);
      expect(await barValues(page, 'chart-sla-decision')).toEqual(['0', '0', '3', '0']);

      // ...open cases by age: all submitted just now
      expect(await barValues(page, 'chart-age')).toEqual(['3', '0', '0', '0', '0']);

      // ...departments: lead, touched, open (lead), breached (lead)
      expect(await tableRow(page, 'departments', 'Werk en Inkomen')).toEqual(['2', '2', '2', '1']);
      expect(await tableRow(page, 'departments', 'Zorg en Welzijn')).toEqual(['1', '1', '1', '1']);
      expect(await tableRow(page, 'departments', 'Duurzaamheid en Milieu')).toEqual(['0', '1', '0', '0']);
      expect(await tableRow(page, 'departments', 'Economische Zaken')).toEqual(['0', '1', '0', '0']);

      // ...queues: the failing message in flight, two in the DLQ, and a warning about the DLQ
      expect(await barValues(page, 'chart-queues')).toEqual([
        `${nl.visible}: 0`,
        `${nl.inFlight}: 1`,
        `${nl.visible}: 2`,
        `${nl.inFlight}: 0`,
      ]);
      expect(await page.locator('#dlq-warning').textContent()).toContain('aanspreekpunt-route-dlq');

      // ...the router's failed message among the recent errors
      const errors = await page.locator('#errors tbody tr td').allTextContents();
      expect(errors[1]).toBe('router');
      expect(errors[2]).toContain(`CaseNotFoundError: case ${unknownReference} not found`);

      // ...accessible, also with every chart's table opened
      await expectNoAxeViolations(page, 'the Dutch ops page');
      for (const summary of await page.locator('summary').all()) await summary.click();
      expect(await page.getByRole('table', { name: nl.byStatus }).getByRole('row').nth(2).textContent()).toBe(
        `${nl.status.assigned}3`,
      );
      await expectNoAxeViolations(page, 'the Dutch ops page with its tables open');
      await page.close();
    });

    it('switches to English, with the same figures', async () => {
      // Prepare
      const page = await context.newPage();
      await page.goto(s.system.urls.ops);

      // Act
      await page.getByRole('link', { name: 'English' }).click();
      await page.waitForURL(/\/ops\?lang=en$/);

      // Assess
      expect(await page.locator('html').getAttribute('lang')).toBe('en');
      expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe(en.title);
      expect(await page.locator('#chart-status-desc').textContent()).toBe(
        `${en.status.submitted}: 0; ${en.status.assigned}: 3; ${en.status.resolved}: 0`,
      );
      expect(await tableRow(page, 'departments', 'Work and Income')).toEqual(['2', '2', '2', '1']);
      expect(await page.getByRole('link', { name: 'Nederlands' }).getAttribute('href')).toBe('/ops?lang=nl');
      await expectNoAxeViolations(page, 'the English ops page');
      await page.close();
    });

    it('refreshes itself every 60 seconds only after the user asks for it, and stops when asked', async () => {
      // Prepare: by default no timed refresh (axe would rightly flag one: WCAG 2.2.1)
      const page = await context.newPage();
      await page.goto(s.system.urls.ops);
      expect(await page.locator('meta[http-equiv="refresh"]').count()).toBe(0);

      // Act: turn it on
      await page.getByRole('link', { name: nl.autoRefresh.replace('{seconds}', '60') }).click();
      await page.waitForURL(/refresh=60$/);

      // Assess
      expect(await page.locator('meta[http-equiv="refresh"]').getAttribute('content')).toBe('60');

      // Act: turn it off again
      await page.getByRole('link', { name: nl.autoRefreshOff }).click();
      await page.waitForURL(/\/ops\?lang=nl$/);

      // Assess
      expect(await page.locator('meta[http-equiv="refresh"]').count()).toBe(0);
      await page.close();
    });
  },
);
