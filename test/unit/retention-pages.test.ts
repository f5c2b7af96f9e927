import { randomBytes } from 'node:crypto';
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { municipality } from '../../config/index.js';
import example from '../../config/municipalities/example.json' with { type: 'json' };
import { type Municipality, parseMunicipality } from '../../config/schema.js';
import { anonymise, deletionRecordOf } from '../../functions/domain/retention.js';
import { createIntakeHandler } from '../../functions/intake/handler.js';
import { pageTexts } from '../../functions/intake/texts.js';
import { periodText } from '../../functions/web/archive.js';
import { resolvedCase, TOKEN } from '../support/cases.js';
import { apiEvent, getCase } from '../support/events.js';
import {
  countingMetrics,
  memoryCaseStore,
  memoryQueue,
  memoryRequestCounter,
  silentLog,
} from '../support/fakes.js';

/**
 * The enterprise's pages after retention (issue 16): the status link of a case whose personal data were
 * removed shows what is left and says when and why; the link of a destroyed case answers 410 and says so;
 * the privacy statement states the periods of the config.
 */

const CLOSED = new Date('2025-03-04T09:00:00Z');
/** The retention run a year after closing: 02:00 on 4 March 2026 in Amsterdam. */
const YEAR_LATER = new Date('2026-03-04T01:00:00Z');
const KEPT = 'AP-2345-6789';
const GONE = 'AP-3456-789A';

/** The intake of municipality `m` over `cases`. */
const intake = (cases: ReturnType<typeof memoryCaseStore>, m: Municipality = municipality) =>
  createIntakeHandler({
    cases,
    queue: memoryQueue(),
    requestCounts: memoryRequestCounter(),
    municipality: m,
    clock: () => YEAR_LATER,
    randomBytes,
    log: silentLog,
    metrics: countingMetrics(),
  });

/** The intake over a store with a case anonymised (granted: destroyed in 2030) and one destroyed (rejected). */
async function setup() {
  const cases = memoryCaseStore();
  const kept = resolvedCase(municipality, { result: 'granted', closedAt: CLOSED, reference: KEPT });
  const gone = resolvedCase(municipality, { result: 'rejected', closedAt: CLOSED, reference: GONE });
  for (const c of [kept, gone]) await cases.create(c);
  await cases.anonymise(kept, anonymise(kept, YEAR_LATER));
  await cases.destroy(gone, deletionRecordOf(gone, YEAR_LATER));
  return { handler: intake(cases) };
}

const html = { accept: 'text/html' };
const bodyOf = (result: APIGatewayProxyStructuredResultV2): unknown => JSON.parse(result.body ?? 'null');
/** The page's text without its tags, spaces collapsed: what a reader reads. */
const textOf = (result: APIGatewayProxyStructuredResultV2) =>
  (result.body ?? '')
    .replace(/<[^>]+>/g, ' ')
    .replace(/\s+/g, ' ')
    .replaceAll('&#39;', "'");

describe('status link of a case whose personal data were removed', () => {
  it('shows what is left, and that the personal data were removed on that day as the AVG requires', async () => {
    // Prepare
    const { handler } = await setup();

    // Act
    const page = await handler(getCase(KEPT, TOKEN, html));

    // Assess
    expect(page.statusCode).toBe(200);
    expect(page.headers?.['cache-control']).toBe('no-store');
    const text = textOf(page);
    expect(page.body).toContain('<html lang="nl">');
    expect(text).toContain(`Aanvraag ${KEPT}`);
    expect(text).toContain('De Groene Fietsfabriek');
    expect(page.body).toMatch(
      /role="status">(?:<div[^>]*>)*<h2 class="utrecht-heading-2">Persoonsgegevens verwijderd/,
    );
    expect(text).toContain(
      'Op 4 maart 2026 hebben wij de persoonsgegevens bij deze aanvraag verwijderd: de naam, het e-mailadres en het telefoonnummer van de contactpersoon',
    );
    expect(text).toContain('Dat schrijft de wet voor. Volgens de AVG');
    expect(text).toContain('opslagbeperking, artikel 5 lid 1 onder e');
    expect(text).toContain('Status Afgerond op 4 maart 2025.');
    expect(text).toContain('Resultaat Ingewilligd (Selectielijst 6.1)');
    expect(text).toContain('De aanvraag zelf wordt op 4 maart 2030 vernietigd');
    expect(text).toContain('Werk en Inkomen (leidend)');
    // The history, with the removal as its last event; the pause without its (removed) reason
    const history = [...(page.body ?? '').matchAll(/<dt>([^<]*)<\/dt>/g)].map((m) => m[1]);
    expect(history).toEqual([
      'Aanvraag ontvangen',
      'Contactpersoon aangewezen',
      'Gepauzeerd: wachten op u',
      'Hervat: de termijnen lopen weer',
      'Aanvraag afgerond',
      'Persoonsgegevens verwijderd',
    ]);
    // No empty outcome, no reason, nothing of the people
    expect(text).not.toContain(pageTexts.nl.outcome);
    expect(text).not.toContain('()');
    for (const personal of ['Marieke', 'marieke@', '12345678', 'begroting', 'spreken af'])
      expect(text).not.toContain(personal);
  });

  it('says so in English for ?lang=en, and links to the same page in Dutch', async () => {
    const { handler } = await setup();

    const page = await handler(getCase(KEPT, TOKEN, html));
    const english = await handler(
      apiEvent({
        routeKey: 'GET /cases/{reference}',
        pathParameters: { reference: KEPT },
        query: { token: TOKEN, lang: 'en' },
        headers: html,
      }),
    );

    expect(english.statusCode).toBe(200);
    const text = textOf(english);
    expect(english.body).toContain('<html lang="en">');
    expect(text).toContain('On 4 March 2026 we removed the personal data of this request');
    expect(text).toContain('Under the GDPR we keep personal data no longer than needed');
    expect(text).toContain('Result Granted (Selectielijst 6.1)');
    expect(text).toContain('will be destroyed on 4 March 2030');
    expect(english.body).toContain(`href="/cases/${KEPT}?token=${TOKEN}&amp;lang=nl"`);
    expect(page.body).toContain(`href="/cases/${KEPT}?token=${TOKEN}&amp;lang=en"`);
  });

  it('answers JSON with the fields of a case, contact and outcome null, and when and with what it was closed', async () => {
    const { handler } = await setup();

    const result = await handler(getCase(KEPT, TOKEN));

    expect(result.statusCode).toBe(200);
    expect(bodyOf(result)).toEqual({
      reference: KEPT,
      status: 'resolved',
      submittedAt: '2025-03-03T09:00:00.000Z',
      organisation: 'De Groene Fietsfabriek',
      contact: null,
      departments: [
        {
          id: 'werk',
          name: 'Werk en Inkomen',
          lead: true,
          reasons: ['doel: Werk voor mensen met een afstand tot de arbeidsmarkt'],
        },
      ],
      promises: {},
      history: [
        { type: 'submitted', at: '2025-03-03T09:00:00.000Z' },
        { type: 'assigned', at: '2025-03-03T10:00:00.000Z' },
        { type: 'paused', at: '2025-03-03T11:00:00.000Z' },
        { type: 'resumed', at: '2025-03-03T12:00:00.000Z' },
        { type: 'resolved', at: CLOSED.toISOString() },
        { type: 'anonymised', at: YEAR_LATER.toISOString() },
      ],
      outcome: null,
      anonymisedAt: YEAR_LATER.toISOString(),
      result: { id: 'granted', name: 'Ingewilligd', selectielijst: '6.1' },
      actionDate: '2030-03-04',
    });
  });
});

describe('status link of a destroyed case', () => {
  it('answers 410 with a page that says when and why it was destroyed and that only its record is kept', async () => {
    const { handler } = await setup();

    const page = await handler(getCase(GONE, TOKEN, html));

    expect(page.statusCode).toBe(410);
    expect(page.headers?.['content-type']).toBe('text/html; charset=utf-8');
    const text = textOf(page);
    expect(text).toContain('Aanvraag vernietigd');
    expect(text).toContain(
      `Aanvraag ${GONE} is op 4 maart 2026 vernietigd, na afloop van haar bewaartermijn.`,
    );
    expect(text).toContain('Dat schrijft de Archiefwet voor');
    expect(text).toContain('(hier resultaat 6.2)');
    expect(text).toContain('Er is niets meer van bewaard, behalve een verklaring van vernietiging');
    expect(text).not.toContain('De Groene Fietsfabriek');
  });

  it('says so in the language asked for, and answers JSON with 410 and a short body', async () => {
    const { handler } = await setup();

    const english = await handler(getCase(GONE, TOKEN, { ...html, 'accept-language': 'en' }));
    const json = await handler(getCase(GONE, TOKEN));

    expect(english.statusCode).toBe(410);
    expect(textOf(english)).toContain(`Request ${GONE} was destroyed on 4 March 2026`);
    expect(json.statusCode).toBe(410);
    expect(bodyOf(json)).toEqual({
      error: 'destroyed',
      message:
        'Deze aanvraag is vernietigd na afloop van haar bewaartermijn (Archiefwet). Er is niets meer van bewaard, behalve een verklaring van vernietiging.',
      reference: GONE,
      destroyedAt: YEAR_LATER.toISOString(),
    });
  });
});

describe('status link after retention with a wrong token', () => {
  it('answers the same 404 as an unknown reference: nothing tells that the case was anonymised or destroyed', async () => {
    const { handler } = await setup();

    for (const headers of [html, {}]) {
      const unknown = await handler(getCase('AP-ZZZZ-ZZZZ', 'not-the-token', headers));
      for (const reference of [KEPT, GONE]) {
        const wrong = await handler(getCase(reference, 'not-the-token', headers));
        const missing = await handler(getCase(reference, undefined, headers));
        for (const result of [wrong, missing]) {
          expect(result.statusCode, reference).toBe(404);
          expect(result.body, reference).toBe(unknown.body);
        }
      }
    }
  });
});

describe('privacy statement', () => {
  const privacy = (m: Municipality, lang: 'nl' | 'en') =>
    intake(memoryCaseStore(), m)(apiEvent({ routeKey: 'GET /privacy', query: { lang } }));

  it('states when the personal data go and, per request type, each result with its period', async () => {
    const page = await privacy(municipality, 'nl');

    expect(page.statusCode).toBe(200);
    const text = textOf(page);
    expect(text).toContain('Hoe lang wij gegevens bewaren');
    expect(text).toContain('verwijderen wij automatisch 12 maanden na het afronden van uw aanvraag');
    // The four request types archived as handling requests (6), and financing as a subsidy (8)
    expect(page.body).toContain(
      '<h3 class="utrecht-heading-3">Vraag of kennismaking, Samenwerking, Inkoop (social return), Huisvesting of locatie</h3>',
    );
    expect(text).toContain('Selectielijst 6: Verzoeken behandelen');
    expect(text).toContain('Ingewilligd: vernietigen 5 jaar na afronden (resultaat 6.1)');
    expect(text).toContain(
      'Ingewilligd, met financiële gevolgen: vernietigen 7 jaar na afronden (resultaat 6.1.1)',
    );
    expect(text).toContain('Afgewezen: vernietigen 1 jaar na afronden (resultaat 6.2)');
    expect(page.body).toContain('<h3 class="utrecht-heading-3">Financiering of subsidie</h3>');
    expect(text).toContain('Selectielijst 8: Voorzieningen verstrekken (subsidie)');
    expect(text).toContain(
      'Subsidie verstrekt: vernietigen 7 jaar na einddatum van de subsidie (resultaat 8.1.7)',
    );
    expect(text).toContain('Geweigerd: vernietigen 5 jaar na afronden (resultaat 8.2)');
    expect(text).toContain('Na afloop van de termijn vernietigen wij de aanvraag.');
    expect(text).not.toContain(pageTexts.nl.privacyKept);
  });

  it('says it in English', async () => {
    const page = await privacy(municipality, 'en');

    const text = textOf(page);
    expect(page.body).toContain('<html lang="en">');
    expect(text).toContain('removed automatically 12 months after your request is resolved');
    expect(text).toContain('Granted: destroy 5 years after resolving (result 6.1)');
    expect(text).toContain('Subsidy granted: destroy 7 years after end of the subsidy (result 8.1.7)');
  });

  it('takes its periods from the config: another anonymiseAfter, process type and a result kept for good', async () => {
    // Prepare: personal data go after 6 months; partnerships are archived under a process type of their own
    const own = structuredClone(example) as Record<string, unknown> & {
      requestTypes: Record<string, unknown>[];
    };
    for (const type of own.requestTypes) if (type.id === 'partnership') type.processType = 'initiatief';
    own.retention = {
      anonymiseAfter: 'P6M',
      processTypes: {
        verzoeken: {
          selectielijst: 6,
          name: { nl: 'Verzoeken behandelen', en: 'Handling requests' },
          results: [
            {
              id: 'granted',
              name: { nl: 'Ingewilligd', en: 'Granted' },
              selectielijst: '6.1',
              nomination: 'destroy',
              period: 'P18M',
              from: 'closed',
            },
          ],
        },
        subsidie: {
          selectielijst: 8,
          name: { nl: 'Subsidie', en: 'Subsidy' },
          results: [
            {
              id: 'granted',
              name: { nl: 'Verstrekt', en: 'Granted' },
              selectielijst: '8.1',
              nomination: 'destroy',
              period: 'P10Y',
              from: 'closed',
            },
          ],
        },
        initiatief: {
          selectielijst: 6,
          name: { nl: 'Maatschappelijk initiatief', en: 'Community initiative' },
          results: [
            {
              id: 'granted',
              name: { nl: 'Initiatief gesteund', en: 'Initiative supported' },
              selectielijst: '6.1.9',
              nomination: 'keep',
            },
          ],
        },
      },
    };
    const m = parseMunicipality(own);

    // Act
    const page = await privacy(m, 'nl');

    // Assess
    const text = textOf(page);
    expect(text).toContain('verwijderen wij automatisch 6 maanden na het afronden');
    expect(text).not.toContain('12 maanden');
    expect(text).toContain('Ingewilligd: vernietigen 18 maanden na afronden (resultaat 6.1)');
    expect(text).toContain('Verstrekt: vernietigen 10 jaar na afronden (resultaat 8.1)');
    expect(page.body).toContain('<h3 class="utrecht-heading-3">Samenwerking</h3>');
    expect(text).toContain('Selectielijst 6: Maatschappelijk initiatief');
    expect(text).toContain('Initiatief gesteund: blijvend bewaren (resultaat 6.1.9)');
    expect(text).toContain(pageTexts.nl.privacyKept);
    expect(text).not.toContain('5 jaar');
  });
});

describe('periods in words', () => {
  it('names each unit in the singular for one and in the plural for more, in Dutch and English', () => {
    expect(periodText('P1Y', 'nl')).toBe('1 jaar');
    expect(periodText('P5Y', 'nl')).toBe('5 jaar');
    expect(periodText('P1M', 'nl')).toBe('1 maand');
    expect(periodText('P18M', 'nl')).toBe('18 maanden');
    expect(periodText('P1Y6M', 'nl')).toBe('1 jaar 6 maanden');
    expect(periodText('P1D', 'nl')).toBe('1 dag');
    expect(periodText('P42D', 'nl')).toBe('42 dagen');
    expect(periodText('P1Y', 'en')).toBe('1 year');
    expect(periodText('P2Y1M3D', 'en')).toBe('2 years 1 month 3 days');
  });
});
