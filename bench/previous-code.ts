import { parseArgs } from 'node:util';
import * as z from 'zod';
import { ROUND_TRIP_MS } from '../infra/local/instrumentation/latency.js';

/**
 * The pure parts of `npm run bench:previous` (bench/previous.ts): its options, the patch that gives the code
 * of an earlier commit the `aws` latency mode, and what it reads from that code's benchmark run.
 */

/** main before issue 13: the code whose throughput the "5x" is measured against. */
export const PREVIOUS_COMMIT = 'f5c2fe5';

const aws = ROUND_TRIP_MS.aws;

export const PREVIOUS_USAGE = `npm run bench:previous [-- options]

Measures the pipeline throughput of an earlier commit with --latency aws: checks the commit out in a
temporary git worktree (under the OS temp dir, removed afterwards), installs its dependencies (npm ci),
adds the current latency middleware to its functions' SDK clients (DynamoDB ${aws.dynamodb} ms, SQS ${aws.sqs} ms,
SES ${aws.ses} ms a call) and runs its own benchmark, with its other parts as short as its options allow.

  --commit <rev>   the commit to measure (default ${PREVIOUS_COMMIT}, main before issue 13)
  --cases <n>      cases through its pipeline (default 500)
  --help`;

const optionsSchema = z.object({
  help: z.boolean().default(false),
  commit: z
    .string()
    .regex(/^[\w./~^@{}-]+$/, 'a commit, branch or tag')
    .refine((rev) => !rev.startsWith('-'), 'a commit, branch or tag')
    .default(PREVIOUS_COMMIT),
  cases: z.coerce.number().int().min(10).max(100_000).default(500),
});
export type PreviousOptions = z.infer<typeof optionsSchema>;

/** The options of `npm run bench:previous`, or what is wrong with them. */
export function parsePreviousOptions(
  argv: readonly string[],
): { options: PreviousOptions } | { error: string } {
  let values: Record<string, unknown>;
  try {
    values = parseArgs({
      args: [...argv],
      options: { help: { type: 'boolean' }, commit: { type: 'string' }, cases: { type: 'string' } },
      strict: true,
    }).values;
  } catch (error) {
    return { error: (error as Error).message };
  }
  const parsed = optionsSchema.safeParse(values);
  return parsed.success ? { options: parsed.data } : { error: z.prettifyError(parsed.error) };
}

/**
 * The earlier benchmark's own options: the pipeline with `cases`, the rest as short as it allows (its least
 * cold starts per bundle, one closed case for the reminder job).
 */
export const previousBenchArgs = (cases: number) => [
  '--cases',
  String(cases),
  '--cold-runs',
  '10',
  '--sizes',
  '1',
];

/** Where the latency middleware goes in the earlier tree (copied from this tree, unchanged). */
export const LATENCY_MODULE = 'infra/local/instrumentation/latency.ts';
/** The earlier tree's instrumentation, which the patch edits. */
export const INSTRUMENTATION_MODULE = 'infra/local/instrumentation/index.ts';

/** Inserts `text` after the one occurrence of `anchor`; throws if it occurs not exactly once. */
function insertAfter(source: string, anchor: string, text: string): string {
  const at = source.indexOf(anchor);
  if (at < 0 || source.indexOf(anchor, at + 1) >= 0)
    throw new Error(
      `${INSTRUMENTATION_MODULE}: expected "${anchor.trim()}" exactly once; this commit's instrumentation differs from the one the patch was written for`,
    );
  return source.slice(0, at + anchor.length) + text + source.slice(at + anchor.length);
}

/**
 * The earlier `instrumentationFromEnv` (infra/local/instrumentation/index.ts) with the latency mode added as
 * the current one has it: the round trips of `AANSPREEKPUNT_LATENCY` (`ROUND_TRIP_MS`), one middleware per
 * client of each function (the clients `createClients()` built), added after the call counter and the faults.
 * Nothing else changes: the counter still counts every call once, and the deployed bundles are untouched.
 */
export function patchInstrumentation(source: string): string {
  const imported = insertAfter(
    source,
    "from './faults.js';\n",
    "import { injectLatency, latencyFromEnv, ROUND_TRIP_MS } from './latency.js';\n",
  );
  const read = insertAfter(
    imported,
    '  const faults = faultsFromEnv(env);\n',
    '  const roundTrip = ROUND_TRIP_MS[latencyFromEnv(env)];\n',
  );
  return insertAfter(
    read,
    "injectSesThrottling(clients.ses, faults['ses-throttle']);\n",
    [
      '      injectLatency(clients.dynamo, roundTrip.dynamodb);',
      '      injectLatency(clients.sqs, roundTrip.sqs);',
      '      injectLatency(clients.ses, roundTrip.ses);',
      '',
    ].join('\n'),
  );
}

/** The earlier run's table header and its pipeline rows (wall time, throughput), as it printed them. */
export function pipelineRows(stdout: string): string[] {
  const lines = stdout.split('\n');
  const header = lines.findIndex((line) => /^#\s+figure\s+value\s+unit/.test(line));
  if (header < 0) return [];
  const table = lines.slice(header);
  const end = table.findIndex((line) => line.trim() === '');
  const rows = end < 0 ? table : table.slice(0, end);
  return [...rows.slice(0, 2), ...rows.slice(2).filter((row) => /^1\s+pipeline /.test(row))];
}

const resultsSchema = z.object({
  entries: z.array(z.object({ name: z.string(), value: z.number(), unit: z.string() })),
});

/** The pipeline throughput (cases/s) in the earlier run's bench/results/latest.json. */
export function throughputOf(results: unknown): number {
  const entry = resultsSchema
    .parse(results)
    .entries.find((e) => e.name === 'pipeline throughput' && e.unit === 'cases/s');
  if (entry === undefined) throw new Error('the earlier run wrote no "pipeline throughput" figure');
  return entry.value;
}

/** The one-line result. */
export const summaryLine = (commit: string, casesPerSecond: number, cases: number) =>
  `previous code ${commit} with --latency aws: ${casesPerSecond} cases/s (${cases.toLocaleString('en-US')} cases)`;
