import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { paginateScan } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { municipality } from '../../config/index.js';
import { addPeriod } from '../../functions/domain/archive.js';
import { amsterdamDay } from '../../functions/domain/calendar.js';
import { type RoutingSystem, requestBody, startRoutingSystem } from '../support/local.js';
import { eventually, linkAfter } from '../support/mailbox.js';

const run = promisify(execFile);

/**
 * Retention on the local system (issue 16): a case resolved with each result of the process types the demo
 * municipality's request types are archived under; the retention job replayed with `npm run retention --
 * --at` a year after closing (the personal data gone from every item of the table, the report figures
 * unchanged, the one-year results destroyed with a deletion record), on each archive action date (the case
 * gone, its deletion record kept), a dry run that changes nothing, and the year's destruction list as CSV.
 */
describe('retention: personal data removed after a year, cases destroyed on their archive action date', () => {
  let local: RoutingSystem;
  beforeAll(async () => {
    local = await startRoutingSystem('retention');
  });
  afterAll(async () => {
    await local?.stop();
  });

  /** The cases: each result of handling requests (6) and of a subsidy (8), with a marked contact of its own. */
  const RESULTS = [
    { requestType: 'partnership', result: 'granted', period: 'P5Y' },
    { requestType: 'question', result: 'granted-financial', period: 'P7Y' },
    { requestType: 'procurement', result: 'rejected', period: 'P1Y' },
    { requestType: 'housing', result: 'withdrawn', period: 'P1Y' },
    { requestType: 'financing', result: 'granted', period: 'P7Y', from: 'P2Y' },
    { requestType: 'financing', result: 'refused', period: 'P5Y' },
    { requestType: 'financing', result: 'withdrawn', period: 'P1Y' },
  ] as const;
  const mark = (i: number) => `Zqmarker${i}`;
  const phoneOf = (i: number) => `+3161234560${i}`;

  /** `npm run retention -- <args>` against the local system's table; its output. */
  const retention = async (...args: string[]) => {
    const { stdout } = await run(
      process.execPath,
      [
        '--import',
        'tsx',
        'scripts/retention.ts',
        ...args,
        '--endpoint',
        local.system.urls.dynamodb,
        '--table',
        local.system.tables.cases,
      ],
      { env: { ...process.env, NODE_OPTIONS: '' } },
    ).catch((error: { stdout?: string; stderr?: string }) => {
      throw new Error(`npm run retention -- ${args.join(' ')} failed:\n${error.stdout}\n${error.stderr}`);
    });
    return stdout;
  };

  /** Every item of the table, as stored (a scan: the test looks at everything). */
  const scan = async (): Promise<Record<string, unknown>[]> => {
    const items: Record<string, unknown>[] = [];
    for await (const page of paginateScan({ client: local.db }, { TableName: local.system.tables.cases }))
      items.push(...(page.Items ?? []));
    return items;
  };
  const caseItems = async () =>
    (await scan()).filter((i) => i.sk === 'CASE' && String(i.pk).startsWith('CASE#'));

  /** What the reports read of a case: goals, departments, dates, promises and whether they were kept, result. */
  const figures = (item: Record<string, unknown>) => {
    const c = item as {
      pk: string;
      status: string;
      submittedAt: string;
      assignedAt?: string;
      request: { goals: string[]; requestType: string; organisation: unknown };
      tags: { department: string; lead: boolean }[];
      clocks: Record<string, { due: string; stoppedAt?: string }>;
      archive: unknown;
      history: { type: string; at: string; result?: string; score?: number }[];
    };
    const resolved = c.history.find((h) => h.type === 'resolved');
    return {
      reference: c.pk,
      status: c.status,
      submittedAt: c.submittedAt,
      assignedAt: c.assignedAt,
      goals: c.request.goals,
      requestType: c.request.requestType,
      organisation: c.request.organisation,
      departments: c.tags,
      promises: Object.fromEntries(
        Object.entries(c.clocks).map(([name, clock]) => [
          name,
          { due: clock.due, stoppedAt: clock.stoppedAt, kept: (clock.stoppedAt ?? '') <= clock.due },
        ]),
      ),
      resolvedAt: resolved?.at,
      result: resolved?.result,
      archive: c.archive,
      // The enterprise's satisfaction score (its comment goes with the personal data).
      scores: c.history.flatMap((h) => (h.type === 'rated' ? [h.score] : [])),
    };
  };

  it('removes the personal data after a year, keeps the figures, and destroys each case on its archive action date', async () => {
    // Prepare: each case submitted, routed and resolved with its result through the official's link
    const cases: { reference: string; closed: string; actionDate: string }[] = [];
    for (const [i, r] of RESULTS.entries()) {
      const body = requestBody({
        kvkNumber: `6100000${i}`,
        goals: ['work'],
        requestType: r.requestType,
        description: `${mark(i)} vraagt hulp bij een plan voor leerwerkplekken in de wijk.`,
      });
      const { reference, statusUrl } = await local.submit({
        ...body,
        contact: {
          name: `Anna ${mark(i)}`,
          email: `${mark(i).toLowerCase()}@onderneming.example`,
          phone: phoneOf(i),
        },
      });
      const { contact, mails } = await local.routed(reference);
      const assignment = mails.find((m) => m.destination.to.includes(contact.email));
      if (i === 0) {
        // The first case is paused with a question and answered on its status page, both with the mark
        const form = { 'content-type': 'application/x-www-form-urlencoded' };
        await fetch(linkAfter(assignment?.body.text ?? '', /^(Pauzeren|Pause)/), {
          method: 'POST',
          headers: form,
          body: new URLSearchParams({ reason: `Wat doet ${mark(i)} precies?` }).toString(),
        });
        const answered = await fetch(`${statusUrl.split('?')[0]}/answer`, {
          method: 'POST',
          headers: form,
          body: new URLSearchParams({
            token: new URL(statusUrl).searchParams.get('token') ?? '',
            answer: `${mark(i)} leidt mensen op; bel ${phoneOf(i)}.`,
          }).toString(),
          redirect: 'manual',
        });
        expect(answered.status).toBe(303);
        await eventually(async () => {
          const c = await local.cases.get(reference);
          return c?.notifications['answer:1'] !== undefined ? c : undefined;
        });
      }
      const closed = amsterdamDay(new Date());
      const from = 'from' in r ? addPeriod(closed, r.from) : undefined;
      const answer = await fetch(linkAfter(assignment?.body.text ?? '', /^(Afronden|Resolve)/), {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          result: r.result,
          outcome: `Afgehandeld met ${mark(i)}.`,
          ...(from === undefined ? {} : { from }),
        }).toString(),
      });
      expect(answer.status, `${r.requestType} ${r.result}`).toBe(200);
      // The enterprise answers the satisfaction e-mail, with a comment that names it
      const asked = await eventually(async () =>
        (await local.mailsOf(reference)).find((m) => m.subject.startsWith('Hoe was de samenwerking')),
      );
      const rated = await fetch(linkAfter(asked.body.text ?? '', /^Geef uw oordeel/), {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          score: String((i % 5) + 1),
          comment: `${mark(i)} was tevreden.`,
        }).toString(),
      });
      expect(rated.status).toBe(200);
      cases.push({ reference, closed, actionDate: addPeriod(from ?? closed, r.period) });
    }
    const marks = RESULTS.flatMap((_, i) => [mark(i), mark(i).toLowerCase(), phoneOf(i).slice(3)]);
    const holdsMark = (item: unknown) => marks.some((m) => JSON.stringify(item).includes(m));
    const before = await caseItems();
    expect(before).toHaveLength(RESULTS.length);
    expect(before.every(holdsMark)).toBe(true);
    for (const [i, c] of cases.entries()) {
      const item = before.find((b) => b.pk === `CASE#${c.reference}`);
      expect(item?.archive, RESULTS[i]?.result).toMatchObject({
        nomination: 'destroy',
        actionDate: c.actionDate,
      });
    }
    const closed = cases[0]?.closed ?? '';
    const yearLater = `${addPeriod(closed, 'P12M')}T03:00:00+01:00`;

    // Act: a dry run a year after closing
    const everything = await scan();
    const dry = await retention('--at', yearLater, '--dry-run');

    // Assess: it says what it would do, and nothing changed
    expect(dry).toContain('dry run: nothing changed');
    expect(dry).toContain('would anonymise 4, would destroy 3, failed 0');
    expect(await scan()).toEqual(everything);

    // Act: the run a year after closing
    const yearRun = await retention('--at', yearLater);

    // Assess: the one-year results are destroyed, the others anonymised
    expect(yearRun).toContain('anonymised 4, destroyed 3, failed 0');
    const afterYear = await scan();
    // No item of the table holds a name, an e-mail address, a phone number or a description any more
    expect(afterYear.filter(holdsMark)).toEqual([]);
    expect(afterYear.some((i) => String(i.pk).startsWith('FINGERPRINT#'))).toBe(false);
    const anonymised = afterYear.filter((i) => i.sk === 'CASE' && String(i.pk).startsWith('CASE#'));
    expect(anonymised).toHaveLength(4);
    for (const item of anonymised) {
      const was = before.find((b) => b.pk === item.pk);
      expect(figures(item)).toEqual(figures(was ?? {}));
      expect(figures(item).scores).toHaveLength(1);
      expect(item.request).not.toHaveProperty('contact');
      expect(item.request).not.toHaveProperty('description');
      expect((item.history as { type: string }[]).at(-1)?.type).toBe('anonymised');
    }
    const destroyedRefs = cases.filter((_, i) => RESULTS[i]?.period === 'P1Y').map((c) => c.reference);
    for (const reference of destroyedRefs) {
      expect(afterYear.find((i) => i.pk === `CASE#${reference}` && i.sk === 'CASE')).toBeUndefined();
      const record = afterYear.find((i) => i.pk === `CASE#${reference}` && i.sk === 'DESTROYED');
      expect(record?.deleted).toMatchObject({ reference, resolvedAt: expect.any(String) });
      expect(record).not.toHaveProperty('expiresAt');
    }
    // A second run at the same moment does nothing more
    expect(await retention('--at', yearLater)).toContain('anonymised 0, destroyed 0, failed 0');

    // Act and assess: on each archive action date exactly the cases due then are destroyed
    const remaining = cases.filter((c) => !destroyedRefs.includes(c.reference));
    for (const day of [...new Set(remaining.map((c) => c.actionDate))].sort()) {
      const dueThen = remaining.filter((c) => c.actionDate === day).map((c) => c.reference);
      const eve = new Date(Date.parse(`${day}T12:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
      const early = await retention('--at', `${eve}T23:00:00+01:00`, '--dry-run');
      for (const reference of dueThen) expect(early).not.toContain(reference);
      const due = await retention('--at', `${day}T02:00:00+01:00`);
      expect(due).toContain(`anonymised 0, destroyed ${dueThen.length}, failed 0`);
      const items = await scan();
      for (const reference of dueThen) {
        expect(due).toContain(`destroyed ${reference} (archive action date ${day})`);
        expect(
          items.find((i) => i.pk === `CASE#${reference}` && i.sk === 'CASE'),
          reference,
        ).toBeUndefined();
        expect(items.find((i) => i.pk === `CASE#${reference}` && i.sk === 'DESTROYED')).toBeDefined();
      }
    }
    const left = await scan();
    expect(left.filter((i) => i.sk === 'CASE' && String(i.pk).startsWith('CASE#'))).toEqual([]);
    expect(left.filter((i) => i.sk === 'DESTROYED')).toHaveLength(RESULTS.length);
    expect(left.filter((i) => i.sk === 'DESTROYED' && 'expiresAt' in i)).toEqual([]);

    // The destruction list of the year a year after closing: the three one-year cases, as CSV
    const year = Number(yearLater.slice(0, 4));
    const csv = (await retention('report', '--year', String(year))).trim().split('\n');
    expect(csv[0]).toBe(
      'reference,processType,selectielijst,result,requestType,submittedAt,resolvedAt,actionDate,destroyedAt',
    );
    expect(
      csv
        .slice(1)
        .map((line) => line.split(',')[0])
        .sort(),
    ).toEqual([...destroyedRefs].sort());
    expect(
      csv
        .slice(1)
        .map((line) => line.split(',')[2])
        .sort(),
    ).toEqual(['6.2', '6.3', '8.4']);
    expect(csv.some((line) => marks.some((m) => line.includes(m)))).toBe(false);
    expect(local.errors).toEqual([]);
    expect(municipality.retention.anonymiseAfter).toBe('P12M');
  }, 180_000);
});
