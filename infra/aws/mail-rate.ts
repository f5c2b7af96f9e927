import type { FunctionDeclaration } from '../../functions/declaration.js';

/**
 * How the account's SES sending rate (context `sesMaxSendRate`) is shared by the functions that send mail,
 * pure: each gets a share, runs at most so many instances at once, and each instance paces its e-mails to
 * its part of the share (`MAIL_SEND_RATE`, functions/adapters/paced-mailer.ts). Together they stay below
 * the rate, so SES does not throttle them; when it throttles anyway (another system on the account, a
 * quota lowered), the router puts its cases off instead of failing them.
 */

/** Of the rate, the part the queue-triggered senders (the router) share; the rest is the others' (SLA job). */
export const QUEUE_SENDERS_SHARE = 0.8;
/**
 * The least e-mails per second one instance of a queue-triggered sender should get: below it, fewer
 * concurrent batches (down to the 2 that SQS event sources allow at least) each get more.
 */
export const MIN_RATE_PER_INSTANCE = 1;
/** The fewest concurrent batches an SQS event source allows (`maximumConcurrency`). */
export const MIN_QUEUE_CONCURRENCY = 2;

export interface MailSender {
  /** Instances that may run at once: the queue trigger's maximum concurrency, or 1 (a schedule). */
  readonly maxConcurrency: number;
  /** E-mails per second each instance may send. */
  readonly perInstance: number;
}

export function mailSendingPlan(
  sesMaxSendRate: number,
  functions: Readonly<Record<string, FunctionDeclaration>>,
): ReadonlyMap<string, MailSender> {
  // A function that sends `rarely` takes no share: it sends unpaced, and a throttled e-mail is retried later.
  const senders = Object.entries(functions).filter(([, fn]) => fn.sendsMail === true);
  const queued = senders.filter(([, fn]) => fn.trigger.kind === 'queue');
  const others = senders.filter(([, fn]) => fn.trigger.kind !== 'queue');
  const queuedShare = others.length === 0 ? 1 : queued.length === 0 ? 0 : QUEUE_SENDERS_SHARE;
  const plan = new Map<string, MailSender>();
  for (const [name, fn] of queued) {
    const share = (sesMaxSendRate * queuedShare) / queued.length;
    const declared = fn.trigger.kind === 'queue' ? fn.trigger.maxConcurrency : 1;
    const maxConcurrency = Math.min(
      declared,
      Math.max(MIN_QUEUE_CONCURRENCY, Math.floor(share / MIN_RATE_PER_INSTANCE)),
    );
    plan.set(name, { maxConcurrency, perInstance: roundDown(share / maxConcurrency) });
  }
  for (const [name] of others)
    plan.set(name, {
      maxConcurrency: 1,
      perInstance: roundDown((sesMaxSendRate * (1 - queuedShare)) / others.length),
    });
  return plan;
}

/** To a thousandth, down (past floating-point noise): the shares never add up to more than the rate. */
const roundDown = (rate: number) => Math.floor(rate * 1_000 + 1e-6) / 1_000;
