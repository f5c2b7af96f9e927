import type { RecordedError } from './figures.js';

/**
 * The last errors the local runtime saw (handler crashes, poll errors, failed queue records, HTTP 5xx),
 * in a small ring buffer: the oldest is dropped when it is full, so a failing loop cannot grow memory.
 * Messages are cut to one line of at most 300 characters; stacks stay in the terminal.
 */
export interface RecentErrors {
  record(error: unknown, where: string): void;
  /** Newest first. */
  list(): RecordedError[];
}

const MAX_MESSAGE = 300;

/** The errors inside an error: a batch's record errors (Powertools), an AggregateError's, a cause. */
const innerErrors = (error: Error): unknown[] => {
  const { recordErrors } = error as { recordErrors?: unknown };
  if (Array.isArray(recordErrors)) return recordErrors;
  if (error instanceof AggregateError) return error.errors;
  return error.cause === undefined ? [] : [error.cause];
};

const textOf = (error: unknown, depth = 0): string => {
  if (!(error instanceof Error))
    return typeof error === 'string' ? error : (JSON.stringify(error) ?? String(error));
  const own = `${error.name === 'Error' ? '' : `${error.name}: `}${error.message}`;
  const inner = depth < 2 ? innerErrors(error).map((e) => textOf(e, depth + 1)) : [];
  return inner.length === 0 ? own : `${own} (${inner.join('; ')})`;
};

/** One line: the error's name and message, with the errors inside it. */
export function messageOf(error: unknown): string {
  const text = textOf(error);
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > MAX_MESSAGE ? `${line.slice(0, MAX_MESSAGE - 1)}…` : line;
}

export function recentErrors(options: { capacity: number; clock?: () => Date }): RecentErrors {
  const clock = options.clock ?? (() => new Date());
  const kept: RecordedError[] = [];
  return {
    record(error, where) {
      kept.push({ at: clock().toISOString(), where, message: messageOf(error) });
      if (kept.length > options.capacity) kept.splice(0, kept.length - options.capacity);
    },
    list: () => [...kept].reverse(),
  };
}
