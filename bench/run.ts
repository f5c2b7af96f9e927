// ./env.js sets, as it loads, the environment the local system composes the functions with (call counting,
// logs as on AWS); main reads it when it starts the system, so the order of the imports does not matter.

import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import * as z from 'zod';
import { declaration } from '../functions/declaration.js';
import { type CallSnapshot, callCounter } from '../infra/local/instrumentation/call-counter.js';
import { ROOT, startLocal } from '../infra/local/runtime.js';
import { buildBundles, helloSdkOf, measureColdStarts } from './cold-start.js';
import { catchLogs } from './env.js';
import { benchClients, clearMailbox, runFloor, runPipeline } from './pipeline.js';
import { costOf, PLATFORM_LOG_BYTES_PER_INVOCATION, PRICES } from './prices.js';
import { type Progress, progress } from './progress.js';
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

type Options = ReturnType<typeof parseOptions>;
type Bundles = Awaited<ReturnType<typeof buildBundles>>;
type Run = Awaited<ReturnType<typeof runPipeline>>;
type LocalBench = Awaited<ReturnType<typeof startBenchSystem>>;

async function machine() {
  const cpuinfo = await readFile('/proc/cpuinfo', 'utf8').catch(() => '');
  const model = /^model name\s*:\s*(.+)$/m.exec(cpuinfo)?.[1] ?? cpus()[0]?.model ?? 'unknown';
  return { cpu: model.trim(), nproc: cpus().length, node: process.version, platform: process.platform };
}

/** The options, or `undefined` after printing the usage (`--help`); exits 2 on a wrong option. */
function optionsOrUsage(argv: string[]): Options | undefined {
  let options: Options;
  try {
    options = parseOptions(argv);
  } catch (error) {
    console.error((error as Error).message);
    console.error(`\n${USAGE}`);
    process.exit(2);
  }
  if (!options.help) return options;
  console.log(USAGE);
  return undefined;
}

/** Figure 5 first, while nothing else runs in this process: the bundles as CDK builds them, cold. */
async function measureBundles(options: Options, stages: Progress) {
  stages.stage('building the bundles as CDK does');
  const bundles = await buildBundles();
  stages.stage(
    `cold starts: ${options.coldRuns} fresh processes per bundle`,
    options.coldRuns * bundles.length,
  );
  const cold = await measureColdStarts(bundles, options.coldRuns, {
    parallel: options.quick ? 2 : 1,
    progress: stages,
  });
  return { bundles, cold };
}

/** The local system on free ports in a temporary folder, the schedules off, its errors collected. */
async function startBenchSystem(stages: Progress) {
  const dataDir = await mkdtemp(join(tmpdir(), 'aanspreekpunt-bench-'));
  const errors: { error: unknown; where: string }[] = [];
  stages.stage('starting the local system');
  const system = await startLocal({
    dataDir,
    port: 0,
    ports: { dynamodb: 0, sqs: 0, ses: 0 },
    pollIdleMs: 20,
    schedules: false,
    onError: (error, where) => errors.push({ error, where }),
  });
  const clients = benchClients(system);
  return {
    system,
    clients,
    errors,
    async stop() {
      clients.destroy();
      await system.stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * Figure 1's run: a warm-up (every handler loaded and past its first calls, officials cached), then the
 * counted pipeline; the call counter and the log bytes cover the counted cases only.
 */
async function measurePipeline(
  bench: LocalBench,
  options: Options,
  logs: ReturnType<typeof catchLogs>,
  stages: Progress,
) {
  const warmUp = options.quick ? 8 : 16;
  stages.stage('warm-up', warmUp);
  const common = { concurrency: options.concurrency, progress: stages };
  await runPipeline(bench.system, bench.clients, { ...common, count: warmUp, first: 0 });
  await clearMailbox(bench.system);
  callCounter.reset();
  logs.reset();

  stages.stage(`pipeline: ${options.cases} cases, ${options.concurrency} concurrent`, options.cases);
  const run = await runPipeline(bench.system, bench.clients, {
    ...common,
    count: options.cases,
    first: 1_000,
  });
  const snapshot = callCounter.snapshot();
  const logBytes = logs.bytes;
  if (run.routed !== run.cases || run.deadLetters > 0)
    throw new Error(`pipeline: ${run.routed} of ${run.cases} cases routed, ${run.deadLetters} dead letters`);

  await clearMailbox(bench.system);
  stages.stage('floor: the bare SDK calls of a case', options.cases);
  const floor = await runFloor(bench.system, bench.clients, {
    ...common,
    count: options.cases,
    emails: run.emails,
    idleMs: 20,
  });
  return { run, floor, snapshot, logBytes };
}

/** Figure 1: the pipeline's wall time and throughput against the floor. */
function pipelineFigures(run: Run, floor: { wallMs: number }, options: Options): Figure[] {
  return [
    {
      figure: 1,
      name: `pipeline wall time, ${run.cases} cases, ${options.concurrency} concurrent`,
      value: round(run.wallMs / 1000, 2),
      unit: 's',
      floor: round(floor.wallMs / 1000, 2),
      ratio: ratio(run.wallMs, floor.wallMs),
      target: 'ratio <= 1.3',
      met: run.wallMs / floor.wallMs <= 1.3,
    },
    {
      figure: 1,
      name: 'pipeline throughput',
      value: round(run.cases / (run.wallMs / 1000), 1),
      unit: 'cases/s',
      floor: round(run.cases / (floor.wallMs / 1000), 1),
    },
  ];
}

const totalCalls = (calls: readonly { calls: number }[]) => calls.reduce((sum, call) => sum + call.calls, 0);

/** What the counted cases used, from the call counter: calls by function, invocations, capacity units. */
function usageOf(snapshot: CallSnapshot) {
  const callsOf = (fn: string) => snapshot.calls.filter((call) => call.fn === fn);
  const intake = callsOf('intake');
  const router = callsOf('router');
  const dynamo = [...intake, ...router].filter((call) => call.service === 'dynamodb');
  const invocations = ['intake', 'router'].map((fn) => {
    const tally = snapshot.invocations.find((invocation) => invocation.fn === fn);
    return {
      fn,
      invocations: tally?.count ?? 0,
      totalMs: tally?.totalMs ?? 0,
      memoryMb: declaration.functions[fn]?.memoryMb ?? 0,
    };
  });
  return {
    intake,
    router,
    routerMail: router.filter((call) => call.service === 'ses'),
    routerInvocations: invocations.find((invocation) => invocation.fn === 'router')?.invocations ?? 0,
    invocations,
    readUnits: dynamo.reduce((sum, call) => sum + call.readUnits, 0),
    writeUnits: dynamo.reduce((sum, call) => sum + call.writeUnits, 0),
  };
}
type Usage = ReturnType<typeof usageOf>;

/** Figure 2: AWS calls and DynamoDB capacity units per case. */
function callFigures(usage: Usage, cases: number): Figure[] {
  const per = (value: number) => round(value / cases, 2);
  const { intake, router, routerMail, routerInvocations } = usage;
  const routerWithoutMail = totalCalls(router) - totalCalls(routerMail);
  const byOperation = [...intake, ...router].sort((a, b) =>
    `${a.fn}${a.service}${a.operation}`.localeCompare(`${b.fn}${b.service}${b.operation}`),
  );
  return [
    {
      figure: 2,
      name: 'AWS calls per case: intake',
      value: per(totalCalls(intake)),
      unit: 'calls',
      target: '<= 2',
      met: totalCalls(intake) / cases <= 2,
    },
    {
      figure: 2,
      name: 'AWS calls per case: router, without e-mails',
      value: per(routerWithoutMail),
      unit: 'calls',
      target: '<= 4 (+ e-mails)',
      met: routerWithoutMail / cases <= 4,
    },
    {
      figure: 2,
      name: 'e-mails per case (router SendEmail)',
      value: per(totalCalls(routerMail)),
      unit: 'calls',
    },
    ...byOperation.map((call) => ({
      figure: 2,
      name: `  ${call.fn} ${call.service} ${call.operation}${call.errors > 0 ? ` (${call.errors} failed)` : ''}`,
      value: per(call.calls),
      unit: 'calls',
    })),
    {
      figure: 2,
      name: '  event source mapping: SQS receive + delete',
      value: per(2 * routerInvocations),
      unit: 'calls',
    },
    { figure: 2, name: '  router invocations (batches)', value: per(routerInvocations), unit: 'per case' },
    { figure: 2, name: 'DynamoDB read request units per case', value: per(usage.readUnits), unit: 'RRU' },
    { figure: 2, name: 'DynamoDB write request units per case', value: per(usage.writeUnits), unit: 'WRU' },
  ];
}

/** Figure 3: the cost per 1,000 cases at list prices, its parts, the log volume and the mean durations. */
function costFigures(usage: Usage, cases: number, logBytes: number): Figure[] {
  const { intake, router, invocations } = usage;
  const platformLogBytes =
    PLATFORM_LOG_BYTES_PER_INVOCATION * invocations.reduce((sum, fn) => sum + fn.invocations, 0);
  const sqsCalls = (calls: typeof intake) => totalCalls(calls.filter((call) => call.service === 'sqs'));
  const cost = costOf({
    cases,
    lambda: invocations,
    httpRequests: cases,
    readUnits: usage.readUnits,
    writeUnits: usage.writeUnits,
    sqsRequests: sqsCalls(intake) + sqsCalls(router) + 2 * usage.routerInvocations,
    emails: totalCalls(usage.routerMail),
    logBytes: logBytes + platformLogBytes,
  });
  return [
    {
      figure: 3,
      name: `cost per 1,000 cases (list prices ${PRICES.region}, ${PRICES.checked})`,
      value: round(cost.total, 4),
      unit: 'USD',
      target: '<= 0.12',
      met: cost.total <= 0.12,
    },
    ...(['ses', 'dynamodb', 'lambda', 'httpApi', 'logs', 'sqs'] as const).map((part) => ({
      figure: 3,
      name: `  ${part}`,
      value: round(cost[part], 4),
      unit: 'USD',
    })),
    {
      figure: 3,
      name: '  log volume per case (measured + platform estimate)',
      value: round((logBytes / cases + platformLogBytes / cases) / 1024, 2),
      unit: 'KB',
    },
    ...invocations.map((fn) => ({
      figure: 3,
      name: `  ${fn.fn} mean duration (local, ${fn.memoryMb} MB billed)`,
      value: round(fn.totalMs / Math.max(1, fn.invocations), 1),
      unit: 'ms',
    })),
  ];
}

/** Figure 4: what the reminder job reads, with growing numbers of closed cases. */
function reminderFigures(reminders: Awaited<ReturnType<typeof runReminders>>): Figure[] {
  return reminders.flatMap((reminder) => {
    const label = `reminder job, ${reminder.closed.toLocaleString('en-US')} closed + ${reminder.due} due`;
    return [
      {
        figure: 4,
        name: `${label}: due-index items read`,
        value: reminder.indexItemsRead,
        unit: 'items',
        ratio: round(reminder.indexItemsRead / reminder.due, 2),
        target: 'ratio <= 1.1',
        met: reminder.indexItemsRead / reminder.due <= 1.1,
      },
      {
        figure: 4,
        name: `${label}: case items read (GetItem)`,
        value: reminder.caseItemsRead,
        unit: 'items',
        ratio: round(reminder.caseItemsRead / reminder.due, 2),
      },
      { figure: 4, name: `${label}: time per run`, value: round(reminder.ms, 0), unit: 'ms' },
    ];
  });
}

/**
 * Figure 5: each function's cold start against its own hello world that builds the same SDK clients
 * (`hello-sdk-<name>`, built the same way), what those clients cost against a bare hello world, and the sizes.
 */
function coldStartFigures(bundles: Bundles, cold: ReadonlyMap<string, number>, options: Options): Figure[] {
  const hello = cold.get('hello') ?? 0;
  const functions = bundles.filter((bundle) => !bundle.name.startsWith('hello'));
  const runs = `median of ${options.coldRuns}`;
  return [
    ...functions.flatMap((bundle): Figure[] => {
      const ms = cold.get(bundle.name) ?? 0;
      const reference = helloSdkOf(bundle.name);
      const sdk = cold.get(reference) ?? 0;
      return [
        {
          figure: 5,
          name: `cold start ${reference}: hello + the SDK clients of ${bundle.name} (${runs})`,
          value: round(sdk, 1),
          unit: 'ms',
          floor: round(hello, 1),
          ratio: ratio(sdk, hello),
        },
        {
          figure: 5,
          name: `cold start ${bundle.name}: load + init, against ${reference} (${runs})`,
          value: round(ms, 1),
          unit: 'ms',
          floor: round(sdk, 1),
          ratio: ratio(ms, sdk),
          target: 'ratio <= 1.15',
          met: ms / sdk <= 1.15,
        },
      ];
    }),
    ...bundles.map((bundle) => ({
      figure: 5,
      name: `bundle ${bundle.name}`,
      value: round(bundle.bytes / 1024, 1),
      unit: 'KB',
      ...(bundle.name.startsWith('hello') ? {} : { target: '<= 700', met: bundle.bytes / 1024 <= 700 }),
    })),
  ];
}

/** Figure 6: the intake's latency as its clients saw it. */
function latencyFigures(run: Run, options: Options): Figure[] {
  return [50, 95, 99].map((rank) => ({
    figure: 6,
    name: `intake latency p${rank} (POST /cases, ${options.concurrency} concurrent)`,
    value: round(percentile(run.latenciesMs, rank), 1),
    unit: 'ms',
  }));
}

/** Prints the table (and the largest parts of each bundle) and writes bench/results/latest.json. */
async function report(
  figures: readonly Figure[],
  bundles: Bundles,
  errors: LocalBench['errors'],
  options: Options,
  seconds: number,
) {
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
      .filter((bundle) => !bundle.name.startsWith('hello'))
      .map(
        (bundle) =>
          `  ${bundle.name}: ${bundle.parts
            .slice(0, 5)
            .map((part) => `${part.part} ${round(part.bytes / 1024, 1)} KB`)
            .join(', ')}`,
      ),
    errors.length > 0
      ? `\n${errors.length} error(s) the runtime reported, the first: ${String(errors[0]?.error)}`
      : '',
  ].join('\n');
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
        bundleParts: Object.fromEntries(bundles.map((bundle) => [bundle.name, bundle.parts.slice(0, 8)])),
      },
      null,
      2,
    )}\n`,
  );
}

async function main() {
  const options = optionsOrUsage(process.argv.slice(2));
  if (options === undefined) return;
  const begun = performance.now();
  const stages = progress();
  const { bundles, cold } = await measureBundles(options, stages);

  const logs = catchLogs();
  const bench = await startBenchSystem(stages);
  const interrupted = async () => {
    stages.stop();
    logs.restore();
    await bench.stop();
    process.exit(130);
  };
  process.once('SIGINT', interrupted);
  try {
    const { run, floor, snapshot, logBytes } = await measurePipeline(bench, options, logs, stages);
    const usage = usageOf(snapshot);
    const reminders = await runReminders(bench.system, bench.clients.db, {
      sizes: options.sizes,
      due: 100,
      settleMs: options.settleMs,
      progress: stages,
    });
    const figures = [
      ...pipelineFigures(run, floor, options),
      ...callFigures(usage, run.cases),
      ...costFigures(usage, run.cases, logBytes),
      ...reminderFigures(reminders),
      ...coldStartFigures(bundles, cold, options),
      ...latencyFigures(run, options),
    ];
    stages.stop();
    logs.restore();
    await report(figures, bundles, bench.errors, options, round((performance.now() - begun) / 1000, 1));
  } finally {
    process.off('SIGINT', interrupted);
    logs.restore();
    await bench.stop();
  }
}

await main();
