import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { declaration } from '../../functions/declaration.js';
import { roundUp } from '../../scripts/capacity/format.js';
import {
  ASSUMED,
  type Deployment,
  deploymentFrom,
  perCaseFrom,
  type Results,
  RULES,
  RUN_RULES,
  resultsSchema,
} from '../../scripts/capacity/inputs.js';
import {
  backlogOf,
  binds,
  bindsAt,
  changesFor,
  demandOf,
  dueShardsFor,
  evaluate,
  headroomOf,
  type Load,
  type Rates,
  ROWS,
  routerCapacity,
  stackGroups,
} from '../../scripts/capacity/model.js';
import { QUOTAS, quotaOf } from '../../scripts/capacity/quotas.js';
import { formatHeadroom, renderScenario } from '../../scripts/capacity/report.js';

/** Small numbers to check by hand: 1 e-mail a case, 0.5 s of router time a case, 2 concurrent batches. */
const rates: Rates = {
  httpRequests: 1,
  sqsRequests: 1.2,
  emails: 1,
  readUnits: 2,
  writeUnits: 10,
  dueIndexWrites: 5,
  openIndexWrites: 1,
  intakeSeconds: 0.1,
  routerSecondsPerCase: 0.5,
  slaRunSeconds: 3,
};
const deployment: Deployment = {
  routerBatchSize: 10,
  routerMaxConcurrency: 2,
  slaRateMinutes: 5,
  routeQueueRetentionDays: 4,
  routeMaxReceiveCount: 5,
  routingGraceMinutes: 5,
  apiRateLimit: 50,
  apiBurstLimit: 100,
  sesMaxSendRate: 1000,
  // Far above what 2 batches route: the pace does not bind in these figures unless a test says so.
  routerMailRate: 800,
};
const load: Load = { burstPerSecond: 100, minutes: 10, municipalities: 10, largestShare: 0.2 };

const definition = (id: string) => {
  const row = ROWS.find((r) => r.id === id);
  if (row === undefined) throw new Error(`no row ${id}`);
  return row;
};
const rowIn = (result: ReturnType<typeof evaluate>, id: string) => {
  const row = result.rows.find((r) => r.id === id);
  if (row === undefined) throw new Error(`no row ${id}`);
  return row;
};

describe('the capacity plan: how the burst falls on the stacks', () => {
  it('spreads the burst evenly, or gives the largest its share and the others the rest', () => {
    expect(stackGroups(load, 'even')).toEqual([{ stacks: 10, rate: 10 }]);
    // 20 % of 100/s to the largest; 80/s over the other 9.
    const [largest, others] = stackGroups(load, 'largest');
    expect(largest).toEqual({ stacks: 1, rate: 20 });
    expect(others?.stacks).toBe(9);
    expect(others?.rate).toBeCloseTo(80 / 9, 10);
  });
});

describe('the capacity plan: demand from the per-case figures', () => {
  it('sums an account-level demand over every stack in one account, and takes the busiest stack alone otherwise', () => {
    const groups = stackGroups(load, 'largest');
    const shared = { load, layout: 'one-account' as const, groups, rates, deployment };
    const own = { ...shared, layout: 'account-per-municipality' as const };
    // HTTP: 1 request a submission; all 100/s in one account, the largest stack's 20/s in its own.
    expect(demandOf(definition('api-account'), shared)).toBeCloseTo(100, 10);
    expect(demandOf(definition('api-account'), own)).toBeCloseTo(20, 10);
    // A per-stack limit (the stage throttle) sees the busiest stack in both layouts.
    expect(demandOf(definition('api-stage'), shared)).toBeCloseTo(20, 10);
  });

  it('caps the e-mail rate at what the routers can route: 2 batches ÷ 0.5 s = 4 cases/s a stack', () => {
    expect(routerCapacity(rates, deployment)).toBe(4);
    const ctx = {
      load,
      layout: 'one-account' as const,
      groups: stackGroups(load, 'even'),
      rates,
      deployment,
    };
    // 10 cases/s arrive in each of 10 stacks; each routes 4/s with 1 e-mail each: 40 e-mails/s in the account.
    expect(demandOf(definition('ses-rate'), ctx)).toBeCloseTo(40, 10);
    // The day's quota counts every case of the burst: 100/s × 600 s × 1 e-mail.
    expect(demandOf(definition('ses-daily'), ctx)).toBeCloseTo(60_000, 6);
  });

  it('counts Lambda concurrency as arrivals × duration, the router at most its maximum, plus the SLA job', () => {
    const ctx = {
      load,
      layout: 'account-per-municipality' as const,
      groups: stackGroups(load, 'even'),
      rates,
      deployment,
    };
    // 10/s × 0.1 s intake + min(2, 10 × 0.5) router + 3 s / 300 s SLA = 1 + 2 + 0.01.
    expect(demandOf(definition('lambda-concurrency'), ctx)).toBeCloseTo(3.01, 10);
    // The due index: 10 cases/s × 5 writes on its one partition.
    expect(demandOf(definition('due-partition'), ctx)).toBeCloseTo(50, 10);
  });
});

describe('the capacity plan: headroom and what binds', () => {
  it('computes headroom as the share of the limit left, below zero over it', () => {
    expect(headroomOf(250, 1_000)).toBe(0.75);
    expect(headroomOf(1_500, 1_000)).toBe(-0.5);
    expect(headroomOf(5, Number.POSITIVE_INFINITY)).toBe(1);
  });

  it('binds at the limit itself, not only above it', () => {
    expect(binds(49.9, 50)).toBe(false);
    expect(binds(50, 50)).toBe(true);
  });

  it('finds the burst at which a demand reaches its limit, or says it never or always does', () => {
    expect(bindsAt((burst) => burst * 3, 14)).toBeCloseTo(14 / 3, 6);
    // Capped below the limit: never.
    expect(bindsAt((burst) => Math.min(burst, 10), 14)).toBeNull();
    // Over the limit whatever the burst: at any load.
    expect(bindsAt(() => 20, 14)).toBe(0);
    expect(bindsAt((burst) => burst, Number.POSITIVE_INFINITY)).toBeNull();
  });

  it('names as binding first the row that binds at the smallest burst, among those that bind', () => {
    const result = evaluate({ layout: 'one-account', spread: 'even' }, load, rates, deployment);
    // SES: 10 stacks × min(b/10, 4) e-mails/s reach the assumed 14/s at a national burst of 14/s.
    expect(rowIn(result, 'ses-rate').bindsAt).toBeCloseTo(14, 6);
    expect(result.bindsFirst?.id).toBe('ses-rate');
    // The stage throttle (50/s a stack) would bind at 500/s: later, and not at this load.
    const stage = rowIn(result, 'api-stage');
    expect(stage.bindsAt).toBeCloseTo(500, 6);
    expect(stage.binds).toBe(false);
  });

  it('does not rank a worst case that the burst does not cause', () => {
    const quotas = QUOTAS.map((q) =>
      q.id === 'ses-rate' || q.id === 'ses-daily' ? { ...q, value: 1e9 } : q,
    );
    const many = { ...load, municipalities: 600, burstPerSecond: 600 };
    const result = evaluate({ layout: 'one-account', spread: 'even' }, many, rates, deployment, quotas);
    // Every router at its 2 batches in 600 stacks: 1,200 > 1,000 at any load, yet not "binds first".
    const drain = rowIn(result, 'lambda-concurrency-drain');
    expect(drain.binds).toBe(true);
    expect(drain.bindsAt).toBe(0);
    expect(result.bindsFirst?.id).not.toBe('lambda-concurrency-drain');
  });

  it('shows headroom in percent, and how far over the limit a demand is', () => {
    const limit = { id: 'x', name: 'x', value: 14, unit: '/s', adjustable: true, source: 'x' };
    expect(formatHeadroom({ headroom: headroomOf(7, 14), demand: 7, limit })).toBe('50%');
    expect(formatHeadroom({ headroom: headroomOf(28, 14), demand: 28, limit })).toBe('over: 2x the limit');
  });
});

describe('the capacity plan: the route queue and what to change', () => {
  it('computes the backlog of a router that falls behind, and the cases the SLA job queues again', () => {
    // 6 cases/s arrive, 4/s are routed: 2/s pile up for 600 s = 1,200 queued, drained in 300 s.
    const backlog = backlogOf(6, rates, deployment, load);
    expect(backlog.queued).toBeCloseTo(1_200, 6);
    expect(backlog.drainSeconds).toBeCloseTo(300, 6);
    // A case arriving at t waits 2t/4 s: over the 300 s grace from t = 600 s, the burst's end: none.
    expect(backlog.requeued).toBe(0);
    // At 8/s: waits 4t/4 = t, over 300 s from t = 300 s: the last 300 s of arrivals, 2,400 cases.
    expect(backlogOf(8, rates, deployment, load).requeued).toBeCloseTo(2_400, 6);
  });

  it('asks for the SES rate the demand needs, with a margin, and to tell the stack the rate granted', () => {
    const result = evaluate(
      { layout: 'account-per-municipality', spread: 'largest' },
      load,
      rates,
      deployment,
    );
    // The largest stack: min(20, 4) × 1 = 4 e-mails/s; the quota (14/s) has room: no SES change.
    expect(changesFor(result, deployment).some((c) => c.startsWith('SES: request a sending rate'))).toBe(
      false,
    );
    const shared = evaluate({ layout: 'one-account', spread: 'even' }, load, rates, deployment);
    const ses = changesFor(shared, deployment).find((c) => c.startsWith('SES: request a sending rate'));
    // 40 e-mails/s × 1.25 = 50.
    expect(ses).toContain('at least 50 e-mails/s');
    expect(ses).toContain('-c sesMaxSendRate=');
    expect(ses).toContain('puts its case off');
  });

  it('sizes the due-index shards at half a partition each', () => {
    expect(dueShardsFor(250, 1_000)).toBe(1);
    expect(dueShardsFor(501, 1_000)).toBe(2);
    expect(dueShardsFor(5_000, 1_000)).toBe(10);
  });

  it('rounds a request up to two significant digits', () => {
    expect(roundUp(3_750)).toBe(3_800);
    expect(roundUp(2_250_000)).toBe(2_300_000);
    expect(roundUp(7.1)).toBe(8);
    expect(roundUp(165)).toBe(170);
  });

  it('renders a scenario as a table that marks the binding rows', () => {
    const result = evaluate({ layout: 'one-account', spread: 'even' }, load, rates, deployment);
    const markdown = renderScenario(result, deployment);
    expect(markdown).toContain('**Binds first: SES: sending rate**');
    const sesLine = markdown.split('\n').find((line) => line.startsWith('| SES: sending rate'));
    expect(sesLine).toContain('**binds**');
  });
});

describe('the capacity plan: its inputs', () => {
  /** The labels that end the names of a latency run's figures, as bench/results/latest.json has them. */
  const AWS = '[aws: DynamoDB 4, SQS 10, SES 30 ms a call]';
  const NONE = '[no added latency]';
  const results = (entries: { name: string; value: number }[]): Results => ({
    date: '2026-12-02T00:00:00.000Z',
    command: 'npm run bench',
    entries: entries.map((e) => ({ figure: 2, unit: 'calls', ...e })),
  });

  it('reads the per-case figures by the names of the entries, sub-entries indented', () => {
    const perCase = perCaseFrom(
      results([
        { name: 'e-mails per case (router SendEmail)', value: 4 },
        { name: '  intake sqs SendMessage', value: 1 },
        { name: '  event source mapping: SQS receive + delete', value: 0.5 },
        { name: `  time per router invocation ${AWS}`, value: 200 },
        { name: `  cases per router invocation ${AWS}`, value: 4 },
        { name: 'SLA job, 1,000 closed + 100 due: time per run', value: 900 },
        { name: 'SLA job, 3,000 closed + 300 due: time per run', value: 1_200 },
      ]),
    );
    expect(perCase.emails).toEqual({
      value: 4,
      origin: { kind: 'measured', entry: 'e-mails per case (router SendEmail)' },
    });
    expect(perCase.sqsRequests.value).toBe(1.5);
    // 200 ms an invocation, 4 cases an invocation: 0.05 s a case.
    expect(perCase.routerSecondsPerCase.value).toBeCloseTo(0.05, 10);
    expect(perCase.routerSecondsPerCase.origin.kind).toBe('measured');
    // The slowest SLA run of the sizes.
    expect(perCase.slaRunSeconds.value).toBe(1.2);
  });

  it('takes the router time per case from one latency run, the aws run when there is one', () => {
    // The benchmark writes the run without added latency first; the two runs batch differently.
    const none = [
      { name: `  cases per router invocation ${NONE}`, value: 5 },
      { name: `  time per router invocation ${NONE}`, value: 300 },
    ];
    const aws = [
      { name: `  cases per router invocation ${AWS}`, value: 4 },
      { name: `  time per router invocation ${AWS}`, value: 200 },
    ];
    // 200 ms ÷ 4 cases (not 200 ÷ 5 = 0.04, nor 300 ÷ 4 = 0.075).
    expect(perCaseFrom(results([...none, ...aws])).routerSecondsPerCase).toEqual({
      value: 0.05,
      origin: {
        kind: 'measured',
        entry: `time per router invocation ${AWS} ÷ cases per router invocation ${AWS}`,
      },
      run: 'aws',
    });
    // Without the aws run: 300 ms ÷ 5 cases, both of the run without added latency.
    const withoutAws = perCaseFrom(results(none)).routerSecondsPerCase;
    expect(withoutAws.value).toBeCloseTo(0.06, 10);
    expect(withoutAws.run).toBe('none');
  });

  it("never pairs one run's router figure with the other run's: a figure its run lacks is the default", () => {
    const perCase = perCaseFrom(
      results([
        { name: `  cases per router invocation ${NONE}`, value: 5 },
        { name: `  time per router invocation ${NONE}`, value: 300 },
        { name: `  time per router invocation ${AWS}`, value: 200 },
      ]),
    );
    // 200 ms ÷ the default 10 cases an invocation, labelled as an assumption.
    expect(perCase.routerSecondsPerCase.value).toBeCloseTo(0.02, 10);
    expect(perCase.routerSecondsPerCase.origin).toEqual({
      kind: 'assumed',
      reason: `missing from the results: ${RUN_RULES.routerCasesPerInvocation.reason}`,
    });
    expect(perCase.routerSecondsPerCase.run).toBeUndefined();
  });

  it("reads the SLA job's time per run under the name the benchmark gives it now", () => {
    const perCase = perCaseFrom(
      results([
        { name: 'SLA job, 1,000 closed + 100 due: due-index items read', value: 100 },
        { name: 'SLA job, 1,000 closed + 100 due: time per run', value: 1_937 },
        { name: 'SLA job, 3,000 closed + 300 due: time per run', value: 7_966 },
        { name: 'SLA job, 3,000 closed + 100 due: time per run', value: 1_789 },
      ]),
    );
    expect(perCase.slaRunSeconds).toEqual({
      value: 7.966,
      origin: { kind: 'measured', entry: 'SLA job, 3,000 closed + 300 due: time per run' },
    });
  });

  it('finds every figure it reads from the benchmark in the results file the benchmark wrote last', async () => {
    const file = new URL('../../bench/results/latest.json', import.meta.url);
    const perCase = perCaseFrom(resultsSchema.parse(JSON.parse(await readFile(file, 'utf8'))));
    const assumed = Object.entries(perCase)
      .filter(([key, input]) => !(key in ASSUMED) && input.origin.kind === 'assumed')
      .map(([key]) => key);
    expect(assumed).toEqual([]);
  });

  it('says which figure is missing and uses its documented default, labelled as an assumption', () => {
    const perCase = perCaseFrom(results([{ name: 'e-mails per case (router SendEmail)', value: 4 }]));
    expect(perCase.writeUnits.value).toBe(RULES.writeUnits.fallback);
    expect(perCase.writeUnits.origin).toEqual({
      kind: 'assumed',
      reason: `missing from the results: ${RULES.writeUnits.reason}`,
    });
    // Half of a product missing: the product is an assumption too.
    expect(perCase.routerSecondsPerCase.origin.kind).toBe('assumed');
    // What the benchmark never measures is always an assumption.
    expect(perCase.dueIndexWrites).toEqual({
      value: ASSUMED.dueIndexWrites.value,
      origin: { kind: 'assumed', reason: ASSUMED.dueIndexWrites.reason },
    });
  });

  it("caps what the router routes by its pace, its share of the account's SES rate", () => {
    expect(routerCapacity(rates, deployment)).toBe(4);
    const paced = { ...deployment, routerMailRate: rates.emails * 1.5 };
    expect(routerCapacity(rates, paced)).toBe(1.5);
  });

  it('takes the router (its concurrency and pace from sesMaxSendRate), the SLA job and the route queue from the declaration', () => {
    const from = deploymentFrom(declaration, { apiRateLimit: 50, apiBurstLimit: 100, sesMaxSendRate: 14 }, 5);
    const router = declaration.functions.router?.trigger;
    expect(router?.kind).toBe('queue');
    if (router?.kind !== 'queue') return;
    expect(from.routerBatchSize).toBe(router.batchSize);
    expect(from.routerMaxConcurrency).toBe(router.maxConcurrency);
    expect(from.routerMailRate).toBeCloseTo(11.2, 6);
    const sandbox = deploymentFrom(
      declaration,
      { apiRateLimit: 50, apiBurstLimit: 100, sesMaxSendRate: 1 },
      5,
    );
    expect(sandbox.routerMaxConcurrency).toBe(2);
    expect(sandbox.routerMailRate).toBeCloseTo(0.8, 6);
    expect(from.routeQueueRetentionDays).toBe(declaration.queues.route?.retentionDays);
  });
});

describe('the capacity plan: the quotas table', () => {
  it('names, for every quota, its value, whether it is adjustable and an AWS documentation page', () => {
    for (const quota of QUOTAS) {
      expect(quota.source).toMatch(/^https:\/\/docs\.aws\.amazon\.com\//);
      expect(typeof quota.adjustable).toBe('boolean');
    }
    const value = (id: Parameters<typeof quotaOf>[0]) => quotaOf(id).value;
    expect(value('lambda-concurrency')).toBe(1_000);
    expect(value('api-account-rps')).toBe(10_000);
    expect(value('dynamodb-partition-writes')).toBe(1_000);
    expect(value('dynamodb-partition-reads')).toBe(3_000);
    expect(value('sqs-api-rate')).toBeNull();
  });

  it('marks the SES production quotas as assumed: AWS publishes no default', () => {
    expect(quotaOf('ses-rate').assumed).toBeDefined();
    expect(quotaOf('ses-daily').assumed).toBeDefined();
    expect(quotaOf('lambda-concurrency').assumed).toBeUndefined();
  });
});
