// `npm run bench:previous`: the pipeline throughput of an earlier commit (default f5c2fe5, main before issue
// 13) with the same AWS-like round trips as `npm run bench -- --latency aws`, so both can be compared in one
// mode. The earlier code had no latency mode; the smallest patch (bench/previous-code.ts) gives it one.

import { type ChildProcess, spawn } from 'node:child_process';
import { copyFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FAULTS_ENV } from '../infra/local/instrumentation/faults.js';
import { LATENCY_ENV } from '../infra/local/instrumentation/latency.js';
import {
  INSTRUMENTATION_MODULE,
  LATENCY_MODULE,
  PREVIOUS_USAGE,
  parsePreviousOptions,
  patchInstrumentation,
  pipelineRows,
  previousBenchArgs,
  summaryLine,
  throughputOf,
} from './previous-code.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

let running: ChildProcess | undefined;
let interrupted: NodeJS.Signals | undefined;

/** Runs a command to its end (its stderr shown); its stdout is returned and, with `show`, shown as it comes. */
function run(
  command: string,
  args: readonly string[],
  options: { cwd: string; env?: NodeJS.ProcessEnv; show?: boolean },
): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: options.env ?? process.env,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    running = child;
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString('utf8');
      if (options.show === true) process.stdout.write(chunk);
    });
    child.on('error', reject);
    child.on('close', (code, signal) => {
      running = undefined;
      if (code === 0) resolve(out);
      else reject(new Error(`${command} ${args.join(' ')}: ${signal ?? `exit code ${code}`}`));
    });
  });
}

const say = (text: string) => process.stderr.write(`… ${text}\n`);

/** Adds the latency mode to the earlier tree: the current middleware module, and its use in the instrumentation. */
async function addLatency(tree: string) {
  await copyFile(join(ROOT, LATENCY_MODULE), join(tree, LATENCY_MODULE));
  const file = join(tree, INSTRUMENTATION_MODULE);
  await writeFile(file, patchInstrumentation(await readFile(file, 'utf8')));
  const diff = await run('git', ['diff', '--no-color', '--', INSTRUMENTATION_MODULE], { cwd: tree });
  process.stderr.write(`${diff}(and ${LATENCY_MODULE}, copied from this tree)\n`);
}

async function main() {
  const parsed = parsePreviousOptions(process.argv.slice(2));
  if ('error' in parsed) {
    console.error(`${parsed.error}\n\n${PREVIOUS_USAGE}`);
    process.exit(2);
  }
  const { options } = parsed;
  if (options.help) {
    console.log(PREVIOUS_USAGE);
    return;
  }
  const git = (args: string[]) => run('git', args, { cwd: ROOT }).then((out) => out.trim());
  const sha = await git(['rev-parse', '--verify', `${options.commit}^{commit}`]);
  const short = await git(['rev-parse', '--short', sha]);

  const dir = await mkdtemp(join(tmpdir(), 'aanspreekpunt-previous-'));
  const tree = join(dir, short);
  const stop = (signal: NodeJS.Signals) => {
    interrupted = signal;
    running?.kill(signal);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  try {
    say(`git worktree of ${short} in ${tree}`);
    await git(['worktree', 'add', '--detach', tree, sha]);
    say('npm ci in it');
    await run('npm', ['ci', '--no-audit', '--no-fund'], { cwd: tree });
    say(`its latency mode: ${LATENCY_ENV}=aws`);
    await addLatency(tree);

    const benchArgs = previousBenchArgs(options.cases);
    say(`its benchmark: bench/run.ts ${benchArgs.join(' ')}, with ${LATENCY_ENV}=aws`);
    const env: NodeJS.ProcessEnv = { ...process.env, [LATENCY_ENV]: 'aws' };
    delete env[FAULTS_ENV];
    const stdout = await run(join(tree, 'node_modules', '.bin', 'tsx'), ['bench/run.ts', ...benchArgs], {
      cwd: tree,
      env,
      show: true,
    });
    const results: unknown = JSON.parse(
      await readFile(join(tree, 'bench', 'results', 'latest.json'), 'utf8'),
    );
    const summary = summaryLine(short, throughputOf(results), options.cases);
    process.stdout.write(
      [
        '',
        `Previous code ${short} (${sha}) with --latency aws, its pipeline figures:`,
        ...pipelineRows(stdout),
        "(its floor column is that bench's floor without the added round trips: only the functions' clients got them)",
        '',
        summary,
        '',
      ].join('\n'),
    );
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
    say(`removing the worktree ${tree}`);
    await git(['worktree', 'remove', '--force', tree]).catch((error: unknown) =>
      console.error(`git worktree remove: ${String(error)}`),
    );
    await rm(dir, { recursive: true, force: true });
    await git(['worktree', 'prune']).catch(() => undefined);
  }
}

await main().catch((error: unknown) => {
  console.error(interrupted === undefined ? String(error) : `interrupted (${interrupted})`);
  process.exit(interrupted === undefined ? 1 : 130);
});
