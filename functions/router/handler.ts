import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { routeMessageSchema } from '../../events/route-message.js';
import { errorSummary } from '../domain/errors.js';
import { MailDeferredError, type RouteQueue } from '../domain/ports.js';
import { awaitOtherSender, deferRouting } from '../use-cases/defer-routing.js';
import { SendingInProgressError } from '../use-cases/deliver-once.js';
import { type OpenCaseBook, openCaseBook, type RouteCaseDeps, routeCase } from '../use-cases/route-case.js';

export { CaseNotFoundError } from '../use-cases/route-case.js';
export { SendingInProgressError };

export interface RouterDeps extends RouteCaseDeps {
  /** The route queue, for a case put off while the mail service cannot take its e-mails yet. */
  readonly queue: RouteQueue;
  /** A draw in [0, 1) (the jitter of a deferral's delay); default Math.random. */
  readonly random?: () => number;
}

/** The use case as the tests and the local runtime call it: one case by reference. */
export const createRouteCase =
  (deps: RouteCaseDeps) =>
  (reference: string, statusUrl?: string): Promise<void> =>
    routeCase(deps, { reference, statusUrl });

/**
 * A record not started because the invocation was near its end: it comes back with the next receive,
 * instead of being cut off halfway by the timeout (which would fail the whole batch).
 */
export class NotStartedError extends Error {
  constructor(readonly messageId: string) {
    super(`message ${messageId} not started: too little time left in the invocation`);
    this.name = 'NotStartedError';
  }
}

/**
 * A record is started only while this share of the function's timeout is left: enough for a case's few
 * calls and e-mails with the SDK's retries. The first record of a case is always started.
 */
export const START_MARGIN_SHARE = 0.25;

/**
 * The SQS batch handler: only the failed messages come back (partial batch response). The records run in
 * parallel, grouped by case: the records of one case run one after the other, in the batch's order, so two
 * messages for the same case never race each other. One open-case book serves the whole batch.
 */
export function createRouterHandler(deps: RouterDeps) {
  const handleRecord = async (record: SQSRecord, book: OpenCaseBook) => {
    // Parsed here, not through the batch utility's parser (`innerSchema`, `transformer: 'json'`): that
    // imports zod whole (`import { z }`), which takes the router bundle from about 200 KB to 556 KB.
    const message = routeMessageSchema.parse(JSON.parse(record.body));
    try {
      await routeCase(deps, message, book);
    } catch (error) {
      // Throttled, the sender not verified yet, sending paused: a reason that passes. The case is put off
      // (a new, delayed message) and this one succeeds, so waiting never dead-letters it.
      if (error instanceof MailDeferredError) {
        await deferRouting({ ...deps, random: deps.random ?? Math.random }, message, error.reason);
        return;
      }
      // Another sender holds a claim on one of its e-mails: put off until that claim has run out.
      if (error instanceof SendingInProgressError) {
        await awaitOtherSender({ ...deps, random: deps.random ?? Math.random }, message);
        return;
      }
      deps.log.error('routing failed; the message will be retried', {
        reference: message.reference,
        messageId: record.messageId,
        receiveCount: record.attributes.ApproximateReceiveCount,
        error: errorSummary(error),
      });
      throw error;
    }
  };

  /** The days and departments this process has already noted as full (the book itself lasts one batch). */
  const notedFull = new Set<string>();
  return (event: SQSEvent, context: Context): Promise<SQSBatchResponse> => {
    const book = openCaseBook(deps.cases, notedFull);
    const margin = timeoutOf(context) * START_MARGIN_SHARE;
    /** The last record of each case in this batch, which the next record of that case waits for. */
    const byCase = new Map<string, Promise<unknown>>();
    const recordHandler = (record: SQSRecord): Promise<void> => {
      const key = caseKeyOf(record);
      const before = byCase.get(key);
      const run = async () => {
        if (before !== undefined) {
          await before.catch(() => undefined);
          if (context.getRemainingTimeInMillis() < margin) throw new NotStartedError(record.messageId);
        }
        await handleRecord(record, book);
      };
      const done = run();
      byCase.set(key, done);
      return done;
    };
    return processPartialResponse(event, recordHandler, new BatchProcessor(EventType.SQS), {
      context,
      processInParallel: true,
    });
  };
}

/** The invocation's whole time: what was left at its start, as near as the context tells. */
const timeoutOf = (context: Context): number => context.getRemainingTimeInMillis();

/** The case a record is about, to keep a case's records in order; an unreadable body is its own group. */
function caseKeyOf(record: SQSRecord): string {
  const parsed = routeMessageSchema.safeParse(safeJson(record.body));
  return parsed.success ? parsed.data.reference : `message:${record.messageId}`;
}

function safeJson(body: string): unknown {
  try {
    return JSON.parse(body);
  } catch {
    return undefined;
  }
}
