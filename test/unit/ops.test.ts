import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { municipality } from '../../config/index.js';
import { assign, type Case, type Contact, tagDepartments } from '../../functions/domain/case.js';
import type { ClockName } from '../../functions/domain/sla.js';
import { barChart, describe as describeChart } from '../../infra/local/ops/charts.js';
import { messageOf, recentErrors } from '../../infra/local/ops/errors.js';
import { type OpsInput, opsFigures, slaState } from '../../infra/local/ops/figures.js';
import { createOpsHandler } from '../../infra/local/ops/handler.js';
import { opsPage } from '../../infra/local/ops/page.js';
import type { OpsReadings } from '../../infra/local/ops/source.js';
import { opsTexts } from '../../infra/local/ops/texts.js';
import { anOfficial, required, SUBMITTED_AT, sampleRequest, submittedCase } from '../support/cases.js';

const DAY = 86_400_000;
const NOW = new Date('2025-03-20T09:00:00.000Z');
const daysBefore = (days: number, from = NOW) => new Date(from.getTime() - days * DAY);

const officialContact = (id: string): Contact => ({
  kind: 'official',
  id,
  name: id,
  email: `${id}@voorbeeld.example`,
  language: 'nl',
});
const coordinator: Contact = {
  kind: 'coordinator',
  id: 'coordinator',
  name: 'Coördinator',
  email: 'coordinator@voorbeeld.example',
  language: 'nl',
};

/** A case as the router leaves it: tagged from its goals, assigned, both clocks running. */
function routedCase(
  reference: string,
  submittedAt: Date,
  changes: { goals?: string[]; contact?: Contact } = {},
): Case {
  const c = submittedCase(
    reference,
    sampleRequest({
      goals: changes.goals ?? ['work', 'environment'],
      // no keyword rule matches: the departments come from the goals and the request type only
      description: 'Wij hebben een voorstel voor de gemeente.',
    }),
    submittedAt,
  );
  const tags = tagDepartments(c.request, municipality);
  const {
    history,
    reference: _reference,
    ...assigned
  } = assign(
    c,
    tags,
    { contact: changes.contact ?? officialContact('a-jansen'), choice: 'coverage' },
    submittedAt,
    municipality.sla,
  );
  return { ...c, ...assigned, history: [...c.history, history] };
}

const dueOf = (c: Case, clock: ClockName) => Date.parse(required(c.clocks[clock], clock).due);
const withClock = (c: Case, clock: ClockName, change: { stoppedAt?: string; pausedAt?: string }): Case => ({
  ...c,
  clocks: { ...c.clocks, [clock]: { ...required(c.clocks[clock], clock), ...change } },
});
const resolved = (c: Case): Case => ({ ...c, status: 'resolved' });

const input = (changes: Partial<OpsInput> = {}): OpsInput => ({
  cases: [],
  officials: [],
  queues: { route: { visible: 0, inFlight: 0 }, deadLetter: { visible: 0, inFlight: 0 } },
  errors: [],
  now: NOW,
  municipality,
  ...changes,
});

describe('ops figures', () => {
  it('counts cases by status; resolved cases are not open', () => {
    // Prepare
    const cases = [
      submittedCase('AP-2222-2222', sampleRequest(), daysBefore(0.1)),
      routedCase('AP-3333-3333', daysBefore(1)),
      routedCase('AP-4444-4444', daysBefore(2)),
      resolved(routedCase('AP-5555-5555', daysBefore(3))),
    ];

    // Act
    const f = opsFigures(input({ cases }));

    // Assess
    expect(f.byStatus).toEqual({ submitted: 1, assigned: 2, resolved: 1 });
    expect(f.total).toBe(4);
    expect(f.open).toBe(3);
  });

  it('tells a met, breached, paused and running promise apart', () => {
    // Prepare: a case whose first-contact clock is due some days after submission
    const c = routedCase('AP-2222-2222', SUBMITTED_AT);
    const due = dueOf(c, 'firstContact');
    const before = new Date(due - 3_600_000);
    const after = new Date(due + 3_600_000);

    // Act / Assess: stopped at or before the due moment is met, after it breached
    expect(
      slaState(withClock(c, 'firstContact', { stoppedAt: before.toISOString() }), 'firstContact', after),
    ).toBe('met');
    expect(
      slaState(
        withClock(c, 'firstContact', { stoppedAt: new Date(due).toISOString() }),
        'firstContact',
        after,
      ),
    ).toBe('met');
    expect(
      slaState(withClock(c, 'firstContact', { stoppedAt: after.toISOString() }), 'firstContact', after),
    ).toBe('breached');
    // ...open: running before the due moment, breached from it on
    expect(slaState(c, 'firstContact', before)).toBe('running');
    expect(slaState(c, 'firstContact', new Date(due))).toBe('breached');
    // ...the SLA job's recorded breach counts, whatever the clock of the page says
    const reported = {
      ...c,
      notifications: { 'firstContact:breach': { at: after.toISOString(), messageId: 'm-1' } },
    };
    expect(slaState(reported, 'firstContact', before)).toBe('breached');
    // ...a paused clock waits for the enterprise: not breached by the time that passes
    expect(
      slaState(withClock(c, 'firstContact', { pausedAt: before.toISOString() }), 'firstContact', after),
    ).toBe('paused');
    // ...a case that is not routed yet has no promise at all
    expect(slaState(submittedCase(), 'firstContact', after)).toBeUndefined();
  });

  it('counts promises per clock over all cases, and open cases with a breached promise', () => {
    // Prepare: one met (contact made on time), one breached first contact (open past due), two running
    const old = routedCase('AP-2222-2222', daysBefore(10));
    const met = withClock(routedCase('AP-3333-3333', daysBefore(10)), 'firstContact', {
      stoppedAt: daysBefore(9.9).toISOString(),
    });
    const fresh = routedCase('AP-4444-4444', daysBefore(0.5));
    const paused = withClock(routedCase('AP-5555-5555', daysBefore(0.5)), 'decision', {
      pausedAt: daysBefore(0.2).toISOString(),
    });

    // Act
    const f = opsFigures(input({ cases: [old, met, fresh, paused, submittedCase()] }));

    // Assess
    expect(f.sla.firstContact).toEqual({ met: 1, breached: 1, running: 2, paused: 0 });
    expect(f.sla.decision).toEqual({ met: 0, breached: 0, running: 3, paused: 1 });
    expect(f.openBreached).toBe(1);
  });

  it('counts each department as lead and as touched, and open and breached cases by lead department', () => {
    // Prepare: work leads (goal work -> werk), environment touches duurzaamheid, partnership touches economie
    const cases = [
      routedCase('AP-2222-2222', daysBefore(10), { goals: ['work', 'environment'] }),
      resolved(routedCase('AP-3333-3333', daysBefore(1), { goals: ['work'] })),
      routedCase('AP-4444-4444', daysBefore(1), { goals: ['care'] }),
      submittedCase('AP-5555-5555', sampleRequest(), daysBefore(0.1)),
    ];

    // Act
    const f = opsFigures(input({ cases }));

    // Assess: every configured department, in config order, zeros included
    expect(f.byDepartment.map((d) => d.department)).toEqual(municipality.departments.map((d) => d.id));
    const of = (id: string) => f.byDepartment.find((d) => d.department === id);
    expect(of('werk')).toMatchObject({ lead: 2, touched: 2, open: 1, breached: 1 });
    expect(of('zorg')).toMatchObject({ lead: 1, touched: 1, open: 1, breached: 0 });
    expect(of('duurzaamheid')).toMatchObject({ lead: 0, touched: 1, open: 0, breached: 0 });
    expect(of('economie')).toMatchObject({ lead: 0, touched: 3, open: 0, breached: 0 });
    expect(of('wonen')).toMatchObject({ lead: 0, touched: 0, open: 0, breached: 0 });
    expect(of('werk')?.name).toEqual({ nl: 'Werk en Inkomen', en: 'Work and Income' });
  });

  it('keeps a department that stored cases name but the config no longer has, under its id', () => {
    // Prepare
    const c = routedCase('AP-2222-2222', daysBefore(1), { goals: ['work'] });
    const gone = {
      ...c,
      tags: [{ department: 'havens', lead: true, reasons: [{ kind: 'goal' as const, goal: 'x' }] }],
    };

    // Act
    const f = opsFigures(input({ cases: [gone] }));

    // Assess
    expect(f.byDepartment.at(-1)).toEqual({
      department: 'havens',
      name: { nl: 'havens', en: 'havens' },
      lead: 1,
      touched: 1,
      open: 1,
      breached: 0,
    });
  });

  it('puts open cases in age buckets by days since submission, and names the oldest', () => {
    // Prepare: ages on and around each boundary; a resolved old case does not count
    const ages = [0, 0.99, 1, 2.99, 3, 6.99, 7, 13.99, 14, 40];
    const cases = ages.map((days, i) => routedCase(`AP-2222-22${20 + i}`, daysBefore(days)));
    cases.push(resolved(routedCase('AP-9999-9999', daysBefore(100))));
    // ...and a case "submitted" after now (a clock that differs): age 0, not negative
    cases.push(routedCase('AP-8888-8888', new Date(NOW.getTime() + DAY)));

    // Act
    const f = opsFigures(input({ cases }));

    // Assess
    expect(f.openByAge).toEqual([
      { bucket: 'under1', count: 3 },
      { bucket: 'days1to3', count: 2 },
      { bucket: 'days3to7', count: 2 },
      { bucket: 'days7to14', count: 2 },
      { bucket: 'over14', count: 2 },
    ]);
    expect(f.oldestOpen).toEqual({
      reference: 'AP-2222-2229',
      submittedAt: daysBefore(40).toISOString(),
      ageDays: 40,
    });
  });

  it('counts open cases per official and with the coordinator, and says who is away today', () => {
    // Prepare
    const officials = [
      anOfficial('a-jansen', ['werk'], { capacity: 25 }),
      anOfficial('r-bos', ['wonen'], { absences: [{ from: '2025-03-19', to: '2025-03-21' }] }),
    ];
    const cases = [
      routedCase('AP-2222-2222', daysBefore(1)),
      routedCase('AP-3333-3333', daysBefore(1)),
      resolved(routedCase('AP-4444-4444', daysBefore(1))),
      routedCase('AP-5555-5555', daysBefore(1), { contact: coordinator }),
    ];

    // Act
    const f = opsFigures(input({ cases, officials }));

    // Assess
    expect(f.officials).toEqual([
      { id: 'a-jansen', name: 'a-jansen', open: 2, capacity: 25, presentToday: true },
      { id: 'r-bos', name: 'r-bos', open: 0, capacity: 20, presentToday: false },
    ]);
    expect(f.withCoordinator).toBe(1);
  });

  it('passes the queue depths on and keeps the newest errors, at most the limit', () => {
    // Prepare
    const errors = Array.from({ length: 12 }, (_, i) => ({
      at: new Date(NOW.getTime() - i * 1000).toISOString(),
      where: 'router',
      message: `error ${i}`,
    }));
    const queues = { route: { visible: 2, inFlight: 1 }, deadLetter: { visible: 3, inFlight: 0 } };

    // Act
    const f = opsFigures(input({ queues, errors, unreadable: 1 }));

    // Assess
    expect(f.queues).toEqual(queues);
    expect(f.errors.map((e) => e.message)).toEqual(errors.slice(0, 10).map((e) => e.message));
    expect(f.unreadable).toBe(1);
    expect(f.at).toBe(NOW.toISOString());
  });
});

describe('recent errors', () => {
  it('keeps the last errors up to its capacity, newest first, each on one line of at most 300 characters', () => {
    // Prepare
    let tick = 0;
    const recent = recentErrors({ capacity: 3, clock: () => new Date(NOW.getTime() + tick++ * 1000) });

    // Act
    recent.record(new Error('first'), 'gateway');
    recent.record(new TypeError('second\nline'), 'router');
    recent.record('third', 'intake');
    recent.record(new Error('x'.repeat(400)), 'sla');

    // Assess
    const list = recent.list();
    expect(list.map((e) => [e.where, e.message.slice(0, 20)])).toEqual([
      ['sla', 'x'.repeat(20)],
      ['intake', 'third'],
      ['router', 'TypeError: second li'],
    ]);
    expect(list[0]?.message).toHaveLength(300);
    expect(list[0]?.at).toBe(new Date(NOW.getTime() + 3000).toISOString());
  });
});

describe('error messages', () => {
  it('name the errors inside a failed batch, so the page says which record failed and why', () => {
    // Prepare: what Powertools throws when every record of a batch failed
    const batch = Object.assign(new Error('All records failed processing.'), {
      name: 'FullBatchFailureError',
      recordErrors: [Object.assign(new Error('case AP-2222-2222 not found'), { name: 'CaseNotFoundError' })],
    });

    // Act / Assess
    expect(messageOf(batch)).toBe(
      'FullBatchFailureError: All records failed processing. (CaseNotFoundError: case AP-2222-2222 not found)',
    );
    expect(messageOf(new Error('outer', { cause: new Error('inner') }))).toBe('outer (inner)');
    expect(messageOf({ code: 42 })).toBe('{"code":42}');
  });
});

describe('bar chart', () => {
  const chart = {
    id: 'chart-x',
    title: 'Zaken <per> status',
    rowHeader: 'Status',
    tableLabel: 'Als tabel',
    series: [{ label: 'Aantal', color: '#00557a' }],
    rows: [
      { label: 'Ingediend', values: [1] },
      { label: 'Toegewezen & <b>', values: [4] },
      { label: 'Afgerond', values: [0] },
    ],
  };

  it('draws one bar per row, proportional to the largest value, each with its label and number', () => {
    // Act
    const svg = barChart(chart).value;

    // Assess
    const widths = [...svg.matchAll(/class="bar" x="0" y="[\d.]+" width="([\d.]+)"/g)].map((m) =>
      Number(m[1]),
    );
    expect(widths).toEqual([122.5, 490, 0]);
    expect([...svg.matchAll(/class="value"[^>]*>([^<]*)</g)].map((m) => m[1])).toEqual(['1', '4', '0']);
    expect(svg).toContain('>Toegewezen &amp; &lt;b&gt;</text>');
  });

  it('is one image for a screen reader, named by its title and described with every value, with a table', () => {
    // Act
    const svg = barChart(chart).value;

    // Assess
    expect(svg).toContain('<svg role="img" aria-labelledby="chart-x-title chart-x-desc"');
    expect(svg).toContain('<title id="chart-x-title">Zaken &lt;per&gt; status</title>');
    expect(describeChart(chart)).toBe('Ingediend: 1; Toegewezen & <b>: 4; Afgerond: 0');
    expect(svg).toContain('<summary>Als tabel</summary>');
    expect(svg).toContain(
      '<tr class="utrecht-table__row"><th scope="row" class="utrecht-table__header-cell">Ingediend</th><td class="utrecht-table__cell utrecht-table__cell--numeric-data">1</td></tr>',
    );
  });

  it('labels each bar with its series when there are several, and draws nothing for all zeros', () => {
    // Prepare
    const grouped = {
      ...chart,
      series: [
        { label: 'Leidend', color: '#00557a' },
        { label: 'Betrokken', color: '#4a4a4a' },
      ],
      rows: [{ label: 'Werk', values: [0, 0] }],
    };

    // Act
    const svg = barChart(grouped).value;

    // Assess
    expect([...svg.matchAll(/class="value"[^>]*>([^<]*)</g)].map((m) => m[1])).toEqual([
      'Leidend: 0',
      'Betrokken: 0',
    ]);
    expect([...svg.matchAll(/class="bar" x="0" y="[\d.]+" width="([\d.]+)"/g)].map((m) => m[1])).toEqual([
      '0.0',
      '0.0',
    ]);
    expect(describeChart(grouped)).toBe('Werk: Leidend 0, Betrokken 0');
  });
});

describe('ops page', () => {
  const figures = opsFigures(
    input({
      cases: [routedCase('AP-2222-2222', daysBefore(1))],
      queues: { route: { visible: 0, inFlight: 1 }, deadLetter: { visible: 2, inFlight: 0 } },
      errors: [{ at: NOW.toISOString(), where: 'router', message: 'case <AP-9> not found' }],
    }),
  );
  const page = (lang: 'nl' | 'en', autoRefresh = false) =>
    opsPage({ figures, lang, municipality, autoRefresh, deadLetterQueue: 'aanspreekpunt-route-dlq' });

  it('is Dutch by default and English on request, with the figures as charts', () => {
    // Act
    const nl = page('nl');
    const en = page('en');

    // Assess
    expect(nl).toContain('<html lang="nl">');
    expect(nl).toContain(`<h1 class="utrecht-heading-1">${opsTexts.nl.title}</h1>`);
    expect(nl).toContain('aria-labelledby="chart-status-title chart-status-desc"');
    expect(nl).toContain(`<desc id="chart-status-desc">Ingediend: 0; Toegewezen: 1; Afgerond: 0</desc>`);
    expect(en).toContain('<html lang="en">');
    expect(en).toContain(`<h1 class="utrecht-heading-1">${opsTexts.en.title}</h1>`);
    expect(en).toContain(`<desc id="chart-status-desc">Submitted: 0; Assigned: 1; Resolved: 0</desc>`);
    expect(en).toContain('href="/ops?lang=nl"');
  });

  it('refreshes itself only when the user asked for it, and offers to stop', () => {
    // Act / Assess
    expect(page('nl')).not.toContain('http-equiv="refresh"');
    expect(page('nl')).toContain('href="/ops?lang=nl&amp;refresh=60"');
    const auto = page('nl', true);
    expect(auto).toContain('<meta http-equiv="refresh" content="60">');
    expect(auto).toContain(
      `<a href="/ops?lang=nl" class="utrecht-link utrecht-link--html-a">${opsTexts.nl.autoRefreshOff}</a>`,
    );
  });

  it('warns about messages in the DLQ and lists recent errors, escaped', () => {
    // Act
    const html = page('nl');

    // Assess
    expect(html).toContain('id="dlq-warning"');
    expect(html).toContain('aanspreekpunt-route-dlq');
    expect(html).toContain(
      '<td class="utrecht-table__cell">router</td><td class="utrecht-table__cell">case &lt;AP-9&gt; not found</td>',
    );
    expect(html).not.toContain('id="no-errors"');
  });
});

describe('ops handler', () => {
  const readings: OpsReadings = {
    cases: [routedCase('AP-2222-2222', daysBefore(1))],
    unreadable: 0,
    officials: [anOfficial('a-jansen', ['werk'])],
    queues: { route: { visible: 1, inFlight: 0 }, deadLetter: { visible: 0, inFlight: 0 } },
  };
  const recent = recentErrors({ capacity: 5, clock: () => NOW });
  recent.record(new Error('boom'), 'gateway');
  const handler = createOpsHandler({
    read: async () => readings,
    errors: recent,
    municipality,
    clock: () => NOW,
    deadLetterQueue: 'aanspreekpunt-route-dlq',
  });
  const event = (routeKey: string, query?: Record<string, string>, headers: Record<string, string> = {}) =>
    ({ routeKey, queryStringParameters: query, headers }) as unknown as APIGatewayProxyEventV2;

  it('answers /ops.json with the figures at the moment of its clock', async () => {
    // Act
    const result = await handler(event('GET /ops.json'));

    // Assess
    expect(result.statusCode).toBe(200);
    expect(result.headers?.['content-type']).toBe('application/json');
    const body = JSON.parse(result.body ?? '');
    expect(body).toMatchObject({
      at: NOW.toISOString(),
      total: 1,
      byStatus: { assigned: 1 },
      queues: { route: { visible: 1, inFlight: 0 } },
      errors: [{ where: 'gateway', message: 'boom' }],
      officials: [{ id: 'a-jansen', open: 1 }],
    });
  });

  it('answers /ops with a page in the language asked for, the browser language, else Dutch; a bad refresh is ignored', async () => {
    // Act
    const en = await handler(event('GET /ops', { lang: 'en' }));
    const browser = await handler(event('GET /ops', undefined, { 'accept-language': 'en-GB,en;q=0.9' }));
    const dutch = await handler(event('GET /ops', { lang: 'xx', refresh: '1' }));

    // Assess
    expect(en.statusCode).toBe(200);
    expect(en.headers?.['content-type']).toBe('text/html; charset=utf-8');
    expect(en.body).toContain('<html lang="en">');
    expect(browser.body).toContain('<html lang="en">');
    expect(dutch.body).toContain('<html lang="nl">');
    expect(dutch.body).not.toContain('http-equiv="refresh"');
  });
});
