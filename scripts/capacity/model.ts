import { formatNumber, roundUp } from './format.js';
import type { Deployment, PerCase } from './inputs.js';
import { limitOf, QUOTAS, type Quota, type QuotaId, quotaOf } from './quotas.js';

/**
 * The national capacity plan, as pure arithmetic: one stack per municipality, a national burst of submissions
 * spread over them, and for every quota or throttle the demand it sees, its limit, the headroom, whether it
 * binds, and the national burst at which it would start to bind. Nothing here reads a file or the clock.
 */

/** The load: a national burst of submissions per second, for some minutes, over the municipalities. */
export interface Load {
  readonly burstPerSecond: number;
  readonly minutes: number;
  readonly municipalities: number;
  /** The largest municipality's share of the national population (Amsterdam: about 5 %). */
  readonly largestShare: number;
}

/** All stacks in one account and Region, or each municipality's stack in an account of its own. */
export type Layout = 'one-account' | 'account-per-municipality';
/** The burst spread evenly over the municipalities, or with the largest taking its share of the population. */
export type Spread = 'even' | 'largest';

export interface Scenario {
  readonly layout: Layout;
  readonly spread: Spread;
}

export const SCENARIOS: readonly Scenario[] = [
  { layout: 'one-account', spread: 'even' },
  { layout: 'one-account', spread: 'largest' },
  { layout: 'account-per-municipality', spread: 'even' },
  { layout: 'account-per-municipality', spread: 'largest' },
];

/** The per-case figures as plain numbers (their origins stay with the inputs). */
export type Rates = { readonly [K in keyof PerCase]: number };

export const ratesOf = (perCase: PerCase): Rates =>
  Object.fromEntries(Object.entries(perCase).map(([key, input]) => [key, input.value])) as Rates;

/** Stacks that see the same arrival rate (cases/s each). */
export interface StackGroup {
  readonly stacks: number;
  readonly rate: number;
}

/** How the burst falls on the stacks: every stack alike, or the largest with its share and the rest alike. */
export function stackGroups(load: Load, spread: Spread): StackGroup[] {
  const { burstPerSecond: burst, municipalities: n } = load;
  if (spread === 'even' || n === 1) return [{ stacks: n, rate: burst / n }];
  const share = load.largestShare;
  return [
    { stacks: 1, rate: burst * share },
    { stacks: n - 1, rate: (burst * (1 - share)) / (n - 1) },
  ];
}

/** The busiest stack's arrival rate. */
export const busiestRate = (groups: readonly StackGroup[]) => Math.max(...groups.map((g) => g.rate));

/**
 * What a stack's router can route per second: its concurrent batches over the time each case takes, or
 * the e-mails its pace allows (its share of `sesMaxSendRate`) over the e-mails per case, whichever is less.
 */
export const routerCapacity = (rates: Rates, deployment: Deployment) =>
  Math.min(
    deployment.routerMaxConcurrency / rates.routerSecondsPerCase,
    deployment.routerMailRate / rates.emails,
  );

/** Concurrent router invocations a stack needs at an arrival rate (Little's law), at most its maximum. */
export const routerConcurrency = (rate: number, rates: Rates, deployment: Deployment) =>
  Math.min(deployment.routerMaxConcurrency, rate * rates.routerSecondsPerCase);

/** A limit a row reads demand against: an AWS quota, or a throttle of our own (a setting, the declaration). */
export interface Limit {
  readonly id: string;
  readonly name: string;
  readonly value: number;
  readonly unit: string;
  readonly adjustable: boolean;
  /** An AWS documentation page, or the file of ours that sets it. */
  readonly source: string;
  readonly assumed?: string;
}

const fromQuota = (quota: Quota): Limit => ({
  id: quota.id,
  name: quota.name,
  value: limitOf(quota),
  unit: quota.unit,
  adjustable: quota.adjustable,
  source: quota.source,
  ...(quota.assumed === undefined ? {} : { assumed: quota.assumed }),
});

/** Everything a row's demand is computed from. */
export interface Context {
  readonly load: Load;
  readonly layout: Layout;
  readonly groups: readonly StackGroup[];
  readonly rates: Rates;
  readonly deployment: Deployment;
}

/**
 * One quota as one scenario sees it. `where` says what the demand is summed over: the account (every stack in
 * it: all of them in one account, the busiest one in an account of its own) or the busiest stack alone.
 */
export interface RowDefinition {
  readonly id: string;
  /** What the row is about, service first (the limit's own name says which quota). */
  readonly label: string;
  readonly limit: (quotas: readonly Quota[], deployment: Deployment) => Limit;
  readonly where: 'account' | 'stack';
  /** What the demand is, in words (the formula behind the number). */
  readonly measure: string;
  /** The demand one stack at `rate` cases/s puts on the limit. */
  readonly perStack: (rate: number, ctx: Context) => number;
  /**
   * Set on a worst case that the burst alone does not cause (it says when it happens): shown and acted on,
   * but not ranked among what binds first.
   */
  readonly condition?: string;
}

const aws =
  (id: QuotaId) =>
  (quotas: readonly Quota[]): Limit =>
    fromQuota(quotaOf(id, quotas));

const seconds = (load: Load) => load.minutes * 60;
const slaConcurrency = (ctx: Context) => ctx.rates.slaRunSeconds / (ctx.deployment.slaRateMinutes * 60);

/** The rows of every scenario, in the order of the request's path: API, functions, queue, mail, data, schedule. */
export const ROWS: readonly RowDefinition[] = [
  {
    id: 'api-account',
    label: "API Gateway: the account's HTTP API throttle",
    limit: aws('api-account-rps'),
    where: 'account',
    measure: 'submissions/s × HTTP requests per submission',
    perStack: (rate, { rates }) => rate * rates.httpRequests,
  },
  {
    id: 'api-stage',
    label: "API Gateway: the stack's own throttle (apiRateLimit)",
    limit: (_quotas, deployment) => ({
      id: 'api-stage-throttle',
      name: "The stack's HTTP API throttle (setting apiRateLimit)",
      value: deployment.apiRateLimit,
      unit: 'requests/s',
      adjustable: true,
      source: 'infra/aws/settings.ts',
    }),
    where: 'stack',
    measure: 'submissions/s × HTTP requests per submission, in the busiest stack',
    perStack: (rate, { rates }) => rate * rates.httpRequests,
  },
  {
    id: 'lambda-concurrency',
    label: 'Lambda: concurrent executions',
    limit: aws('lambda-concurrency'),
    where: 'account',
    measure:
      'per stack: submissions/s × intake duration + min(maxConcurrency, cases/s × router time per case) + SLA run / interval',
    perStack: (rate, ctx) =>
      rate * ctx.rates.intakeSeconds +
      routerConcurrency(rate, ctx.rates, ctx.deployment) +
      slaConcurrency(ctx),
  },
  {
    id: 'lambda-concurrency-drain',
    label: 'Lambda: concurrent executions, every router at its maxConcurrency',
    limit: aws('lambda-concurrency'),
    where: 'account',
    measure: 'as above, with every router at its maxConcurrency',
    condition: 'a backlog in every stack at once, e.g. while SES throttles or after an outage',
    perStack: (rate, ctx) =>
      rate * ctx.rates.intakeSeconds + ctx.deployment.routerMaxConcurrency + slaConcurrency(ctx),
  },
  {
    id: 'lambda-scaling',
    label: "Lambda: the intake's scaling rate",
    limit: aws('lambda-scaling-rate'),
    where: 'stack',
    measure:
      "new intake environments the busiest stack's burst needs at once (submissions/s × intake duration)",
    perStack: (rate, { rates }) => rate * rates.intakeSeconds,
  },
  {
    id: 'router-concurrency',
    label: "Lambda: the router's maxConcurrency (ours)",
    limit: (_quotas, deployment) => ({
      id: 'router-max-concurrency',
      name: "The router's event source maxConcurrency (functions/declaration.ts)",
      value: deployment.routerMaxConcurrency,
      unit: 'concurrent batches',
      adjustable: true,
      source: 'functions/declaration.ts',
    }),
    where: 'stack',
    measure: 'cases/s × router time per case, in the busiest stack (above the limit, the route queue grows)',
    perStack: (rate, { rates }) => rate * rates.routerSecondsPerCase,
  },
  {
    id: 'sqs-api',
    label: 'SQS: route queue API calls',
    limit: aws('sqs-api-rate'),
    where: 'stack',
    measure: "cases/s × SQS requests per case, on the busiest stack's route queue",
    perStack: (rate, { rates }) => rate * rates.sqsRequests,
  },
  {
    id: 'sqs-in-flight',
    label: 'SQS: route queue messages in flight',
    limit: aws('sqs-in-flight'),
    where: 'stack',
    measure: 'concurrent router batches × batch size, on the busiest route queue',
    perStack: (rate, ctx) =>
      routerConcurrency(rate, ctx.rates, ctx.deployment) * ctx.deployment.routerBatchSize,
  },
  {
    id: 'ses-rate',
    label: 'SES: sending rate',
    limit: aws('ses-rate'),
    where: 'account',
    measure: 'per stack: min(cases/s, what its router can route) × e-mails per case',
    perStack: (rate, ctx) => Math.min(rate, routerCapacity(ctx.rates, ctx.deployment)) * ctx.rates.emails,
  },
  {
    id: 'ses-daily',
    label: 'SES: 24-hour sending quota',
    limit: aws('ses-daily'),
    where: 'account',
    measure: 'per stack: cases in the burst × e-mails per case (all routed within the day)',
    perStack: (rate, ctx) => rate * seconds(ctx.load) * ctx.rates.emails,
  },
  {
    id: 'dynamodb-table',
    label: "DynamoDB: the table's on-demand throughput, writes",
    limit: aws('dynamodb-table-throughput'),
    where: 'stack',
    measure: "cases/s × WRU per case, on the busiest stack's table",
    perStack: (rate, { rates }) => rate * rates.writeUnits,
  },
  {
    id: 'dynamodb-new-table-writes',
    label: 'DynamoDB: a new on-demand table, writes',
    limit: aws('dynamodb-on-demand-initial-writes'),
    where: 'stack',
    measure: 'cases/s × WRU per case, on a table that never saw more',
    perStack: (rate, { rates }) => rate * rates.writeUnits,
  },
  {
    id: 'dynamodb-new-table-reads',
    label: 'DynamoDB: a new on-demand table, reads',
    limit: aws('dynamodb-on-demand-initial-reads'),
    where: 'stack',
    measure: 'cases/s × RRU per case, on a table that never saw more',
    perStack: (rate, { rates }) => rate * rates.readUnits,
  },
  {
    id: 'due-partition',
    label: 'DynamoDB: the due index partition (dueShard), writes',
    limit: aws('dynamodb-partition-writes'),
    where: 'stack',
    measure: "cases/s × due-index writes per case: the due index's one partition key (dueShard = DUE)",
    perStack: (rate, { rates }) => rate * rates.dueIndexWrites,
  },
  {
    id: 'official-partition-writes',
    label: "DynamoDB: one official's openByOfficial partition, writes",
    limit: aws('dynamodb-partition-writes'),
    where: 'stack',
    measure:
      "cases/s × openByOfficial writes per case, if every case goes to one official (the issue's a-jansen)",
    perStack: (rate, { rates }) => rate * rates.openIndexWrites,
  },
  {
    id: 'official-partition-reads',
    label: "DynamoDB: one official's openByOfficial partition, reads",
    limit: aws('dynamodb-partition-reads'),
    where: 'stack',
    measure: "cases/s × RRU per case, as if every read hit one official's partition (an upper bound)",
    perStack: (rate, { rates }) => rate * rates.readUnits,
  },
  {
    id: 'scheduler-invocations',
    label: 'EventBridge Scheduler: invocations',
    limit: aws('scheduler-invocations'),
    where: 'account',
    measure: 'one SLA schedule per stack, every rateMinutes',
    perStack: (_rate, ctx) => 1 / (ctx.deployment.slaRateMinutes * 60),
  },
  {
    id: 'scheduler-schedules',
    label: 'EventBridge Scheduler: schedules',
    limit: aws('scheduler-schedules'),
    where: 'account',
    measure: 'one SLA schedule per stack',
    perStack: () => 1,
  },
];

/** The demand of a row: summed over the account's stacks, or the busiest stack's. */
export function demandOf(row: RowDefinition, ctx: Context): number {
  const busiest = busiestRate(ctx.groups);
  if (row.where === 'stack' || ctx.layout === 'account-per-municipality') return row.perStack(busiest, ctx);
  return ctx.groups.reduce((sum, group) => sum + group.stacks * row.perStack(group.rate, ctx), 0);
}

/** Headroom as a fraction of the limit: 1 is all of it left, 0 at the limit, below 0 over it. */
export const headroomOf = (demand: number, limit: number) =>
  limit === Number.POSITIVE_INFINITY ? 1 : (limit - demand) / limit;

/** A limit binds when the demand reaches it (at the limit itself, every jitter is throttled). */
export const binds = (demand: number, limit: number) => demand >= limit;

/**
 * The national burst (submissions/s) at which a demand that grows with the burst reaches the limit: 0 when it
 * binds at any load (it does not depend on the burst), `null` when it never does (capped below the limit).
 */
export function bindsAt(demandAt: (burst: number) => number, limit: number): number | null {
  if (limit === Number.POSITIVE_INFINITY) return null;
  if (binds(demandAt(0), limit)) return 0;
  let high = 1;
  while (!binds(demandAt(high), limit)) {
    high *= 2;
    if (high > 1e12) return null;
  }
  let low = high / 2;
  if (high === 1) low = 0;
  for (let i = 0; i < 60; i++) {
    const middle = (low + high) / 2;
    if (binds(demandAt(middle), limit)) high = middle;
    else low = middle;
  }
  return high;
}

export interface Row {
  readonly id: string;
  readonly label: string;
  readonly limit: Limit;
  readonly where: 'account' | 'stack';
  readonly measure: string;
  readonly demand: number;
  readonly headroom: number;
  readonly binds: boolean;
  /** The national burst at which it binds (0: at any load; null: never). */
  readonly bindsAt: number | null;
  readonly condition?: string;
}

/** How the busiest stack's router keeps up with its share of the burst. */
export interface Backlog {
  /** Cases/s the busiest stack receives, and what its router can route. */
  readonly arrivals: number;
  readonly capacity: number;
  /** Cases waiting in the route queue when the burst ends. */
  readonly queued: number;
  /** Seconds until the queue is empty again after the burst (also the last case's wait). */
  readonly drainSeconds: number;
  /** Cases that wait longer than the routing grace, which the SLA job then queues a second time. */
  readonly requeued: number;
}

export function backlogOf(rate: number, rates: Rates, deployment: Deployment, load: Load): Backlog {
  const capacity = routerCapacity(rates, deployment);
  const excess = Math.max(0, rate - capacity);
  const burstSeconds = seconds(load);
  const queued = excess * burstSeconds;
  // A case arriving at t waits for the excess queued before it: excess × t / capacity.
  const graceSeconds = deployment.routingGraceMinutes * 60;
  const lateFrom = excess === 0 ? Number.POSITIVE_INFINITY : (graceSeconds * capacity) / excess;
  const requeued = lateFrom >= burstSeconds ? 0 : rate * (burstSeconds - lateFrom);
  return { arrivals: rate, capacity, queued, drainSeconds: queued / capacity, requeued };
}

export interface ScenarioResult {
  readonly scenario: Scenario;
  readonly load: Load;
  readonly groups: readonly StackGroup[];
  readonly rows: readonly Row[];
  /** Of the rows that bind at this load, the one that binds at the smallest burst. */
  readonly bindsFirst: Row | undefined;
  /** The row that binds at the smallest burst, whether or not this load reaches it. */
  readonly firstToBind: Row | undefined;
  readonly backlog: Backlog;
}

const byBindsAt = (a: Row, b: Row) =>
  (a.bindsAt ?? Number.POSITIVE_INFINITY) - (b.bindsAt ?? Number.POSITIVE_INFINITY);

/** Every row of one scenario at a load. */
export function evaluate(
  scenario: Scenario,
  load: Load,
  rates: Rates,
  deployment: Deployment,
  quotas: readonly Quota[] = QUOTAS,
  definitions: readonly RowDefinition[] = ROWS,
): ScenarioResult {
  const contextAt = (burstPerSecond: number): Context => {
    const at = { ...load, burstPerSecond };
    return { load: at, layout: scenario.layout, groups: stackGroups(at, scenario.spread), rates, deployment };
  };
  const ctx = contextAt(load.burstPerSecond);
  const rows = definitions.map((definition): Row => {
    const limit = definition.limit(quotas, deployment);
    const demand = demandOf(definition, ctx);
    return {
      id: definition.id,
      label: definition.label,
      limit,
      where: definition.where,
      measure: definition.measure,
      demand,
      headroom: headroomOf(demand, limit.value),
      binds: binds(demand, limit.value),
      bindsAt: bindsAt((burst) => demandOf(definition, contextAt(burst)), limit.value),
      ...(definition.condition === undefined ? {} : { condition: definition.condition }),
    };
  });
  const sorted = rows.filter((row) => row.bindsAt !== null && row.condition === undefined).sort(byBindsAt);
  return {
    scenario,
    load,
    groups: ctx.groups,
    rows,
    bindsFirst: sorted.find((row) => row.binds),
    firstToBind: sorted[0],
    backlog: backlogOf(busiestRate(ctx.groups), rates, deployment, load),
  };
}

/** Due-index shards that keep each shard's writes at or under half a partition's limit. */
export const dueShardsFor = (writesPerSecond: number, partitionLimit: number) =>
  Math.max(1, Math.ceil(writesPerSecond / (partitionLimit / 2)));

const up = (value: number, step: number) => Math.ceil(value / step) * step;
const n = formatNumber;

/**
 * What to change so that the scenario's load fits: one line per row that binds or keeps less than a fifth of
 * its limit, naming the request or the setting and the value it needs (with a margin).
 */
export function changesFor(result: ScenarioResult, deployment: Deployment): string[] {
  const perAccount =
    result.scenario.layout === 'one-account'
      ? 'in the shared account'
      : "in the busiest municipality's account";
  const changes: string[] = [];
  for (const row of result.rows) {
    if (!row.binds && row.headroom >= 0.2) continue;
    const need = roundUp(row.demand * 1.25);
    switch (row.id) {
      case 'ses-rate': {
        // Paced to 80% of the rate the stack is told, the routers stay just under the quota: not a change.
        if (!row.binds) break;
        const shared = result.scenario.layout === 'one-account' && result.load.municipalities > 1;
        changes.push(
          `SES: request a sending rate of at least ${n(need)} e-mails/s ${perAccount} (quota ${n(row.limit.value)}/s${row.limit.assumed === undefined ? '' : ', assumed'}), and deploy with \`-c sesMaxSendRate=\` the rate granted${shared ? ', divided by the stacks that share the account' : ''}: the router paces itself to 80% of it. Until then the cases wait: a throttled e-mail puts its case off, with a delay that doubles up to 15 minutes, instead of failing it toward the dead-letter queue.`,
        );
        break;
      }
      case 'ses-daily':
        changes.push(`SES: request a 24-hour sending quota of at least ${n(need)} e-mails ${perAccount}.`);
        break;
      case 'api-stage':
        changes.push(
          `HTTP API throttle of the busiest stack: deploy it with \`-c apiRateLimit=${n(up(row.demand * 2, 10))} -c apiBurstLimit=${n(up(row.demand * 4, 10))}\` (today ${deployment.apiRateLimit}/${deployment.apiBurstLimit}: above it, submissions get 429).`,
        );
        break;
      case 'router-concurrency':
        changes.push(
          `Router of the busiest stack: raise maxConcurrency to ${n(need)} (functions/declaration.ts, today ${deployment.routerMaxConcurrency}), or raise the batch size (a batch's records run in parallel, so a larger batch routes more cases per invocation while the calls wait on the network; the e-mail rate it asks of SES grows with it); otherwise its route queue holds ${n(result.backlog.queued)} cases when the burst ends.`,
        );
        break;
      case 'lambda-concurrency':
      case 'lambda-concurrency-drain':
        changes.push(
          `Lambda: request ${n(up(need, 500))} concurrent executions ${perAccount} (default ${n(row.limit.value)}), and reserve concurrency for each intake so that routers draining a backlog never throttle submissions (${row.id === 'lambda-concurrency-drain' ? 'routers at their maximum' : 'at this load'}: ${n(row.demand)}).`,
        );
        break;
      case 'lambda-scaling':
        changes.push(
          `Lambda scaling rate (not adjustable): provisioned concurrency of ${n(need)} on the busiest intake ahead of the burst.`,
        );
        break;
      case 'due-partition':
        changes.push(
          `Due index: shard its partition key (dueShard = DUE#0…DUE#${dueShardsFor(row.demand, row.limit.value) - 1}, by a hash of the reference); the SLA job then queries each shard and merges by nextAt.`,
        );
        break;
      case 'dynamodb-new-table-writes':
      case 'dynamodb-new-table-reads':
        changes.push(
          `DynamoDB: pre-warm the busiest stack's table (warm throughput) to ${n(need)} ${row.limit.unit} before the burst.`,
        );
        break;
      case 'official-partition-writes':
      case 'official-partition-reads':
        changes.push(
          "DynamoDB: spread the cases over officials (capacity respected), so that one official's partition of openByOfficial is not every case's.",
        );
        break;
      default:
        changes.push(`${row.limit.name}: request at least ${n(need)} ${row.limit.unit} ${perAccount}.`);
    }
  }
  return changes;
}
