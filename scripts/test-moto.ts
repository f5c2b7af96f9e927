import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as z from 'zod';
import { motoInstalled } from '../test/support/moto.js';

/**
 * `npm run test:moto`: the conformance run, `test/moto/` against moto server (each file starts and stops its
 * own `moto_server` on 127.0.0.1). Without `moto_server` on PATH it says it skipped and passes, except on CI
 * (`CI=true`), where the run is required. Ends with one summary line.
 */
const ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)));

const report = z.object({
  success: z.boolean(),
  numTotalTestSuites: z.number(),
  numTotalTests: z.number(),
  numPassedTests: z.number(),
  numFailedTests: z.number(),
  numPendingTests: z.number(),
  testResults: z.array(z.object({ name: z.string() })),
});

async function main(): Promise<number> {
  if (!motoInstalled()) {
    if (process.env.CI === 'true') {
      console.error('test:moto failed: moto_server not installed, and CI requires the conformance run');
      return 1;
    }
    console.log('test:moto skipped: moto_server not installed');
    return 0;
  }
  const dir = await mkdtemp(join(tmpdir(), 'aanspreekpunt-test-moto-'));
  try {
    const output = join(dir, 'report.json');
    const started = Date.now();
    const code = await new Promise<number>((done, fail) => {
      const child = spawn(
        process.execPath,
        [
          join(ROOT, 'node_modules', 'vitest', 'vitest.mjs'),
          'run',
          '--config',
          'vitest.moto.config.ts',
          '--reporter=default',
          '--reporter=json',
          `--outputFile.json=${output}`,
          ...process.argv.slice(2),
        ],
        { cwd: ROOT, stdio: 'inherit' },
      );
      child.once('error', fail);
      child.once('exit', (exitCode, signal) => done(exitCode ?? (signal === null ? 1 : 128)));
    });
    const seconds = Math.round((Date.now() - started) / 1000);
    const parsed = report.safeParse(JSON.parse(await readFile(output, 'utf8').catch(() => 'null')));
    if (!parsed.success) {
      console.log(`test:moto failed: no test report (vitest exited ${code}) after ${seconds} s`);
      return code === 0 ? 1 : code;
    }
    const r = parsed.data;
    console.log(
      `test:moto: ${r.numPassedTests} passed, ${r.numFailedTests} failed, ${r.numPendingTests} skipped ` +
        `(${r.numTotalTests} tests in ${r.testResults.length} files) against moto server in ${seconds} s`,
    );
    return code !== 0 || !r.success || r.numTotalTests === 0 ? Math.max(code, 1) : 0;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

process.exitCode = await main();
