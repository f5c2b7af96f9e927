import type { Command } from 'commander';
import { z } from 'zod';
import { dynamoCaseStore } from '../functions/adapters/cases.js';
import type { Counter } from '../functions/domain/ports.js';
import { destructionCsv } from '../functions/domain/retention.js';
import { type RetentionRun, runRetentionJob } from '../functions/use-cases/run-retention-job.js';
import { errorsOnlyLog, parsedOrExit, quietProgram, readCommandLine, UsageError } from './cli.js';
import {
  connectTable,
  explainTableError,
  TARGET_OPTIONS,
  TARGET_USAGE,
  type Target,
  targetOf,
  targetOptionSchemas,
  whereOf,
} from './table-target.js';

/**
 * `npm run retention`: runs the retention job once, as the daily schedule does, at a moment (`--at`, default
 * now), or shows what it would do (`--dry-run`); `report --year <y>` prints the cases destroyed in a year as
 * CSV. Local (`npm start`) by default, AWS with `--aws`.
 */
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const USAGE = `Usage: npm run retention -- [--at <moment>] [--dry-run] [target]
       npm run retention -- report --year <year> [target]

  (no command)       runs the retention job once, as the daily schedule does: removes the personal data
                     of cases closed long enough ago and destroys the cases whose archive action date has
                     come, keeping a deletion record of each; prints what it did
  --at <moment>      ISO 8601 with offset, e.g. 2027-01-15T09:00:00+01:00 (default: now)
  --dry-run          only prints what it would do; changes nothing
  report --year <y>  the cases destroyed in that year (UTC), as CSV: the list for a "verklaring van
                     vernietiging"

${TARGET_USAGE}
  -h, --help         this text

Exit codes: 0 done, 1 failed (e.g. DynamoDB unreachable, a case that failed its step), 2 wrong usage.`;

const moment = z.iso.datetime({
  offset: true,
  error: '--at: expected a moment like 2027-01-15T09:00:00+01:00',
});
const runSchema = z.strictObject({
  at: moment.optional(),
  dryRun: z.boolean().optional(),
  ...targetOptionSchemas,
});
const reportSchema = z.strictObject({
  year: z.coerce
    .number({ error: '--year: expected a year like 2031' })
    .int('--year: expected a year like 2031')
    .min(2000, '--year: expected a year like 2031')
    .max(2200, '--year: expected a year like 2031'),
  ...targetOptionSchemas,
});

type Parsed =
  | { readonly command: 'run'; readonly at: Date; readonly dryRun: boolean; readonly target: Target }
  | { readonly command: 'report'; readonly year: number; readonly target: Target };

function parseCommandLine(argv: readonly string[], env: NodeJS.ProcessEnv): 'help' | Parsed {
  let read: { command: 'run' | 'report'; input: Record<string, unknown> } | undefined;
  const program = quietProgram('retention');
  const run = program.command('run', { isDefault: true, hidden: true });
  for (const flags of ['--at <moment>', '--dry-run', ...TARGET_OPTIONS]) run.option(flags);
  run.action(function (this: Command) {
    read = { command: 'run', input: this.opts() };
  });
  const report = program.command('report');
  for (const flags of ['--year <year>', ...TARGET_OPTIONS]) report.option(flags);
  report.action(function (this: Command) {
    read = { command: 'report', input: this.opts() };
  });
  if (readCommandLine(program, argv) === 'help') return 'help';
  if (read === undefined) throw new UsageError('missing command');
  const message = (error: z.ZodError) => error.issues[0]?.message ?? 'invalid arguments';
  if (read.command === 'report') {
    if (read.input.year === undefined) throw new UsageError('"report" needs --year <year>');
    const checked = reportSchema.safeParse(read.input);
    if (!checked.success) throw new UsageError(message(checked.error));
    return { command: 'report', year: checked.data.year, target: targetOf(checked.data, env) };
  }
  const checked = runSchema.safeParse(read.input);
  if (!checked.success) throw new UsageError(message(checked.error));
  return {
    command: 'run',
    at: new Date(checked.data.at ?? new Date().toISOString()),
    dryRun: checked.data.dryRun ?? false,
    target: targetOf(checked.data, env),
  };
}

/** The run in lines a person reads: one per case, then the totals. */
function describeRun(run: RetentionRun, where: string): string[] {
  const verb = run.dryRun ? { anonymise: 'would anonymise', destroy: 'would destroy' } : undefined;
  const lines = [
    `retention at ${run.now} (day ${run.day}) on ${where}${run.dryRun ? ', dry run: nothing changed' : ''}`,
    ...run.anonymised.map(
      (a) => `  ${verb?.anonymise ?? 'anonymised'} ${a.reference} (personal data due ${a.on})`,
    ),
    ...run.destroyed.map(
      (d) => `  ${verb?.destroy ?? 'destroyed'} ${d.reference} (archive action date ${d.on})`,
    ),
    ...run.failed.map((reference) => `  FAILED ${reference}: it stays due`),
    `${run.dryRun ? 'would anonymise' : 'anonymised'} ${run.anonymised.length}, ${run.dryRun ? 'would destroy' : 'destroyed'} ${run.destroyed.length}, failed ${run.failed.length}${run.more ? ' (more is due: run again)' : ''}`,
  ];
  return lines;
}

const noMetrics: Counter = { count: () => undefined, duration: () => undefined };

async function main(argv: readonly string[]): Promise<number> {
  const read = parsedOrExit('retention', USAGE, () => parseCommandLine(argv, process.env));
  if ('exitCode' in read) return read.exitCode;
  const { parsed } = read;
  const { target } = parsed;
  const { client, db } = connectTable(target);
  const cases = dynamoCaseStore(db, target.table);
  try {
    if (parsed.command === 'report') {
      process.stdout.write(destructionCsv(await cases.destroyedIn(parsed.year)));
      return 0;
    }
    const run = await runRetentionJob(
      { cases, log: errorsOnlyLog('retention'), metrics: noMetrics },
      parsed.at,
      {
        dryRun: parsed.dryRun,
      },
    );
    for (const line of describeRun(run, whereOf(target))) console.log(line);
    return run.failed.length > 0 ? 1 : 0;
  } catch (error) {
    console.error(`retention: ${explainTableError(error, target, 'a case')}`);
    return 1;
  } finally {
    client.destroy();
  }
}

process.exitCode = await main(process.argv.slice(2));
