import * as z from 'zod';
import {
  declaration,
  type FunctionName,
  type QueueName,
  queueEnv,
  SCHEDULE_RATE_ENV,
  type TableName,
  tableEnv,
} from '../declaration.js';

export interface Resources {
  table(name: TableName): string;
  queue(name: QueueName): string;
}

const present = z.string().trim().min(1);

/**
 * Parses a function's environment with `schema`, once, at cold start. A missing or invalid value is a startup
 * error that names every such variable, never a default.
 */
function parseEnv<S extends z.ZodType>(fn: string, schema: S, env: NodeJS.ProcessEnv): z.infer<S> {
  const parsed = schema.safeParse(env);
  if (parsed.success) return parsed.data;
  const names = [...new Set(parsed.error.issues.map((issue) => issue.path.join('.')))];
  throw new Error(`${fn}: missing or invalid environment variable(s) ${names.join(', ')}`);
}

/** Reads the resource names a function declares from its environment (set by `environmentFor`). */
export function resourcesFromEnv(fn: FunctionName, env: NodeJS.ProcessEnv = process.env): Resources {
  const declared = declaration.functions[fn];
  if (declared === undefined) throw new Error(`unknown function ${fn}`);
  const names = [
    ...Object.keys(declared.tables).map((table) => tableEnv(table as TableName)),
    ...Object.keys(declared.queues).map((queue) => queueEnv(queue as QueueName)),
  ];
  const values: Record<string, string> = parseEnv(
    fn,
    z.object(Object.fromEntries(names.map((name) => [name, present]))),
    env,
  );
  const get = (name: string) => {
    const value = values[name];
    if (value === undefined) throw new Error(`${fn} does not declare ${name}`);
    return value;
  };
  return { table: (table) => get(tableEnv(table)), queue: (queue) => get(queueEnv(queue)) };
}

/** The rate (minutes) of a function on a schedule, from its environment (set by `environmentFor`). */
export function scheduleRateFromEnv(fn: FunctionName, env: NodeJS.ProcessEnv = process.env): number {
  const schema = z.object({ [SCHEDULE_RATE_ENV]: z.coerce.number().int().min(1).max(1440) });
  return parseEnv(fn, schema, env)[SCHEDULE_RATE_ENV];
}
