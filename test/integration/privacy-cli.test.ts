import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { paginateScan } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addPeriod } from '../../functions/domain/archive.js';
import { amsterdamDay } from '../../functions/domain/calendar.js';
import { submittedCase } from '../support/cases.js';
import { type RoutingSystem, requestBody, startRoutingSystem } from '../support/local.js';
import { linkAfter } from '../support/mailbox.js';

const run = promisify(execFile);

/**
 * A person's rights over their data on the local system (issue 16): `npm run privacy -- export` prints the
 * cases of an address (in any case) and not another enterprise's, with its suppression-list entry and its
 * request counts; `erase --dry-run` changes nothing; `erase` removes the personal data of the resolved case
 * from every item of the table and keeps the open case and the case closed before results existed, each with
 * its reason; wrong usage exits with 2. The tests run in order on one system: export, dry run, erase.
 */
describe('npm run privacy: export and erase the data of an enterprise contact', () => {
  let local: RoutingSystem;
  afterAll(async () => {
    await local?.stop();
  });

  /** `npm run privacy -- <args>`: its exit code and output. */
  const script = async (args: readonly string[]) => {
    try {
      const { stdout, stderr } = await run(
        process.execPath,
        ['--import', 'tsx', 'scripts/privacy.ts', ...args],
        { env: { ...process.env, NODE_OPTIONS: '' } },
      );
      return { code: 0, stdout, stderr };
    } catch (error) {
      const failed = error as { code?: number; stdout?: string; stderr?: string };
      return { code: failed.code ?? -1, stdout: failed.stdout ?? '', stderr: failed.stderr ?? '' };
    }
  };
  /** `npm run privacy -- <args>` against the local system's table. */
  const privacy = (...args: string[]) =>
    script([...args, '--endpoint', local.system.urls.dynamodb, '--table', local.system.tables.cases]);

  /** Every item of the table, as stored. */
  const scan = async (): Promise<Record<string, unknown>[]> => {
    const items: Record<string, unknown>[] = [];
    for await (const page of paginateScan({ client: local.db }, { TableName: local.system.tables.cases }))
      items.push(...(page.Items ?? []));
    return items;
  };

  /** The person: one address (typed in mixed case), a resolved case and an open one. */
  const ADDRESS = 'Anna.Zqprivacy@Onderneming.example';
  const NAME = 'Anna Zqprivacy';
  const PHONE = '+31 6 98765432';
  const RESOLVED_TEXT = 'Zqresolved vraagt hulp bij een plan voor leerwerkplekken in de wijk.';
  const OPEN_TEXT = 'Zqopen vraagt om een gesprek over inkoop met sociale waarde.';
  const OTHER_ADDRESS = 'piet.zqother@anders.example';
  /** A case resolved before results existed: no archive consequences. */
  const OLD_REFERENCE = 'AP-2345-6789';

  let resolved = '';
  let open = '';
  let other = '';

  /** Prepare: the system, the person's three cases (one resolved through its action link), another's case. */
  beforeAll(async () => {
    local = await startRoutingSystem('privacy');
    const submitAs = async (
      kvkNumber: string,
      description: string,
      contact: { name: string; email: string; phone: string },
    ) => {
      const body = requestBody({ kvkNumber, goals: ['work'], requestType: 'partnership', description });
      const { reference } = await local.submit({ ...body, contact });
      return reference;
    };
    const person = { name: NAME, email: ADDRESS, phone: PHONE };
    resolved = await submitAs('62000001', RESOLVED_TEXT, person);
    open = await submitAs('62000001', OPEN_TEXT, person);
    other = await submitAs('62000002', 'Zqother zoekt een plek voor een buurtwerkplaats.', {
      name: 'Piet Zqother',
      email: OTHER_ADDRESS,
      phone: '+31 6 11223344',
    });
    const { contact, mails } = await local.routed(resolved);
    await local.routed(open);
    await local.routed(other);
    const assignment = mails.find((m) => m.destination.to.includes(contact.email));
    const answer = await fetch(linkAfter(assignment?.body.text ?? '', /^(Afronden|Resolve)/), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ result: 'granted', outcome: 'Afgehandeld met Zqoutcome.' }).toString(),
    });
    expect(answer.status).toBe(200);
    const old = submittedCase(OLD_REFERENCE);
    await local.cases.create({
      ...old,
      request: { ...old.request, contact: { name: NAME, email: ADDRESS.toLowerCase() } },
      status: 'resolved',
      nextAt: undefined,
    });
    await local.cases.suppress(ADDRESS, 'bounce', new Date('2026-01-05T10:00:00Z'));
  }, 120_000);

  it('exports the cases of the address in any case, whole with their history, and not another enterprise’s', async () => {
    // Act
    const { code, stdout } = await privacy('export', '--email', ` ${ADDRESS.toUpperCase()} `);

    // Assess
    expect(code).toBe(0);
    const exported = JSON.parse(stdout) as {
      address: string;
      cases: {
        reference: string;
        status: string;
        request: { contact: { email: string; name: string }; description: string };
        history: { type: string; notification?: string }[];
        archive?: { result: string };
      }[];
      suppressionList: { listed: boolean; reason?: string; since?: string };
      requestCounts: { windowStart: string; requests: number; expiresAt: string }[];
      notes: string[];
    };
    expect(exported.address).toBe(ADDRESS.toLowerCase());
    expect(exported.cases.map((c) => c.reference)).toEqual([OLD_REFERENCE, resolved, open].sort());
    expect(stdout).not.toContain(other);
    expect(stdout).not.toContain(OTHER_ADDRESS);
    const [first] = exported.cases.filter((c) => c.reference === resolved);
    expect(first?.request.contact).toMatchObject({ email: ADDRESS, name: NAME });
    expect(first?.request.description).toBe(RESOLVED_TEXT);
    expect(first?.archive?.result).toBe('granted');
    // The history is the whole one: the stored events and the e-mails sent
    expect(first?.history.map((h) => h.type)).toEqual(
      expect.arrayContaining(['submitted', 'assigned', 'resolved', 'notified']),
    );
    expect(exported.suppressionList).toEqual({
      listed: true,
      reason: 'bounce',
      since: '2026-01-05T10:00:00.000Z',
      stored: expect.any(String),
    });
    // The intake counted both requests of the address (today's window), by the same hash
    expect(exported.requestCounts.reduce((sum, r) => sum + r.requests, 0)).toBe(2);
    expect(exported.notes.length).toBeGreaterThan(0);
  });

  it('erases nothing in a dry run, and says what it would do', async () => {
    // Prepare
    const before = await scan();

    // Act
    const { code, stdout } = await privacy('erase', '--email', ADDRESS, '--dry-run');

    // Assess
    expect(code).toBe(0);
    expect(stdout).toContain('dry run: nothing changed');
    expect(stdout).toContain(`would anonymise ${resolved}`);
    expect(stdout).toContain(`kept ${open}: open (assigned)`);
    expect(stdout).toContain('would anonymise 1, kept 2, failed 0');
    expect(await scan()).toEqual(before);
  });

  it('removes the personal data of the resolved case from every item, and names what it kept and why', async () => {
    // Prepare
    const holds = (item: unknown, text: string) =>
      JSON.stringify(item).toLowerCase().includes(text.toLowerCase());
    const closed = amsterdamDay(new Date());

    // Act
    const { code, stdout } = await privacy('erase', '--email', ADDRESS);

    // Assess: the resolved case is anonymised and stays until its archive action date
    expect(code).toBe(0);
    expect(stdout).toContain(
      `anonymised ${resolved}: its personal data are removed; the case itself stays, without personal data, until its archive action date ${addPeriod(closed, 'P5Y')}`,
    );
    expect(stdout).toMatch(
      new RegExp(
        `kept ${open}: open \\(assigned\\), the request is still being handled; the person can withdraw it with the official handling it`,
      ),
    );
    expect(stdout).toContain(`kept ${OLD_REFERENCE}: closed before results existed: ask the archivist`);
    expect(stdout).toContain(
      "kept: the address's entry on the suppression list (an e-mail to it bounced for good",
    );
    expect(stdout).toContain('kept: 1 request count of the intake');
    expect(stdout).toContain('anonymised 1, kept 2, failed 0');
    expect(stdout.toLowerCase()).not.toContain(ADDRESS.toLowerCase());
    const items = await scan();
    const resolvedItem = items.find((i) => i.pk === `CASE#${resolved}` && i.sk === 'CASE');
    expect(resolvedItem?.anonymisedAt).toEqual(expect.any(String));
    // No item holds the resolved case's description or its official's free text any more
    expect(items.filter((i) => holds(i, 'Zqresolved') || holds(i, 'Zqoutcome'))).toEqual([]);
    // The address, the name and the phone are left only in the kept cases
    const kept = [`CASE#${open}`, `CASE#${OLD_REFERENCE}`].sort();
    for (const text of [ADDRESS, NAME])
      expect(
        items
          .filter((i) => holds(i, text))
          .map((i) => String(i.pk))
          .sort(),
      ).toEqual(kept);
    expect(items.filter((i) => holds(i, PHONE)).map((i) => i.pk)).toEqual([`CASE#${open}`]);
    expect(items.find((i) => i.pk === `CASE#${other}`)).toMatchObject({
      request: { contact: { email: OTHER_ADDRESS } },
    });

    // Act and assess: the export now lists only the kept cases
    const again = JSON.parse((await privacy('export', '--email', ADDRESS)).stdout) as {
      cases: { reference: string }[];
    };
    expect(again.cases.map((c) => c.reference)).toEqual([OLD_REFERENCE, open].sort());
    expect(local.errors).toEqual([]);
  });

  it('exits with 2 without a command', async () => {
    // Act
    const { code, stderr } = await script([]);

    // Assess
    expect(code).toBe(2);
    expect(stderr).toContain('missing command');
  });

  it.each([
    ['no address', ['erase'], '"erase" needs --email <address>'],
    [
      '--endpoint with --aws',
      ['export', '--email', ADDRESS, '--aws'],
      '--endpoint and --aws exclude each other',
    ],
    ['not an address', ['export', '--email', 'anna'], '--email: expected an e-mail address'],
    [
      'an option of the other command',
      ['export', '--email', ADDRESS, '--dry-run'],
      '--dry-run does not apply to "export"',
    ],
    ['an unknown command', ['forget', '--email', ADDRESS], 'unknown command "forget"'],
  ])('exits with 2 on wrong usage: %s', async (_name, args, message) => {
    // Act
    const { code, stdout, stderr } = await privacy(...args);

    // Assess
    expect(code).toBe(2);
    expect(stderr).toContain(message);
    expect(stdout).toBe('');
  });
});
