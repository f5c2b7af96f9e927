// ./env.js sets, as it loads, the environment the local system composes the functions with (call counting,
// logs as on AWS); main reads it when it starts the system, so the order of the imports does not matter.

import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { municipality } from '../config/index.js';
import { declaration } from '../functions/declaration.js';
import { dailyMailboxes } from '../functions/domain/digest.js';
import { type CallSnapshot, callCounter } from '../infra/local/instrumentation/call-counter.js';
import { LATENCY_ENV, type LatencyMode } from '../infra/local/instrumentation/latency.js';
import { ROOT, startLocal } from '../infra/local/runtime.js';
import { CAPACITY_DEPARTMENT, goalsOf, runCapacity, WARM_UP_DEPARTMENT } from './capacity.js';
import { buildBundles, helloSdkOf, measureColdStarts } from './cold-start.js';
import { type DigestShare, digestShare } from './digests.js';
import { catchLogs } from './env.js';
import {
  capacityFigures,
  latencyFigures,
  type ModeRun,
  modeFigures,
  modeLabel,
  reminderFigures,
  shapeFigures,
} from './figures.js';
import {
  type CaseShape,
  countsPerCase,
  emailsByCase,
  type FloorKind,
  measureRoutedCases,
  runFloor,
  submittedCases,
} from './floor.js';
import { type BenchOptions, parseOptions, reminderRounds, USAGE } from './options.js';
import { benchClients, clearMailbox, requestBody, runPipeline } from './pipeline.js';
import { costOf, PLATFORM_LOG_BYTES_PER_INVOCATION, PRICES } from './prices.js';
import { type Progress, progress } from './progress.js';
import { runReminders } from './reminders.js';
import { ratio, round } from './stats.js';
import { type Figure, renderTable } from './table.js';

/**
 * Every case of the bench comes from this machine: its municipality config sets intake limits of its own,
 * far above its load, so that the limits are counted (each request takes its two counts, as on AWS) but
 * never refuse a case.
 */
const benchMunicipality = {
  ...municipality,
  intakeLimits: { requestsPerSourcePerHour: 10_000_000, requestsPerEmailPerDay: 10_000_000 },
};

type Options = BenchOptions;
type Bundles = Awaited<ReturnType<typeof buildBundles>>;
type LocalBench = Awaited<ReturnType<typeof startBenchSystem>>;

async function machine() {
  const cpuinfo = await readFile('/proc/cpuinfo', 'utf8').catch(() => '');
  const model = /^model name\s*:\s*(.+)$/m.exec(cpuinfo)?.[1] ?? cpus()[0]?.model ?? 'unknown';
  return { cpu: model.trim(), nproc: cpus().length, node: process.version, platform: process.platform };
}

/** The options, or `undefined` after printing the usage (`--help`); exits 2 on a wrong option. */
function optionsOrUsage(argv: string[]): Options | undefined {
  const parsed = parseOptions(argv);
  if ('error' in parsed) {
    console.error(parsed.error);
    console.error(`\n${USAGE}`);
    process.exit(2);
  }
  if (!parsed.options.help) return parsed.options;
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

/**
 * The local system on free ports in a temporary folder, the schedules off, its errors collected; its
 * functions' clients with the round trips of `mode` (the instrumentation reads `AANSPREEKPUNT_LATENCY` as
 * the system starts, and the floor's clients as it starts).
 */
async function startBenchSystem(
  stages: Progress,
  errors: { error: unknown; where: string }[],
  mode: LatencyMode,
) {
  const dataDir = await mkdtemp(join(tmpdir(), 'aanspreekpunt-bench-'));
  process.env[LATENCY_ENV] = mode;
  stages.stage(
    `starting the local system (latency: ${mode}; the bench's own intake limits: ${benchMunicipality.intakeLimits.requestsPerSourcePerHour} per source per hour, ${benchMunicipality.intakeLimits.requestsPerEmailPerDay} per e-mail address per day)`,
  );
  const system = await startLocal({
    municipality: benchMunicipality,
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
    mode,
    errors,
    async stop() {
      clients.destroy();
      await system.stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * Figure 1's run in one latency mode: a warm-up (every handler loaded and past its first calls, officials
 * cached), then the counted pipeline; the call counter and the log bytes cover the counted cases only.
 * Then the shape of its cases (item sizes, e-mails) and the floor, which copies that shape.
 */
async function measurePipeline(
  bench: LocalBench,
  options: Options,
  logs: ReturnType<typeof catchLogs>,
  stages: Progress,
) {
  const warmUp = options.quick ? 8 : 16;
  stages.stage(`warm-up (latency: ${bench.mode})`, warmUp);
  const common = { concurrency: options.concurrency, progress: stages };
  await runPipeline(bench.system, bench.clients, { ...common, count: warmUp, first: 0 });
  await clearMailbox(bench.system);
  callCounter.reset();
  logs.reset();

  stages.stage(
    `pipeline: ${options.cases} cases, ${options.concurrency} concurrent (latency: ${bench.mode})`,
    options.cases,
  );
  const run = await runPipeline(bench.system, bench.clients, {
    ...common,
    count: options.cases,
    first: 1_000,
  });
  const snapshot = callCounter.snapshot();
  const logBytes = logs.bytes;
  if (run.routed !== run.cases || run.deadLetters > 0)
    throw new Error(`pipeline: ${run.routed} of ${run.cases} cases routed, ${run.deadLetters} dead letters`);

  // The departments' digests the counted cases make at a municipality's daily volume (`requestBody`'s KvK
  // numbers: the counted cases are numbered from 1,000).
  const mailboxOf = new Map(
    dailyMailboxes(benchMunicipality).flatMap((box) => box.departments.map((d) => [d.id, box.id] as const)),
  );
  const digests = await digestShare(bench.clients.db, bench.system.tables.cases, {
    fromKvk: 30_001_000,
    digestOf: (department) => mailboxOf.get(department) ?? department,
  });
  const shape: CaseShape = {
    submitted: submittedCases(snapshot),
    routed: await measureRoutedCases(bench.clients.dynamo, bench.system.tables.cases),
    emails: emailsByCase(run.mails),
    countsPerCase: countsPerCase(snapshot, run.cases),
  };
  await clearMailbox(bench.system);
  const floorOf = async (kind: FloorKind, title: string) => {
    stages.stage(`${title} (latency: ${bench.mode})`, options.cases);
    callCounter.reset();
    const floor = await runFloor(bench.system, bench.clients, shape, {
      ...common,
      count: options.cases,
      idleMs: 20,
      kind,
      onError: (error, where) => bench.errors.push({ error, where }),
    });
    const floorSnapshot = callCounter.snapshot();
    await clearMailbox(bench.system);
    if (floor.deadLetters > 0) throw new Error(`${title}: ${floor.deadLetters} dead letters`);
    return { floor, floorSnapshot };
  };
  const { floor, floorSnapshot } = await floorOf('issue', 'floor: the least a case needs');
  const mission = await floorOf('mission', "the mission's floor: + duplicate claim, earlier contact, counts");
  const modeRun: ModeRun = {
    mode: bench.mode,
    cases: run.cases,
    concurrency: options.concurrency,
    pipelineMs: run.wallMs,
    floorMs: floor.wallMs,
    missionFloorMs: mission.floor.wallMs,
    latenciesMs: run.latenciesMs,
    pipeline: snapshot,
    floor: floorSnapshot,
    missionFloor: mission.floorSnapshot,
  };
  return { run: modeRun, snapshot, logBytes, shape, digests };
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
function callFigures(usage: Usage, cases: number, digests: DigestShare): Figure[] {
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
      // Issue 13's 3 (store, duplicate claim, queue) and the two counts of the abuse limits (issue 15).
      target: '<= 5',
      met: totalCalls(intake) / cases <= 5,
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
    {
      figure: 2,
      name: `e-mails per case with the departments' daily digests (${digests.perDay} cases a working day: ${digests.digests} digests in ${digests.days} days)`,
      value: per(totalCalls(routerMail) + (digests.digests / Math.max(1, digests.cases)) * cases),
      unit: 'mails',
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
    {
      figure: 2,
      name: 'DynamoDB read request units per case',
      value: per(usage.readUnits),
      unit: 'RRU',
      target: '<= 2',
      met: usage.readUnits / cases <= 2,
    },
    {
      figure: 2,
      name: 'DynamoDB write request units per case',
      value: per(usage.writeUnits),
      unit: 'WRU',
      target: '<= 12',
      met: usage.writeUnits / cases <= 12,
    },
  ];
}

/**
 * The share of the cost with an e-mail per informed department (`immediate`) the daily digests may leave:
 * issue 17's cut from $0.30 to $0.21, the SES price of 3 e-mails a case against 2.1.
 */
const DIGEST_COST_SHARE = 0.7;

/**
 * Figure 3: the cost per 1,000 cases at list prices, its parts, the log volume and the mean durations, from
 * the run in `mode` (with AWS-like round trips where there is one: Lambda bills the time a function waits).
 */
function costFigures(
  usage: Usage,
  cases: number,
  logBytes: number,
  mode: LatencyMode,
  digests: DigestShare,
): Figure[] {
  const { intake, router, invocations } = usage;
  const platformLogBytes =
    PLATFORM_LOG_BYTES_PER_INVOCATION * invocations.reduce((sum, fn) => sum + fn.invocations, 0);
  const sqsCalls = (calls: typeof intake) => totalCalls(calls.filter((call) => call.service === 'sqs'));
  const costWith = (emails: number) =>
    costOf({
      cases,
      lambda: invocations,
      httpRequests: cases,
      readUnits: usage.readUnits,
      writeUnits: usage.writeUnits,
      sqsRequests: sqsCalls(intake) + sqsCalls(router) + 2 * usage.routerInvocations,
      emails,
      logBytes: logBytes + platformLogBytes,
    });
  // The router's e-mails, and the departments' digests those cases make at a day's volume.
  const perCase = (count: number) => (count / Math.max(1, digests.cases)) * cases;
  const cost = costWith(totalCalls(usage.routerMail) + perCase(digests.digests));
  // The same cases with every other department informed by an e-mail of its own (`immediate`, before digests).
  const immediate = costWith(totalCalls(usage.routerMail) + perCase(digests.informed));
  // The least the cases cost: the e-mails each needs (its contact's and the enterprise's), no digest at all.
  const withoutDigests = costWith(totalCalls(usage.routerMail));
  // Issue 17 asks the digests to cut the cost by 30% ($0.30 -> $0.21 at SES's price of 3 e-mails a case).
  const target = DIGEST_COST_SHARE * immediate.total;
  return [
    {
      figure: 3,
      name: `cost per 1,000 cases with daily department digests (list prices ${PRICES.region}, ${PRICES.checked}) ${modeLabel(mode)}`,
      value: round(cost.total, 4),
      unit: 'USD',
      target: `<= ${round(target, 3)} (${DIGEST_COST_SHARE * 100}% of immediate)`,
      met: cost.total <= target,
    },
    {
      figure: 3,
      name: '  the same with an information e-mail per other department (immediate, as before the digests)',
      value: round(immediate.total, 4),
      unit: 'USD',
    },
    {
      figure: 3,
      name: '  the same without any digest (only the e-mails each case needs: its contact and the enterprise)',
      value: round(withoutDigests.total, 4),
      unit: 'USD',
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

/** Figure 7's run, on a system of its own: warmed up by cases of another department, then the capacity run. */
async function measureCapacity(bench: LocalBench, options: Options, stages: Progress) {
  const warmUp = options.quick ? 8 : 16;
  stages.stage(`capacity warm-up: cases of ${WARM_UP_DEPARTMENT}`, warmUp);
  const goals = goalsOf(WARM_UP_DEPARTMENT);
  await runPipeline(bench.system, bench.clients, {
    count: warmUp,
    concurrency: options.concurrency,
    first: 0,
    progress: stages,
    body: (n) => ({ ...requestBody(n), goals }),
  });
  return runCapacity(bench.system, bench.clients, {
    count: options.capacity,
    concurrency: options.concurrency,
    department: CAPACITY_DEPARTMENT,
    first: 2_000_000,
    progress: stages,
  });
}

async function main() {
  const options = optionsOrUsage(process.argv.slice(2));
  if (options === undefined) return;
  const begun = performance.now();
  const stages = progress();
  const { bundles, cold } = await measureBundles(options, stages);

  const logs = catchLogs();
  const errors: LocalBench['errors'] = [];
  let running: LocalBench | undefined;
  const interrupted = async () => {
    stages.stop();
    logs.restore();
    await running?.stop();
    process.exit(130);
  };
  /** Runs `work` on a fresh local system in latency mode `mode`, and stops it. */
  const on = async <R>(mode: LatencyMode, work: (bench: LocalBench) => Promise<R>): Promise<R> => {
    const bench = await startBenchSystem(stages, errors, mode);
    running = bench;
    try {
      return await work(bench);
    } finally {
      running = undefined;
      await bench.stop();
    }
  };
  process.once('SIGINT', interrupted);
  try {
    let reminders: Awaited<ReturnType<typeof runReminders>> = [];
    const modes: Awaited<ReturnType<typeof measurePipeline>>[] = [];
    for (const [i, mode] of options.latency.entries())
      modes.push(
        await on(mode, async (bench) => {
          const measured = await measurePipeline(bench, options, logs, stages);
          // The SLA job once, on the first system (its figures count items, whatever the latency).
          if (i === 0)
            reminders = await runReminders(bench.system, bench.clients.db, {
              rounds: reminderRounds(options),
              settleMs: options.settleMs,
              progress: stages,
            });
          return measured;
        }),
      );
    const [first] = modes;
    if (first === undefined) throw new Error('no latency mode to run');
    const capacity =
      options.capacity > 0
        ? await on(first.run.mode, (bench) => measureCapacity(bench, options, stages))
        : undefined;
    const costed = modes.find((m) => m.run.mode === 'aws') ?? first;
    const figures = [
      ...shapeFigures(first.shape),
      ...modes.flatMap((m) => modeFigures(m.run)),
      ...callFigures(usageOf(first.snapshot), first.run.cases, first.digests),
      ...costFigures(
        usageOf(costed.snapshot),
        costed.run.cases,
        costed.logBytes,
        costed.run.mode,
        costed.digests,
      ),
      ...reminderFigures(reminders),
      ...coldStartFigures(bundles, cold, options),
      ...modes.flatMap((m) => latencyFigures(m.run)),
      ...(capacity === undefined ? [] : capacityFigures(capacity)),
    ];
    stages.stop();
    logs.restore();
    await report(figures, bundles, errors, options, round((performance.now() - begun) / 1000, 1));
  } finally {
    process.off('SIGINT', interrupted);
    logs.restore();
    await running?.stop();
  }
}

await main();
