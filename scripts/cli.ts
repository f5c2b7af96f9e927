import { Command, CommanderError } from 'commander';

/**
 * The scripts' command lines through commander: it knows the commands, their positionals and options, and
 * help; each script keeps its own usage text, checks values with its zod schemas and prints its own
 * messages. Wrong usage is a `UsageError` (exit code 2), worded as the scripts have always said it.
 */

/** Wrong usage: the script says so and exits with code 2. */
export class UsageError extends Error {}

/**
 * The command line read with `parse`, or the exit code when there is nothing to run: 0 after printing the
 * usage (help was asked for), 2 after saying on stderr what was wrong (`UsageError`).
 */
export function parsedOrExit<T>(
  script: string,
  usage: string,
  parse: () => T | 'help',
): { readonly parsed: T } | { readonly exitCode: number } {
  try {
    const parsed = parse();
    if (parsed === 'help') {
      console.log(usage);
      return { exitCode: 0 };
    }
    return { parsed };
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    console.error(`${script}: ${error.message} (see --help)`);
    return { exitCode: 2 };
  }
}

/** A script's log: nothing but its errors, each with its details (names and codes), on stderr. */
export const errorsOnlyLog = (script: string) => ({
  info: () => undefined,
  warn: () => undefined,
  error: (message: string, ...extra: Record<string, unknown>[]) =>
    console.error(`${script}: ${message} ${JSON.stringify(Object.assign({}, ...extra))}`),
});

/** What commander read: help was asked for, or the program's (or a command's) action ran. */
export type Reading = 'help' | 'ran';

/**
 * A program that prints nothing itself and throws instead of exiting; help for any command (`-h`,
 * `--help`) shows the script's one usage text.
 */
export function quietProgram(name: string): Command {
  return new Command(name)
    .exitOverride()
    .configureOutput({ writeOut: () => undefined, writeErr: () => undefined, outputError: () => undefined })
    .showSuggestionAfterError(false)
    .helpCommand(false)
    .helpOption('-h, --help');
}

const quoted = (message: string) => /'([^']*)'/.exec(message)?.[1] ?? '';

/**
 * Parses `argv` with the program (its actions record what to do); `help` when help was asked for. Throws a
 * `UsageError` in the words the scripts used before commander (`node:util` parseArgs' first sentence), with
 * the command's own words where they say more ("needs <id>", "does not apply to").
 */
export function readCommandLine(program: Command, argv: readonly string[]): Reading {
  let current: Command | undefined;
  program.hook('preSubcommand', (_program, subcommand) => {
    current = subcommand;
  });
  try {
    program.parse([...argv], { from: 'user' });
    return 'ran';
  } catch (error) {
    if (!(error instanceof CommanderError)) throw error;
    if (error.code === 'commander.helpDisplayed') return 'help';
    throw new UsageError(usageMessage(error, program, current));
  }
}

function usageMessage(error: CommanderError, program: Command, current: Command | undefined): string {
  const name = current?.name() ?? '';
  switch (error.code) {
    // A program with commands, called without one, would show its help as an error.
    case 'commander.help':
      return 'missing command';
    case 'commander.unknownCommand':
      return `unknown command ${JSON.stringify(quoted(error.message))}`;
    case 'commander.missingArgument':
      return `"${name}" needs ${(current ?? program).registeredArguments.map((a) => `<${a.name()}>`).join(' ')}`;
    case 'commander.excessArguments': {
      const taken = (current ?? program).registeredArguments.length;
      const extra = (current ?? program).args[taken] ?? '';
      return current === undefined
        ? `Unexpected argument '${extra}'`
        : `unexpected argument ${JSON.stringify(extra)}`;
    }
    case 'commander.unknownOption': {
      const flag = quoted(error.message);
      const elsewhere = program.commands.some((c) =>
        c.options.some((o) => o.long === flag || o.short === flag),
      );
      return current !== undefined && elsewhere
        ? `${flag} does not apply to "${name}"`
        : `Unknown option '${flag}'`;
    }
    case 'commander.optionMissingArgument':
      return `Option '${quoted(error.message).split(' ')[0] ?? ''} <value>' argument missing`;
    default:
      return error.message.replace(/^error: /, '');
  }
}
