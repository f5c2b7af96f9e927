import type { SESv2Client, ServiceOutputTypes } from '@aws-sdk/client-sesv2';
import * as z from 'zod';
import type { Mailer } from '../../../functions/domain/ports.js';

/**
 * Fault injection, for the chaos run only (`npm run test:chaos`); never set in production. Off unless
 * `AANSPREEKPUNT_FAULTS` is set, e.g. `AANSPREEKPUNT_FAULTS=ses-throttle:0.1,router-crash:0.02`:
 * - `ses-throttle:<p>`: each HTTP attempt of an SES call answers, with probability p, what SES answers when
 *   the sending rate is exceeded (HTTP 429 `TooManyRequestsException`), without reaching the service; the
 *   SDK's own retries (maxAttempts 3) see it as a real throttle and may absorb it.
 * - `router-crash:<p>`: the router, with probability p per e-mail, fails after it claimed the e-mail and
 *   before it calls SES, as an invocation that crashed mid-batch would (after the assignment write, before or
 *   between the e-mails). Nothing was sent, but the claim's lease stays, as it would after a real crash.
 * The local runtime injects them (through `instrumentationFromEnv`); no deployed function imports this module.
 */
export const FAULTS_ENV = 'AANSPREEKPUNT_FAULTS';

const probability = z.coerce.number().min(0).max(1);
const faultSchema = z.object({
  'ses-throttle': probability.default(0),
  'router-crash': probability.default(0),
});
export type Faults = z.infer<typeof faultSchema>;
export type FaultName = keyof Faults;

/** Parses `name:p,name:p`; unset or empty is `undefined` (no faults); anything else wrong throws. */
export function faultsFromEnv(env: NodeJS.ProcessEnv = process.env): Faults | undefined {
  const value = env[FAULTS_ENV]?.trim();
  if (value === undefined || value === '') return undefined;
  const entries = value.split(',').map((part) => {
    const [name, p, ...rest] = part.trim().split(':');
    if (name === undefined || p === undefined || rest.length > 0)
      throw new Error(`${FAULTS_ENV}: "${part}" is not name:probability`);
    return [name, p] as const;
  });
  const parsed = z.strictObject(faultSchema.shape).safeParse(Object.fromEntries(entries));
  if (!parsed.success) throw new Error(`${FAULTS_ENV}: ${z.prettifyError(parsed.error)}`);
  return parsed.data;
}

/** How many faults were injected, by name (kept on globalThis, so every copy of this module shares it). */
export const injectedFaults: Map<FaultName, number> = (() => {
  const slot = Symbol.for('aanspreekpunt.injectedFaults');
  const holder = globalThis as { [slot]?: Map<FaultName, number> };
  holder[slot] ??= new Map();
  return holder[slot];
})();
const count = (name: FaultName) => injectedFaults.set(name, (injectedFaults.get(name) ?? 0) + 1);

/** The failure the router-crash fault throws. */
export class InjectedCrashError extends Error {
  constructor() {
    super('injected fault: the router crashed before sending an e-mail');
    this.name = 'InjectedCrashError';
  }
}

/** An error answer of SES, as its HTTP API gives it: status, error type and message. */
export interface SesAnswer {
  readonly status: number;
  readonly type: string;
  readonly message: string;
}

/** What SES answers when the sending rate is exceeded. */
export const SES_THROTTLED: SesAnswer = {
  status: 429,
  type: 'TooManyRequestsException',
  message: 'Maximum sending rate exceeded.',
};

/** What SES answers while the sender's identity is not verified (or, in the sandbox, the recipient). */
export const sesNotVerified = (identity: string): SesAnswer => ({
  status: 400,
  type: 'MessageRejected',
  message: `Email address is not verified. The following identities failed the check in region EU-WEST-1: ${identity}`,
});

/**
 * Adds a middleware just before the HTTP call (below the SDK's retry and deserializer) that answers an
 * attempt with the error `answer()` gives, when it gives one, without reaching the service: the SDK parses
 * it into its own exception (`TooManyRequestsException`, `MessageRejected`, ...) and its retry strategy
 * treats it as it would the real one (a throttle is retried, a rejection is not).
 */
export function injectSesAnswer(
  client: SESv2Client,
  answer: () => SesAnswer | undefined,
  name = 'aanspreekpuntInjectSesAnswer',
): SESv2Client {
  client.middlewareStack.add(
    (next) => async (args) => {
      const given = answer();
      if (given === undefined) return next(args);
      // The deserializer above reads only the response; it never sees this output.
      return {
        output: {} as ServiceOutputTypes,
        response: {
          statusCode: given.status,
          reason: given.type,
          headers: {
            'content-type': 'application/json',
            'x-amzn-errortype': given.type,
            'x-amzn-requestid': `injected-${Math.floor(Math.random() * 1e12)}`,
          },
          body: new TextEncoder().encode(JSON.stringify({ message: given.message })),
        },
      };
    },
    { step: 'deserialize', priority: 'low', name },
  );
  return client;
}

/**
 * SES's throttling error on an attempt, with probability `p` (`ses-throttle` above): the SDK parses it into
 * its own `TooManyRequestsException` (HTTP 429), and its retry strategy treats it as a throttle.
 */
export function injectSesThrottling(
  client: SESv2Client,
  p: number,
  random: () => number = Math.random,
): SESv2Client {
  if (p <= 0) return client;
  return injectSesAnswer(
    client,
    () => {
      if (random() >= p) return undefined;
      count('ses-throttle');
      return SES_THROTTLED;
    },
    'aanspreekpuntInjectSesThrottling',
  );
}

/** A mailer that fails, with probability `p`, before it sends (see `router-crash` above). */
export function crashingMailer(mailer: Mailer, p: number, random: () => number = Math.random): Mailer {
  if (p <= 0) return mailer;
  return {
    async send(mail) {
      if (random() < p) {
        count('router-crash');
        throw new InjectedCrashError();
      }
      return mailer.send(mail);
    },
  };
}
