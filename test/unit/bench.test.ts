import { describe, expect, it } from 'vitest';
import { costOf, PRICES, type Usage } from '../../bench/prices.js';
import { median, percentile, ratio, spread } from '../../bench/stats.js';
import { renderTable } from '../../bench/table.js';
import {
  countCalls,
  countedInvocation,
  createCallCounter,
  operationName,
  tallyOutput,
} from '../../infra/local/instrumentation/call-counter.js';

describe('benchmark statistics', () => {
  it('takes percentiles by nearest rank', () => {
    const values = Array.from({ length: 100 }, (_, i) => 100 - i); // 100..1, unsorted on purpose

    expect(percentile(values, 50)).toBe(50);
    expect(percentile(values, 95)).toBe(95);
    expect(percentile(values, 99)).toBe(99);
    expect(percentile(values, 100)).toBe(100);
    expect(percentile([7], 99)).toBe(7);
  });

  it('refuses a percentile of nothing or outside 0..100', () => {
    expect(() => percentile([], 50)).toThrow(/no values/);
    expect(() => percentile([1], 101)).toThrow(/within/);
  });

  it('takes the median of odd and even counts', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });

  it('gives no ratio against a floor of zero', () => {
    expect(ratio(3, 2)).toBe(1.5);
    expect(ratio(3, 0)).toBeUndefined();
  });

  it('spreads a total over slots as evenly as integers allow', () => {
    const slots = spread(7, 3);

    expect(slots.reduce((a, b) => a + b, 0)).toBe(7);
    expect(Math.max(...slots) - Math.min(...slots)).toBeLessThanOrEqual(1);
  });
});

describe('cost per 1,000 cases', () => {
  const usage: Usage = {
    cases: 500,
    lambda: [{ fn: 'intake', invocations: 500, totalMs: 500 * 99.2, memoryMb: 1024 }],
    httpRequests: 500,
    readUnits: 1_000,
    writeUnits: 2_000,
    sqsRequests: 600,
    emails: 1_500,
    logBytes: 0,
  };

  it('prices each service from the counted usage, scaled to 1,000 cases', () => {
    const cost = costOf(usage);

    // 1,000 invocations of 100 ms (rounded up from 99.2) at 1 GB, and their requests
    expect(cost.lambda).toBeCloseTo(
      1_000 * 0.1 * PRICES.lambdaArmPerGbSecond + 1_000 * PRICES.lambdaPerRequest,
      10,
    );
    expect(cost.ses).toBeCloseTo(3_000 * PRICES.sesPerEmail, 10);
    expect(cost.dynamodb).toBeCloseTo(
      2_000 * PRICES.dynamoPerReadUnit + 4_000 * PRICES.dynamoPerWriteUnit,
      10,
    );
    expect(cost.sqs).toBeCloseTo(1_200 * PRICES.sqsPerRequest, 10);
    expect(cost.httpApi).toBeCloseTo(1_000 * PRICES.httpApiPerRequest, 10);
    expect(cost.total).toBeCloseTo(
      cost.lambda + cost.ses + cost.dynamodb + cost.sqs + cost.httpApi + cost.logs,
      10,
    );
  });

  it('refuses a cost of no cases', () => {
    expect(() => costOf({ ...usage, cases: 0 })).toThrow(/no cases/);
  });
});

describe('the call counter', () => {
  it('adds up calls, errors, items and capacity per function, service and operation', () => {
    const counter = createCallCounter();
    const key = { fn: 'router', service: 'dynamodb', operation: 'Query' };

    counter.recordCall(key, { calls: 1, itemsRead: 3, readUnits: 0.5 });
    counter.recordCall(key, { calls: 1, errors: 1 });
    counter.recordCall({ ...key, operation: 'GetItem' }, { calls: 1 });
    counter.recordInvocation('router', 10);
    counter.recordInvocation('router', 5);

    const { calls, invocations } = counter.snapshot();
    expect(calls).toContainEqual({
      ...key,
      calls: 2,
      errors: 1,
      itemsRead: 3,
      readUnits: 0.5,
      writeUnits: 0,
    });
    expect(calls).toHaveLength(2);
    expect(invocations).toEqual([{ fn: 'router', count: 2, totalMs: 15 }]);
    counter.reset();
    expect(counter.snapshot()).toEqual({ calls: [], invocations: [] });
  });

  it('names the wire operation of SDK and document client commands', () => {
    expect(operationName('PutItemCommand')).toBe('PutItem');
    expect(operationName('UpdateCommand')).toBe('UpdateItem');
    expect(operationName('SendEmailCommand')).toBe('SendEmail');
    expect(operationName(undefined)).toBe('Unknown');
  });

  it('reads items evaluated and capacity units from an output', () => {
    expect(
      tallyOutput('Query', { ScannedCount: 20, Count: 20, ConsumedCapacity: { CapacityUnits: 0.5 } }),
    ).toEqual({
      itemsRead: 20,
      readUnits: 0.5,
      writeUnits: 0,
    });
    expect(tallyOutput('GetItem', { Item: { pk: 'x' } })).toMatchObject({ itemsRead: 1 });
    expect(
      tallyOutput('BatchWriteItem', { ConsumedCapacity: [{ CapacityUnits: 2 }, { CapacityUnits: 3 }] }),
    ).toMatchObject({ writeUnits: 5 });
  });

  it('counts through SDK middleware, asks DynamoDB for its capacity and attributes calls to the invocation', async () => {
    // Prepare: a stand-in for a client's middleware stack that runs one command through the middleware
    const counter = createCallCounter();
    let middleware: Parameters<Parameters<typeof countCalls>[0]['middlewareStack']['add']>[0] | undefined;
    const client = {
      middlewareStack: {
        add: (m: NonNullable<typeof middleware>) => {
          middleware = m;
        },
      },
    };
    countCalls(client, 'dynamodb', { consumedCapacity: true, counter });
    const seen: object[] = [];
    const send = (commandName: string, input: object) =>
      middleware?.(
        async (args) => {
          seen.push(args.input);
          return { output: { ConsumedCapacity: { CapacityUnits: 1 } } };
        },
        { commandName },
      )({ input });

    // Act: one call outside and one inside an invocation (counting on, as in the benchmark)
    process.env.AANSPREEKPUNT_COUNT_CALLS = 'true';
    try {
      await send('PutCommand', { TableName: 't' });
      await countedInvocation('intake', async () => {
        await send('PutCommand', { TableName: 't', ReturnConsumedCapacity: 'INDEXES' });
      });
    } finally {
      delete process.env.AANSPREEKPUNT_COUNT_CALLS;
    }

    // Assess
    expect(seen).toEqual([
      { TableName: 't', ReturnConsumedCapacity: 'TOTAL' },
      { TableName: 't', ReturnConsumedCapacity: 'INDEXES' },
    ]);
    expect(counter.snapshot().calls).toEqual([
      expect.objectContaining({ fn: 'init', operation: 'PutItem', calls: 1, writeUnits: 1 }),
      expect.objectContaining({ fn: 'intake', operation: 'PutItem', calls: 1, writeUnits: 1 }),
    ]);
  });
});

describe('the results table', () => {
  it('shows floor, ratio, target and whether it is met', () => {
    const table = renderTable([
      {
        figure: 1,
        name: 'wall time',
        value: 12.5,
        unit: 's',
        floor: 10,
        ratio: 1.25,
        target: 'ratio <= 1.3',
        met: true,
      },
      { figure: 5, name: 'bundle', value: 512, unit: 'KB', target: '<= 400', met: false },
    ]);

    const [header, , first, second] = table.split('\n');
    expect(header).toMatch(/#\s+figure\s+value\s+unit\s+floor\s+ratio\s+target/);
    expect(first).toMatch(/wall time\s+12\.5\s+s\s+10\s+1\.25\s+ratio <= 1\.3\s+met$/);
    expect(second).toMatch(/bundle\s+512\s+KB\s+<= 400\s+MISSED$/);
  });
});
