import { execFile } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import dynalite from 'dynalite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { municipality } from '../../config/index.js';
import {
  dynamoOfficialDirectory,
  type ManagedOfficialDirectory,
  UnknownOfficialError,
} from '../../functions/adapters/officials.js';
import { declaration } from '../../functions/declaration.js';
import { amsterdamDay, isAvailable } from '../../functions/domain/case.js';
import { ensureTable } from '../../infra/local/provision.js';
import { required } from '../support/cases.js';

/** `npm run officials` as an operator runs it: a child process against a real (embedded) DynamoDB. */
describe('the officials command', () => {
  const ROOT = fileURLToPath(new URL('../..', import.meta.url));
  const TABLE = 'officials-cli-cases';
  let server: Server;
  let client: DynamoDBClient;
  let directory: ManagedOfficialDirectory;
  let endpoint: string;

  // The command must quiet the SDK's Node version warning itself, and must not pick up a developer's settings.
  const {
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: _warning,
    DYNAMODB_PORT: _port,
    CASES_TABLE: _table,
    ...env
  } = process.env;

  function officials(
    args: readonly string[],
    target = ['--endpoint', endpoint, '--table', TABLE],
  ): Promise<{ code: number | string; stdout: string; stderr: string }> {
    return new Promise((resolve) => {
      execFile(
        process.execPath,
        ['--import', 'tsx', 'scripts/officials.ts', ...args, ...target],
        { cwd: ROOT, env, timeout: 15_000 },
        (error, stdout, stderr) =>
          resolve({ code: error === null ? 0 : (error.code ?? 'killed'), stdout, stderr }),
      );
    });
  }

  const DAY_MS = 86_400_000;
  const today = () => amsterdamDay(new Date());
  const plus = (days: number) =>
    new Date(Date.parse(`${today()}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
  /** The row of one official in the printed table. */
  const rowOf = (stdout: string, id: string) => stdout.split('\n').find((line) => line.startsWith(`${id} `));

  /** An official with a deputy, both present today in the config. */
  const official = required(
    municipality.officials.find((o) => {
      const deputy = municipality.officials.find((d) => d.id === o.deputy);
      return deputy !== undefined && isAvailable(o, new Date()) && isAvailable(deputy, new Date());
    }),
    'an official with a deputy, both present today',
  );
  const deputy = required(
    municipality.officials.find((d) => d.id === official.deputy),
    'the deputy',
  );

  beforeAll(async () => {
    server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    client = new DynamoDBClient({
      region: 'eu-west-1',
      endpoint,
      credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
    });
    await ensureTable(client, TABLE, required(declaration.tables.cases, 'cases table'));
    const db = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
    directory = dynamoOfficialDirectory(db, TABLE, { cacheMs: 0 });
    await directory.seed(municipality.officials);
  });
  afterAll(async () => {
    client.destroy();
    await new Promise((resolve) => server.close(resolve));
  });

  it('lists every official with their departments, deputy and whether they are present today', async () => {
    const { code, stdout, stderr } = await officials(['list']);

    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    expect(stdout).toContain(`today is ${today()} (Europe/Amsterdam)`);
    for (const o of municipality.officials) {
      const row = required(rowOf(stdout, o.id), `the row of ${o.id}`);
      expect(row).toContain(o.name);
      expect(row).toContain(o.departments.join(', '));
      expect(row).toMatch(isAvailable(o, new Date()) ? /present$/ : /absent/);
    }
  });

  it('records an absence, says which deputy stands in, and the list shows the official away', async () => {
    await directory.setAbsences(official.id, []);

    const result = await officials(['absent', official.id, '--from', today(), '--to', plus(2)]);
    const listed = await officials(['list']);

    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`is absent ${today()}..${plus(2)}`);
    expect(result.stdout).toContain(`stands in: ${deputy.id} (${deputy.name})`);
    expect((await directory.get(official.id))?.absences).toEqual([{ from: today(), to: plus(2) }]);
    expect(rowOf(listed.stdout, official.id)).toMatch(new RegExp(`absent, ${deputy.id} stands in$`));
  });

  it('ends the absence that covers today when the official is back, keeping the past and, without --all, later ones', async () => {
    await directory.setAbsences(official.id, [
      { from: plus(-3), to: plus(3) },
      { from: plus(10), to: plus(11) },
    ]);

    const back = await officials(['present', official.id]);
    const afterBack = await directory.get(official.id);
    const all = await officials(['present', official.id, '--all']);
    const afterAll = await directory.get(official.id);

    expect([back.code, all.code]).toEqual([0, 0]);
    expect(back.stdout).toContain(`is present from ${today()}`);
    expect(afterBack?.absences).toEqual([
      { from: plus(-3), to: plus(-1) },
      { from: plus(10), to: plus(11) },
    ]);
    expect(afterAll?.absences).toEqual([{ from: plus(-3), to: plus(-1) }]);
    expect(afterAll && isAvailable(afterAll, new Date())).toBe(true);
  });

  it('lists an official whose address bounced as unreachable, and makes them reachable again once', async () => {
    // Prepare: the mail-events function marked the deputy unreachable (an e-mail to them bounced for good)
    const since = new Date();
    expect(await directory.markUnreachable(deputy.id, since)).toBe(true);
    const listed = await officials(['list']);

    // Act
    const first = await officials(['reachable', deputy.id]);
    const again = await officials(['reachable', deputy.id]);

    // Assess
    expect(rowOf(listed.stdout, deputy.id)).toContain(
      `unreachable since ${amsterdamDay(since)} (address bounced)`,
    );
    expect([first.code, again.code]).toEqual([0, 0]);
    expect(first.stdout).toContain(`${deputy.id} (${deputy.name}) is reachable again at ${deputy.email}`);
    expect(again.stdout).toContain('is not marked unreachable: nothing changed.');
    const after = required(await directory.get(deputy.id), 'the deputy');
    expect(after.unreachable).toBeUndefined();
    expect(isAvailable(after, new Date())).toBe(true);
  });

  it('refuses an unknown official with exit code 1 and says so in one line', async () => {
    const { code, stdout, stderr } = await officials(['absent', 'nobody-here', '--from', today()]);

    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr.trim().split('\n')).toEqual([
      'officials: unknown official "nobody-here": `npm run officials -- list` shows who there is',
    ]);
  });

  it('refuses a day that does not exist, or a period that ends before it starts, as wrong usage (exit 2)', async () => {
    await directory.setAbsences(official.id, []);

    const [badDay, backwards] = await Promise.all([
      officials(['absent', official.id, '--from', '2025-02-30']),
      officials(['absent', official.id, '--from', plus(5), '--to', plus(4)]),
    ]);

    expect(badDay.code).toBe(2);
    expect(badDay.stderr).toContain('--from: expected a day as YYYY-MM-DD, got "2025-02-30"');
    expect(backwards.code).toBe(2);
    expect(backwards.stderr).toContain(`--to (${plus(4)}) is before --from (${plus(5)})`);
    expect((await directory.get(official.id))?.absences).toEqual([]);
  });

  it('changes absences only of an official that exists, and the same process lists the change at once', async () => {
    const db = DynamoDBDocumentClient.from(client);
    const cachedDirectory = dynamoOfficialDirectory(db, TABLE, { cacheMs: 60_000 });
    await cachedDirectory.setAbsences(official.id, []);
    await cachedDirectory.list();

    const unknown = await cachedDirectory.setAbsences('nobody-here', [{ from: today(), to: today() }]).then(
      () => 'written',
      (error: unknown) => error,
    );
    await cachedDirectory.setAbsences(official.id, [{ from: today(), to: today() }]);
    const listed = await cachedDirectory.list();

    expect(unknown).toBeInstanceOf(UnknownOfficialError);
    expect(await cachedDirectory.get('nobody-here')).toBeUndefined();
    expect(listed.find((o) => o.id === official.id)?.absences).toEqual([{ from: today(), to: today() }]);
  });

  it('says DynamoDB cannot be reached and to start the local system (exit 1)', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const unreachable = `http://127.0.0.1:${(closed.address() as AddressInfo).port}`;
    await new Promise((resolve) => closed.close(resolve));

    const { code, stderr } = await officials(['list'], ['--endpoint', unreachable]);

    expect(code).toBe(1);
    expect(stderr.trim()).toBe(
      `officials: cannot reach DynamoDB at ${unreachable} — is \`npm start\` running?`,
    );
  });
});
