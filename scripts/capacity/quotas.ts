import * as z from 'zod';

/**
 * The AWS default quotas the national capacity plan reads demand against, each with its value, whether it can
 * be raised, and the AWS documentation page it comes from (checked 2026-12-02; quotas change: check the
 * Service Quotas console of the account before you quote them). Values for eu-west-1 (Ireland) where a quota
 * differs by Region. Where AWS publishes no default (SES out of the sandbox), the value is an assumption and
 * `assumed` says why; `npm run capacity -- --ses-rate` and `--ses-daily` replace it with the account's own.
 */
export const quotaSchema = z.strictObject({
  /** Stable key, used by the plan's rows and the changes it proposes. */
  id: z.string().regex(/^[a-z][a-z0-9-]*$/),
  service: z.enum(['API Gateway', 'Lambda', 'SQS', 'SES', 'DynamoDB', 'EventBridge Scheduler']),
  name: z.string().min(1),
  /** The default; `null` where AWS states no number ("nearly unlimited"). */
  value: z.number().positive().nullable(),
  unit: z.string().min(1),
  /** What one quota covers: every API of an account in a Region, one function, one table, one partition… */
  scope: z.enum(['account and Region', 'function', 'event source mapping', 'queue', 'table', 'partition']),
  adjustable: z.boolean(),
  source: z.url().startsWith('https://docs.aws.amazon.com/'),
  note: z.string().optional(),
  /** Set when AWS publishes no default: the value is ours, and this says why we chose it. */
  assumed: z.string().optional(),
});
export type Quota = z.infer<typeof quotaSchema>;

const input = [
  {
    id: 'api-account-rps',
    service: 'API Gateway',
    name: 'HTTP API throttle, all APIs of the account',
    value: 10_000,
    unit: 'requests/s',
    scope: 'account and Region',
    adjustable: true,
    source: 'https://docs.aws.amazon.com/apigateway/latest/developerguide/limits.html',
    note: 'with a token bucket of 5,000 requests for bursts (not adjustable by the customer); 2,500 rps / 1,250 burst in the newer Regions (Milan, Zurich, Spain, …)',
  },
  {
    id: 'lambda-concurrency',
    service: 'Lambda',
    name: 'Concurrent executions',
    value: 1_000,
    unit: 'executions',
    scope: 'account and Region',
    adjustable: true,
    source: 'https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html',
    note: 'new accounts start lower and AWS raises it with use: an account made for one municipality may not have 1,000 on day one',
  },
  {
    id: 'lambda-scaling-rate',
    service: 'Lambda',
    name: 'Concurrency scaling rate',
    value: 1_000,
    unit: 'new environments per 10 s',
    scope: 'function',
    adjustable: false,
    source: 'https://docs.aws.amazon.com/lambda/latest/dg/scaling-behavior.html',
    note: 'each function scales on its own, up to the account concurrency',
  },
  {
    id: 'lambda-sqs-max-concurrency',
    service: 'Lambda',
    name: 'Maximum concurrency of an SQS event source mapping (the setting: 2–1,000)',
    value: 1_000,
    unit: 'concurrent batches',
    scope: 'event source mapping',
    adjustable: false,
    source: 'https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-scaling.html',
    note: 'the mapping starts with 5 concurrent batches and adds up to 300 per minute while messages wait; ours is capped lower by `maxConcurrency` in functions/declaration.ts',
  },
  {
    id: 'sqs-api-rate',
    service: 'SQS',
    name: 'API calls on a standard queue (SendMessage, ReceiveMessage, DeleteMessage)',
    value: null,
    unit: 'calls/s per action',
    scope: 'queue',
    adjustable: false,
    source: 'https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/quotas-messages.html',
    note: '"nearly unlimited" for standard queues; the backlog a queue can store is unlimited too',
  },
  {
    id: 'sqs-in-flight',
    service: 'SQS',
    name: 'In-flight messages of a standard queue',
    value: 120_000,
    unit: 'messages',
    scope: 'queue',
    adjustable: true,
    source: 'https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/quotas-queues.html',
  },
  {
    id: 'ses-rate',
    service: 'SES',
    name: 'Sending rate, out of the sandbox',
    value: 14,
    unit: 'e-mails/s',
    scope: 'account and Region',
    adjustable: true,
    source: 'https://docs.aws.amazon.com/ses/latest/dg/quotas.html',
    note: 'counted per recipient; in the sandbox 1 e-mail/s (and only to verified addresses)',
    assumed:
      'AWS publishes no default out of the sandbox ("varies based on your specific use case"); 14/s is the starting rate SES used to grant. Read your own with `aws sesv2 get-account` (SendQuota.MaxSendRate)',
  },
  {
    id: 'ses-daily',
    service: 'SES',
    name: 'Sending quota per 24 hours, out of the sandbox',
    value: 50_000,
    unit: 'e-mails/24 h',
    scope: 'account and Region',
    adjustable: true,
    source: 'https://docs.aws.amazon.com/ses/latest/dg/quotas.html',
    note: 'in the sandbox 200 e-mails per 24 hours',
    assumed:
      'AWS publishes no default out of the sandbox; 50,000 a day is the starting quota SES used to grant. Read your own with `aws sesv2 get-account` (SendQuota.Max24HourSend)',
  },
  {
    id: 'dynamodb-table-throughput',
    service: 'DynamoDB',
    name: 'Table-level throughput of an on-demand table (and of each of its indexes)',
    value: 40_000,
    unit: 'request units/s (reads and writes each)',
    scope: 'table',
    adjustable: true,
    source: 'https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/ServiceQuotas.html',
  },
  {
    id: 'dynamodb-on-demand-initial-writes',
    service: 'DynamoDB',
    name: 'Initial throughput of a new on-demand table, writes',
    value: 4_000,
    unit: 'WRU/s',
    scope: 'table',
    adjustable: false,
    source: 'https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/on-demand-capacity-mode.html',
    note: 'or 12,000 RRU/s, or a linear mix; after that, instantly up to double the previous peak, more within 30 minutes; warm throughput (pre-warming) raises it ahead of a known peak',
  },
  {
    id: 'dynamodb-on-demand-initial-reads',
    service: 'DynamoDB',
    name: 'Initial throughput of a new on-demand table, reads',
    value: 12_000,
    unit: 'RRU/s',
    scope: 'table',
    adjustable: false,
    source: 'https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/on-demand-capacity-mode.html',
  },
  {
    id: 'dynamodb-partition-writes',
    service: 'DynamoDB',
    name: 'Writes to one partition (table or index)',
    value: 1_000,
    unit: 'WCU/s',
    scope: 'partition',
    adjustable: false,
    source: 'https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/bp-partition-key-design.html',
    note: 'on demand too: a hot partition key throttles (KeyRangeThroughputExceeded) while the table has room; write sharding is the documented remedy',
  },
  {
    id: 'dynamodb-partition-reads',
    service: 'DynamoDB',
    name: 'Reads from one partition (table or index)',
    value: 3_000,
    unit: 'RCU/s',
    scope: 'partition',
    adjustable: false,
    source: 'https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/bp-partition-key-design.html',
  },
  {
    id: 'scheduler-invocations',
    service: 'EventBridge Scheduler',
    name: 'Invocations throttle limit',
    value: 1_000,
    unit: 'invocations/s',
    scope: 'account and Region',
    adjustable: true,
    source: 'https://docs.aws.amazon.com/scheduler/latest/UserGuide/scheduler-quotas.html',
    note: 'in the primary Regions (eu-west-1, eu-central-1, …); lower in the others',
  },
  {
    id: 'scheduler-schedules',
    service: 'EventBridge Scheduler',
    name: 'Number of schedules',
    value: 10_000_000,
    unit: 'schedules',
    scope: 'account and Region',
    adjustable: true,
    source: 'https://docs.aws.amazon.com/scheduler/latest/UserGuide/scheduler-quotas.html',
  },
] as const satisfies readonly z.input<typeof quotaSchema>[];

export type QuotaId = (typeof input)[number]['id'];

/** The quotas, checked once when this module loads (a script's table, not part of any function bundle). */
export const QUOTAS: readonly Quota[] = z.array(quotaSchema).parse(input);

/** The quota with that id; throws on an id the table does not have. */
export function quotaOf(id: QuotaId, quotas: readonly Quota[] = QUOTAS): Quota {
  const quota = quotas.find((q) => q.id === id);
  if (quota === undefined) throw new Error(`no quota ${id}`);
  return quota;
}

/** The quota's value as a limit: no stated number is no limit. */
export const limitOf = (quota: Quota): number => quota.value ?? Number.POSITIVE_INFINITY;

/** The SES sandbox's quotas: not a row of the plan (a stack in the sandbox cannot go live at all). */
export const SES_SANDBOX = {
  ratePerSecond: 1,
  perDay: 200,
  source: 'https://docs.aws.amazon.com/ses/latest/dg/request-production-access.html',
} as const;
