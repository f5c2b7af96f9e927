import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { UsageError } from './cli.js';

/** `cdk deploy --outputs-file <file>`: `{ <stack>: { <output>: <value> } }`. */
const outputsSchema = z.record(z.string(), z.record(z.string(), z.string()));

/**
 * The outputs of the Aanspreekpunt stack in a file `cdk deploy --outputs-file` wrote: the stack that has a
 * `RouteQueueUrl` (a file may hold several stacks). Wrong usage (`UsageError`) when the file cannot be read,
 * is not such a file, or holds no such stack.
 */
export async function readStackOutputs(file: string): Promise<Readonly<Record<string, string>>> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new UsageError(
      `--outputs: cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? 'error'})`,
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new UsageError(`--outputs: ${file} is not a CDK outputs file`);
  }
  const parsed = outputsSchema.safeParse(json);
  if (!parsed.success) throw new UsageError(`--outputs: ${file} is not a CDK outputs file`);
  const stack = Object.values(parsed.data).find((outputs) => outputs.RouteQueueUrl !== undefined);
  if (stack === undefined)
    throw new UsageError(`--outputs: ${file} has no Aanspreekpunt stack (no RouteQueueUrl)`);
  return stack;
}
