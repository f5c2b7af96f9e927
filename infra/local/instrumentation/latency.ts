import * as z from 'zod';

/**
 * An AWS-like network, for the benchmark only (`npm run bench -- --latency aws`); never set in production.
 * Off unless `AANSPREEKPUNT_LATENCY=aws`: then the local runtime (through `instrumentationFromEnv`) adds an
 * SDK middleware to each function's clients that waits one round trip per call before it sends it, the same
 * for every call of a service, so that work which waits on the network one call after the other shows
 * locally, where the emulators answer in-process. The bench's floor adds the same middleware to its own
 * clients. No deployed function imports this module.
 */
export const LATENCY_ENV = 'AANSPREEKPUNT_LATENCY';

export const LATENCY_MODES = ['none', 'aws'] as const;
export const latencyModeSchema = z.enum(LATENCY_MODES);
export type LatencyMode = z.infer<typeof latencyModeSchema>;
export type LatencyService = 'dynamodb' | 'sqs' | 'ses';

/**
 * The round trip added to each call (ms), per mode and service: `aws` is a Lambda function calling the
 * services in its own region (DynamoDB a few ms, SQS about 10, SES about 30 for SendEmail).
 */
export const ROUND_TRIP_MS: Readonly<Record<LatencyMode, Readonly<Record<LatencyService, number>>>> = {
  none: { dynamodb: 0, sqs: 0, ses: 0 },
  aws: { dynamodb: 4, sqs: 10, ses: 30 },
};

/** The mode the environment asks for: unset or empty is `none`; anything but a known mode throws. */
export function latencyFromEnv(env: NodeJS.ProcessEnv = process.env): LatencyMode {
  const value = env[LATENCY_ENV]?.trim();
  if (value === undefined || value === '') return 'none';
  const parsed = latencyModeSchema.safeParse(value);
  if (!parsed.success)
    throw new Error(`${LATENCY_ENV}: "${value}" is not one of ${LATENCY_MODES.join(', ')}`);
  return parsed.data;
}

/** The part of an SDK v3 client this module needs (structural, so any client fits). */
interface Delayable {
  middlewareStack: {
    add(
      middleware: (
        next: (args: { input: object }) => Promise<{ output: object }>,
      ) => (args: { input: object }) => Promise<{ output: object }>,
      options: { step: 'initialize'; name: string },
    ): void;
  };
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Adds a middleware that waits `ms` before each call (once per command, whatever the SDK's retries do);
 * nothing when `ms` is 0.
 */
export function injectLatency<C extends Delayable>(
  client: C,
  ms: number,
  wait: (ms: number) => Promise<void> = sleep,
): C {
  if (ms <= 0) return client;
  client.middlewareStack.add(
    (next) => async (args) => {
      await wait(ms);
      return next(args);
    },
    { step: 'initialize', name: 'aanspreekpuntInjectLatency' },
  );
  return client;
}
