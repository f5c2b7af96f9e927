/**
 * What a log line may say of an error: its name, the service's error code and HTTP status, and the same of
 * its cause. Never its message or the error object: an SDK error's message and cause can hold e-mail
 * addresses (SES names the identity or recipient it refused), and logs hold no personal data.
 */
export interface ErrorSummary {
  readonly name: string;
  /** The AWS error code (`Code` or `code`), where the service gave one. */
  readonly code?: string;
  /** The HTTP status of the AWS answer (`$metadata.httpStatusCode`). */
  readonly httpStatus?: number;
  /** `client` or `server` (`$fault`), where the SDK says which side failed. */
  readonly fault?: string;
  /** The summary of the error's cause, one level deep. */
  readonly cause?: Omit<ErrorSummary, 'cause'>;
}

const field = (value: unknown, key: string): unknown =>
  typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[key] : undefined;
const text = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

function summaryOf(error: unknown): Omit<ErrorSummary, 'cause'> {
  const name = error instanceof Error ? error.name : typeof error;
  const code = text(field(error, 'Code')) ?? text(field(error, 'code'));
  const status = field(field(error, '$metadata'), 'httpStatusCode');
  const fault = text(field(error, '$fault'));
  return {
    name,
    ...(code === undefined ? {} : { code }),
    ...(typeof status === 'number' ? { httpStatus: status } : {}),
    ...(fault === undefined ? {} : { fault }),
  };
}

/** The error as a log line may carry it (see `ErrorSummary`). */
export function errorSummary(error: unknown): ErrorSummary {
  const cause = field(error, 'cause');
  return { ...summaryOf(error), ...(cause === undefined ? {} : { cause: summaryOf(cause) }) };
}
