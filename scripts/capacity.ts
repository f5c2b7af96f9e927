import { readFile, writeFile } from 'node:fs/promises';
import { isAbsolute, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import { RootConstruct } from 'constructs';
import * as z from 'zod';
import { DUE_SHARD } from '../functions/adapters/cases.js';
import { declaration } from '../functions/declaration.js';
import { ROUTING_GRACE_MS } from '../functions/domain/case.js';
import { settingKeys, settingsFrom } from '../infra/aws/settings.js';
import { deploymentFrom, perCaseFrom, type Results, resultsSchema } from './capacity/inputs.js';
import { evaluate, ratesOf, SCENARIOS } from './capacity/model.js';
import { QUOTAS, type Quota } from './capacity/quotas.js';
import { renderPlan } from './capacity/report.js';
import { quietProgram, readCommandLine, UsageError } from './cli.js';

/**
 * `npm run capacity`: the national capacity plan, from the benchmark's measured figures per case
 * (bench/results/latest.json), the declaration, the deployment settings and the quotas table
 * (scripts/capacity/quotas.ts). Prints Markdown; `--write docs/capacity.md` also writes it there.
 */

const ROOT = fileURLToPath(new URL('..', import.meta.url));

const USAGE = `Usage: npm run capacity -- [options]

  --burst <rps>            national submissions per second (default 1000)
  --minutes <n>            how long the burst lasts (default 10)
  --municipalities <n>     stacks, one per municipality (default 342)
  --largest-share <0..1>   the largest municipality's share of the burst (default 0.05, Amsterdam)
  --ses-rate <n>           the account's SES sending rate, e-mails/s (default: the assumed 14)
  --ses-daily <n>          the account's SES 24-hour quota (default: the assumed 50000)
  --results <file>         benchmark results (default bench/results/latest.json)
  --write <file>           also write the plan there (e.g. docs/capacity.md)
  -h, --help               this text

Prints, per scenario (one account or one account per municipality; the burst even or on the largest),
every quota's demand, limit, headroom, whether it binds and from which burst, and what to change.`;

const optionsSchema = z.strictObject({
  burst: z.coerce.number().positive().default(1_000),
  minutes: z.coerce.number().positive().default(10),
  municipalities: z.coerce.number().int().min(1).default(342),
  largestShare: z.coerce.number().gt(0).max(1).default(0.05),
  sesRate: z.coerce.number().positive().optional(),
  sesDaily: z.coerce.number().positive().optional(),
  results: z.string().min(1).default('bench/results/latest.json'),
  write: z.string().min(1).optional(),
});
type Options = z.infer<typeof optionsSchema>;

function fail(message: string): never {
  console.error(`capacity: ${message} (see --help)`);
  process.exit(2);
}

function readOptions(argv: readonly string[]): Options {
  let values: Record<string, unknown> = {};
  const program = quietProgram('capacity')
    .option('--burst <rps>')
    .option('--minutes <n>')
    .option('--municipalities <n>')
    .option('--largest-share <share>')
    .option('--ses-rate <n>')
    .option('--ses-daily <n>')
    .option('--results <file>')
    .option('--write <file>')
    .action(function (this: Command) {
      values = this.opts();
    });
  try {
    if (readCommandLine(program, argv) === 'help') {
      console.log(USAGE);
      process.exit(0);
    }
  } catch (error) {
    if (error instanceof UsageError) fail(error.message);
    throw error;
  }
  const parsed = optionsSchema.safeParse(values);
  if (!parsed.success) fail(z.prettifyError(parsed.error).replaceAll('\n', ' '));
  return parsed.data;
}

const inRoot = (file: string) => (isAbsolute(file) ? file : join(ROOT, file));

async function readResults(file: string): Promise<Results | undefined> {
  let text: string;
  try {
    text = await readFile(inRoot(file), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  const parsed = resultsSchema.safeParse(JSON.parse(text));
  if (!parsed.success) fail(`${file} is not a benchmark results file: ${z.prettifyError(parsed.error)}`);
  return parsed.data;
}

/** The deployment settings as `cdk synth` reads them: cdk.json's context over the defaults. */
async function deploymentSettings() {
  const cdk = z
    .object({ context: z.record(z.string(), z.unknown()).default({}) })
    .parse(JSON.parse(await readFile(join(ROOT, 'cdk.json'), 'utf8')));
  const root = new RootConstruct('capacity');
  for (const key of settingKeys) if (key in cdk.context) root.node.setContext(key, cdk.context[key]);
  return settingsFrom(root.node);
}

/** The quotas table with the account's own SES quotas where given (they replace the assumed ones). */
function quotasWith(options: Options): Quota[] {
  const own: Record<string, number | undefined> = {
    'ses-rate': options.sesRate,
    'ses-daily': options.sesDaily,
  };
  return QUOTAS.map((quota) => {
    const value = own[quota.id];
    if (value === undefined) return quota;
    const { assumed: _assumed, ...rest } = quota;
    const note = [quota.note, "the account's own value, given on the command line"]
      .filter(Boolean)
      .join('; ');
    return { ...rest, value, note };
  });
}

const options = readOptions(process.argv.slice(2));
const results = await readResults(options.results);
const perCase = perCaseFrom(results);
const rates = ratesOf(perCase);
const deployment = deploymentFrom(declaration, await deploymentSettings(), ROUTING_GRACE_MS / 60_000);
const quotas = quotasWith(options);
const load = {
  burstPerSecond: options.burst,
  minutes: options.minutes,
  municipalities: options.municipalities,
  largestShare: options.largestShare,
};
const due = declaration.tables.cases?.indexes.due;
if (due === undefined) throw new Error('the declaration has no due index on the cases table');

const args = process.argv.slice(2);
const markdown = renderPlan({
  command: `npm run capacity${args.length > 0 ? ` -- ${args.join(' ')}` : ''}`,
  date: new Date().toISOString().slice(0, 10),
  resultsPath: relative(ROOT, inRoot(options.results)),
  results: results === undefined ? undefined : { date: results.date, command: results.command },
  load,
  perCase,
  rates,
  deployment,
  quotas,
  dueIndex: {
    partitionKey: due.partitionKey,
    sortKey: due.sortKey,
    projection: due.projection,
    shardValue: DUE_SHARD,
  },
  scenarios: SCENARIOS.map((scenario) => evaluate(scenario, load, rates, deployment, quotas)),
});
process.stdout.write(markdown);
if (options.write !== undefined) {
  await writeFile(inRoot(options.write), markdown);
  console.error(`capacity: wrote ${relative(ROOT, inRoot(options.write))}`);
}
