import * as z from 'zod';
import { figureSchema } from '../../bench/table.js';
import type { Declaration } from '../../functions/declaration.js';
import { mailSendingPlan } from '../../infra/aws/mail-rate.js';
import type { LatencyMode } from '../../infra/local/instrumentation/latency.js';

/**
 * What the capacity plan is computed from: the benchmark's measured figures per case (bench/results/latest.json,
 * read by the names of its entries), the declaration (batch size, maximum concurrency, schedule) and the
 * deployment settings (the HTTP API's own throttle). A figure the results file lacks is replaced by a documented
 * default, and the plan says so: every input carries where its value came from.
 */

/** The part of bench/results/latest.json the plan reads; other fields are ignored. */
export const resultsSchema = z.object({
  date: z.string(),
  command: z.string(),
  entries: z.array(figureSchema),
});
export type Results = z.infer<typeof resultsSchema>;

/** Where an input's value came from: an entry of the results file, or a default with its reason. */
export type Origin =
  | { readonly kind: 'measured'; readonly entry: string }
  | { readonly kind: 'assumed'; readonly reason: string };

export interface Input {
  readonly value: number;
  readonly origin: Origin;
  /** The benchmark's latency run a measured figure was read from, when the benchmark reports it once per run. */
  readonly run?: LatencyMode;
}

/** What one case costs, as the benchmark measured it (or as assumed where it did not). */
export interface PerCase {
  /** HTTP API requests per submission. */
  readonly httpRequests: Input;
  /** SQS requests per case: the intake's SendMessage and the event source mapping's receive + delete. */
  readonly sqsRequests: Input;
  /** SendEmail calls per case (one recipient each). */
  readonly emails: Input;
  readonly readUnits: Input;
  readonly writeUnits: Input;
  /** Writes to the `due` index per case (its partition key is one constant today: one partition). */
  readonly dueIndexWrites: Input;
  /** Writes to the `openByOfficial` index per case (the assignment adds the case to its official's partition). */
  readonly openIndexWrites: Input;
  /** Mean intake invocation, seconds. */
  readonly intakeSeconds: Input;
  /**
   * Router time per case: mean invocation ÷ cases per invocation, both of one latency run, seconds (the work of
   * one case, in its batch).
   */
  readonly routerSecondsPerCase: Input;
  /** One run of the SLA job, seconds. */
  readonly slaRunSeconds: Input;
}

/** What the declaration and the settings fix for every stack. */
export interface Deployment {
  readonly routerBatchSize: number;
  readonly routerMaxConcurrency: number;
  readonly slaRateMinutes: number;
  readonly routeQueueRetentionDays: number;
  readonly routeMaxReceiveCount: number;
  /** How long a case may wait for the router before the SLA job queues it again (functions/domain/case.ts). */
  readonly routingGraceMinutes: number;
  /** The HTTP API stage's own throttle (`apiRateLimit`, `apiBurstLimit` in infra/aws/settings.ts). */
  readonly apiRateLimit: number;
  readonly apiBurstLimit: number;
  /** The account's SES sending rate as the stack is told it (`sesMaxSendRate`). */
  readonly sesMaxSendRate: number;
  /** E-mails per second the router's instances may send together: their share of it (infra/aws/mail-rate.ts). */
  readonly routerMailRate: number;
}

interface Rule {
  /** Matches the entry's name, leading spaces removed (sub-entries are indented). */
  readonly pattern: RegExp;
  readonly fallback: number;
  /** Why the fallback is what it is. */
  readonly reason: string;
  /** Several entries match (one per size): which to take. */
  readonly pick?: 'first' | 'max';
}

/** The results entries each input is read from, with the default used when the entry is missing. */
export const RULES = {
  intakeSendMessage: {
    pattern: /^intake sqs SendMessage$/,
    fallback: 1,
    reason: 'the intake queues each case once (functions/use-cases/submit-request.ts)',
  },
  mappingRequests: {
    pattern: /^event source mapping: SQS receive \+ delete$/,
    fallback: 0.2,
    reason: 'a receive and a batch delete per batch of 10 (functions/declaration.ts)',
  },
  emails: {
    pattern: /^e-mails per case \(router SendEmail\)$/,
    fallback: 3,
    reason: 'the contact, one other department, the enterprise (functions/domain/mail/notifications.ts)',
  },
  readUnits: {
    pattern: /^DynamoDB read request units per case$/,
    fallback: 4.33,
    reason: 'the benchmark of 2026-12-02',
  },
  writeUnits: {
    pattern: /^DynamoDB write request units per case$/,
    fallback: 28,
    reason: 'the benchmark of 2026-12-02',
  },
  intakeMs: {
    pattern: /^intake mean duration\b/,
    fallback: 142.2,
    reason: 'the benchmark of 2026-12-02 (ms)',
  },
  slaRunMs: {
    pattern: /^SLA job, .*: time per run$/,
    fallback: 2_514,
    reason: 'the benchmark of 2026-12-02 (ms, the slowest size)',
    pick: 'max',
  },
} as const satisfies Record<string, Rule>;

/**
 * The benchmark's latency runs, in the order the plan prefers them (AWS-like round trips first), each with the
 * label that ends the names of its figures (`modeLabel` in bench/figures.ts) and how the plan names it.
 */
export const RUNS = [
  {
    mode: 'aws',
    label: /\[aws: [^\]]*\]$/,
    description: 'the run with AWS-like round trips (`--latency aws`)',
  },
  {
    mode: 'none',
    label: /\[no added latency\]$/,
    description: 'the run without added latency (`--latency none`)',
  },
] as const satisfies readonly { mode: LatencyMode; label: RegExp; description: string }[];

/** Figures the benchmark reports once per latency run: the start of the name, the run's label follows it. */
export const RUN_RULES = {
  routerMs: {
    pattern: /^time per router invocation /,
    fallback: 1136.9,
    reason: 'the benchmark of 2026-12-02 (ms per invocation)',
  },
  routerCasesPerInvocation: {
    pattern: /^cases per router invocation /,
    fallback: 10,
    reason: 'full batches of 10 (functions/declaration.ts)',
  },
} as const satisfies Record<string, Rule>;

/** Inputs the benchmark does not measure: always assumed, each with its reason. */
export const ASSUMED = {
  httpRequests: {
    value: 1,
    reason:
      'the benchmark counts one POST /cases per case; a person on the form also loads the form, its stylesheet and the status page (about 4 requests)',
  },
  dueIndexWrites: {
    value: 5,
    reason:
      'counted in functions/adapters/cases.ts: the intake puts the case with nextAt (1 index write), the assignment moves nextAt (a delete and a put: 2), the next look after the e-mails moves it again (2); the benchmark counts table units only',
  },
  openIndexWrites: {
    value: 1,
    reason: "the assignment sets openAssignee: one put into the official's partition of openByOfficial",
  },
} as const;

const trimmed = (name: string) => name.trim();

function read(results: Results | undefined, rule: Rule): Input {
  const matches = (results?.entries ?? []).filter((entry) => rule.pattern.test(trimmed(entry.name)));
  const chosen =
    rule.pick === 'max'
      ? matches.reduce<(typeof matches)[number] | undefined>(
          (best, entry) => (best === undefined || entry.value > best.value ? entry : best),
          undefined,
        )
      : matches[0];
  if (chosen === undefined)
    return {
      value: rule.fallback,
      origin: { kind: 'assumed', reason: `missing from the results: ${rule.reason}` },
    };
  return { value: chosen.value, origin: { kind: 'measured', entry: trimmed(chosen.name) } };
}

const assumed = (a: { value: number; reason: string }): Input => ({
  value: a.value,
  origin: { kind: 'assumed', reason: a.reason },
});

/** Inputs combined (a sum, a quotient): measured when all are, assumed (with their reasons) otherwise. */
function combine(parts: readonly Input[], value: number, joiner: ' + ' | ' ÷ '): Input {
  const entries = parts.flatMap((p) => (p.origin.kind === 'measured' ? [p.origin.entry] : []));
  const reasons = parts.flatMap((p) => (p.origin.kind === 'assumed' ? [p.origin.reason] : []));
  if (reasons.length === 0) return { value, origin: { kind: 'measured', entry: entries.join(joiner) } };
  return { value, origin: { kind: 'assumed', reason: reasons.join('; ') } };
}

/** `rule` for the figure of one latency run: its name followed by the run's label. */
const inRun = (rule: Rule, run: (typeof RUNS)[number]): Rule => ({
  ...rule,
  pattern: new RegExp(`${rule.pattern.source}${run.label.source}`),
});

/**
 * The router's time per case from one latency run: the first of RUNS that the results have a router figure of
 * (both its figures from that run, never one from each), or the defaults when neither run is there.
 */
function routerPerCase(results: Results | undefined): Input {
  const run = RUNS.find((candidate) =>
    Object.values(RUN_RULES).some((rule) => read(results, inRun(rule, candidate)).origin.kind === 'measured'),
  );
  const fromRun = (rule: Rule) =>
    run === undefined ? read(undefined, rule) : read(results, inRun(rule, run));
  const ms = fromRun(RUN_RULES.routerMs);
  const cases = fromRun(RUN_RULES.routerCasesPerInvocation);
  const perCase = combine([ms, cases], ms.value / 1000 / cases.value, ' ÷ ');
  return perCase.origin.kind === 'measured' && run !== undefined ? { ...perCase, run: run.mode } : perCase;
}

/** The per-case inputs from a results file (`undefined`: no file, every input assumed). */
export function perCaseFrom(results: Results | undefined): PerCase {
  const sendMessage = read(results, RULES.intakeSendMessage);
  const mapping = read(results, RULES.mappingRequests);
  const intakeMs = read(results, RULES.intakeMs);
  const slaMs = read(results, RULES.slaRunMs);
  return {
    httpRequests: assumed(ASSUMED.httpRequests),
    sqsRequests: combine([sendMessage, mapping], sendMessage.value + mapping.value, ' + '),
    emails: read(results, RULES.emails),
    readUnits: read(results, RULES.readUnits),
    writeUnits: read(results, RULES.writeUnits),
    dueIndexWrites: assumed(ASSUMED.dueIndexWrites),
    openIndexWrites: assumed(ASSUMED.openIndexWrites),
    intakeSeconds: { value: intakeMs.value / 1000, origin: intakeMs.origin },
    routerSecondsPerCase: routerPerCase(results),
    slaRunSeconds: { value: slaMs.value / 1000, origin: slaMs.origin },
  };
}

/**
 * What the declaration and the settings fix: the router's event source (its maximum concurrency and pace
 * follow `sesMaxSendRate`), the SLA job's schedule, the route queue.
 */
export function deploymentFrom(
  declared: Declaration,
  settings: {
    readonly apiRateLimit: number;
    readonly apiBurstLimit: number;
    readonly sesMaxSendRate: number;
  },
  routingGraceMinutes: number,
): Deployment {
  const router = declared.functions.router;
  const sla = declared.functions.sla;
  if (router?.trigger.kind !== 'queue') throw new Error('the declaration has no router on a queue');
  if (sla?.trigger.kind !== 'schedule') throw new Error('the declaration has no SLA job on a schedule');
  const queue = declared.queues[router.trigger.queue];
  if (queue === undefined) throw new Error(`the declaration has no queue ${router.trigger.queue}`);
  const mail = mailSendingPlan(settings.sesMaxSendRate, declared.functions).get('router');
  const routerMaxConcurrency = mail?.maxConcurrency ?? router.trigger.maxConcurrency;
  return {
    routerBatchSize: router.trigger.batchSize,
    routerMaxConcurrency,
    sesMaxSendRate: settings.sesMaxSendRate,
    routerMailRate: mail === undefined ? Number.POSITIVE_INFINITY : routerMaxConcurrency * mail.perInstance,
    slaRateMinutes: sla.trigger.rateMinutes,
    routeQueueRetentionDays: queue.retentionDays,
    routeMaxReceiveCount: queue.deadLetter.maxReceiveCount,
    routingGraceMinutes,
    apiRateLimit: settings.apiRateLimit,
    apiBurstLimit: settings.apiBurstLimit,
  };
}

/** Every input with its origin, for the report: name, value, where it came from. */
export function describeInputs(perCase: PerCase): { name: string; value: number; origin: Origin }[] {
  const names: Record<keyof PerCase, string> = {
    httpRequests: 'HTTP API requests per submission',
    sqsRequests: 'SQS requests per case',
    emails: 'e-mails per case',
    readUnits: 'DynamoDB RRU per case (table)',
    writeUnits: 'DynamoDB WRU per case (table)',
    dueIndexWrites: 'writes to the due index per case',
    openIndexWrites: 'writes to the openByOfficial index per case',
    intakeSeconds: 'intake duration (s)',
    routerSecondsPerCase: 'router time per case (s)',
    slaRunSeconds: 'SLA job run (s)',
  };
  return (Object.keys(names) as (keyof PerCase)[]).map((key) => ({
    name: names[key],
    value: perCase[key].value,
    origin: perCase[key].origin,
  }));
}
