import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/** `npm run capacity` as an operator runs it: a child process on a results file of its own. */
describe('the capacity command', () => {
  const ROOT = fileURLToPath(new URL('../..', import.meta.url));
  let dir: string;
  let fixture: string;
  const AWS = '[aws: DynamoDB 4, SQS 10, SES 30 ms a call]';

  /**
   * A benchmark's figures per case: 3 e-mails, 28 WRU, routers at 0.11 s a case (batches of 10) in the aws run,
   * 0.08 s (batches of 5) in the run without added latency, whose invocations per case the bench lists unlabelled.
   */
  const entries = [
    { figure: 1, name: '  cases per router invocation [no added latency]', value: 5, unit: 'cases' },
    { figure: 1, name: '  time per router invocation [no added latency]', value: 400, unit: 'ms' },
    { figure: 1, name: `  cases per router invocation ${AWS}`, value: 10, unit: 'cases' },
    { figure: 1, name: `  time per router invocation ${AWS}`, value: 1_100, unit: 'ms' },
    { figure: 2, name: 'e-mails per case (router SendEmail)', value: 3, unit: 'calls' },
    { figure: 2, name: '  intake sqs SendMessage', value: 1, unit: 'calls' },
    { figure: 2, name: '  event source mapping: SQS receive + delete', value: 0.2, unit: 'calls' },
    { figure: 2, name: '  router invocations (batches)', value: 0.2, unit: 'per case' },
    { figure: 2, name: 'DynamoDB read request units per case', value: 4, unit: 'RRU' },
    { figure: 2, name: 'DynamoDB write request units per case', value: 28, unit: 'WRU' },
    { figure: 3, name: '  intake mean duration (local, 512 MB billed)', value: 140, unit: 'ms' },
    { figure: 3, name: '  router mean duration (local, 512 MB billed)', value: 1_100, unit: 'ms' },
    { figure: 4, name: 'SLA job, 1,000 closed + 100 due: time per run', value: 2_000, unit: 'ms' },
  ];

  function capacity(
    args: readonly string[],
  ): Promise<{ code: number | string; stdout: string; stderr: string }> {
    return new Promise((resolve) => {
      execFile(
        process.execPath,
        ['--import', 'tsx', 'scripts/capacity.ts', ...args],
        { cwd: ROOT, timeout: 30_000 },
        (error, stdout, stderr) =>
          resolve({ code: error === null ? 0 : (error.code ?? 'killed'), stdout, stderr }),
      );
    });
  }

  /** The lines of one scenario's section, from its heading to the next. */
  const section = (stdout: string, heading: string) => {
    const start = stdout.indexOf(`### ${heading}`);
    const end = stdout.indexOf('\n### ', start + 1);
    return stdout.slice(start, end === -1 ? undefined : end);
  };

  /** The cells of the first table row whose first cell is `first`. */
  const cellsOf = (markdown: string, first: string) =>
    markdown
      .split('\n')
      .filter((line) => line.startsWith('|'))
      .map((line) =>
        line
          .slice(1, -1)
          .split(' | ')
          .map((c) => c.trim()),
      )
      .find((cells) => cells[0] === first) ?? [];

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'capacity-cli-'));
    fixture = join(dir, 'results.json');
    await writeFile(
      fixture,
      JSON.stringify({ date: '2026-12-01T10:00:00.000Z', command: 'npm run bench', entries }),
    );
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('names the SES sending rate as what binds first when every stack shares one account', async () => {
    const { code, stdout } = await capacity(['--results', fixture]);
    expect(code).toBe(0);
    const shared = section(stdout, 'all stacks in one account and Region, the burst spread evenly');
    expect(shared).toContain('**Binds first: SES: sending rate**');
    // 1,000 cases/s × 3 e-mails against the assumed 14/s.
    expect(cellsOf(shared, 'SES: sending rate (quota assumed)')).toEqual([
      'SES: sending rate (quota assumed)',
      'the account',
      '3,000 e-mails/s',
      '14',
      'over: 214x the limit',
      '**binds**',
      '4.67/s',
    ]);
    expect(stdout).toContain('(benchmark of 2026-12-01T10:00:00.000Z, `npm run bench`)');
  });

  it('says which figures the results lack and what it assumed instead', async () => {
    const { code, stdout } = await capacity(['--results', fixture]);
    expect(code).toBe(0);
    // What the benchmark never measures is assumed with its reason; what the fixture has is read by its name.
    const [, value, from] = cellsOf(stdout, 'writes to the due index per case');
    expect(value).toBe('5');
    expect(from).toMatch(/^\*\*assumed\*\*: counted in functions\/adapters\/cases\.ts/);
    expect(stdout).toContain('measured: `e-mails per case (router SendEmail)`');
    const partial = join(dir, 'partial.json');
    await writeFile(
      partial,
      JSON.stringify({
        date: '2026-12-01',
        command: 'npm run bench -- --quick',
        entries: entries.filter((entry) => entry.name !== 'e-mails per case (router SendEmail)'),
      }),
    );
    const missing = await capacity(['--results', partial]);
    const [, emails, origin] = cellsOf(missing.stdout, 'e-mails per case');
    expect(emails).toBe('3');
    expect(origin).toMatch(/^\*\*assumed\*\*: missing from the results: /);
  });

  it("moves the verdict to the largest stack's router once the account's own SES quota is given", async () => {
    const { code, stdout } = await capacity([
      '--results',
      fixture,
      '--ses-rate',
      '100000',
      '--ses-daily',
      '100000000',
    ]);
    expect(code).toBe(0);
    const largest = section(
      stdout,
      'all stacks in one account and Region, the largest municipality taking 5% of the burst',
    );
    // 50 cases/s × 0.11 s (1,100 ms ÷ 10 cases, both of the aws run) = 5.5 concurrent batches of the 5 it may run.
    expect(largest).toContain("**Binds first: Lambda: the router's maxConcurrency (ours)**");
    expect(largest).toContain('raise maxConcurrency to 7');
  });

  it('says which benchmark run the router time per case came from', async () => {
    const { code, stdout } = await capacity(['--results', fixture]);
    expect(code).toBe(0);
    expect(cellsOf(stdout, 'router time per case (s)')).toEqual([
      'router time per case (s)',
      '0.11',
      `measured: \`time per router invocation ${AWS} ÷ cases per router invocation ${AWS}\``,
    ]);
    expect(stdout).toContain(
      "The router's time per case, 0.11 s, is its mean invocation over its cases per invocation, both from the run with AWS-like round trips (`--latency aws`)",
    );
  });

  it('writes the plan it prints with --write, with the command that made it', async () => {
    const out = join(dir, 'capacity.md');
    const { code, stdout, stderr } = await capacity(['--results', fixture, '--burst', '500', '--write', out]);
    expect(code).toBe(0);
    expect(await readFile(out, 'utf8')).toBe(stdout);
    expect(stdout).toContain(
      `Generated by \`npm run capacity -- --results ${fixture} --burst 500 --write ${out}\``,
    );
    expect(stdout).toContain('a national burst of 500 submissions/s for 10 minutes');
    expect(stderr).toContain('capacity: wrote');
  });

  it('refuses a wrong value with exit code 2', async () => {
    const { code, stderr } = await capacity(['--largest-share', '2']);
    expect(code).toBe(2);
    expect(stderr).toContain('capacity:');
    expect(stderr).toContain('largestShare');
  });
});
