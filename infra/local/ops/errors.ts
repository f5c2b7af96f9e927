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

export function messageOf(error: unknown): string {
  const text =
    error instanceof Error
      ? `${error.name === 'Error' ? '' : `${error.name}: `}${error.message}`
      : typeof error === 'string'
        ? error
        : (JSON.stringify(error) ?? String(error));
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
