import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { municipality } from '../../config/index.js';
import { dynamoCaseStore } from '../../functions/adapters/cases.js';
import type { ActionClaims } from '../../functions/domain/action-link.js';
import { planAction } from '../../functions/domain/actions.js';
import { resolutionFor } from '../../functions/domain/archive.js';
import { assign, type ContactChoice, submitCase, tagDepartments } from '../../functions/domain/case.js';
import type { NotificationKind } from '../../functions/domain/notification-kind.js';
import { planRating } from '../../functions/domain/satisfaction.js';
import { hashToken } from '../../functions/domain/token.js';
import type { DigestRun } from '../../functions/use-cases/run-digest-job.js';
import { required } from '../support/cases.js';
import { type RoutingSystem, requestBody, startRoutingSystem } from '../support/local.js';
import type { StoredEmail } from '../support/mailbox.js';

/**
 * A month replayed on the embedded emulators (November 2026: no holidays, Amsterdam at +01:00): cases
 * submitted, routed, contacted, joined and resolved at chosen moments through the same store writes the
 * functions make; then the digest job on the first working day of December sends the monthly reports, and
 * `npm run report` writes their CSV files. The figures are worked out by hand below.
 */

/** A description in which no keyword rule of the example finds anything. */
const PLAIN = 'Wij repareren fietsen met mensen die lang thuis zaten';
/** Werk leads (the goal "work"); economie is involved (partnership). */
const GOALS = ['work'];
const werk = required(
  municipality.departments.find((d) => d.id === 'werk'),
  'department werk',
);
const contactOfficial = required(
  municipality.officials.find((o) => o.departments.includes('werk')),
  'an official of werk',
);
const REPORT_MOMENT = '2026-12-01T08:00:00+01:00';
const isReport = (mail: StoredEmail) => /^(Maandrapportage|Monthly report) /.test(mail.subject);

/** The cases of the month, each of its own enterprise, and what happens to them, when. */
const MONTH = [
  // First contact kept (Wednesday the 4th: 2 working days), resolved in time on the 20th.
  {
    n: 1,
    submitted: '2026-11-02T10:00:00+01:00',
    contact: '2026-11-04T10:00:00+01:00',
    resolve: '2026-11-20T12:00:00+01:00',
    // The enterprise answers the satisfaction form the Monday after.
    rate: '2026-11-23T09:00:00+01:00',
  },
  // First contact late (due Friday the 6th at 17:00), made on Monday the 9th: 4 working days.
  { n: 2, submitted: '2026-11-03T10:00:00+01:00', contact: '2026-11-09T09:00:00+01:00' },
  // Kept (1 working day); economie joins in on the 12th.
  {
    n: 3,
    submitted: '2026-11-05T10:00:00+01:00',
    contact: '2026-11-06T11:00:00+01:00',
    join: '2026-11-12T10:00:00+01:00',
  },
  // Kept an hour before it was due (3 working days).
  { n: 4, submitted: '2026-11-09T10:00:00+01:00', contact: '2026-11-12T16:00:00+01:00' },
  // Never contacted: broken on Friday the 13th at 17:00, went to the coordinator then, to the wethouder on the 17th.
  {
    n: 5,
    submitted: '2026-11-10T10:00:00+01:00',
    breach: '2026-11-13T17:00:00+01:00',
    escalation: '2026-11-17T17:00:00+01:00',
  },
  // Kept (1 working day).
  { n: 6, submitted: '2026-11-16T10:00:00+01:00', contact: '2026-11-17T10:00:00+01:00' },
] as const;

const referenceOf = (n: number) => `AP-RPRT-000${n}`;

describe('the monthly reports of a replayed month', () => {
  let local: RoutingSystem;
  let csvDir: string;

  beforeAll(async () => {
    local = await startRoutingSystem('report');
    csvDir = await mkdtemp(join(tmpdir(), 'aanspreekpunt-report-csv-'));
    const client = new DynamoDBClient({
      endpoint: local.system.urls.dynamodb,
      region: 'eu-west-1',
      credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
    });
    // As the functions write (undefined optional fields left out).
    const db = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
    const store = dynamoCaseStore(db, local.system.tables.cases);
    const chosen: ContactChoice = {
      contact: {
        kind: 'official',
        id: contactOfficial.id,
        name: contactOfficial.name,
        email: contactOfficial.email,
        language: contactOfficial.language,
        departments: [...contactOfficial.departments],
      },
      choice: 'coverage',
    };
    const claims = (reference: string, action: ActionClaims['action'], official: string): ActionClaims => ({
      id: `link-${action}-${reference}`,
      reference,
      official,
      action,
      lang: 'nl',
      expiresAt: '2027-01-01T00:00:00Z',
    });
    const act = async (
      reference: string,
      action: ActionClaims['action'],
      at: string,
      official = contactOfficial.id,
    ) => {
      const c = required(await store.get(reference), reference);
      const moment = new Date(at);
      const resolved = resolutionFor(municipality, c.request.requestType, 'granted', moment);
      if (!resolved.ok) throw new Error(resolved.problem);
      const change = planAction(c, claims(reference, action, official), moment, municipality.sla.calendar, {
        text: 'Afgehandeld',
        resolution: resolved.resolution,
      });
      if (!(await store.applyAction(change)))
        throw new Error(`test setup: ${action} on ${reference} refused`);
    };
    const step = (step: 'breach' | 'escalation', to: 'coordinator' | 'wethouder'): NotificationKind => ({
      type: 'step',
      clock: 'firstContact',
      step,
      to,
    });
    try {
      for (const c of MONTH) {
        const reference = referenceOf(c.n);
        const request = requestBody({
          kvkNumber: String(33_000_000 + c.n),
          goals: GOALS,
          requestType: 'partnership',
          description: `${PLAIN} (maand, verzoek ${c.n}).`,
        });
        const submittedAt = new Date(c.submitted);
        const submitted = submitCase({
          request,
          reference,
          tokenHash: hashToken(reference),
          now: submittedAt,
        });
        if ((await store.create(submitted)) !== 'created') throw new Error(`test setup: ${reference} exists`);
        const tags = tagDepartments(request, municipality);
        const assignment = assign(submitted, tags, chosen, submittedAt, municipality.sla);
        if ((await store.assign(assignment)) === undefined)
          throw new Error(`test setup: ${reference} not assigned`);
        if ('contact' in c) await act(reference, 'contact-made', c.contact);
        if ('join' in c) await act(reference, 'join', c.join, 'economie');
        if ('resolve' in c) await act(reference, 'resolve', c.resolve);
        if ('rate' in c) {
          const resolved = required(await store.get(reference), reference);
          const claims = {
            survey: 'satisfaction',
            case: reference,
            lang: 'nl',
            expiresAt: '2027-01-01T00:00:00Z',
          } as const;
          const rating = { score: 4, comment: 'Snel een vast aanspreekpunt, dank!' };
          if (!(await store.recordRating(planRating(resolved, claims, rating, new Date(c.rate)))))
            throw new Error(`test setup: rating of ${reference} refused`);
        }
        if ('breach' in c) {
          await store.recordNotification(
            reference,
            step('breach', 'coordinator'),
            'ses-breach',
            new Date(c.breach),
          );
          await store.recordNotification(
            reference,
            step('escalation', 'wethouder'),
            'ses-escalation',
            new Date(c.escalation),
          );
        }
      }
    } finally {
      client.destroy();
    }
  });

  afterAll(async () => {
    await local?.stop();
    if (csvDir !== undefined) await rm(csvDir, { recursive: true, force: true });
  });

  /** `npm run report -- <args>` against the local system: its exit code and output. */
  const report = async (...args: string[]) => {
    const port = (url: string) => new URL(url).port;
    const env = {
      ...process.env,
      NODE_OPTIONS: '',
      DYNAMODB_PORT: port(local.system.urls.dynamodb),
      MAIL_PORT: port(local.system.urls.ses),
    };
    try {
      const { stdout, stderr } = await promisify(execFile)(
        process.execPath,
        ['--import', 'tsx', 'scripts/report.ts', '--table', local.system.tables.cases, ...args],
        { env },
      );
      return { code: 0, stdout, stderr };
    } catch (error) {
      const failed = error as { code?: number; stdout?: string; stderr?: string };
      return { code: failed.code ?? -1, stdout: failed.stdout ?? '', stderr: failed.stderr ?? '' };
    }
  };

  it('sends each wethouder, the coordinator and the college their report of the month before, once, with the figures worked out by hand', async () => {
    // Act: the digest job at the first working day of December, twice
    const first = (await local.system.invoke('digest', { scheduledTime: REPORT_MOMENT })) as DigestRun;
    const reportsAfterFirst = (await local.mails()).filter(isReport);
    const second = (await local.system.invoke('digest', { scheduledTime: REPORT_MOMENT })) as DigestRun;
    const reportsAfterSecond = (await local.mails()).filter(isReport);

    // Assess: one report per wethouder's office and one to the coordinator, none again
    const offices = [...new Set(municipality.departments.map((d) => d.wethouder.office))];
    expect(first.reports?.month).toBe('2026-11');
    expect(Object.values(first.reports?.reports ?? {}).map((r) => r.outcome)).toEqual(
      Array(offices.length + 2).fill('sent'),
    );
    expect(reportsAfterFirst.flatMap((m) => m.destination.to).sort()).toEqual(
      [
        ...offices,
        municipality.coordinator.email,
        required(municipality.college, 'the college').email,
      ].sort(),
    );
    expect(Object.values(second.reports?.reports ?? {}).map((r) => r.outcome)).toEqual(
      Array(offices.length + 2).fill('recorded'),
    );
    expect(reportsAfterSecond).toHaveLength(reportsAfterFirst.length);

    // The wethouder of werk: 6 requests, all touching werk and economie. First contacts settled: 1, 3, 4, 6
    // kept; 2 late, 5 broken: 4 of 6 (67%). Decisions settled: 1 (kept): too few. Working days to first
    // contact: 2, 4, 1, 3, 1: median 2. Case 5 escalated twice. All but case 1 open at the month's end:
    // 2 (19 working days), 3 (17), 4 (15), 5 (14): 11-20; 6 (10): 4-10.
    const mail = required(
      reportsAfterFirst.find((m) => m.destination.to.includes(werk.wethouder.office)),
      "werk's wethouder's report",
    );
    const text = mail.body.text ?? '';
    const name = (id: string) =>
      required(
        municipality.departments.find((d) => d.id === id),
        id,
      ).name.nl;
    expect(mail.subject).toBe(`Maandrapportage november 2026: ${werk.wethouder.name}`);
    expect(text).toContain(`Aanvragen per afdeling:\nAfdeling | Aanvragen\n${name('werk')} | 6\n`);
    expect(text).toContain(
      'Beleidssamenhang:\nAanvragen | Raken 2 of meer afdelingen | Aandeel\n6 | 6 | 100%\n',
    );
    expect(text).toContain(`${name('werk')} | 6 | 4 | 67% | 1 | te weinig zaken | te weinig zaken | 5 | 2\n`);
    expect(text).toContain(`${referenceOf(5)} | ${name('werk')} | eerste contact | coördinator |`);
    expect(text).toContain(`${referenceOf(5)} | ${name('werk')} | eerste contact | wethouder |`);
    expect(text).toContain('0-3 | 0\n4-10 | 1\n11-20 | 4\n21+ | 0\n');
    // One answer (case 1, 4 of 5): too few for scores; its comment with its reference.
    expect(text).toContain('Antwoorden | Gemiddelde (1-5) | 1 | 2 | 3 | 4 | 5\n1 | te weinig zaken |');
    expect(text).toContain(
      `Wat ondernemingen schreven:\n- ${referenceOf(1)} (4 van 5): Snel een vast aanspreekpunt, dank!`,
    );
    // Economie's wethouder sees the join (economie's portfolio), not werk's promises (werk leads).
    const economie = required(
      municipality.departments.find((d) => d.id === 'economie'),
      'economie',
    );
    const theirs = required(
      reportsAfterFirst.find((m) => m.destination.to.includes(economie.wethouder.office)),
      "economie's wethouder's report",
    );
    expect(theirs.body.text).toContain(
      `Afdelingen die meedenken:\nAfdeling | Keer meegedacht\n${name('economie')} | 1\n`,
    );
    expect(theirs.body.text).toContain('Toezeggingen nagekomen:\nAfdeling |');
    expect(theirs.body.text).not.toContain(`${name('werk')} | 6 | 4 | 67%`);
  });

  it('writes the CSV files with `npm run report`, which a CSV parser reads as the same figures', async () => {
    // Act
    const run = await report('--month', '2026-11', '--csv', csvDir);
    const wrong = await report('--month', 'november');

    // Assess: the reports were sent by the digest job before, so not again; the files are there
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('portfolio-werk: sent before, not again');
    const read = async (file: string) =>
      parse(await readFile(join(csvDir, '2026-11', 'portfolio-werk', file), 'utf8'), {
        columns: true,
      }) as Record<string, string>[];
    // Werk is the only lead department: its line and the portfolio's (`all`) are the same.
    const promises = {
      month: '2026-11',
      scope: 'portfolio-werk',
      first_contact_due: '6',
      first_contact_kept: '4',
      first_contact_kept_percent: '67',
      decision_due: '1',
      decision_kept: '',
      decision_kept_percent: '',
      first_contacts: '5',
      median_working_days_to_first_contact: '2',
    };
    expect(await read('promises.csv')).toEqual([
      { ...promises, department: 'werk' },
      { ...promises, department: 'all' },
    ]);
    expect((await read('escalations.csv')).map((row) => [row.reference, row.to, row.at])).toEqual([
      [referenceOf(5), 'coordinator', '2026-11-13T16:00:00.000Z'],
      [referenceOf(5), 'wethouder', '2026-11-17T16:00:00.000Z'],
    ]);
    expect((await read('open-by-age.csv')).map((row) => row.requests)).toEqual(['0', '1', '4', '0']);
    expect((await read('satisfaction.csv')).map((row) => [row.answers, row.mean_score])).toEqual([['1', '']]);
    // No comment in a file for other tools.
    const files = await Promise.all(
      ['satisfaction.csv', 'escalations.csv', 'promises.csv'].map((file) =>
        readFile(join(csvDir, '2026-11', 'portfolio-werk', file), 'utf8'),
      ),
    );
    expect(files.join('')).not.toContain('aanspreekpunt, dank');
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toContain('--month: a month: YYYY-MM');
  });
});
