import { AsyncLocalStorage } from 'node:async_hooks';
import { performance } from 'node:perf_hooks';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { itemBytes } from './item-size.js';

/**
 * Counting of AWS calls, for the benchmark (`npm run bench`). Off unless `AANSPREEKPUNT_COUNT_CALLS=true`:
 * then the local runtime (through `instrumentationFromEnv`) adds an SDK middleware to each function's clients
 * that counts every command by function, service and operation, asks DynamoDB for its consumed capacity
 * (`ReturnConsumedCapacity: 'TOTAL'`, which changes nothing else) and adds it up, records the size of every
 * item a function puts (by the kind its partition key names), and it times each invocation. No deployed
 * function imports this module.
 */
export const CALL_COUNTING_ENV = 'AANSPREEKPUNT_COUNT_CALLS';

export const callCountingEnabled = (env: NodeJS.ProcessEnv = process.env) =>
  env[CALL_COUNTING_ENV] === 'true';

export interface CallKey {
  /** The function whose invocation made the call; `init` outside an invocation (e.g. at cold start). */
  readonly fn: string;
  readonly service: string;
  readonly operation: string;
}

export interface CallTally {
  readonly calls: number;
  readonly errors: number;
  /** Items the call evaluated: `ScannedCount` of a query or scan, 1 for a GetItem that found its item. */
  readonly itemsRead: number;
  /** DynamoDB read and write capacity units the service reported (on-demand: RRU and WRU). */
  readonly readUnits: number;
  readonly writeUnits: number;
}

export interface InvocationTally {
  readonly fn: string;
  readonly count: number;
  readonly totalMs: number;
}

/** The items a function put (PutItem) of one kind: `CASE` for partition keys `CASE#...`. */
export interface WrittenItems {
  readonly fn: string;
  readonly kind: string;
  readonly count: number;
  /** Their sizes added up, as DynamoDB counts them (`itemBytes`). */
  readonly bytes: number;
  /** The attribute names of the last one (the names only: never a value, which could be personal data). */
  readonly attributes: readonly string[];
}

export interface CallSnapshot {
  readonly calls: readonly (CallKey & CallTally)[];
  readonly invocations: readonly InvocationTally[];
  readonly written: readonly WrittenItems[];
}

const EMPTY: CallTally = { calls: 0, errors: 0, itemsRead: 0, readUnits: 0, writeUnits: 0 };

/** A counter of calls and invocations (pure: no SDK, no clock). */
export function createCallCounter() {
  const calls = new Map<string, CallKey & CallTally>();
  const invocations = new Map<string, InvocationTally>();
  const written = new Map<string, WrittenItems>();
  return {
    recordCall(key: CallKey, delta: Partial<CallTally>) {
      const id = `${key.fn}\u0000${key.service}\u0000${key.operation}`;
      const was = calls.get(id) ?? { ...key, ...EMPTY };
      calls.set(id, {
        ...was,
        calls: was.calls + (delta.calls ?? 0),
        errors: was.errors + (delta.errors ?? 0),
        itemsRead: was.itemsRead + (delta.itemsRead ?? 0),
        readUnits: was.readUnits + (delta.readUnits ?? 0),
        writeUnits: was.writeUnits + (delta.writeUnits ?? 0),
      });
    },
    recordInvocation(fn: string, ms: number) {
      const was = invocations.get(fn) ?? { fn, count: 0, totalMs: 0 };
      invocations.set(fn, { fn, count: was.count + 1, totalMs: was.totalMs + ms });
    },
    recordWrite(fn: string, kind: string, bytes: number, attributes: readonly string[]) {
      const id = `${fn}\u0000${kind}`;
      const was = written.get(id) ?? { fn, kind, count: 0, bytes: 0, attributes: [] };
      written.set(id, {
        fn,
        kind,
        count: was.count + 1,
        bytes: was.bytes + bytes,
        attributes: [...attributes],
      });
    },
    snapshot(): CallSnapshot {
      return {
        calls: [...calls.values()],
        invocations: [...invocations.values()],
        written: [...written.values()],
      };
    },
    reset() {
      calls.clear();
      invocations.clear();
      written.clear();
    },
  };
}
export type CallCounter = ReturnType<typeof createCallCounter>;

/** The process-wide counter (kept on globalThis, so two copies of this module still share one). */
export const callCounter: CallCounter = (() => {
  const slot = Symbol.for('aanspreekpunt.callCounter');
  const holder = globalThis as { [slot]?: CallCounter };
  holder[slot] ??= createCallCounter();
  return holder[slot];
})();

const currentFunction = new AsyncLocalStorage<string>();

/** Runs one invocation of `fn`: its calls are attributed to `fn` and its duration recorded. */
export async function countedInvocation<R>(fn: string, run: () => Promise<R>): Promise<R> {
  const started = performance.now();
  try {
    return await currentFunction.run(fn, run);
  } finally {
    callCounter.recordInvocation(fn, performance.now() - started);
  }
}

/** `PutItemCommand` -> `PutItem`; the document client's `PutCommand` -> `PutItem` (the wire operation). */
export function operationName(commandName: string | undefined): string {
  const name = (commandName ?? 'Unknown').replace(/Command$/, '');
  return DOCUMENT_OPERATIONS[name] ?? name;
}
const DOCUMENT_OPERATIONS: Record<string, string> = {
  Get: 'GetItem',
  Put: 'PutItem',
  Update: 'UpdateItem',
  Delete: 'DeleteItem',
  BatchGet: 'BatchGetItem',
  BatchWrite: 'BatchWriteItem',
  TransactGet: 'TransactGetItems',
  TransactWrite: 'TransactWriteItems',
};

const DYNAMO_READS = new Set(['GetItem', 'Query', 'Scan', 'BatchGetItem', 'TransactGetItems']);
const DYNAMO_WRITES = new Set([
  'PutItem',
  'UpdateItem',
  'DeleteItem',
  'BatchWriteItem',
  'TransactWriteItems',
]);

const num = (value: unknown) => (typeof value === 'number' && Number.isFinite(value) ? value : 0);

/** What a call's output tells: items evaluated and DynamoDB capacity units (read or write by operation). */
export function tallyOutput(operation: string, output: unknown): Partial<CallTally> {
  if (typeof output !== 'object' || output === null) return {};
  const fields = output as Record<string, unknown>;
  const itemsRead =
    'ScannedCount' in fields
      ? num(fields.ScannedCount)
      : operation === 'GetItem'
        ? fields.Item
          ? 1
          : 0
        : operation === 'BatchGetItem'
          ? batchItems(fields.Responses)
          : 0;
  const consumed = Array.isArray(fields.ConsumedCapacity)
    ? fields.ConsumedCapacity
    : [fields.ConsumedCapacity];
  let units = 0;
  for (const c of consumed)
    if (typeof c === 'object' && c !== null) units += num((c as Record<string, unknown>).CapacityUnits);
  return {
    itemsRead,
    readUnits: DYNAMO_READS.has(operation) ? units : 0,
    writeUnits: DYNAMO_WRITES.has(operation) ? units : 0,
  };
}

/** The items of a BatchGetItem's `Responses`, over its tables. */
const batchItems = (responses: unknown) =>
  typeof responses === 'object' && responses !== null
    ? Object.values(responses).reduce(
        (sum: number, items) => sum + (Array.isArray(items) ? items.length : 0),
        0,
      )
    : 0;

/**
 * The kind of an item, from its partition key: the part before the first `#` (`CASE#AP-...` -> `CASE`), or
 * the whole value when it has none; `?` when the key is missing or not a string.
 */
export function itemKind(item: Readonly<Record<string, AttributeValue>>, partitionKey: string): string {
  const value = item[partitionKey]?.S;
  if (value === undefined) return '?';
  const hash = value.indexOf('#');
  return hash < 0 ? value : value.slice(0, hash);
}

/** The part of an SDK v3 client this module needs (structural, so any client fits). */
interface Countable {
  middlewareStack: {
    add(
      middleware: (
        next: (args: { input: object }) => Promise<{ output: object }>,
        context: { commandName?: string },
      ) => (args: { input: object }) => Promise<{ output: object }>,
      options: { step: 'initialize'; name: string },
    ): void;
  };
}

/** The same for a middleware of the build step (after serialization). */
interface Buildable {
  middlewareStack: {
    add(
      middleware: (
        next: (args: { input: object; request: unknown }) => Promise<{ output: object }>,
        context: { commandName?: string },
      ) => (args: { input: object; request: unknown }) => Promise<{ output: object }>,
      options: { step: 'build'; name: string },
    ): void;
  };
}

/**
 * Adds the counting middleware to a client, attributing calls outside an invocation to `fallback`.
 * `consumedCapacity` asks DynamoDB data operations for their consumed capacity.
 */
export function countCalls<C extends Countable>(
  client: C,
  service: string,
  options: { fallback?: string; consumedCapacity?: boolean; counter?: CallCounter } = {},
): C {
  const counter = options.counter ?? callCounter;
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const operation = operationName(context.commandName);
      const key = { fn: currentFunction.getStore() ?? options.fallback ?? 'init', service, operation };
      const input =
        options.consumedCapacity === true &&
        (DYNAMO_READS.has(operation) || DYNAMO_WRITES.has(operation)) &&
        !('ReturnConsumedCapacity' in args.input && args.input.ReturnConsumedCapacity !== undefined)
          ? { ...args.input, ReturnConsumedCapacity: 'TOTAL' }
          : args.input;
      try {
        const result = await next({ ...args, input });
        counter.recordCall(key, { calls: 1, ...tallyOutput(operation, result.output) });
        return result;
      } catch (error) {
        counter.recordCall(key, { calls: 1, errors: 1 });
        throw error;
      }
    },
    { step: 'initialize', name: 'aanspreekpuntCountCalls' },
  );
  return client;
}

/**
 * Adds to a DynamoDB client the middleware that records the size of each item a PutItem writes, by its kind
 * (`itemKey` is the table's partition key attribute). At the build step the document client has marshalled
 * the input: the item is measured as DynamoDB receives it.
 */
export function recordItemSizes<C extends Buildable>(
  client: C,
  itemKey: string,
  options: { fallback?: string; counter?: CallCounter } = {},
): C {
  const counter = options.counter ?? callCounter;
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const item = (args.input as { Item?: Record<string, AttributeValue> }).Item;
      if (operationName(context.commandName) === 'PutItem' && item !== undefined)
        counter.recordWrite(
          currentFunction.getStore() ?? options.fallback ?? 'init',
          itemKind(item, itemKey),
          itemBytes(item),
          Object.keys(item),
        );
      return next(args);
    },
    { step: 'build', name: 'aanspreekpuntItemSizes' },
  );
  return client;
}
