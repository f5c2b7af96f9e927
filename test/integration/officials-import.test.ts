import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import dynalite from 'dynalite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { municipality } from '../../config/index.js';
import {
  dynamoOfficialDirectory,
  type ManagedOfficialDirectory,
} from '../../functions/adapters/officials.js';
import { declaration } from '../../functions/declaration.js';
import { ensureTable } from '../../infra/local/provision.js';
import { required } from '../support/cases.js';

/** `npm run officials -- import <file.csv>` as an operator runs it, against a real (embedded) DynamoDB. */
describe('npm run officials -- import', () => {
  const ROOT = fileURLToPath(new URL('../..', import.meta.url));
  const TABLE = 'officials-import-cases';
  let server: Server;
  let client: DynamoDBClient;
  let directory: ManagedOfficialDirectory;
  let endpoint: string;
  let dir: string;

  const { DYNAMODB_PORT: _port, CASES_TABLE: _table, MUNICIPALITY_CONFIG: _config, ...env } = process.env;

  function officials(
    args: readonly string[],
  ): Promise<{ code: number | string; stdout: string; stderr: string }> {
    return new Promise((resolve) => {
      execFile(
        process.execPath,
        ['--import', 'tsx', 'scripts/officials.ts', ...args, '--endpoint', endpoint, '--table', TABLE],
        { cwd: ROOT, env, timeout: 15_000 },
        (error, stdout, stderr) =>
          resolve({ code: error === null ? 0 : (error.code ?? 'killed'), stdout, stderr }),
      );
    });
  }

  async function csv(name: string, text: string): Promise<string> {
    const file = join(dir, name);
    await writeFile(file, text);
    return file;
  }

  const jansen = required(
    municipality.officials.find((o) => o.id === 'a-jansen'),
    'a-jansen in the demo config',
  );

  // A spreadsheet as Dutch Excel saves it: a byte-order mark, semicolons, CRLF, a quoted cell with a comma;
  // two new officials and one change to an official already in the table (a-jansen's capacity).
  const SHEET =
    '\uFEFFid;name;email;language;departments;deputy;capacity\r\n' +
    'k-dekker;"Dekker, Karin";k.dekker@voorbeeld.example;nl;werk|zorg;a-jansen;18\r\n' +
    'y-amrani;Youssef Amrani;y.amrani@voorbeeld.example;;wijken;k-dekker;\r\n' +
    `a-jansen;${jansen.name};${jansen.email};nl;${jansen.departments.join('|')};${jansen.deputy ?? ''};30\r\n`;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'officials-import-'));
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
    await directory.setAbsences('a-jansen', [{ from: '2027-01-04', to: '2027-01-08' }]);
  });
  afterAll(async () => {
    client.destroy();
    await new Promise((resolve) => server.close(resolve));
    await rm(dir, { recursive: true, force: true });
  });

  it('with --dry-run says what it would change and writes nothing', async () => {
    const before = await directory.list();
    const file = await csv('dry.csv', SHEET);

    const { code, stdout } = await officials(['import', file, '--dry-run']);

    expect(code).toBe(0);
    expect(stdout).toContain('would add k-dekker (Dekker, Karin)');
    expect(stdout).toContain('would update a-jansen: capacity');
    expect(stdout).toContain('Would import 3 officials');
    expect(await directory.list()).toEqual(before);
  });

  it('adds the new officials and updates the changed one, keeping their absences', async () => {
    const file = await csv('officials.csv', SHEET);

    const { code, stdout, stderr } = await officials(['import', file]);

    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    expect(stdout).toContain(`Imported 3 officials from ${file}`);
    expect(stdout).toContain('2 added, 1 updated, 0 unchanged.');
    expect(stdout).toMatch(/^9 in the table are not in the file and are kept as they are/m);
    expect(await directory.get('k-dekker')).toEqual({
      id: 'k-dekker',
      name: 'Dekker, Karin',
      email: 'k.dekker@voorbeeld.example',
      language: 'nl',
      departments: ['werk', 'zorg'],
      deputy: 'a-jansen',
      capacity: 18,
      absences: [],
    });
    // Language and capacity left empty: Dutch, and the default capacity
    expect(await directory.get('y-amrani')).toMatchObject({
      language: 'nl',
      capacity: 20,
      deputy: 'k-dekker',
    });
    expect(await directory.get('a-jansen')).toEqual({
      ...jansen,
      capacity: 30,
      absences: [{ from: '2027-01-04', to: '2027-01-08' }],
    });
  });

  it('changes nothing when the same file is imported again', async () => {
    const before = await directory.list();
    const file = await csv('again.csv', SHEET);

    const { code, stdout } = await officials(['import', file]);

    expect(code).toBe(0);
    expect(stdout).toContain('0 added, 0 updated, 3 unchanged.');
    expect(stdout).not.toContain('The router picks this up');
    expect(await directory.list()).toEqual(before);
  });

  it('removes a deputy left empty, and takes a comma-separated file as well', async () => {
    const file = await csv(
      'comma.csv',
      'id,name,email,departments,deputy\ny-amrani,Youssef Amrani,y.amrani@voorbeeld.example,"wijken, wonen",\n',
    );

    const { code, stdout } = await officials(['import', file]);

    expect(code).toBe(0);
    expect(stdout).toContain('updates y-amrani: departments, deputy');
    const amrani = await directory.get('y-amrani');
    expect(amrani?.departments).toEqual(['wijken', 'wonen']);
    expect(amrani).not.toHaveProperty('deputy');
  });

  it('refuses a file with errors, each by line and column, and imports none of it (exit 1)', async () => {
    const before = await directory.list();
    const file = await csv(
      'broken.csv',
      'id,name,email,language,departments,deputy,capacity\n' +
        'n-nieuw,Nina Nieuw,n.nieuw@voorbeeld.example,nl,werk,,10\n' +
        'Bad Id,Iemand,iemand@voorbeeld.example,nl,werk,,\n' +
        'p-piet,Piet,not-an-address,de,sport,niemand,veel\n' +
        'n-nieuw,Nina Twee,n.twee@voorbeeld.example,nl,werk,,\n',
    );

    const { code, stdout, stderr } = await officials(['import', file]);

    expect(code).toBe(1);
    expect(stdout).toBe('');
    const lines = stderr.trim().split('\n');
    expect(lines).toContain(`${file} line 3, id: lowercase id: a-z, 0-9 and -, starting with a letter`);
    expect(lines.some((l) => l.startsWith(`${file} line 4, email: `))).toBe(true);
    expect(lines).toContain(`${file} line 4, language: expected nl or en`);
    expect(lines).toContain(`${file} line 4, capacity: expected a whole number above 0`);
    expect(lines).toContain(`${file} line 5, id: "n-nieuw" is on line 2 too`);
    expect(lines.at(-1)).toMatch(/^officials: .*broken\.csv: \d+ errors, nothing imported/);
    expect(await directory.list()).toEqual(before);
  });

  it('refuses unknown departments and deputies, and a file without the required columns', async () => {
    const wrong = await csv(
      'wrong.csv',
      'id,name,email,departments,deputy\np-piet,Piet,p.piet@voorbeeld.example,sport,niemand\n',
    );
    const columns = await csv('columns.csv', 'id,naam,email\np-piet,Piet,p.piet@voorbeeld.example\n');

    const [unknown, header] = await Promise.all([
      officials(['import', wrong]),
      officials(['import', columns]),
    ]);

    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain(`${wrong} line 2, departments: unknown department "sport"`);
    expect(unknown.stderr).toContain(
      `${wrong} line 2, deputy: unknown official "niemand" (neither in the file nor in the table)`,
    );
    expect(header.code).toBe(1);
    expect(header.stderr).toContain(`${columns} line 1: unknown column "naam"`);
    expect(header.stderr).toContain(`${columns} line 1: missing column "name"`);
    expect(header.stderr).toContain(`${columns} line 1: missing column "departments"`);
  });
});
