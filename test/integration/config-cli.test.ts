import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkConfig } from '../../scripts/config/check.js';
import { DEPLOYABLE_MUNICIPALITY } from '../support/municipalities.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const EXAMPLE = 'config/municipalities/example.json';

/** `npm run config -- <args>` as a person runs it: a child process. */
function config(args: readonly string[]): Promise<{ code: number | string; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', 'scripts/config.ts', ...args],
      { cwd: ROOT, timeout: 15_000 },
      (error, stdout, stderr) =>
        resolve({ code: error === null ? 0 : (error.code ?? 'killed'), stdout, stderr }),
    );
  });
}

describe('npm run config -- check', () => {
  let dir: string;
  let broken: string;
  let atNight: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'config-check-'));
    // A copy with three faults: a goal leading to no department, an official's bad e-mail, a deputy unknown.
    const example = JSON.parse(await readFile(join(ROOT, EXAMPLE), 'utf8'));
    example.goals[1].department = 'sport';
    example.officials[0].email = 'not-an-address';
    example.officials[2].deputy = 'nobody';
    broken = join(dir, 'broken.json');
    await writeFile(broken, JSON.stringify(example));
    // A copy that would send the departments' digest at 06:30 and make promises fall due at 22:00.
    const night = JSON.parse(await readFile(join(ROOT, EXAMPLE), 'utf8'));
    night.digests = { departments: { at: '06:30' } };
    night.sla.dueAt = '22:00';
    atNight = join(dir, 'at-night.json');
    await writeFile(atNight, JSON.stringify(night));
  });

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('exits 0 on the example with a summary: departments, goals, officials, SLA targets', async () => {
    const { code, stdout } = await config(['check', EXAMPLE]);

    expect(code).toBe(0);
    expect(stdout).toContain(`${EXAMPLE} is valid.`);
    expect(stdout).toContain('Gemeente Voorbeeld (voorbeeld)');
    expect(stdout).toContain('Departments (8):');
    expect(stdout).toMatch(/^ {2}work: .* -> Werk en Inkomen$/m);
    expect(stdout).toMatch(
      /^ {2}a-jansen: Anouk Jansen <a\.jansen@voorbeeld\.example> .*capacity 25; deputy m-bakker$/m,
    );
    expect(stdout).toContain('first contact 3, decision 20');
    expect(stdout).toContain('question: first contact 2, decision 10');
    expect(stdout).toContain(
      'Intake limits: 5 requests per e-mail address a day, 20 per source address an hour (then 429)',
    );
    expect(stdout).toMatch(
      /^ {2}duurzaamheid: .*mailbox duurzaamheid@voorbeeld\.example \(daily digest\); /m,
    );
    expect(stdout).toContain(
      'Digests: departments each working day at 08:00; officials on the first working day of each week at 08:00',
    );
    expect(stdout).toContain('  each due at 17:00 on its last working day');
    expect(stdout).toContain(
      '  working hours 08:00–18:00: reminders, breaches, escalations and digests go out within them',
    );
    // Valid, so it runs locally; but the synth would refuse it, and the check says so, setting by setting
    expect(stdout).toContain('Deploy: not yet. It runs locally (npm start), but');
    expect(stdout).toMatch(/^ {2}sender: aanspreekpunt@voorbeeld\.example \(\.example\)$/m);
  });

  it('says a config on real domains can be deployed, and how', async () => {
    const { code, stdout } = await config(['check', DEPLOYABLE_MUNICIPALITY]);

    expect(code).toBe(0);
    expect(stdout).toContain('Gemeente Lindehoven (lindehoven)');
    expect(stdout).toContain('Departments (3):');
    expect(stdout).toContain(
      `Deploy: every address is on a real domain; synth with -c municipality=${DEPLOYABLE_MUNICIPALITY}`,
    );
  });

  it('exits 1 on a broken copy, naming each bad path', async () => {
    const { code, stdout, stderr } = await config(['check', broken]);

    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toContain(`${broken} is invalid (`);
    expect(stderr).toMatch(/^ {2}officials\.0\.email: /m);
    expect(stderr).toMatch(/^ {2}goals\.1\.department: unknown department "sport"$/m);
    expect(stderr).toMatch(/^ {2}officials\.2\.deputy: unknown official "nobody"$/m);
  });

  it('exits 1 on a digest time and a due time outside working hours, naming each', async () => {
    const { code, stdout, stderr } = await config(['check', atNight]);

    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toContain(`${atNight} is invalid (2 errors):`);
    expect(stderr).toMatch(
      /^ {2}digests\.departments\.at: 06:30 is outside the working hours 08:00–18:00 \(sla\.calendar\.workingHours\): digests go out within them$/m,
    );
    expect(stderr).toMatch(/^ {2}sla\.dueAt: 22:00 is outside the working hours 08:00–18:00 /m);
  });

  it('exits 1 on a file that is missing or not JSON, and 2 on wrong usage', async () => {
    const notJson = join(dir, 'not.json');
    await writeFile(notJson, '{ "id": ');
    const missing = await config(['check', join(dir, 'missing.json')]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('cannot read');
    const parsed = await config(['check', notJson]);
    expect(parsed.code).toBe(1);
    expect(parsed.stderr).toContain('is not JSON');
    expect((await config(['check'])).code).toBe(2);
    expect((await config(['lint', EXAMPLE])).code).toBe(2);
    expect((await config(['--help'])).stdout).toContain('Usage: npm run config -- check <file>');
  });

  it('refuses a config that is not an object, at its root', () => {
    expect(checkConfig('[]', 'x.json')).toMatchObject({
      valid: false,
      lines: ['x.json is invalid (1 error):', expect.stringMatching(/^ {2}\(root\): /)],
    });
  });
});
