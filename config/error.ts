/**
 * A config or a setting that cannot be used, with a message for the person who wrote it: which file or
 * setting, which path, why, and what to change. Entry points print the message alone (no stack trace) and exit
 * 1; any other error is a fault of ours and keeps its trace.
 */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}
