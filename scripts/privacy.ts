import type { Command } from 'commander';
import { z } from 'zod';
import { dynamoCaseStore } from '../functions/adapters/cases.js';
import { dynamoOfficialDirectory } from '../functions/adapters/officials.js';
import { dynamoRequestCounts } from '../functions/adapters/request-counter.js';
import type { ContactCases } from '../functions/domain/ports.js';
import { describeErasure } from '../functions/domain/privacy.js';
import { erasePersonalData } from '../functions/use-cases/erase-personal-data.js';
import { exportPersonalData } from '../functions/use-cases/export-personal-data.js';
import { errorsOnlyLog, parsedOrExit, quietProgram, readCommandLine, UsageError } from './cli.js';
import { casesOfContact } from './privacy/cases-of-contact.js';
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
 * `npm run privacy`: a person's rights over their data (AVG art. 15 and 17) for the enterprise contact of
 * cases. `export --email <address>` prints as JSON everything the cases table holds about the address;
 * `erase --email <address> [--dry-run]` removes the personal data of its resolved cases now and says what it
 * kept and why. Local (`npm start`) by default, AWS with `--aws`.
 */
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const USAGE = `Usage: npm run privacy -- export --email <address> [target]
       npm run privacy -- erase --email <address> [--dry-run] [target]

  export             prints as JSON everything the cases table holds about the address (AVG art. 15): the
                     cases whose enterprise contact it is, whole and with their history, its entry on the
                     suppression list, and the intake's request counts of the address
  erase              removes the personal data of the address's resolved cases now (AVG art. 17), as the
                     retention job would later; the case itself stays until its archive action date
                     (Archiefwet). Open cases are kept (the request is still being handled), and so are the
                     suppression-list entry and the request counts (hashes of the address); says what it
                     kept and why
  --email <address>  the enterprise contact's e-mail address (compared in lower case)
  --dry-run          erase: only prints what it would do; changes nothing

  Cost: there is no index by e-mail address, so both read the whole cases table with a Scan (only the key
  and the address of the cases come back, but DynamoDB bills every item it reads in full): about one read
  request unit per 8 KB of the table, e.g. some 100 000 units for 100 000 cases of 8 KB, cents on demand,
  and a minute or so. A rare, manual operation: on AWS it needs dynamodb:Scan, GetItem, Query, PutItem and
  DeleteItem on the table.

${TARGET_USAGE}
  -h, --help         this text

Exit codes: 0 done, 1 failed (e.g. DynamoDB unreachable, a case that failed to be erased), 2 wrong usage.`;

const emailSchema = z
  .string()
  .trim()
  .max(254, '--email: expected an e-mail address')
  .pipe(z.email({ error: '--email: expected an e-mail address' }));
const exportSchema = z.strictObject({ email: emailSchema, ...targetOptionSchemas });
const eraseSchema = z.strictObject({
  email: emailSchema,
  dryRun: z.boolean().optional(),
  ...targetOptionSchemas,
});

type Parsed =
  | { readonly command: 'export'; readonly email: string; readonly target: Target }
  | { readonly command: 'erase'; readonly email: string; readonly dryRun: boolean; readonly target: Target };

function parseCommandLine(argv: readonly string[], env: NodeJS.ProcessEnv): 'help' | Parsed {
  let read: { command: 'export' | 'erase'; input: Record<string, unknown> } | undefined;
  const program = quietProgram('privacy');
  const exporting = program.command('export');
  for (const flags of ['--email <address>', ...TARGET_OPTIONS]) exporting.option(flags);
  exporting.action(function (this: Command) {
    read = { command: 'export', input: this.opts() };
  });
  const erasing = program.command('erase');
  for (const flags of ['--email <address>', '--dry-run', ...TARGET_OPTIONS]) erasing.option(flags);
  erasing.action(function (this: Command) {
    read = { command: 'erase', input: this.opts() };
  });
  if (readCommandLine(program, argv) === 'help') return 'help';
  if (read === undefined) throw new UsageError('missing command');
  if (read.input.email === undefined) throw new UsageError(`"${read.command}" needs --email <address>`);
  const message = (error: z.ZodError) => error.issues[0]?.message ?? 'invalid arguments';
  if (read.command === 'export') {
    const checked = exportSchema.safeParse(read.input);
    if (!checked.success) throw new UsageError(message(checked.error));
    return { command: 'export', email: checked.data.email, target: targetOf(checked.data, env) };
  }
  const checked = eraseSchema.safeParse(read.input);
  if (!checked.success) throw new UsageError(message(checked.error));
  return {
    command: 'erase',
    email: checked.data.email,
    dryRun: checked.data.dryRun ?? false,
    target: targetOf(checked.data, env),
  };
}

async function main(argv: readonly string[]): Promise<number> {
  const read = parsedOrExit('privacy', USAGE, () => parseCommandLine(argv, process.env));
  if ('exitCode' in read) return read.exitCode;
  const { parsed } = read;
  const { target } = parsed;
  const { client, db } = connectTable(target);
  const cases = dynamoCaseStore(db, target.table);
  const contacts: ContactCases = { casesOfContact: (address) => casesOfContact(db, target.table, address) };
  const counts = dynamoRequestCounts(db, target.table);
  try {
    if (parsed.command === 'export') {
      const officials = dynamoOfficialDirectory(db, target.table, { cacheMs: 0 });
      const exported = await exportPersonalData(
        { contacts, cases, counts, officials },
        parsed.email,
        new Date(),
      );
      console.log(JSON.stringify({ table: whereOf(target), ...exported }, null, 2));
      return 0;
    }
    const erasure = await erasePersonalData(
      { contacts, cases, counts, log: errorsOnlyLog('privacy') },
      parsed.email,
      new Date(),
      {
        dryRun: parsed.dryRun,
      },
    );
    for (const line of describeErasure(erasure, whereOf(target))) console.log(line);
    return erasure.cases.some((c) => c.outcome === 'failed') ? 1 : 0;
  } catch (error) {
    console.error(`privacy: ${explainTableError(error, target, 'an item')}`);
    return 1;
  } finally {
    client.destroy();
  }
}

process.exitCode = await main(process.argv.slice(2));
