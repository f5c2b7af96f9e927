import { readFile } from 'node:fs/promises';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { municipality as m } from '../../config/index.js';
import type { HistoryEvent, Tag } from '../../functions/domain/case.js';
import { firstWorkingDayOfMonth, reportMoment } from '../../functions/domain/digest.js';
import { monthlyReportMail } from '../../functions/domain/mail/monthly-report.js';
import {
  monthBefore,
  monthBounds,
  monthlyReport,
  type ReportCase,
  reportDayOf,
  reportScopes,
} from '../../functions/domain/report.js';
import { reportCsv, reportTables } from '../../functions/domain/report-tables.js';
import type { SlaClock } from '../../functions/domain/sla.js';

/**
 * A month of cases made by hand (November 2026, no holidays; Amsterdam is at +01:00), and the report's
 * figures worked out by hand from them, for the portfolio of economie and inkoop.
 */

const clock = (startedAt: string, due: string, more: Partial<SlaClock> = {}): SlaClock => ({
  startedAt,
  workingDays: 3,
  due,
  steps: { reminder: due, escalation: due },
  ...more,
});

const tag = (department: string, lead: boolean): Tag => ({
  department,
  lead,
  reasons: [{ kind: 'requestType', requestType: 'x' }],
});

function aCase(
  reference: string,
  input: {
    submitted: string;
    departments: [string, ...string[]];
    goals: string[];
    requestType: string;
    firstContact?: SlaClock;
    decision?: SlaClock;
    resolved?: string;
    events?: HistoryEvent[];
  },
): ReportCase {
  const [lead, ...others] = input.departments;
  return {
    reference,
    submittedAt: input.submitted,
    status: input.resolved === undefined ? 'assigned' : 'resolved',
    tags: [tag(lead, true), ...others.map((d) => tag(d, false))],
    clocks: {
      ...(input.firstContact === undefined ? {} : { firstContact: input.firstContact }),
      ...(input.decision === undefined ? {} : { decision: input.decision }),
    },
    notifications: {},
    history: [
      { type: 'submitted', version: 1, at: input.submitted },
      ...(input.events ?? []),
      ...(input.resolved === undefined
        ? []
        : [{ type: 'resolved' as const, version: 1 as const, at: input.resolved, by: 'x', outcome: '' }]),
    ],
    request: { goals: input.goals, requestType: input.requestType },
  };
}

const rated = (at: string, score: number, comment?: string): HistoryEvent => ({
  type: 'rated',
  version: 1,
  at,
  score,
  ...(comment === undefined ? {} : { comment }),
});

const CASES: ReportCase[] = [
  aCase('E1', {
    submitted: '2026-11-02T10:00:00+01:00',
    departments: ['economie', 'werk'],
    goals: ['work'],
    requestType: 'partnership',
    // Kept on Wednesday the 4th: 2 working days after Monday the 2nd.
    firstContact: clock('2026-11-02T10:00:00+01:00', '2026-11-05T17:00:00+01:00', {
      stoppedAt: '2026-11-04T09:00:00+01:00',
    }),
    decision: clock('2026-11-02T10:00:00+01:00', '2026-11-30T17:00:00+01:00', {
      stoppedAt: '2026-11-20T12:00:00+01:00',
    }),
    resolved: '2026-11-20T12:00:00+01:00',
    events: [rated('2026-11-21T09:00:00+01:00', 4, 'Snel geholpen')],
  }),
  aCase('E2', {
    submitted: '2026-11-03T10:00:00+01:00',
    departments: ['economie'],
    goals: ['work'],
    requestType: 'partnership',
    // Broken on Friday the 6th (due), made on Monday the 9th: 4 working days.
    firstContact: clock('2026-11-03T10:00:00+01:00', '2026-11-06T17:00:00+01:00', {
      stoppedAt: '2026-11-09T09:00:00+01:00',
    }),
    decision: clock('2026-11-03T10:00:00+01:00', '2026-12-01T17:00:00+01:00'),
    events: [
      {
        type: 'escalated',
        version: 1,
        at: '2026-11-10T09:00:00+01:00',
        clock: 'firstContact',
        to: 'coordinator',
        notification: 'step:firstContact:escalation',
      },
    ],
  }),
  aCase('E3', {
    submitted: '2026-11-05T10:00:00+01:00',
    departments: ['economie', 'zorg'],
    goals: ['care'],
    requestType: 'financing',
    firstContact: clock('2026-11-05T10:00:00+01:00', '2026-11-10T17:00:00+01:00', {
      stoppedAt: '2026-11-06T11:00:00+01:00',
    }),
    decision: clock('2026-11-05T10:00:00+01:00', '2026-11-27T17:00:00+01:00', {
      stoppedAt: '2026-11-26T15:00:00+01:00',
    }),
    resolved: '2026-11-26T15:00:00+01:00',
    events: [rated('2026-11-27T09:00:00+01:00', 5)],
  }),
  aCase('E4', {
    submitted: '2026-11-09T10:00:00+01:00',
    departments: ['economie'],
    goals: ['work'],
    requestType: 'partnership',
    firstContact: clock('2026-11-09T10:00:00+01:00', '2026-11-12T17:00:00+01:00', {
      stoppedAt: '2026-11-12T16:00:00+01:00',
    }),
    // Paused before its due moment: not settled.
    decision: clock('2026-11-09T10:00:00+01:00', '2026-11-25T17:00:00+01:00', {
      pausedAt: '2026-11-20T10:00:00+01:00',
    }),
  }),
  aCase('E5', {
    submitted: '2026-11-10T10:00:00+01:00',
    departments: ['economie', 'werk', 'wonen'],
    goals: ['work', 'environment', 'work'],
    requestType: 'question',
    // Never made: broken at its due moment, no first contact.
    firstContact: clock('2026-11-10T10:00:00+01:00', '2026-11-13T17:00:00+01:00'),
    decision: clock('2026-11-10T10:00:00+01:00', '2026-12-08T17:00:00+01:00'),
  }),
  aCase('E6', {
    submitted: '2026-10-26T10:00:00+01:00',
    departments: ['economie'],
    goals: ['work'],
    requestType: 'partnership',
    // Kept in October: not this month's.
    firstContact: clock('2026-10-26T10:00:00+01:00', '2026-10-29T17:00:00+01:00', {
      stoppedAt: '2026-10-28T10:00:00+01:00',
    }),
    // Stopped a day late: broken on the 23rd.
    decision: clock('2026-10-26T10:00:00+01:00', '2026-11-23T17:00:00+01:00', {
      stoppedAt: '2026-11-24T10:00:00+01:00',
    }),
    resolved: '2026-11-24T10:00:00+01:00',
    events: [rated('2026-11-25T09:00:00+01:00', 2, 'Duurde lang, "eindelijk", klaar')],
  }),
  aCase('E7', {
    submitted: '2026-11-16T10:00:00+01:00',
    departments: ['economie'],
    goals: ['neighbourhood'],
    requestType: 'procurement',
    firstContact: clock('2026-11-16T10:00:00+01:00', '2026-11-19T17:00:00+01:00', {
      stoppedAt: '2026-11-17T10:00:00+01:00',
    }),
    decision: clock('2026-11-16T10:00:00+01:00', '2026-12-14T17:00:00+01:00'),
  }),
  aCase('E8', {
    submitted: '2026-11-17T10:00:00+01:00',
    departments: ['werk', 'economie'],
    goals: ['work'],
    requestType: 'question',
    firstContact: clock('2026-11-17T10:00:00+01:00', '2026-11-20T17:00:00+01:00', {
      stoppedAt: '2026-11-18T10:00:00+01:00',
    }),
    events: [{ type: 'joined', version: 1, at: '2026-11-19T10:00:00+01:00', department: 'economie' }],
  }),
  // 1 December 00:30 in Amsterdam: December's, though still November in UTC.
  aCase('E9', {
    submitted: '2026-11-30T23:30:00.000Z',
    departments: ['economie'],
    goals: ['work'],
    requestType: 'partnership',
  }),
  // Outside the portfolio: zorg only.
  aCase('Z1', {
    submitted: '2026-11-20T10:00:00+01:00',
    departments: ['zorg'],
    goals: ['care'],
    requestType: 'question',
  }),
];

const postma = reportScopes(m).find((s) => s.departments.includes('economie'));
const NOW = new Date('2026-12-01T08:00:00+01:00');

describe('the monthly report', () => {
  it('makes one report per wethouder, their portfolio their departments, one for the municipality, and one for the college when it has an address', () => {
    const scopes = reportScopes(m);

    expect(scopes.map((s) => [s.id, s.to, s.departments])).toEqual([
      ['portfolio-economie', 'wethouder.postma@voorbeeld.example', ['economie', 'inkoop']],
      ['portfolio-werk', 'wethouder.elamrani@voorbeeld.example', ['werk', 'wijken']],
      ['portfolio-zorg', 'wethouder.vanleeuwen@voorbeeld.example', ['zorg', 'jeugd']],
      ['portfolio-duurzaamheid', 'wethouder.kok@voorbeeld.example', ['duurzaamheid', 'wonen']],
      ['municipality', m.coordinator.email, m.departments.map((d) => d.id)],
      ['college', 'college@voorbeeld.example', m.departments.map((d) => d.id)],
    ]);
    expect(reportScopes({ ...m, college: undefined }).map((s) => s.id)).not.toContain('college');
  });

  it("gives a wethouder's month the figures worked out by hand", () => {
    if (postma === undefined) throw new Error('no scope with economie');

    const report = monthlyReport({ cases: CASES, scope: postma, month: '2026-11', m, now: NOW });

    // Received in November (Amsterdam): E1-E5, E7, E8; E6 came in October, E9 in December, Z1 is zorg's.
    expect(report.received.total).toBe(7);
    // A goal counts once per request (E5 names work twice).
    expect(report.received.byGoal).toEqual([
      { id: 'work', count: 5 },
      { id: 'care', count: 1 },
      { id: 'environment', count: 1 },
      { id: 'neighbourhood', count: 1 },
    ]);
    expect(report.received.byRequestType).toEqual([
      { id: 'question', count: 2 },
      { id: 'partnership', count: 3 },
      { id: 'financing', count: 1 },
      { id: 'procurement', count: 1 },
    ]);
    // Only the portfolio's departments: werk, zorg and wonen are other wethouders'.
    expect(report.received.byDepartment).toEqual([{ id: 'economie', count: 7 }]);
    // E1, E3, E5 and E8 touch two or more departments: 4 of 7.
    expect(report.coherence.multiDepartment).toEqual({ count: 4, of: 7, percent: 57 });
    expect(report.coherence.joined).toEqual([{ id: 'economie', count: 1 }]);

    // Economie leads E1-E7 (E8 is werk's). First contacts settled in November: E1 kept, E2 broken, E3 kept,
    // E4 kept, E5 broken, E7 kept (E6's was October's): 4 of 6. Decisions: E1 and E3 kept, E6 broken on the
    // 23rd; E4 is paused, E2, E5 and E7 run into December: 3, too few to show.
    // Working days to first contact: E1 2, E2 4, E3 1, E4 3, E7 1: median 2.
    const economie = {
      department: 'economie',
      settled: { firstContact: 6, decision: 3 },
      kept: {
        firstContact: { shown: true, value: { count: 4, of: 6, percent: 67 } },
        decision: { shown: false },
      },
      firstContacts: 5,
      medianDaysToFirstContact: { shown: true, value: 2 },
    };
    expect(report.promises.byDepartment).toEqual([economie]);
    expect(report.promises.overall).toEqual({ ...economie, department: 'all' });

    expect(report.escalations).toEqual([
      {
        reference: 'E2',
        department: 'economie',
        clock: 'firstContact',
        to: 'coordinator',
        at: '2026-11-10T09:00:00+01:00',
      },
    ]);
    // Open on 30 November: E2 (19 working days), E4 (15), E5 (14), E7 (10), E8 (9). E1, E3, E6 were closed.
    expect(report.openByAge).toEqual([
      { band: '0-3', count: 0 },
      { band: '4-10', count: 2 },
      { band: '11-20', count: 3 },
      { band: '21+', count: 0 },
    ]);
    // Three answers (E1 4, E3 5, E6 2): too few for scores; the comments are shown with their case.
    expect(report.satisfaction).toEqual({
      answers: 3,
      scores: { shown: false },
      comments: [
        { reference: 'E1', score: 4, text: 'Snel geholpen' },
        { reference: 'E6', score: 2, text: 'Duurde lang, "eindelijk", klaar' },
      ],
    });
  });

  it('shows rates and scores from five cases on, and "too few cases" below', () => {
    if (postma === undefined) throw new Error('no scope with economie');
    const fewer = CASES.filter((c) => c.reference !== 'E7');
    const more = CASES.map((c) =>
      c.reference === 'E4' || c.reference === 'E5'
        ? { ...c, history: [...c.history, rated('2026-11-30T12:00:00+01:00', c.reference === 'E4' ? 3 : 1)] }
        : c,
    );

    const five = monthlyReport({ cases: fewer, scope: postma, month: '2026-11', m, now: NOW });
    const rated5 = monthlyReport({ cases: more, scope: postma, month: '2026-11', m, now: NOW });

    // Without E7: five first contacts settled (3 kept), four made: the median is too few.
    expect(five.promises.overall.kept.firstContact).toEqual({
      shown: true,
      value: { count: 3, of: 5, percent: 60 },
    });
    expect(five.promises.overall.medianDaysToFirstContact).toEqual({ shown: false });
    // Five answers: 4, 5, 2, 3, 1.
    expect(rated5.satisfaction.scores).toEqual({ shown: true, value: { mean: 3, counts: [1, 1, 1, 1, 1] } });
  });

  it('counts the months of Amsterdam, and a report on the first working day is about the month before', () => {
    const bounds = monthBounds('2026-03');

    expect(bounds.start.toISOString()).toBe('2026-02-28T23:00:00.000Z');
    // Summer time began on the 29th.
    expect(bounds.end.toISOString()).toBe('2026-03-31T22:00:00.000Z');
    expect(monthBefore(new Date('2026-12-01T07:00:00Z'))).toBe('2026-11');
    expect(monthBefore(new Date('2027-01-04T07:00:00Z'))).toBe('2026-12');
    // 1 January 00:30 in Amsterdam is still 31 December in UTC.
    expect(monthBefore(new Date('2026-12-31T23:30:00Z'))).toBe('2026-12');
  });

  it("sends the reports on the first working day of a month from the departments' digest time, that day only", () => {
    const at = (moment: string) => reportMoment(new Date(moment), m.digests, m.sla.calendar)?.period;

    // 1 January 2027 is New Year's Day, a Friday: the first working day is Monday the 4th.
    expect(firstWorkingDayOfMonth('2027-01-20', m.sla.calendar)).toBe('2027-01-04');
    expect(at('2027-01-01T09:00:00+01:00')).toBeUndefined();
    expect(at('2027-01-04T07:59:00+01:00')).toBeUndefined();
    expect(at('2027-01-04T08:00:00+01:00')).toBe('2027-01-04');
    expect(at('2027-01-04T23:45:00+01:00')).toBe('2027-01-04');
    expect(at('2027-01-05T08:00:00+01:00')).toBeUndefined();
    expect(at('2026-12-01T08:15:00+01:00')).toBe('2026-12-01');
    // The day a month's reports go out, as `npm run report` records them.
    expect(reportDayOf('2026-12', m.sla.calendar)).toBe('2027-01-04');
    expect(reportDayOf('2026-11', m.sla.calendar)).toBe('2026-12-01');
  });

  it('writes one CSV file per table that a CSV parser reads back as the figures', () => {
    if (postma === undefined) throw new Error('no scope with economie');
    const report = monthlyReport({ cases: CASES, scope: postma, month: '2026-11', m, now: NOW });

    const files = reportCsv(report, m);
    const read = (file: string) =>
      parse(files.get(file) ?? '', { columns: true }) as Record<string, string>[];

    expect([...files.keys()]).toEqual([
      'received-by-goal.csv',
      'received-by-request-type.csv',
      'received-by-department.csv',
      'coherence.csv',
      'joined.csv',
      'promises.csv',
      'escalations.csv',
      'open-by-age.csv',
      'satisfaction.csv',
    ]);
    const scope = 'portfolio-economie';
    expect(read('received-by-goal.csv')).toEqual([
      { month: '2026-11', scope, goal: 'work', requests: '5' },
      { month: '2026-11', scope, goal: 'care', requests: '1' },
      { month: '2026-11', scope, goal: 'environment', requests: '1' },
      { month: '2026-11', scope, goal: 'neighbourhood', requests: '1' },
    ]);
    expect(read('coherence.csv')).toEqual([
      {
        month: '2026-11',
        scope,
        requests: '7',
        two_or_more_departments: '4',
        two_or_more_departments_percent: '57',
      },
    ]);
    const promiseRow = {
      month: '2026-11',
      scope,
      first_contact_due: '6',
      first_contact_kept: '4',
      first_contact_kept_percent: '67',
      decision_due: '3',
      // Too few: left empty, never a number that rests on fewer than five cases.
      decision_kept: '',
      decision_kept_percent: '',
      first_contacts: '5',
      median_working_days_to_first_contact: '2',
    };
    expect(read('promises.csv')).toEqual([
      { ...promiseRow, department: 'economie' },
      { ...promiseRow, department: 'all' },
    ]);
    expect(read('escalations.csv')).toEqual([
      {
        month: '2026-11',
        scope,
        reference: 'E2',
        department: 'economie',
        promise: 'firstContact',
        to: 'coordinator',
        at: '2026-11-10T09:00:00+01:00',
      },
    ]);
    expect(read('open-by-age.csv').map((row) => [row.age_working_days, row.requests])).toEqual([
      ['0-3', '0'],
      ['4-10', '2'],
      ['11-20', '3'],
      ['21+', '0'],
    ]);
    expect(read('satisfaction.csv')).toEqual([
      {
        month: '2026-11',
        scope,
        answers: '3',
        mean_score: '',
        score_1: '',
        score_2: '',
        score_3: '',
        score_4: '',
        score_5: '',
      },
    ]);
    // No comment goes into a file for other tools: comments are personal data, removed with the case.
    expect([...files.values()].join('')).not.toContain('Snel geholpen');
  });

  it('documents every column of every CSV file in docs/report.md', async () => {
    if (postma === undefined) throw new Error('no scope with economie');
    const report = monthlyReport({ cases: CASES, scope: postma, month: '2026-11', m, now: NOW });
    const docs = await readFile(new URL('../../docs/report.md', import.meta.url), 'utf8');

    for (const table of reportTables(report, m)) {
      const section = docs.split(`### \`${table.file}.csv\``)[1]?.split('\n### ')[0];
      expect(section, `docs/report.md has no section on ${table.file}.csv`).toBeDefined();
      const documented = new Set(
        [...(section ?? '').matchAll(/^\| `([a-z0-9_]+)`/gm)].map((match) => match[1]),
      );
      if (section?.includes('`score_1` … `score_5`'))
        for (const n of [1, 2, 3, 4, 5]) documented.add(`score_${n}`);
      for (const column of table.columns)
        expect(documented.has(column.id), `${table.file}.csv: ${column.id}`).toBe(true);
    }
  });

  it('writes the report e-mail with its tables, its bars, "te weinig zaken" and the comments, escaped', () => {
    if (postma === undefined) throw new Error('no scope with economie');
    const report = monthlyReport({ cases: CASES, scope: postma, month: '2026-11', m, now: NOW });

    const mail = monthlyReportMail(report, m);

    expect(mail.to).toBe('wethouder.postma@voorbeeld.example');
    expect(mail.subject).toBe('Maandrapportage november 2026: Wethouder Economie, Karin Postma');
    expect(mail.text).toContain('Aanvragen per doel:\nDoel | Aanvragen\nWerk');
    expect(mail.text).toContain('te weinig zaken');
    expect(mail.text).toContain('E6 (2 van 5): Duurde lang, "eindelijk", klaar');
    expect(mail.html).toContain('E6 (2 van 5): Duurde lang, &quot;eindelijk&quot;, klaar');
    expect(mail.html).not.toMatch(/<script|<style/);
    // The largest count of a table gets the longest bar.
    expect(mail.html).toContain('width="160"');
  });
});
