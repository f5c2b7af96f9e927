import { readFile } from 'node:fs/promises';
import type { Command as CommanderCommand } from 'commander';
import { z } from 'zod';
import { type Absence, type Official, officialSchema, type StoredOfficial } from '../config/schema.js';
import {
  dynamoOfficialDirectory,
  type ManagedOfficialDirectory,
  UnknownOfficialError,
} from '../functions/adapters/officials.js';
import {
  absenceRefusal,
  currentAbsences,
  deputyAwayDuring,
  isPast,
  type Period,
  type Presence,
  periodProblem,
  presenceOf,
  presentFrom,
  withAbsence,
} from '../functions/domain/absence.js';
import { amsterdamDay } from '../functions/domain/case.js';
import { quietProgram, readCommandLine, UsageError } from './cli.js';
import { IMPORT_COLUMNS, planImport, readOfficialsCsv } from './officials/import.js';
import {
  connectTable,
  explainTableError,
  TARGET_OPTIONS,
  TARGET_USAGE,
  type Target,
  targetOptionSchemas as target,
  targetOf,
  whereOf,
} from './table-target.js';

/**
 * `npm run officials -- <command>`: the officials who can be assigned cases, and their absences, in the
 * cases table, so they can change without a deploy. Local (`npm start`) by default, AWS with `--aws`.
 */

// On Node 20 the SDK warns that its releases from 2027 on need Node 22: the lockfile pins one that runs on
// Node 20 (package.json `engines`), which this script supports; the functions run on Node 24 on Lambda.
// Read when a client is built, so setting it before `connect` is enough.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const USAGE = `Usage: npm run officials -- <command> [options]

Commands:
  list                                   the officials, their absences and who is present today
  absent <id> --from <day> [--to <day>]  adds an absence (days as YYYY-MM-DD, both included;
                                         --to defaults to --from)
  present <id> [--all]                   ends the absence that covers today (with --all: and every
                                         later one too)
  reachable <id>                         after an e-mail to their address bounced for good they are
                                         unreachable (no case goes to them): fix the address first
                                         (import), then make them reachable again
  seed                                   adds the officials of the municipality config that are
                                         not in the table yet (existing ones are kept)
  import <file.csv> [--dry-run]          adds or updates the officials of a spreadsheet (CSV, comma or
                                         semicolon separated; columns ${IMPORT_COLUMNS.join(', ')};
                                         departments as economie|werk; language nl unless given;
                                         capacity 20 unless given). Absences are kept. Importing the
                                         same file again changes nothing. With --dry-run: only says
                                         what it would change

${TARGET_USAGE}
  -h, --help         this text

"Today" is the day in Europe/Amsterdam. The router reads officials at most a minute old.
Exit codes: 0 done, 1 failed (e.g. DynamoDB unreachable, unknown official), 2 wrong usage.`;

/** The command could not be done: exit code 1. */
class Failure extends Error {}

// ---------------------------------------------------------------------------------------------------
// Arguments

const officialId = officialSchema.shape.id;
const day = (option: string) =>
  z.iso.date({
    error: (issue) =>
      issue.input === undefined
        ? `${option} <YYYY-MM-DD> is required`
        : `${option}: expected a day as YYYY-MM-DD, got ${JSON.stringify(issue.input)}`,
  });
/** Per command: its arguments (options the command does not take are refused) and what it is to do. */
const commandSchemas = {
  list: z.strictObject(target).transform(() => ({ command: 'list' as const })),
  seed: z.strictObject(target).transform(() => ({ command: 'seed' as const })),
  import: z
    .strictObject({ file: z.string().min(1), dryRun: z.boolean().optional(), ...target })
    .transform((c) => ({ command: 'import' as const, file: c.file, dryRun: c.dryRun ?? false })),
  absent: z
    .strictObject({ id: officialId, from: day('--from'), to: day('--to').optional(), ...target })
    .superRefine((c, ctx) => {
      if (periodProblem(c.from, c.to) === 'endsBeforeStart')
        ctx.addIssue({ code: 'custom', message: `--to (${c.to}) is before --from (${c.from})` });
    })
    .transform((c) => ({
      command: 'absent' as const,
      id: c.id,
      absence: { from: c.from, to: c.to ?? c.from },
    })),
  present: z
    .strictObject({ id: officialId, all: z.boolean().optional(), ...target })
    .transform((c) => ({ command: 'present' as const, id: c.id, all: c.all ?? false })),
  reachable: z
    .strictObject({ id: officialId, ...target })
    .transform((c) => ({ command: 'reachable' as const, id: c.id })),
} as const;
type Command = z.output<(typeof commandSchemas)[keyof typeof commandSchemas]>;

/** The positional that each command takes. */
const positionals = {
  list: [],
  seed: [],
  import: ['file'],
  absent: ['id'],
  present: ['id'],
  reachable: ['id'],
} as const;
type CommandName = keyof typeof positionals;
/** The options of each command besides the target ones. */
const commandOptions: Record<CommandName, readonly string[]> = {
  list: [],
  seed: [],
  import: ['--dry-run'],
  absent: ['--from <day>', '--to <day>'],
  present: ['--all'],
  reachable: [],
};
const targetOptions = TARGET_OPTIONS;

function message(error: z.ZodError): string {
  const issue = error.issues[0];
  if (issue === undefined) return 'invalid arguments';
  const [field] = issue.path;
  if (field === 'id') return `<id>: ${issue.message}`;
  return issue.message;
}

/** The command line as commander reads it: the command, its positional and its options, not yet checked. */
function readArguments(
  argv: readonly string[],
): 'help' | { command: CommandName; input: Record<string, unknown> } {
  let read: { command: CommandName; input: Record<string, unknown> } | undefined;
  const program = quietProgram('officials');
  // The target options go before or after the command.
  for (const flags of targetOptions) program.option(flags);
  for (const command of Object.keys(positionals) as CommandName[]) {
    const sub = program.command(command);
    for (const positional of positionals[command]) sub.argument(`<${positional}>`);
    for (const flags of [...commandOptions[command], ...targetOptions]) sub.option(flags);
    sub.action(function (this: CommanderCommand) {
      const [value]: unknown[] = this.processedArgs;
      const [positional] = positionals[command];
      read = {
        command,
        input: { ...this.optsWithGlobals(), ...(positional === undefined ? {} : { [positional]: value }) },
      };
    });
  }
  if (readCommandLine(program, argv) === 'help') return 'help';
  if (read === undefined) throw new UsageError('missing command');
  return read;
}

/** Reads the command line; `help` when help was asked for. Throws `UsageError`. */
function parseCommandLine(
  argv: readonly string[],
  env: NodeJS.ProcessEnv,
): 'help' | { command: Command; target: Target } {
  const read = readArguments(argv);
  if (read === 'help') return 'help';
  const checked = commandSchemas[read.command].safeParse(read.input);
  if (!checked.success) throw new UsageError(message(checked.error));
  // Checked with the command above; read again for their types.
  return { command: checked.data, target: targetOf(z.object(target).parse(read.input), env) };
}

// ---------------------------------------------------------------------------------------------------
// How absences read (the rules: functions/domain/absence.ts)

const period = (a: Period) => (a.from === a.to ? a.from : `${a.from}..${a.to}`);
const periods = (absences: readonly Period[]) =>
  absences.length === 0 ? 'none' : absences.map(period).join(', ');
const presenceText = (presence: Presence): string => {
  switch (presence.kind) {
    case 'present':
      return 'present';
    case 'noDeputy':
      return 'absent, no deputy';
    case 'deputyStandsIn':
      return `absent, ${presence.deputy} stands in`;
    case 'deputyAbsentToo':
      return `absent, deputy ${presence.deputy} too`;
  }
};
const who = (o: Official) => `${o.id} (${o.name})`;
const PICKED_UP = 'The router picks this up within a minute.';

// ---------------------------------------------------------------------------------------------------
// Commands

interface Context {
  readonly directory: ManagedOfficialDirectory;
  readonly now: Date;
  readonly where: string;
  readonly out: (line: string) => void;
  readonly warn: (line: string) => void;
}

async function existing(directory: ManagedOfficialDirectory, id: string): Promise<StoredOfficial> {
  const official = await directory.get(id);
  if (official === undefined) throw new UnknownOfficialError(id);
  return official;
}

async function list({ directory, now, where, out }: Context): Promise<void> {
  const today = amsterdamDay(now);
  const officials = await directory.list();
  if (officials.length === 0) {
    out(`No officials in ${where}: add them with \`npm run officials -- seed\`.`);
    return;
  }
  const byId = new Map(officials.map((o) => [o.id, o]));
  const rows = officials.map((o) => {
    const { current, past } = currentAbsences(o.absences, now);
    return [
      o.id,
      o.name,
      o.departments.join(', '),
      o.deputy ?? '-',
      String(o.capacity),
      [...current.map(period), ...(past > 0 ? [`(${past} past)`] : [])].join(', ') || '-',
      o.unreachable === undefined
        ? presenceText(presenceOf(o, (id) => byId.get(id), now))
        : `unreachable since ${amsterdamDay(new Date(o.unreachable.since))} (address bounced)`,
    ];
  });
  out(`${officials.length} officials in ${where}; today is ${today} (Europe/Amsterdam)`);
  out('');
  for (const line of table(
    ['id', 'name', 'departments', 'deputy', 'capacity', 'absences', 'today'],
    rows,
    [4],
  ))
    out(line);
}

/** Columns padded to their widest cell; the columns in `right` aligned right. */
function table(header: string[], rows: string[][], right: number[]): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => (right.includes(i) ? cell.padStart(widths[i] ?? 0) : cell.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  return [line(header), ...rows.map(line)];
}

async function absent(
  { directory, now, out, warn }: Context,
  { id, absence }: { id: string; absence: Absence },
): Promise<void> {
  const official = await existing(directory, id);
  const deputy = official.deputy === undefined ? undefined : await directory.get(official.deputy);
  if (absenceRefusal(official, deputy) === 'unknownDeputy')
    throw new Failure(
      `${official.id}'s deputy "${official.deputy}" is not in the table: nobody would stand in. Fix the deputy first`,
    );

  const absences = withAbsence(official.absences, absence);
  if (absences === undefined) out(`${who(official)} is already absent ${period(absence)}: nothing changed.`);
  else {
    const updated = await directory.setAbsences(id, absences);
    out(`${who(official)} is absent ${period(absence)}.`);
    out(`  absences: ${periods(official.absences)} -> ${periods(updated.absences)}`);
  }

  if (deputy === undefined)
    out('  stands in: nobody (no deputy): new cases go to the next best official or the coordinator');
  else {
    out(`  stands in: ${who(deputy)}`);
    const clashes = deputyAwayDuring(deputy, absence);
    if (clashes.length > 0)
      warn(
        `warning: ${deputy.id} is away too on ${periods(clashes)}: then new cases go to the next best official or the coordinator`,
      );
  }
  if (isPast(absence, now)) warn('warning: this absence is in the past');
  if (absences !== undefined) out(PICKED_UP);
}

async function present(
  { directory, now, out }: Context,
  { id, all }: { id: string; all: boolean },
): Promise<void> {
  const today = amsterdamDay(now);
  const official = await existing(directory, id);
  const absences = presentFrom(official.absences, today, all);
  if (absences === undefined) {
    const which = all ? 'today or later' : `on ${today}`;
    out(`${who(official)} has no absence ${which}: nothing changed.`);
    return;
  }
  const updated = await directory.setAbsences(id, absences);
  out(`${who(official)} is present from ${today}${all ? ', with no absences planned' : ''}.`);
  out(`  absences: ${periods(official.absences)} -> ${periods(updated.absences)}`);
  out(PICKED_UP);
}

async function reachable({ directory, out }: Context, { id }: { id: string }): Promise<void> {
  const official = await existing(directory, id);
  if (official.unreachable === undefined) {
    out(`${who(official)} is not marked unreachable: nothing changed.`);
    return;
  }
  await directory.markReachable(id);
  out(
    `${who(official)} is reachable again at ${official.email} (unreachable since ${amsterdamDay(new Date(official.unreachable.since))}).`,
  );
  out(PICKED_UP);
}

async function seed({ directory, where, out }: Context): Promise<void> {
  // Only here: the other commands work on the table even while the config does not validate.
  const { municipality } = await import('../config/index.js');
  const added = await directory.seed(municipality.officials);
  const total = municipality.officials.length;
  out(
    `Added ${added} of the ${total} officials in the municipality config to ${where}` +
      (added < total ? ` (${total - added} were there already and are kept as they are).` : '.'),
  );
}

async function importFile(
  { directory, where, out, warn }: Context,
  { file, dryRun }: { file: string; dryRun: boolean },
): Promise<void> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new Failure(`cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? 'error'}`);
  }
  // The departments an official may belong to are the municipality's (MUNICIPALITY_CONFIG, or the demo).
  const { municipality, municipalitySource } = await import('../config/index.js');
  const stored = await directory.list();
  const read = readOfficialsCsv(
    text,
    file,
    municipality,
    stored.map((o) => o.id),
  );
  if (!read.ok) {
    for (const line of read.errors) warn(line);
    throw new Failure(
      `${file}: ${read.errors.length} ${read.errors.length === 1 ? 'error' : 'errors'}, nothing imported (departments from ${municipalitySource})`,
    );
  }
  const plan = planImport(read.officials, stored);
  const verb = dryRun ? 'would add' : 'adds';
  for (const official of plan.add) out(`  ${verb} ${who({ ...official, absences: [] })}`);
  for (const { official, changed } of plan.update)
    out(`  ${dryRun ? 'would update' : 'updates'} ${official.id}: ${changed.join(', ')}`);
  if (!dryRun)
    for (const official of [...plan.add, ...plan.update.map((u) => u.official)])
      await directory.save(official);
  out(
    `${dryRun ? 'Would import' : 'Imported'} ${read.officials.length} officials from ${file} into ${where}: ` +
      `${plan.add.length} added, ${plan.update.length} updated, ${plan.unchanged.length} unchanged.`,
  );
  if (plan.notInFile.length > 0)
    out(
      `${plan.notInFile.length} in the table are not in the file and are kept as they are (their cases stay theirs): ${plan.notInFile.join(', ')}`,
    );
  if (!dryRun && plan.add.length + plan.update.length > 0) out(PICKED_UP);
}

// ---------------------------------------------------------------------------------------------------
// DynamoDB, and what went wrong in words

function connect(target: Target) {
  const { client, db } = connectTable(target);
  return { client, directory: dynamoOfficialDirectory(db, target.table, { cacheMs: 0 }) };
}

function explain(error: unknown, target: Target): string {
  if (error instanceof UnknownOfficialError)
    return `${error.message}: \`npm run officials -- list\` shows who there is`;
  return explainTableError(error, target, 'an official');
}

// ---------------------------------------------------------------------------------------------------

async function main(argv: readonly string[]): Promise<number> {
  let parsed: ReturnType<typeof parseCommandLine>;
  try {
    parsed = parseCommandLine(argv, process.env);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    console.error(`officials: ${error.message} (see --help)`);
    return 2;
  }
  if (parsed === 'help') {
    console.log(USAGE);
    return 0;
  }
  const { command, target } = parsed;
  const { client, directory } = connect(target);
  const context: Context = {
    directory,
    now: new Date(),
    where: whereOf(target),
    out: (line) => console.log(line),
    warn: (line) => console.error(line),
  };
  try {
    switch (command.command) {
      case 'list':
        await list(context);
        break;
      case 'seed':
        await seed(context);
        break;
      case 'import':
        await importFile(context, command);
        break;
      case 'absent':
        await absent(context, command);
        break;
      case 'present':
        await present(context, command);
        break;
      case 'reachable':
        await reachable(context, command);
        break;
    }
    return 0;
  } catch (error) {
    console.error(`officials: ${error instanceof Failure ? error.message : explain(error, target)}`);
    return 1;
  } finally {
    client.destroy();
  }
}

process.exitCode = await main(process.argv.slice(2));
