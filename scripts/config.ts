import { readFile } from 'node:fs/promises';
import { quietProgram, readCommandLine, UsageError } from './cli.js';
import { checkConfig } from './config/check.js';

/**
 * `npm run config -- check <file>`: whether a municipality config file is valid, and what it says
 * (scripts/config/check.ts).
 */

const USAGE = `Usage: npm run config -- check <file>

  check <file>   validates a municipality config (JSON, as config/municipalities/example.json) and prints
                 a summary of it, or each error with its path
  -h, --help     this text

Exit codes: 0 valid, 1 invalid (or unreadable, or not JSON), 2 wrong usage.`;

function parseCommandLine(argv: readonly string[]): { file: string } | 'help' {
  let file: string | undefined;
  const program = quietProgram('config');
  program
    .command('check')
    .argument('<file>')
    .action((path: string) => {
      file = path;
    });
  if (readCommandLine(program, argv) === 'help') return 'help';
  if (file === undefined) throw new UsageError('missing command');
  return { file };
}

async function main(argv: readonly string[]): Promise<number> {
  let parsed: ReturnType<typeof parseCommandLine>;
  try {
    parsed = parseCommandLine(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    console.error(`config: ${error.message} (see --help)`);
    return 2;
  }
  if (parsed === 'help') {
    console.log(USAGE);
    return 0;
  }
  let text: string;
  try {
    text = await readFile(parsed.file, 'utf8');
  } catch (error) {
    console.error(`config: cannot read ${parsed.file}: ${(error as NodeJS.ErrnoException).code ?? 'error'}`);
    return 1;
  }
  const result = checkConfig(text, parsed.file);
  for (const line of result.lines) (result.valid ? console.log : console.error)(line);
  return result.valid ? 0 : 1;
}

process.exitCode = await main(process.argv.slice(2));
