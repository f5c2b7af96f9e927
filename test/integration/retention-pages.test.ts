import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { municipality } from '../../config/index.js';
import { addPeriod } from '../../functions/domain/archive.js';
import { amsterdamDay, formatDay } from '../../functions/domain/calendar.js';
import { pageTexts } from '../../functions/intake/texts.js';
import { type RoutingSystem, requestBody, startRoutingSystem } from '../support/local.js';
import { linkAfter } from '../support/mailbox.js';

const run = promisify(execFile);
const nl = pageTexts.nl;

/**
 * The enterprise's pages after retention (issue 16), on the local system: a case paused and resolved through
 * the official's links, the retention job replayed with `npm run retention -- --at` a year after closing (the
 * status link shows what is left and when the personal data were removed) and on its archive action date (the
 * status link answers 410: destroyed); a wrong token answers as an unknown reference; `/privacy` states the
 * periods of the config.
 */
describe('retention: what the status link and the privacy statement say', () => {
  let local: RoutingSystem;
  beforeAll(async () => {
    local = await startRoutingSystem('retention-pages');
  });
  afterAll(async () => {
    await local?.stop();
  });

  /** `npm run retention -- --at <moment>` against the local system's table; its output. */
  const retentionAt = async (at: string) => {
    const { stdout } = await run(
      process.execPath,
      [
        '--import',
        'tsx',
        'scripts/retention.ts',
        '--at',
        at,
        '--endpoint',
        local.system.urls.dynamodb,
        '--table',
        local.system.tables.cases,
      ],
      { env: { ...process.env, NODE_OPTIONS: '' } },
    ).catch((error: { stdout?: string; stderr?: string }) => {
      throw new Error(`npm run retention -- --at ${at} failed:\n${error.stdout}\n${error.stderr}`);
    });
    return stdout;
  };

  /** The status link as a browser opens it (HTML) and as an API client does (JSON). */
  const open = async (url: string) => {
    const page = await fetch(url, { headers: { accept: 'text/html' } });
    const api = await fetch(url, { headers: { accept: 'application/json' } });
    return {
      status: page.status,
      text: textOf(await page.text()),
      json: { status: api.status, body: await api.json() },
    };
  };
  /** What a reader reads of a page: its text without tags, spaces collapsed. */
  const textOf = (body: string) =>
    body
      .replace(/<[^>]+>/g, ' ')
      .replace(/\s+/g, ' ')
      .replaceAll('&#39;', "'")
      .replaceAll('&quot;', '"')
      .replaceAll('&amp;', '&');

  it('shows the anonymised case with the day its personal data went, then answers 410 once it is destroyed', async () => {
    // Prepare: a partnership submitted, routed, paused with a reason and resolved as granted (destroyed after 5 years)
    const marker = 'Zqpages';
    const body = requestBody({
      kvkNumber: '62000001',
      goals: ['work'],
      requestType: 'partnership',
      description: `${marker} wil leerwerkplekken in de fietsenwerkplaats.`,
    });
    const { reference, statusUrl } = await local.submit({
      ...body,
      contact: { name: `Anna ${marker}`, email: 'anna.zqpages@onderneming.example', phone: '+31612345670' },
    });
    const { contact, mails } = await local.routed(reference);
    const text = mails.find((m) => m.destination.to.includes(contact.email))?.body.text ?? '';
    const post = (link: string, fields: Record<string, string>) =>
      fetch(link, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams(fields).toString(),
      });
    expect(
      (await post(linkAfter(text, /^(Pauzeren|Pause)/), { reason: `Begroting van ${marker}` })).status,
    ).toBe(200);
    const resolved = await post(linkAfter(text, /^(Afronden|Resolve)/), {
      result: 'granted',
      outcome: `Samenwerking met ${marker} afgesproken.`,
    });
    expect(resolved.status).toBe(200);
    const closed = amsterdamDay(new Date());
    const before = await open(statusUrl);
    expect(before.status).toBe(200);
    expect(before.text).toContain(`Samenwerking met ${marker} afgesproken.`);

    // Act: the retention job a year after closing
    const anonymiseDay = addPeriod(closed, municipality.retention.anonymiseAfter);
    const yearLater = `${anonymiseDay}T03:00:00+01:00`;
    expect(await retentionAt(yearLater)).toContain('anonymised 1, destroyed 0, failed 0');
    const anonymised = await open(statusUrl);

    // Assess: what is left, the day the personal data went and why; no outcome, no reason, nobody's data
    expect(anonymised.status).toBe(200);
    expect(anonymised.text).toContain(`Aanvraag ${reference}`);
    expect(anonymised.text).toContain(body.organisation.name);
    expect(anonymised.text).toContain(
      `Op ${formatDay(anonymiseDay, 'nl')} hebben wij de persoonsgegevens bij deze aanvraag verwijderd`,
    );
    expect(anonymised.text).toContain('opslagbeperking');
    expect(anonymised.text).toContain(`Afgerond op ${formatDay(closed, 'nl')}.`);
    expect(anonymised.text).toContain('Resultaat Ingewilligd (Selectielijst 6.1)');
    const actionDate = addPeriod(closed, 'P5Y');
    expect(anonymised.text).toContain(`De aanvraag zelf wordt op ${formatDay(actionDate, 'nl')} vernietigd`);
    expect(anonymised.text).toContain(nl.event.anonymised);
    expect(anonymised.text).toContain(`${nl.event.paused} `);
    expect(anonymised.text).not.toContain(`${nl.outcome} `);
    expect(anonymised.text.toLowerCase()).not.toContain(marker.toLowerCase());
    expect(anonymised.json).toEqual({
      status: 200,
      body: expect.objectContaining({
        reference,
        status: 'resolved',
        contact: null,
        outcome: null,
        anonymisedAt: new Date(yearLater).toISOString(),
        result: { id: 'granted', name: 'Ingewilligd', selectielijst: '6.1' },
        actionDate,
      }),
    });

    // Act: the retention job on the archive action date
    expect(await retentionAt(`${actionDate}T02:00:00+01:00`)).toContain(
      'anonymised 0, destroyed 1, failed 0',
    );
    const destroyed = await open(statusUrl);

    // Assess: 410, destroyed on that day after its retention period, only its record kept
    expect(destroyed.status).toBe(410);
    expect(destroyed.text).toContain(nl.destroyedTitle);
    expect(destroyed.text).toContain(
      `Aanvraag ${reference} is op ${formatDay(actionDate, 'nl')} vernietigd, na afloop van haar bewaartermijn.`,
    );
    expect(destroyed.text).toContain('Archiefwet');
    expect(destroyed.text).toContain('(hier resultaat 6.1)');
    expect(destroyed.text).toContain('verklaring van vernietiging');
    expect(destroyed.text).not.toContain(body.organisation.name);
    expect(destroyed.json).toEqual({
      status: 410,
      body: {
        error: 'destroyed',
        message: expect.stringContaining('vernietigd'),
        reference,
        destroyedAt: new Date(`${actionDate}T02:00:00+01:00`).toISOString(),
      },
    });

    // Assess: a wrong token answers as an unknown reference does, saying nothing of the destroyed case
    const wrong = new URL(statusUrl);
    wrong.searchParams.set('token', 'not-the-token');
    const unknown = new URL(statusUrl);
    unknown.pathname = '/cases/AP-ZZZZ-ZZZZ';
    const [wrongPage, unknownPage] = await Promise.all([open(wrong.toString()), open(unknown.toString())]);
    expect(wrongPage.status).toBe(404);
    expect(wrongPage).toEqual(unknownPage);
    expect(local.errors).toEqual([]);
  }, 120_000);

  it('states in the privacy statement the periods the config sets', async () => {
    // Act
    const [dutch, english] = await Promise.all(
      ['nl', 'en'].map(async (lang) => {
        const response = await fetch(`${local.system.urls.intake}/privacy?lang=${lang}`);
        return { status: response.status, text: textOf(await response.text()) };
      }),
    );

    // Assess: the personal data's period, and each result of each request type's process type
    expect(dutch?.status).toBe(200);
    expect(municipality.retention.anonymiseAfter).toBe('P12M');
    expect(dutch?.text).toContain('verwijderen wij automatisch 12 maanden na het afronden van uw aanvraag');
    expect(english?.text).toContain('removed automatically 12 months after your request is resolved');
    for (const requestType of municipality.requestTypes) {
      expect(dutch?.text).toContain(requestType.name.nl);
      const type = municipality.retention.processTypes[requestType.processType];
      for (const result of type?.results ?? [])
        expect(dutch?.text, `${requestType.id} ${result.id}`).toContain(
          `${result.name.nl}: ${result.nomination === 'keep' ? 'blijvend bewaren' : 'vernietigen'}`,
        );
    }
    expect(dutch?.text).toContain('Ingewilligd: vernietigen 5 jaar na afronden (resultaat 6.1)');
    expect(dutch?.text).toContain(
      'Subsidie verstrekt: vernietigen 7 jaar na einddatum van de subsidie (resultaat 8.1.7)',
    );
    expect(english?.text).toContain(
      'Subsidy granted: destroy 7 years after end of the subsidy (result 8.1.7)',
    );
  });
});
