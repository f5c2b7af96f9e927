import {
  declaration,
  type FunctionName,
  type QueueName,
  queueEnv,
  type TableName,
  tableEnv,
} from '../../infra/declaration.js';

export interface Resources {
  table(name: TableName): string;
  queue(name: QueueName): string;
}

/**
 * Reads the resource names a function declares from its environment, once, at cold start.
 * A missing one is a startup error that names every missing variable, never a default.
 */
export function resourcesFromEnv(fn: FunctionName, env: NodeJS.ProcessEnv = process.env): Resources {
  const declared = declaration.functions[fn];
  if (declared === undefined) throw new Error(`unknown function ${fn}`);
  const values = new Map<string, string>();
  const missing: string[] = [];
  const names = [
    ...Object.keys(declared.tables).map((t) => tableEnv(t as TableName)),
    ...Object.keys(declared.queues).map((q) => queueEnv(q as QueueName)),
  ];
  for (const name of names) {
    const value = env[name];
    if (value === undefined || value.trim() === '') missing.push(name);
    else values.set(name, value);
  }
  if (missing.length > 0) throw new Error(`${fn}: missing environment variable(s) ${missing.join(', ')}`);
  const get = (name: string) => {
    const value = values.get(name);
    if (value === undefined) throw new Error(`${fn} does not declare ${name}`);
    return value;
  };
  return { table: (t) => get(tableEnv(t)), queue: (q) => get(queueEnv(q)) };
}
