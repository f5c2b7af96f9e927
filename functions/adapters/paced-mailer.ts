import { MailDeferredError, type Mailer } from '../domain/ports.js';

export interface Pace {
  /** E-mails per second this mailer may send (its share of the account's SES sending rate). */
  readonly perSecond: number;
  /**
   * The longest an e-mail may wait for its turn; an e-mail whose turn is further off is not sent but
   * refused as throttled (`MailDeferredError`), so that the router puts its case off instead of running
   * into its timeout.
   */
  readonly maxWaitMs: number;
  readonly now?: () => number;
  readonly sleep?: (ms: number) => Promise<void>;
}

/** The longest an e-mail of the router waits for its turn: half of its 30 s timeout. */
export const MAX_PACE_WAIT_MS = 15_000;

const timer = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Sends at most `perSecond` e-mails a second, each at its turn (one every 1/perSecond s, in the order they
 * were asked for), so that all instances together stay below the account's SES rate instead of being
 * throttled by it. The turns are kept per process, across invocations.
 */
export function pacedMailer(mailer: Mailer, pace: Pace): Mailer {
  const interval = 1_000 / pace.perSecond;
  const now = pace.now ?? Date.now;
  const sleep = pace.sleep ?? timer;
  /** The moment the next e-mail may go. */
  let nextTurn = Number.NEGATIVE_INFINITY;
  return {
    async send(mail) {
      const at = now();
      const turn = Math.max(at, nextTurn);
      if (turn - at > pace.maxWaitMs)
        throw new MailDeferredError(
          'throttled',
          `this instance's share of the SES sending rate (${pace.perSecond}/s) is taken for the next ${Math.round(pace.maxWaitMs / 1_000)} s`,
          undefined,
        );
      nextTurn = turn + interval;
      if (turn > at) await sleep(turn - at);
      return mailer.send(mail);
    },
  };
}
