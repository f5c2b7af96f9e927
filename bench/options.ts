import { parseArgs } from 'node:util';
import * as z from 'zod';
import { LATENCY_MODES, type LatencyMode, ROUND_TRIP_MS } from '../infra/local/instrumentation/latency.js';

const aws = ROUND_TRIP_MS.aws;

export const USAGE = `npm run bench [-- options]

Runs the whole system on this machine (emulators on free ports, a temporary data folder) and prints the
benchmark's figures; writes them to bench/results/latest.json.

  --quick             a run of about a minute: 30 cases, 10 cold starts per bundle (2 processes at a time),
                      1,000 and 3,000 closed cases, 100 and 300 due, 300 capacity cases
  --cases <n>         cases through the pipeline and the floor, in each latency mode (default 500)
  --concurrency <n>   concurrent intake clients (default 16)
  --latency <mode>    none, aws or both (default both): aws adds a round trip to every AWS call of the
                      functions and the floor (DynamoDB ${aws.dynamodb} ms, SQS ${aws.sqs} ms, SES ${aws.ses} ms)
  --capacity <n>      cases that all lead to one department, routed in 10 rounds (default 2000; 0: none)
  --cold-runs <n>     fresh processes per bundle for the cold-start figure (default 20, at least 10)
  --sizes <a,b,...>   closed cases for the reminder job (default 1000,10000,100000)
  --due <a,b,...>     due cases for the reminder job: the first with each size, the others with the
                      largest (default 100,1000)
  --help`;

const increasing = z
  .string()
  .regex(/^\d+(,\d+)*$/, 'a comma-separated list of numbers')
  .transform((s) => s.split(',').map(Number))
  .refine((sizes) => sizes.every((n, i) => i === 0 || n > (sizes[i - 1] ?? 0)), 'increasing sizes');

const optionsSchema = z
  .object({
    quick: z.boolean().default(false),
    help: z.boolean().default(false),
    cases: z.coerce.number().int().min(10).max(100_000).optional(),
    concurrency: z.coerce.number().int().min(1).max(256).default(16),
    latency: z.enum([...LATENCY_MODES, 'both']).default('both'),
    capacity: z.coerce.number().int().min(0).max(100_000).optional(),
    'cold-runs': z.coerce.number().int().min(10).max(1_000).optional(),
    sizes: increasing.optional(),
    due: increasing.refine((due) => due.every((n) => n > 0), 'at least one due case').optional(),
  })
  .transform((o) => ({
    quick: o.quick,
    help: o.help,
    cases: o.cases ?? (o.quick ? 30 : 500),
    concurrency: o.concurrency,
    /** The latency modes to run the pipeline and the floor in, in this order. */
    latency: (o.latency === 'both' ? ['none', 'aws'] : [o.latency]) as LatencyMode[],
    capacity: o.capacity ?? (o.quick ? 300 : 2_000),
    coldRuns: o['cold-runs'] ?? (o.quick ? 10 : 20),
    sizes: o.sizes ?? (o.quick ? [1_000, 3_000] : [1_000, 10_000, 100_000]),
    due: o.due ?? (o.quick ? [100, 300] : [100, 1_000]),
    settleMs: o.quick ? 200 : 2_000,
  }));

export type BenchOptions = z.infer<typeof optionsSchema>;

/** The options of `npm run bench`, or what is wrong with them (an unknown option, a wrong value). */
export function parseOptions(argv: readonly string[]): { options: BenchOptions } | { error: string } {
  let values: Record<string, unknown>;
  try {
    values = parseArgs({
      args: [...argv],
      options: {
        quick: { type: 'boolean' },
        help: { type: 'boolean' },
        cases: { type: 'string' },
        concurrency: { type: 'string' },
        latency: { type: 'string' },
        capacity: { type: 'string' },
        'cold-runs': { type: 'string' },
        sizes: { type: 'string' },
        due: { type: 'string' },
      },
      strict: true,
    }).values;
  } catch (error) {
    return { error: (error as Error).message };
  }
  const parsed = optionsSchema.safeParse(values);
  return parsed.success ? { options: parsed.data } : { error: z.prettifyError(parsed.error) };
}

/**
 * The reminder job's rounds: 100 due among each of the growing numbers of closed cases, then each further
 * number of due cases at the largest (the first of `due` is the 100 of the growing rounds).
 */
export function reminderRounds(options: Pick<BenchOptions, 'sizes' | 'due'>) {
  const [first = 100, ...more] = options.due;
  const largest = options.sizes[options.sizes.length - 1] ?? 0;
  return [
    ...options.sizes.map((closed) => ({ closed, due: first })),
    ...more.map((due) => ({ closed: largest, due })),
  ];
}
