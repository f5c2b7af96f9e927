import { describe, expect, it } from 'vitest';
import { quietProgram, readCommandLine, UsageError } from '../../scripts/cli.js';

/** A program shaped like `npm run officials`: commands with a positional and their own options. */
function officialsLike() {
  const ran: string[] = [];
  const program = quietProgram('officials').option('--aws');
  program
    .command('absent')
    .argument('<id>')
    .option('--from <day>')
    .option('--aws')
    .action((id: string) => {
      ran.push(`absent ${id}`);
    });
  program
    .command('list')
    .option('--aws')
    .action(() => {
      ran.push('list');
    });
  return { program, ran };
}

const usageOf = (argv: string[]) => {
  try {
    readCommandLine(officialsLike().program, argv);
    return 'no error';
  } catch (error) {
    return error instanceof UsageError ? error.message : `not a usage error: ${String(error)}`;
  }
};

describe("the scripts' command lines (commander)", () => {
  it('runs the command named, with the options before or after it', () => {
    // Prepare
    const { program, ran } = officialsLike();
    // Act
    const reading = readCommandLine(program, ['--aws', 'absent', 'a-jansen', '--from', '2027-01-04']);
    // Assess
    expect(reading).toBe('ran');
    expect(ran).toEqual(['absent a-jansen']);
  });

  it('answers help for -h and --help after any command', () => {
    // Act / Assess
    expect(readCommandLine(officialsLike().program, ['-h'])).toBe('help');
    expect(readCommandLine(officialsLike().program, ['absent', '--help'])).toBe('help');
  });

  it('words wrong usage as the scripts did before: command, positional and option mistakes', () => {
    // Act
    const messages = [
      [],
      ['nope'],
      ['absent'],
      ['absent', 'a', 'b'],
      ['list', '--from', '2027-01-04'],
      ['list', '--bogus'],
      ['absent', 'a', '--from'],
    ].map(usageOf);
    // Assess
    expect(messages).toEqual([
      'missing command',
      'unknown command "nope"',
      '"absent" needs <id>',
      'unexpected argument "b"',
      '--from does not apply to "list"',
      "Unknown option '--bogus'",
      "Option '--from <value>' argument missing",
    ]);
  });

  it('words an argument to a program without commands as parseArgs did', () => {
    // Prepare
    const program = quietProgram('redrive')
      .option('--rate <n>')
      .action(() => undefined);
    // Act
    const message = (() => {
      try {
        readCommandLine(program, ['extra']);
        return 'no error';
      } catch (error) {
        return error instanceof Error ? error.message : String(error);
      }
    })();
    // Assess
    expect(message).toBe("Unexpected argument 'extra'");
  });
});
