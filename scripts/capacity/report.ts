import { formatNumber, roundUp } from './format.js';
import { type Deployment, describeInputs, type Input, type Origin, type PerCase, RUNS } from './inputs.js';
import {
  changesFor,
  dueShardsFor,
  type Load,
  type Rates,
  type Row,
  routerCapacity,
  type Scenario,
  type ScenarioResult,
} from './model.js';
import { type Quota, SES_SANDBOX } from './quotas.js';

/** The plan as Markdown: what `npm run capacity` prints and `--write docs/capacity.md` writes. */

/** How the case store keys the due index today, read from the code by the command (not typed here). */
export interface DueIndex {
  readonly partitionKey: string;
  readonly sortKey: string;
  readonly projection: string;
  /** The one value the case store writes into the partition key. */
  readonly shardValue: string;
}

export interface Plan {
  readonly command: string;
  readonly date: string;
  readonly resultsPath: string;
  /** The results file's own date and command, when there is one. */
  readonly results: { readonly date: string; readonly command: string } | undefined;
  readonly load: Load;
  readonly perCase: PerCase;
  readonly rates: Rates;
  readonly deployment: Deployment;
  readonly quotas: readonly Quota[];
  readonly dueIndex: DueIndex;
  readonly scenarios: readonly ScenarioResult[];
}

export function formatHeadroom(row: Pick<Row, 'headroom' | 'demand' | 'limit'>): string {
  if (row.limit.value === Number.POSITIVE_INFINITY) return '–';
  if (row.headroom > 0.99) return '>99%';
  if (row.headroom >= 0) return `${Math.floor(row.headroom * 100)}%`;
  return `over: ${formatNumber(row.demand / row.limit.value)}x the limit`;
}

export function formatBindsAt(bindsAt: number | null): string {
  if (bindsAt === null) return 'never';
  if (bindsAt === 0) return 'at any load';
  return `${formatNumber(bindsAt)}/s`;
}

const LAYOUTS = {
  'one-account': 'all stacks in one account and Region',
  'account-per-municipality': 'one account per municipality',
} as const;

export function scenarioTitle(scenario: Scenario, load: Load): string {
  const spread =
    scenario.spread === 'even'
      ? 'the burst spread evenly'
      : `the largest municipality taking ${formatNumber(load.largestShare * 100)}% of the burst`;
  return `${LAYOUTS[scenario.layout]}, ${spread}`;
}

const originText = (origin: Origin) =>
  origin.kind === 'measured' ? `measured: \`${origin.entry}\`` : `**assumed**: ${origin.reason}`;

/** Where the router's time per case came from: both its figures from one latency run of the benchmark, or assumed. */
function routerSource(routerSecondsPerCase: Input): string {
  const run = RUNS.find((candidate) => candidate.mode === routerSecondsPerCase.run);
  if (run === undefined) return 'assumed (see the inputs)';
  const aws =
    run.mode === 'aws' ? '' : ': the results have no `--latency aws` run, so no network round trip is in it';
  return `its mean invocation over its cases per invocation, both from ${run.description}${aws}`;
}

const cell = (text: string) => text.replaceAll('|', '\\|');

/** A Markdown table with its columns padded to one width, as the repository's formatter (Biome) writes them. */
function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const all = [header, ...rows].map((cells) => cells.map(cell));
  const widths = header.map((_, i) => Math.max(3, ...all.map((cells) => (cells[i] ?? '').length)));
  const line = (cells: readonly string[]) =>
    `| ${widths.map((width, i) => (cells[i] ?? '').padEnd(width)).join(' | ')} |`;
  const [head = [], ...body] = all;
  return [line(head), line(widths.map((width) => '-'.repeat(width))), ...body.map(line)].join('\n');
}

const where = (row: Row, layout: Scenario['layout']) =>
  row.where === 'stack'
    ? 'busiest stack'
    : layout === 'one-account'
      ? 'the account'
      : "busiest stack's account";

function rowName(row: Row): string {
  const assumed = row.limit.assumed === undefined ? '' : ' (quota assumed)';
  const condition = row.condition === undefined ? '' : ` (worst case: ${row.condition})`;
  return `${row.label}${assumed}${condition}`;
}

/** One scenario: what binds first, the table, the busiest router's queue, what to change. */
export function renderScenario(result: ScenarioResult, deployment: Deployment): string {
  const { scenario, load, backlog } = result;
  const busiest = Math.max(...result.groups.map((g) => g.rate));
  const first = result.bindsFirst ?? result.firstToBind;
  const verdict =
    result.bindsFirst !== undefined
      ? `**Binds first: ${result.bindsFirst.label}** (from a national burst of ${formatBindsAt(result.bindsFirst.bindsAt)}).`
      : first === undefined
        ? '**Nothing binds**, at any burst.'
        : `**Nothing binds at ${formatNumber(load.burstPerSecond)}/s.** The first to bind would be ${first.label}, from a national burst of ${formatBindsAt(first.bindsAt)}.`;
  const rows = result.rows.map((row) => [
    rowName(row),
    where(row, scenario.layout),
    `${formatNumber(row.demand)} ${row.limit.unit}`,
    formatNumber(row.limit.value),
    formatHeadroom(row),
    row.binds ? '**binds**' : 'no',
    formatBindsAt(row.bindsAt),
  ]);
  const queue =
    backlog.queued === 0
      ? `The busiest stack's router keeps up: ${formatNumber(backlog.arrivals)} cases/s against the ${formatNumber(backlog.capacity)} it can route.`
      : `The busiest stack's router falls behind: ${formatNumber(backlog.arrivals)} cases/s against the ${formatNumber(backlog.capacity)} it can route, so its route queue holds ${formatNumber(backlog.queued)} cases when the burst ends and is empty again ${formatNumber(backlog.drainSeconds)} s later (the last case's wait). ${
          backlog.requeued === 0
            ? `That is within the ${deployment.routingGraceMinutes}-minute routing grace: the SLA job queues none of them twice.`
            : `About ${formatNumber(backlog.requeued)} cases wait longer than the ${deployment.routingGraceMinutes}-minute routing grace, and the SLA job queues each of them a second time (a duplicate route message, a read, and two due-index writes each).`
        }`;
  const changes = changesFor(result, deployment);
  return [
    `### ${scenarioTitle(scenario, load)}`,
    '',
    `${formatNumber(busiest)} submissions/s in the busiest stack. ${verdict}`,
    '',
    table(['quota', 'demand of', 'demand', 'limit', 'headroom', 'binds?', 'binds at (national)'], rows),
    '',
    queue,
    '',
    'What to change:',
    '',
    ...(changes.length === 0
      ? ['- nothing: every limit keeps at least a fifth of its room.']
      : changes.map((c) => `- ${c}`)),
  ].join('\n');
}

function renderInputs(perCase: PerCase): string {
  return table(
    ['input', 'value', 'from'],
    describeInputs(perCase).map((input) => [input.name, formatNumber(input.value), originText(input.origin)]),
  );
}

function renderDeployment(deployment: Deployment, rates: Rates, perCase: PerCase): string {
  const capacity = routerCapacity(rates, deployment);
  return [
    `- Router (functions/declaration.ts): batches of ${deployment.routerBatchSize}, their records in parallel, grouped by case (the records of one case one after the other, the e-mails of one case in parallel); at most ${deployment.routerMaxConcurrency} concurrent batches per stack (the local poller runs as many): ${formatNumber(capacity)} cases/s per stack at ${formatNumber(rates.routerSecondsPerCase)} s of router time per case, and ${formatNumber(rates.emails / rates.routerSecondsPerCase)} e-mails/s per concurrent batch. The router time per case is ${routerSource(perCase.routerSecondsPerCase)}.`,
    `- Route queue: messages kept ${deployment.routeQueueRetentionDays} days, to the dead-letter queue after ${deployment.routeMaxReceiveCount} receives; a case not routed within ${deployment.routingGraceMinutes} minutes is queued again by the SLA job (functions/domain/case.ts).`,
    `- SLA job: every ${deployment.slaRateMinutes} minutes in each stack (one EventBridge Scheduler schedule per stack).`,
    `- HTTP API stage throttle (infra/aws/settings.ts, cdk.json): ${deployment.apiRateLimit} requests/s, burst ${deployment.apiBurstLimit}.`,
  ].join('\n');
}

function renderQuotas(quotas: readonly Quota[]): string {
  return table(
    ['service', 'quota', 'default', 'unit', 'per', 'adjustable', 'source'],
    quotas.map((q) => [
      q.service,
      `${q.name}${q.note === undefined ? '' : ` (${q.note})`}${q.assumed === undefined ? '' : `. **Assumed:** ${q.assumed}`}`,
      q.value === null ? 'nearly unlimited' : formatNumber(q.value),
      q.unit,
      q.scope,
      q.adjustable ? 'yes' : 'no',
      q.source,
    ]),
  );
}

const rowOf = (result: ScenarioResult | undefined, id: string) => result?.rows.find((row) => row.id === id);

/** The prose: what binds first in each layout and why, the due index's key, what to change in order. */
function renderFindings(plan: Plan): string {
  const find = (layout: Scenario['layout'], spread: Scenario['spread']) =>
    plan.scenarios.find((r) => r.scenario.layout === layout && r.scenario.spread === spread);
  const sharedEven = find('one-account', 'even');
  const sharedLargest = find('one-account', 'largest');
  const ownEven = find('account-per-municipality', 'even');
  const ownLargest = find('account-per-municipality', 'largest');
  const { rates, deployment, dueIndex, load } = plan;
  const ses = rowOf(sharedEven, 'ses-rate');
  const sesOwn = rowOf(ownLargest, 'ses-rate');
  const sesOwnEven = rowOf(ownEven, 'ses-rate');
  const drain = rowOf(sharedEven, 'lambda-concurrency-drain');
  const due = rowOf(sharedLargest, 'due-partition');
  const router = rowOf(ownLargest, 'router-concurrency');
  const newTable = rowOf(sharedLargest, 'dynamodb-new-table-writes');
  const stage = rowOf(ownLargest, 'api-stage');
  const perBatch = rates.emails / rates.routerSecondsPerCase;
  const cases = load.burstPerSecond * load.minutes * 60;
  const lines: string[] = ['## What binds first, and why', ''];
  if (ses !== undefined && sesOwn !== undefined)
    lines.push(
      `**E-mail binds first, in both layouts.** SES limits the sending rate per account and Region, and every stack in an account shares it, while the other per-case costs fall on per-stack resources (a table, a queue, a stage throttle) or on account limits that are far away (${formatNumber(rowOf(sharedEven, 'api-account')?.limit.value ?? 0)} API requests/s, ${formatNumber(rowOf(sharedEven, 'lambda-concurrency')?.limit.value ?? 0)} concurrent executions). With all stacks in one account the burst asks ${formatNumber(ses.demand)} e-mails/s of a ${formatNumber(ses.limit.value)}/s quota: it binds from a national burst of ${formatBindsAt(ses.bindsAt)}. With an account per municipality, the largest municipality alone asks ${formatNumber(sesOwn.demand)} e-mails/s (its router caps it)${sesOwnEven === undefined ? '' : `; evenly spread, each account asks ${formatNumber(sesOwnEven.demand)}/s, ${sesOwnEven.binds ? 'over' : 'under'} its ${formatNumber(sesOwnEven.limit.value)}/s`}. The daily quota follows: the burst is ${formatNumber(cases)} cases, ${formatNumber(cases * rates.emails)} e-mails.`,
      '',
      `Unpaced, one concurrent router batch would send about ${formatNumber(perBatch)} e-mails/s. So the router paces itself: its ${deployment.routerMaxConcurrency} concurrent batches share ${formatNumber(deployment.routerMailRate)} e-mails/s, 80% of the account's sending rate as the stack is told it (context \`sesMaxSendRate\`, ${formatNumber(deployment.sesMaxSendRate)}/s; the SLA job has the rest). Every stack of an account is told the account's rate, so where stacks share an account their paces add up and SES throttles them. A case whose e-mails SES throttles, or refuses while the sender is not verified, is put off with a delay that doubles up to 15 minutes instead of failing: a burst SES cannot take waits on the route queue, not in the dead-letter queue, and each e-mail still goes once.`,
      '',
    );
  if (drain?.binds)
    lines.push(
      `**Then Lambda concurrency, in the shared account, as a consequence.** At the burst itself the account needs ${formatNumber(rowOf(sharedEven, 'lambda-concurrency')?.demand ?? 0)} concurrent executions of ${formatNumber(drain.limit.value)}. But when every stack has a backlog at once (while SES throttles, or after an outage), each router runs its ${deployment.routerMaxConcurrency} batches: ${formatNumber(drain.demand)} executions with the intakes, over the regional quota, so that submissions start to fail with throttles. An account per municipality does not have this coupling.`,
      '',
    );
  if (router !== undefined && stage !== undefined)
    lines.push(
      `**In the largest municipality's stack, its own limits.** At ${formatNumber(load.largestShare * 100)}% of the burst (${formatNumber(stage.demand)} submissions/s) it reaches its HTTP API throttle (${deployment.apiRateLimit}/s${stage.binds ? ': it binds' : ''}), and its router needs ${formatNumber(router.demand)} concurrent batches of the ${deployment.routerMaxConcurrency} it may run${router.binds ? ', so its route queue grows for the length of the burst' : ''}. These are settings of ours, not AWS quotas.`,
      '',
    );
  lines.push(
    `The durations behind router time and concurrency are the benchmark's local ones: one process runs the emulators and up to ${deployment.routerMaxConcurrency} concurrent router batches (the poller runs the declared maximum) on the same CPUs, so a batch's duration includes CPU time spent on the others. The router's time per case, ${formatNumber(rates.routerSecondsPerCase)} s, is ${routerSource(plan.perCase.routerSecondsPerCase)}${plan.perCase.intakeSeconds.origin.kind === 'measured' ? "; the intake's mean duration is from the run the benchmark prices, the `--latency aws` run when it ran one (as `npm run bench` does by default)" : ''}. On AWS each invocation has a CPU of its own and its parallel calls wait on the network together. Read the "binds at" column too: it says how far each limit is from binding.`,
    '',
  );

  lines.push('## The due index and its shard key', '');
  const shards = due === undefined ? 1 : dueShardsFor(due.demand, due.limit.value);
  const bindsPerStack = due === undefined ? 0 : due.limit.value / rates.dueIndexWrites;
  lines.push(
    `The case store keeps a case in the \`due\` index while the SLA job must look at it: partition key \`${dueIndex.partitionKey}\`, sort key \`${dueIndex.sortKey}\`, projection \`${dueIndex.projection}\` (functions/declaration.ts). It writes the same value, \`${dueIndex.partitionKey} = ${JSON.stringify(dueIndex.shardValue)}\`, into every such case and removes it when no clock runs (functions/adapters/cases.ts); infra/aws/constructs/data.ts creates the index as declared, on the on-demand table. So in each stack every due case is in one index partition, and every move of a case's \`${dueIndex.sortKey}\` is one or two writes to it (a put, or a delete and a put): about ${formatNumber(rates.dueIndexWrites)} per case (an assumption, counted from the code). Each stack has its own table, so the ${formatNumber(load.municipalities)} stacks never add up on one partition, whatever the account layout.`,
    '',
  );
  if (due !== undefined)
    lines.push(
      `In the burst it is not a hot partition: the busiest stack writes ${formatNumber(due.demand)} WCU/s to it, ${formatHeadroom(due)} below the ${formatNumber(due.limit.value)} WCU/s of a partition. It becomes one when a single stack receives ${formatNumber(bindsPerStack)} cases/s (${formatNumber((bindsPerStack / load.burstPerSecond) * 100)}% of this burst in one municipality), or earlier when routers fall behind by more than the routing grace, because every case the SLA job queues again moves \`${dueIndex.sortKey}\` twice more. DynamoDB's split for heat is no remedy to count on: new entries all sort at "now + a few minutes", the same end of the key range. The SLA job's read of the partition is one bounded query a run.`,
      '',
      shards === 1
        ? `No change is needed for this burst. When a stack must take more, shard the key: \`${dueIndex.partitionKey} = DUE#<n>\` with n a hash of the reference modulo N, N = ceil(due writes/s ÷ 500) (half a partition each), and let the SLA job query the N shards and merge them by \`${dueIndex.sortKey}\`; keep N small, because every run reads every shard.`
        : `Shard it: \`${dueIndex.partitionKey} = DUE#0…DUE#${shards - 1}\` by a hash of the reference (half a partition each), and let the SLA job query the ${shards} shards and merge them by \`${dueIndex.sortKey}\`.`,
      '',
    );

  lines.push(
    '## What to change, in order',
    '',
    `1. **SES, in every account that sends:** production access (the sandbox sends ${SES_SANDBOX.ratePerSecond} e-mail/s and ${SES_SANDBOX.perDay} a day, to verified addresses only), then a sending-rate increase: ${ses === undefined ? '' : `at least ${formatNumber(roundUp(ses.demand * 1.25))} e-mails/s for one shared account, `}${sesOwn === undefined ? '' : `or at least ${formatNumber(roundUp(sesOwn.demand * 1.25))} e-mails/s for the largest municipality's own account`}, with the daily quota to match. Check the real quotas first with \`aws sesv2 get-account\`; the table above assumes the starting ones. This is the one request every layout needs, and the reason to prefer an account per municipality (or per group of small ones): no single request of thousands of e-mails per second.`,
    `2. **Lambda, in a shared account:** request concurrency above ${formatNumber(roundUp(drain?.demand ?? 0))} (every router at its maximum, plus the intakes) and reserve concurrency for the intakes, so that routers draining backlogs never throttle submissions. In an account of its own, check that a new account's concurrency quota has reached the default: new accounts start lower.`,
    `3. **The largest municipalities' stacks:** deploy with a higher \`apiRateLimit\`/\`apiBurstLimit\` and raise the router's \`maxConcurrency\` (the per-scenario lists give the values). Batch size: the records of a batch run in parallel (a case's own records one after the other), so while an invocation waits on the network more than it computes, throughput per concurrent batch grows with the batch size, and so does the e-mail rate it asks of SES (at the benchmark's batches about ${formatNumber(perBatch)} e-mails/s per batch). Size maxConcurrency × batch size against the SES rate, not either alone.`,
    `4. **The due index:** ${shards === 1 ? 'no shards needed at this load (see above for when and how).' : `shard it into ${shards}.`}`,
    newTable === undefined || newTable.headroom >= 0.2
      ? `5. **DynamoDB tables:** on demand copes: the busiest table asks ${formatNumber(newTable?.demand ?? 0)} WRU/s, under the ${formatNumber(newTable?.limit.value ?? 0)} WRU/s a new on-demand table takes at once; pre-warm (warm throughput) only a table that must take more.`
      : `5. **DynamoDB tables:** pre-warm the busiest stack's table (warm throughput) to at least ${formatNumber(roundUp(newTable.demand * 1.25))} WRU/s before the burst: a new on-demand table takes ${formatNumber(newTable.limit.value)} WRU/s at once.`,
    '',
  );
  return lines.join('\n');
}

/** The whole plan. */
export function renderPlan(plan: Plan): string {
  const { load } = plan;
  const cases = load.burstPerSecond * load.minutes * 60;
  const source =
    plan.results === undefined
      ? `${plan.resultsPath} was not found: every per-case figure is an assumption`
      : `${plan.resultsPath} (benchmark of ${plan.results.date}, \`${plan.results.command}\`)`;
  return [
    '# National capacity plan',
    '',
    `Generated by \`${plan.command}\` on ${plan.date}, from ${source}. Do not edit by hand: change the inputs and run it again.`,
    '',
    `One stack per municipality (${formatNumber(load.municipalities)}), and a national burst of ${formatNumber(load.burstPerSecond)} submissions/s for ${formatNumber(load.minutes)} minutes (${formatNumber(cases)} cases). For every quota and throttle on a case's path: the demand it sees, its limit, the headroom, whether it binds, and the national burst at which it would (the first to bind as the burst grows binds first). Four scenarios: ${LAYOUTS['one-account']} or ${LAYOUTS['account-per-municipality']}; the burst spread evenly, or the largest municipality (Amsterdam, about 5% of the population) taking ${formatNumber(load.largestShare * 100)}% of it and the others the rest evenly.`,
    '',
    renderFindings(plan),
    '## Scenarios',
    '',
    ...plan.scenarios.flatMap((result) => [renderScenario(result, plan.deployment), '']),
    '## Inputs',
    '',
    'Per case, from the benchmark (a figure missing from the results file is replaced by the documented default and marked **assumed**):',
    '',
    renderInputs(plan.perCase),
    '',
    'Fixed by the declaration and the settings:',
    '',
    renderDeployment(plan.deployment, plan.rates, plan.perCase),
    '',
    '## Quotas',
    '',
    'AWS defaults (eu-west-1 where a quota differs by Region), from the pages named; check the Service Quotas console of the account, which shows its own values.',
    '',
    renderQuotas(plan.quotas),
    '',
  ].join('\n');
}
