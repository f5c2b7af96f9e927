// First: the environment the functions are loaded with (call counting, logs as on AWS).

import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import * as z from 'zod';
import { declaration } from '../functions/declaration.js';
import { type CallSnapshot, callCounter } from '../infra/local/instrumentation/call-counter.js';
import { ROOT, startLocal } from '../infra/local/runtime.js';
import { buildBundles, measureColdStarts } from './cold-start.js';
import { catchLogs } from './env.js';
import { benchClients, clearMailbox, runFloor, runPipeline } from './pipeline.js';
import { costOf, PLATFORM_LOG_BYTES_PER_INVOCATION, PRICES } from './prices.js';
import { progress } from './progress.js';
import { runReminders } from './reminders.js';
import { percentile, ratio, round } from './stats.js';
import { type Figure, renderTable } from './table.js';

const USAGE = `npm run bench [-- options]

Runs the whole system on this machine (emulators on free ports, a temporary data folder) and prints the
benchmark's figures; writes them to bench/results/latest.json.

  --quick             a run under a minute: 30 cases, 10 cold starts per bundle (2 processes at a time),
                      1,000 and 3,000 closed cases
  --cases <n>         cases through the pipeline (default 500)
  --concurrency <n>   concurrent intake clients (default 16)
  --cold-runs <n>     fresh processes per bundle for the cold-start figure (default 20, at least 10)
  --sizes <a,b,...>   closed cases for the reminder job (default 1000,10000,100000)
  --help`;

const optionsSchema = z
  .object({
    quick: z.boolean().default(false),
    help: z.boolean().default(false),
    cases: z.coerce.number().int().min(10).max(100_000).optional(),
    concurrency: z.coerce.number().int().min(1).max(256).default(16),
    'cold-runs': z.coerce.number().int().min(10).max(1_000).optional(),
    sizes: z
      .string()
      .regex(/^\d+(,\d+)*$/, 'a comma-separated list of numbers')
      .transform((s) => s.split(',').map(Number))
      .refine((sizes) => sizes.every((n, i) => i === 0 || n > (sizes[i - 1] ?? 0)), 'increasing sizes')
      .optional(),
  })
  .transform((o) => ({
    quick: o.quick,
    help: o.help,
    cases: o.cases ?? (o.quick ? 30 : 500),
    concurrency: o.concurrency,
    coldRuns: o['cold-runs'] ?? (o.quick ? 10 : 20),
    sizes: o.sizes ?? (o.quick ? [1_000, 3_000] : [1_000, 10_000, 100_000]),
    settleMs: o.quick ? 200 : 2_000,
  }));

function parseOptions(argv: string[]) {
  const { values } = parseArgs({
    args: argv,
    options: {
      quick: { type: 'boolean' },
      help: { type: 'boolean' },
      cases: { type: 'string' },
      concurrency: { type: 'string' },
      'cold-runs': { type: 'string' },
      sizes: { type: 'string' },
    },
    strict: true,
  });
  const parsed = optionsSchema.safeParse(values);
  if (!parsed.success) {
    console.error(z.prettifyError(parsed.error));
    console.error(`\n${USAGE}`);
    process.exit(2);
  }
  return parsed.data;
}

/** Calls of one function per case, by service and operation, from a snapshot of the call counter. */
function callsOf(snapshot: CallSnapshot, fn: string) {
  return snapshot.calls.filter((c) => c.fn === fn);
}

async function machine() {
  const cpuinfo = await readFile('/proc/cpuinfo', 'utf8').catch(() => '');
  const model = /^model name\s*:\s*(.+)$/m.exec(cpuinfo)?.[1] ?? cpus()[0]?.model ?? 'unknown';
  return { cpu: model.trim(), nproc: cpus().length, node: process.version, platform: process.platform };
}

async function main() {
  let options: ReturnType<typeof parseOptions>;
  try {
    options = parseOptions(process.argv.slice(2));
  } catch (error) {
    console.error((error as Error).message);
    console.error(`\n${USAGE}`);
    process.exit(2);
  }
  if (options.help) {
    console.log(USAGE);
    return;
  }
  const begun = performance.now();
  const p = progress();
  const figures: Figure[] = [];
  const add = (f: Figure) => figures.push(f);

  // Figure 5 first, while nothing else runs in this process.
  p.stage('building the bundles as CDK does');
  const bundles = await buildBundles();
  p.stage(`cold starts: ${options.coldRuns} fresh processes per bundle`, options.coldRuns * bundles.length);
  const cold = await measureColdStarts(bundles, options.coldRuns, {
    parallel: options.quick ? 2 : 1,
    progress: p,
  });

  const logs = catchLogs();
  const dataDir = await mkdtemp(join(tmpdir(), 'aanspreekpunt-bench-'));
  const errors: { error: unknown; where: string }[] = [];
  p.stage('starting the local system');
  const system = await startLocal({
    dataDir,
    port: 0,
    ports: { dynamodb: 0, sqs: 0, ses: 0 },
    pollIdleMs: 20,
    schedules: false,
    onError: (error, where) => errors.push({ error, where }),
  });
  const clients = benchClients(system);
  const interrupted = async () => {
    p.stop();
    logs.restore();
    clients.destroy();
    await system.stop();
    await rm(dataDir, { recursive: true, force: true });
    process.exit(130);
  };
  process.once('SIGINT', interrupted);
  try {
    // Warm-up: every handler loaded and past its first calls (officials cached), then counting starts.
    const warmUp = options.quick ? 8 : 16;
    p.stage('warm-up', warmUp);
    await runPipeline(system, clients, {
      count: warmUp,
      concurrency: options.concurrency,
      first: 0,
      progress: p,
    });
    await clearMailbox(system);
    callCounter.reset();
    logs.reset();

    p.stage(`pipeline: ${options.cases} cases, ${options.concurrency} concurrent`, options.cases);
    const run = await runPipeline(system, clients, {
      count: options.cases,
      concurrency: options.concurrency,
      first: 1_000,
      progress: p,
    });
    const snapshot = callCounter.snapshot();
    const logBytes = logs.bytes;
    if (run.routed !== run.cases || run.deadLetters > 0)
      throw new Error(
        `pipeline: ${run.routed} of ${run.cases} cases routed, ${run.deadLetters} dead letters`,
      );

    await clearMailbox(system);
    p.stage('floor: the bare SDK calls of a case', options.cases);
    const floor = await runFloor(system, clients, {
      count: options.cases,
      concurrency: options.concurrency,
      emails: run.emails,
      idleMs: 20,
      progress: p,
    });

    // Figure 1
    const n = run.cases;
    add({
      figure: 1,
      name: `pipeline wall time, ${n} cases, ${options.concurrency} concurrent`,
      value: round(run.wallMs / 1000, 2),
      unit: 's',
      floor: round(floor.wallMs / 1000, 2),
      ratio: ratio(run.wallMs, floor.wallMs),
      target: 'ratio <= 1.3',
      met: run.wallMs / floor.wallMs <= 1.3,
    });
    add({
      figure: 1,
      name: 'pipeline throughput',
      value: round(n / (run.wallMs / 1000), 1),
      unit: 'cases/s',
      floor: round(n / (floor.wallMs / 1000), 1),
    });

    // Figure 2
    const per = (x: number) => round(x / n, 2);
    const total = (calls: readonly { calls: number }[]) => calls.reduce((s, c) => s + c.calls, 0);
    const intake = callsOf(snapshot, 'intake');
    const router = callsOf(snapshot, 'router');
    const routerMail = router.filter((c) => c.service === 'ses');
    const routerInvocations = snapshot.invocations.find((i) => i.fn === 'router')?.count ?? 0;
    add({
      figure: 2,
      name: 'AWS calls per case: intake',
      value: per(total(intake)),
      unit: 'calls',
      target: '<= 2',
      met: total(intake) / n <= 2,
    });
    add({
      figure: 2,
      name: 'AWS calls per case: router, without e-mails',
      value: per(total(router) - total(routerMail)),
      unit: 'calls',
      target: '<= 4 (+ e-mails)',
      met: (total(router) - total(routerMail)) / n <= 4,
    });
    add({
      figure: 2,
      name: 'e-mails per case (router SendEmail)',
      value: per(total(routerMail)),
      unit: 'calls',
    });
    for (const c of [...intake, ...router].sort((a, b) =>
      `${a.fn}${a.service}${a.operation}`.localeCompare(`${b.fn}${b.service}${b.operation}`),
    ))
      add({
        figure: 2,
        name: `  ${c.fn} ${c.service} ${c.operation}${c.errors > 0 ? ` (${c.errors} failed)` : ''}`,
        value: per(c.calls),
        unit: 'calls',
      });
    add({
      figure: 2,
      name: '  event source mapping: SQS receive + delete',
      value: per(2 * routerInvocations),
      unit: 'calls',
    });
    add({
      figure: 2,
      name: '  router invocations (batches)',
      value: per(routerInvocations),
      unit: 'per case',
    });
    const dynamo = [...intake, ...router].filter((c) => c.service === 'dynamodb');
    const readUnits = dynamo.reduce((s, c) => s + c.readUnits, 0);
    const writeUnits = dynamo.reduce((s, c) => s + c.writeUnits, 0);
    add({ figure: 2, name: 'DynamoDB read request units per case', value: per(readUnits), unit: 'RRU' });
    add({ figure: 2, name: 'DynamoDB write request units per case', value: per(writeUnits), unit: 'WRU' });

    // Figure 3
    const invocations = ['intake', 'router'].map((fn) => {
      const i = snapshot.invocations.find((x) => x.fn === fn);
      return {
        fn,
        invocations: i?.count ?? 0,
        totalMs: i?.totalMs ?? 0,
        memoryMb: declaration.functions[fn]?.memoryMb ?? 0,
      };
    });
    const cost = costOf({
      cases: n,
      lambda: invocations,
      httpRequests: n,
      readUnits,
      writeUnits,
      sqsRequests:
        total(intake.filter((c) => c.service === 'sqs')) +
        total(router.filter((c) => c.service === 'sqs')) +
        2 * routerInvocations,
      emails: total(routerMail),
      logBytes:
        logBytes + PLATFORM_LOG_BYTES_PER_INVOCATION * invocations.reduce((s, f) => s + f.invocations, 0),
    });
    add({
      figure: 3,
      name: `cost per 1,000 cases (list prices ${PRICES.region}, ${PRICES.checked})`,
      value: round(cost.total, 4),
      unit: 'USD',
      target: '<= 0.12',
      met: cost.total <= 0.12,
    });
    for (const part of ['ses', 'dynamodb', 'lambda', 'httpApi', 'logs', 'sqs'] as const)
      add({ figure: 3, name: `  ${part}`, value: round(cost[part], 4), unit: 'USD' });
    add({
      figure: 3,
      name: '  log volume per case (measured + platform estimate)',
      value: round(
        (logBytes / n +
          (PLATFORM_LOG_BYTES_PER_INVOCATION * invocations.reduce((s, f) => s + f.invocations, 0)) / n) /
          1024,
        2,
      ),
      unit: 'KB',
    });
    for (const f of invocations)
      add({
        figure: 3,
        name: `  ${f.fn} mean duration (local, ${f.memoryMb} MB billed)`,
        value: round(f.totalMs / Math.max(1, f.invocations), 1),
        unit: 'ms',
      });

    // Figure 4
    const reminders = await runReminders(system, clients.db, {
      sizes: options.sizes,
      due: 100,
      settleMs: options.settleMs,
      progress: p,
    });
    for (const r of reminders) {
      const label = `reminder job, ${r.closed.toLocaleString('en-US')} closed + ${r.due} due`;
      add({
        figure: 4,
        name: `${label}: due-index items read`,
        value: r.indexItemsRead,
        unit: 'items',
        ratio: round(r.indexItemsRead / r.due, 2),
        target: 'ratio <= 1.1',
        met: r.indexItemsRead / r.due <= 1.1,
      });
      add({
        figure: 4,
        name: `${label}: case items read (GetItem)`,
        value: r.caseItemsRead,
        unit: 'items',
        ratio: round(r.caseItemsRead / r.due, 2),
      });
      add({ figure: 4, name: `${label}: time per run`, value: round(r.ms, 0), unit: 'ms' });
    }

    // Figure 5
    const hello = cold.get('hello') ?? 0;
    const helloSdk = cold.get('hello-sdk') ?? 0;
    add({
      figure: 5,
      name: `cold start hello-sdk: hello + the SDK clients (median of ${options.coldRuns})`,
      value: round(helloSdk, 1),
      unit: 'ms',
      floor: round(hello, 1),
      ratio: ratio(helloSdk, hello),
    });
    for (const b of bundles) {
      if (b.name.startsWith('hello')) continue;
      const ms = cold.get(b.name) ?? 0;
      add({
        figure: 5,
        name: `cold start ${b.name}: load + init (median of ${options.coldRuns})`,
        value: round(ms, 1),
        unit: 'ms',
        floor: round(hello, 1),
        ratio: ratio(ms, hello),
        target: 'ratio <= 1.5',
        met: ms / hello <= 1.5,
      });
    }
    for (const b of bundles)
      add({
        figure: 5,
        name: `bundle ${b.name}`,
        value: round(b.bytes / 1024, 1),
        unit: 'KB',
        ...(b.name.startsWith('hello') ? {} : { target: '<= 400', met: b.bytes / 1024 <= 400 }),
      });

    // Figure 6
    for (const q of [50, 95, 99])
      add({
        figure: 6,
        name: `intake latency p${q} (POST /cases, ${options.concurrency} concurrent)`,
        value: round(percentile(run.latenciesMs, q), 1),
        unit: 'ms',
      });

    p.stop();
    const seconds = round((performance.now() - begun) / 1000, 1);
    const about = await machine();
    const command = `npm run bench${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}`;
    const date = new Date().toISOString();
    const out = [
      `Aanspreekpunt benchmark, ${date}`,
      `machine: ${about.cpu}, ${about.nproc} CPUs (nproc), Node ${about.node}; command: ${command}; ${seconds} s`,
      '',
      renderTable(figures),
      '',
      'Largest parts of each bundle (minified bytes in the output):',
      ...bundles
        .filter((b) => !b.name.startsWith('hello'))
        .map(
          (b) =>
            `  ${b.name}: ${b.parts
              .slice(0, 5)
              .map((x) => `${x.part} ${round(x.bytes / 1024, 1)} KB`)
              .join(', ')}`,
        ),
      errors.length > 0
        ? `\n${errors.length} error(s) the runtime reported, the first: ${String(errors[0]?.error)}`
        : '',
    ].join('\n');
    logs.restore();
    process.stdout.write(`${out}\n`);
    await mkdir(join(ROOT, 'bench', 'results'), { recursive: true });
    await writeFile(
      join(ROOT, 'bench', 'results', 'latest.json'),
      `${JSON.stringify(
        {
          date,
          command,
          quick: options.quick,
          durationSeconds: seconds,
          machine: about,
          options,
          prices: PRICES,
          entries: figures,
          bundleParts: Object.fromEntries(bundles.map((b) => [b.name, b.parts.slice(0, 8)])),
        },
        null,
        2,
      )}\n`,
    );
  } finally {
    process.off('SIGINT', interrupted);
    logs.restore();
    clients.destroy();
    await system.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}

await main();
