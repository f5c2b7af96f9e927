import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { capacityRounds, goalsOf, tailOverHead } from '../../bench/capacity.js';
import {
  capacityFigures,
  meanMailBytes,
  modeFigures,
  modeLabel,
  reminderFigures,
} from '../../bench/figures.js';
import {
  type CaseShape,
  countsPerCase,
  emailsByCase,
  floorItems,
  INDEXED_ATTRIBUTES,
  padding,
} from '../../bench/floor.js';
import { parseOptions, reminderRounds } from '../../bench/options.js';
import type { StoredMail } from '../../bench/pipeline.js';
import { costOf, PRICES, type Usage } from '../../bench/prices.js';
import { median, percentile, ratio, spread } from '../../bench/stats.js';
import { renderTable } from '../../bench/table.js';
import { municipality } from '../../config/index.js';
import {
  type CallSnapshot,
  countCalls,
  countedInvocation,
  createCallCounter,
  itemKind,
  operationName,
  recordItemSizes,
  tallyOutput,
} from '../../infra/local/instrumentation/call-counter.js';
import { itemBytes, numberBytes } from '../../infra/local/instrumentation/item-size.js';

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
    counter.recordWrite('intake', 'CASE', 900, ['pk', 'sk']);
    counter.recordWrite('intake', 'CASE', 1_100, ['pk', 'sk', 'status']);
    expect(counter.snapshot().written).toEqual([
      { fn: 'intake', kind: 'CASE', count: 2, bytes: 2_000, attributes: ['pk', 'sk', 'status'] },
    ]);
    counter.reset();
    expect(counter.snapshot()).toEqual({ calls: [], invocations: [], written: [] });
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
    expect(tallyOutput('GetItem', {})).toMatchObject({ itemsRead: 0 });
    expect(
      tallyOutput('BatchGetItem', { Responses: { cases: [{ pk: 'a' }, { pk: 'b' }], other: [{ pk: 'c' }] } }),
    ).toMatchObject({ itemsRead: 3 });
  });

  it('names the kind of an item by the start of its partition key', () => {
    expect(itemKind({ pk: { S: 'CASE#AP-2345-6789' }, sk: { S: 'CASE' } }, 'pk')).toBe('CASE');
    expect(itemKind({ pk: { S: 'OFFICIALS' } }, 'pk')).toBe('OFFICIALS');
    expect(itemKind({ pk: { N: '1' } }, 'pk')).toBe('?');
  });

  it('records the size of the items a function puts, as they go on the wire', async () => {
    // Prepare: a stand-in for the build step of a client's stack
    const counter = createCallCounter();
    let middleware:
      | Parameters<Parameters<typeof recordItemSizes>[0]['middlewareStack']['add']>[0]
      | undefined;
    const client = {
      middlewareStack: {
        add: (m: NonNullable<typeof middleware>) => {
          middleware = m;
        },
      },
    };
    recordItemSizes(client, 'pk', { counter });
    const item = { pk: { S: 'CASE#AP-2345-6789' }, sk: { S: 'CASE' } };
    const send = (commandName: string, input: object) =>
      middleware?.(async () => ({ output: {} }), { commandName })({ input, request: {} });

    // Act: a put inside an invocation, an update outside any
    await countedInvocation('intake', async () => {
      await send('PutCommand', { TableName: 't', Item: item });
    });
    await send('UpdateItemCommand', { TableName: 't', Key: item });

    // Assess: only the put, with its size and names
    expect(counter.snapshot().written).toEqual([
      { fn: 'intake', kind: 'CASE', count: 1, bytes: itemBytes(item), attributes: ['pk', 'sk'] },
    ]);
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

describe('item sizes as DynamoDB counts them', () => {
  it('counts names and values: strings by their UTF-8 bytes, numbers by their digits', () => {
    expect(itemBytes({ pk: { S: 'CASE#AB' } })).toBe(2 + 7);
    expect(itemBytes({ naam: { S: 'Yılmaz' } })).toBe(4 + 7);
    expect(itemBytes({ n: { N: '12345' } })).toBe(1 + 4);
    expect(itemBytes({ ok: { BOOL: true }, none: { NULL: true } })).toBe(2 + 1 + 4 + 1);
  });

  it('counts a map or list as 3 bytes, 1 per element and its contents', () => {
    const item: Record<string, AttributeValue> = {
      m: { M: { at: { S: 'x' }, id: { S: 'yz' } } },
      l: { L: [{ S: 'a' }, { S: 'bc' }] },
    };

    expect(itemBytes(item)).toBe(1 + (3 + (1 + 2 + 1) + (1 + 2 + 2)) + 1 + (3 + (1 + 1) + (1 + 2)));
  });

  it('counts a number by its significant digits, two to a byte', () => {
    expect(numberBytes('0')).toBe(2);
    expect(numberBytes('1700000000')).toBe(2);
    expect(numberBytes('-123.45')).toBe(4);
    expect(numberBytes('1.5e10')).toBe(2);
  });
});

describe('benchmark options', () => {
  const options = (argv: string[]) => {
    const parsed = parseOptions(argv);
    if ('error' in parsed) throw new Error(parsed.error);
    return parsed.options;
  };

  it('runs both latency modes, 2,000 capacity cases and 100 and 1,000 due by default', () => {
    expect(options([])).toMatchObject({
      quick: false,
      cases: 500,
      latency: ['none', 'aws'],
      capacity: 2_000,
      sizes: [1_000, 10_000, 100_000],
      due: [100, 1_000],
    });
  });

  it('keeps the quick run small', () => {
    expect(options(['--quick'])).toMatchObject({
      cases: 30,
      capacity: 300,
      sizes: [1_000, 3_000],
      due: [100, 300],
    });
  });

  it('takes one latency mode, a capacity run or none, and due cases', () => {
    expect(options(['--latency', 'aws']).latency).toEqual(['aws']);
    expect(options(['--latency', 'none']).latency).toEqual(['none']);
    expect(options(['--capacity', '0']).capacity).toBe(0);
    expect(options(['--quick', '--capacity', '2000']).capacity).toBe(2_000);
    expect(options(['--due', '50,500']).due).toEqual([50, 500]);
  });

  it('refuses an unknown mode or option, and sizes that do not grow', () => {
    expect(parseOptions(['--latency', 'slow'])).toHaveProperty('error');
    expect(parseOptions(['--capacity', '-1'])).toHaveProperty('error');
    expect(parseOptions(['--sizes', '10,5'])).toHaveProperty('error');
    expect(parseOptions(['--due', '0'])).toHaveProperty('error');
    expect(parseOptions(['--fast'])).toHaveProperty('error');
  });

  it('runs the SLA job with the first due count at each size, then the others at the largest', () => {
    expect(reminderRounds({ sizes: [1_000, 10_000], due: [100, 1_000] })).toEqual([
      { closed: 1_000, due: 100 },
      { closed: 10_000, due: 100 },
      { closed: 10_000, due: 1_000 },
    ]);
  });
});

describe('the capacity run', () => {
  it('routes in ten rounds of a tenth', () => {
    expect(capacityRounds(2_000)).toEqual(Array.from({ length: 10 }, () => 200));
    expect(capacityRounds(25)).toEqual([2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 1]);
    expect(capacityRounds(5)).toEqual([1, 1, 1, 1, 1]);
  });

  it('compares the last round with the first', () => {
    expect(tailOverHead([10, 12, 30, 11])).toBeCloseTo(1.1, 10);
    expect(tailOverHead([])).toBeUndefined();
    expect(tailOverHead([0, 5])).toBeUndefined();
  });

  it('picks goals that all lead to one department', () => {
    const goals = goalsOf('werk');

    expect(goals.length).toBeGreaterThan(0);
    for (const goal of goals) expect(municipality.goals.find((g) => g.id === goal)?.department).toBe('werk');
    expect(() => goalsOf('nergens')).toThrow(/no goal/);
  });

  it('reads the growth against its target and shows the cases of each official', () => {
    const figures = capacityFigures({
      department: 'werk',
      cases: 2_000,
      rounds: Array.from({ length: 10 }, () => 200),
      msPerCase: [10, 11, 12, 13, 14, 15, 16, 17, 18, 13],
      spread: [
        { id: 'a-jansen', capacity: 25, cases: 1_100 },
        { id: 'm-bakker', capacity: 20, cases: 900 },
      ],
    });

    expect(figures[1]).toMatchObject({
      value: 13,
      floor: 10,
      ratio: 1.3,
      target: 'ratio <= 1.2',
      met: false,
    });
    expect(figures.slice(2).map((f) => [f.name.trim(), f.value])).toEqual([
      ['cases to a-jansen (capacity 25)', 1_100],
      ['cases to m-bakker (capacity 20)', 900],
    ]);
  });
});

describe('the floor', () => {
  const sample: Record<string, AttributeValue> = {
    pk: { S: 'CASE#AP-2345-6789' },
    sk: { S: 'CASE' },
    status: { S: 'assigned' },
    kvkNumber: { S: '30001000' },
    submittedAt: { S: '2026-12-02T07:00:00.000Z' },
    contactId: { S: 'a-jansen' },
    openAssignee: { S: 'a-jansen' },
    contact: { M: { id: { S: 'a-jansen' } } },
  };
  const shape: CaseShape = {
    submitted: {
      bytes: 900,
      attributes: ['pk', 'sk', 'status', 'kvkNumber', 'submittedAt', 'dueShard', 'nextAt', 'request'],
    },
    routed: { bytes: 3_000, sample },
    emails: [],
    countsPerCase: 0.4,
  };

  it('carries the index attributes of the real items, and their sizes', () => {
    // Act
    const items = floorItems(shape, {
      reference: 'FL-1',
      request: '{"a":1}',
      at: '2026-12-02T08:00:00Z',
      emails: 3,
    });

    // Assess: the submitted item as large as the intake's, with its index attributes
    expect(itemBytes(items.submitted)).toBe(900);
    expect(Object.keys(items.submitted)).toEqual(
      expect.arrayContaining(['kvkNumber', 'submittedAt', 'dueShard', 'nextAt']),
    );
    // routing sets the routed item's index attributes and removes those it has no more
    expect(Object.keys(items.routedIndexed).sort()).toEqual(
      ['contactId', 'kvkNumber', 'openAssignee', 'submittedAt'].sort(),
    );
    expect(items.removed.sort()).toEqual(['dueShard', 'nextAt']);
    for (const name of [...Object.keys(items.routedIndexed), ...items.removed])
      expect(INDEXED_ATTRIBUTES).toContain(name);
    // after both updates the item is as large as the routed one
    const routed: Record<string, AttributeValue> = {
      ...items.submitted,
      ...items.routedIndexed,
      status: { S: 'assigned' },
      routing: items.routing,
    };
    for (const name of items.removed) delete routed[name];
    const sent: AttributeValue = {
      M: Object.fromEntries(
        [0, 1, 2].map((e) => [
          `e${e}`,
          { M: { at: { S: '2026-12-02T08:00:00Z' }, messageId: { S: crypto.randomUUID() } } },
        ]),
      ),
    };
    expect(itemBytes({ ...routed, sent })).toBe(3_000);
  });

  it("gives each case of the mission's floor its own enterprise, and counts the router's queries beyond the earlier contact", () => {
    const items = floorItems(shape, {
      reference: 'FL-2',
      request: '{}',
      at: '2026-12-02T08:00:00Z',
      emails: 3,
      kvkNumber: 'FL-2',
    });
    expect((items.submitted as Record<string, AttributeValue>).kvkNumber).toEqual({ S: 'FL-2' });
    expect(items.routedIndexed.kvkNumber).toEqual({ S: 'FL-2' });
    expect(itemBytes(items.submitted)).toBe(900);

    const router = (operation: string, calls: number) => ({
      fn: 'router',
      service: 'dynamodb',
      operation,
      calls,
      errors: 0,
      itemsRead: 0,
      readUnits: 0,
      writeUnits: 0,
    });
    const counted: CallSnapshot = {
      calls: [router('Query', 142), router('GetItem', 100), { ...router('Query', 50), fn: 'intake' }],
      invocations: [],
      written: [],
    };
    expect(countsPerCase(counted, 100)).toBeCloseTo(0.42);
    expect(countsPerCase({ ...counted, calls: [] }, 100)).toBe(0);
  });

  it('pads to a size, never below nothing', () => {
    expect(itemBytes({ pk: { S: 'x' }, pad: padding('pad', itemBytes({ pk: { S: 'x' } }), 100) })).toBe(100);
    expect(padding('pad', 500, 100)).toEqual({ S: '' });
  });

  it("sends each case's own e-mails, grouped by the reference in their subject", () => {
    const mail = (subject: string): StoredMail => ({
      from: 'a@voorbeeld.example',
      replyTo: [],
      destination: { to: ['b@voorbeeld.example'] },
      subject,
      body: { text: 'tekst', html: '<p>tekst</p>' },
    });
    const mails = [
      mail('Nieuw: AP-2345-6789'),
      mail('Ontvangen AP-2345-6789'),
      mail('Nieuw: AP-9876-5432'),
      mail('x'),
    ];

    expect(emailsByCase(mails).map((group) => group.length)).toEqual([2, 1]);
    expect(meanMailBytes([mails.slice(0, 1)])).toBe('Nieuw: AP-2345-6789'.length + 5 + 12);
  });
});

describe('the figures against their targets', () => {
  const snapshot = (fn: string, count: number, totalMs: number): CallSnapshot => ({
    calls: [],
    invocations: [{ fn, count, totalMs }],
    written: [],
  });

  it('reads the pipeline against the floor, and per router invocation, in a latency mode', () => {
    const figures = modeFigures({
      mode: 'aws',
      cases: 500,
      concurrency: 16,
      pipelineMs: 12_000,
      floorMs: 8_000,
      missionFloorMs: 10_000,
      latenciesMs: [1],
      pipeline: snapshot('router', 100, 50_000),
      floor: snapshot('floor-router', 50, 10_000),
      missionFloor: {
        calls: [
          { fn: 'floor-intake', service: 'dynamodb', operation: 'PutItem', calls: 1_000 },
          { fn: 'floor-intake', service: 'sqs', operation: 'SendMessage', calls: 500 },
          { fn: 'floor-router', service: 'dynamodb', operation: 'Query', calls: 710 },
          { fn: 'floor-router', service: 'dynamodb', operation: 'UpdateItem', calls: 1_000 },
          { fn: 'floor-router', service: 'ses', operation: 'SendEmail', calls: 1_700 },
        ].map((call) => ({ ...call, errors: 0, itemsRead: 0, readUnits: 0, writeUnits: 0 })),
        invocations: [],
        written: [],
      },
    });

    expect(figures[0]).toMatchObject({ value: 12, floor: 8, ratio: 1.5, target: 'ratio <= 1.3', met: false });
    expect(figures[0]?.name).toContain(modeLabel('aws'));
    expect(modeLabel('aws')).toContain('DynamoDB 4, SQS 10, SES 30 ms');
    expect(figures[1]).toMatchObject({ value: 12, floor: 10, ratio: 1.2, target: 'ratio <= 1.3', met: true });
    expect(figures[1]?.name).toContain("the mission's floor");
    expect(figures[2]).toMatchObject({ value: 3, unit: 'calls' });
    expect(figures[3]).toMatchObject({ value: 3.42, unit: 'calls' });
    expect(figures[4]).toMatchObject({ value: 41.7, floor: 62.5, unit: 'cases/s' });
    expect(figures[5]).toMatchObject({ value: 5, floor: 10, unit: 'cases' });
    expect(figures[6]).toMatchObject({ value: 500, floor: 200, ratio: 2.5, unit: 'ms' });
  });

  it('reads the SLA job per due case: index items and case reads', () => {
    const result = { due: 1_000, failed: 0 } as Parameters<typeof reminderFigures>[0][number]['result'];
    const figures = reminderFigures([
      { closed: 10_000, due: 1_000, ms: 900, indexItemsRead: 1_050, caseItemsRead: 2_000, result },
    ]);

    expect(figures[0]).toMatchObject({ ratio: 1.05, target: 'ratio <= 1.1', met: true });
    expect(figures[1]).toMatchObject({ ratio: 2, target: 'ratio <= 1', met: false });
  });
});
