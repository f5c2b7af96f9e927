import { readFileSync } from 'node:fs';
import { ConfigError } from './error.js';
import { type Municipality, parseMunicipality } from './schema.js';

/**
 * Reads a municipality config file (JSON, as config/municipalities/example.json) and validates it. Fails with
 * the file named: when it cannot be read (with the system's code), is not JSON, or does not parse (each bad
 * path, `parseMunicipality`).
 */
export function readMunicipalityFile(file: string): Municipality {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new ConfigError(
      `cannot read the municipality config ${file}: ${(error as NodeJS.ErrnoException).code ?? 'error'}`,
    );
  }
  let input: unknown;
  try {
    input = JSON.parse(text);
  } catch (error) {
    throw new ConfigError(`the municipality config ${file} is not JSON: ${(error as Error).message}`);
  }
  return parseMunicipality(input, file);
}
