import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import type { Command } from 'commander';
import { z } from 'zod';
import { municipality } from '../config/index.js';
import { dynamoCaseStore } from '../functions/adapters/cases.js';
import { dynamoDigestStore } from '../functions/adapters/digests.js';
import { sesMailer } from '../functions/adapters/mailer.js';
import { dynamoOfficialDirectory } from '../functions/adapters/officials.js';
import type { Counter } from '../functions/domain/ports.js';
import { type Month, monthBefore, monthSchema, reportDayOf } from '../functions/domain/report.js';
import { reportCsv } from '../functions/domain/report-tables.js';
import {
  casesOfMonth,
  monthlyReports,
  sendMonthlyReports,
} from '../functions/use-cases/send-monthly-reports.js';
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
 * `npm run report -- --month <YYYY-MM>`: the monthly reports of a month, as the digest job sends them on the
 * first working day of the month after: locally (`npm start`) it sends each report once (a report sent before
 * is not sent again) and writes the CSV files; on AWS (`--aws`) it writes the CSV files only, for the
 * municipality's BI tools (the schedule sends the e-mails there).
 */
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const USAGE = `Usage: npm run report -- [--month <YYYY-MM>] [--csv <folder>] [target]

  --month <YYYY-MM>  the month (default: the month before this one)
  --csv <folder>     where the CSV files go: <folder>/<month>/<scope>/<table>.csv (default: reports)

Sends the month's reports, one per wethouder (their portfolio's departments) and one for the whole
municipality (to the coordinator), each once: a report sent before (by the digest job on the first
working day of the month after, or an earlier run) is not sent again. Writes each report's tables as
CSV files (the columns: docs/report.md). With --aws only the CSV files are written.

${TARGET_USAGE}
  -h, --help         this text

Exit codes: 0 done, 1 failed (e.g. DynamoDB unreachable, a report that could not be sent), 2 wrong usage.`;

const optionsSchema = z.strictObject({
  month: monthSchema.optional(),
  csv: z.string().min(1).optional(),
  ...targetOptionSchemas,
});

interface Parsed {
  readonly month: Month;
  readonly csv: string;
  readonly target: Target;
}

function parseCommandLine(argv: readonly string[], env: NodeJS.ProcessEnv): 'help' | Parsed {
  let input: Record<string, unknown> = {};
  const program = quietProgram('report');
  for (const flags of ['--month <month>', '--csv <folder>', ...TARGET_OPTIONS]) program.option(flags);
  program.action(function (this: Command) {
    input = this.opts();
  });
  if (readCommandLine(program, argv) === 'help') return 'help';
  const checked = optionsSchema.safeParse(input);
  if (!checked.success) {
    const issue = checked.error.issues[0];
    throw new UsageError(`--${issue?.path.join('.') ?? 'month'}: ${issue?.message ?? 'invalid'}`);
  }
  return {
    month: checked.data.month ?? monthBefore(new Date()),
    csv: checked.data.csv ?? 'reports',
    target: targetOf(checked.data, env),
  };
}

const noMetrics: Counter = { count: () => undefined, duration: () => undefined };

async function main(argv: readonly string[]): Promise<number> {
  const read = parsedOrExit('report', USAGE, () => parseCommandLine(argv, process.env));
  if ('exitCode' in read) return read.exitCode;
  const { month, csv, target } = read.parsed;
  const { client, db } = connectTable(target);
  const mailPort = Number(process.env.MAIL_PORT ?? 8005);
  const ses = new SESv2Client({
    endpoint: `http://127.0.0.1:${mailPort}`,
    region: 'eu-west-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  const now = new Date();
  try {
    const deps = {
      cases: dynamoCaseStore(db, target.table),
      digests: dynamoDigestStore(db, target.table),
      officials: dynamoOfficialDirectory(db, target.table),
      mailer: sesMailer(ses, {}),
      municipality,
      clock: () => new Date(),
      log: errorsOnlyLog('report'),
      metrics: noMetrics,
    };
    console.log(`monthly reports of ${month} on ${whereOf(target)}`);
    const cases = await casesOfMonth(deps, month);
    let failed = 0;
    if (target.kind === 'local') {
      const period = reportDayOf(month, municipality.sla.calendar) ?? `${month}-01`;
      const run = await sendMonthlyReports(deps, { month, period, now, cases });
      for (const [scope, outcome] of Object.entries(run.reports))
        console.log(
          `  ${scope}: ${outcome.outcome === 'recorded' ? 'sent before, not again' : outcome.outcome}`,
        );
      for (const scope of run.failed) console.log(`  FAILED ${scope}: not sent`);
      failed = run.failed.length;
    }
    const reports = monthlyReports(deps, cases, { month, now });
    for (const report of reports) {
      const folder = resolve(join(csv, month, report.scope.id));
      await mkdir(folder, { recursive: true });
      for (const [file, text] of reportCsv(report, municipality)) await writeFile(join(folder, file), text);
      console.log(`  ${report.scope.id}: ${report.received.total} requests; CSV in ${folder}`);
    }
    return failed > 0 ? 1 : 0;
  } catch (error) {
    console.error(`report: ${explainTableError(error, target, 'a case')}`);
    return 1;
  } finally {
    client.destroy();
    ses.destroy();
  }
}

process.exitCode = await main(process.argv.slice(2));
