import { describe, expect, it } from 'vitest';
import type { Clients } from '../../functions/adapters/clients.js';
import { createClients } from '../../functions/adapters/sdk/index.js';
import type { Mailer } from '../../functions/domain/ports.js';
import { callCounter } from '../../infra/local/instrumentation/call-counter.js';
import { InjectedCrashError } from '../../infra/local/instrumentation/faults.js';
import { instrumentationFromEnv } from '../../infra/local/instrumentation/index.js';
import {
  injectLatency,
  LATENCY_ENV,
  latencyFromEnv,
  ROUND_TRIP_MS,
} from '../../infra/local/instrumentation/latency.js';

const mail = { from: 'a@example.nl', to: 'b@example.nl', subject: 's', text: 't', html: '<p>t</p>' };
const mailer: Mailer = { send: async () => 'm1' };
const ALL = ['dynamo', 'sqs', 'ses'] as const;
const middlewareNames = (clients: Partial<Clients>) =>
  [clients.dynamo, clients.sqs, clients.ses].flatMap((client) => client?.middlewareStack.identify() ?? []);
const counters = (clients: Partial<Clients>) =>
  middlewareNames(clients).filter((name) => name.includes('aanspreekpuntCountCalls'));

describe('the instrumentation the local runtime injects', () => {
  it('changes nothing when the environment asks for nothing', async () => {
    // Prepare
    const instrumentation = instrumentationFromEnv({});
    const clients = createClients(ALL);
    const before = middlewareNames(clients);

    // Act
    const instrumented = instrumentation.clients('router', clients);
    const routerMailer = instrumentation.mailer('router', mailer);
    const result = await instrumentation.invocation('router', async () => 'ran');

    // Assess
    expect(middlewareNames(instrumented)).toEqual(before);
    expect(routerMailer).toBe(mailer);
    expect(result).toBe('ran');
  });

  it('counts the calls of a function and times its invocations when the benchmark asks', async () => {
    // Prepare
    const instrumentation = instrumentationFromEnv({ AANSPREEKPUNT_COUNT_CALLS: 'true' });
    callCounter.reset();

    // Act
    const clients = instrumentation.clients('sla', createClients(ALL));
    await instrumentation.invocation('intake', async () => undefined);

    // Assess
    expect(counters(clients)).toHaveLength(3);
    expect(callCounter.snapshot().invocations).toEqual([expect.objectContaining({ fn: 'intake', count: 1 })]);
    callCounter.reset();
  });

  it("throttles SES and crashes only the router's mailer when the chaos run asks", async () => {
    // Prepare
    const instrumentation = instrumentationFromEnv({
      AANSPREEKPUNT_FAULTS: 'ses-throttle:0.5,router-crash:1',
    });

    // Act
    const clients = instrumentation.clients('router', createClients(['dynamo', 'ses']));
    const router = instrumentation.mailer('router', mailer);
    const sla = instrumentation.mailer('sla', mailer);

    // Assess
    expect(middlewareNames(clients).join(' ')).toContain('aanspreekpuntInjectSesThrottling');
    await expect(router.send(mail)).rejects.toBeInstanceOf(InjectedCrashError);
    expect(sla).toBe(mailer);
  });

  it('adds a round trip to every client of a function when the bench asks for AWS latency', () => {
    // Prepare
    const instrumentation = instrumentationFromEnv({ [LATENCY_ENV]: 'aws' });

    // Act
    const clients = instrumentation.clients('router', createClients(['dynamo', 'sqs', 'ses']));

    // Assess
    expect(
      middlewareNames(clients).filter((name) => name.includes('aanspreekpuntInjectLatency')),
    ).toHaveLength(3);
  });

  it('instruments exactly the clients a function has: no SES client appears for one that sends no mail', () => {
    // Prepare
    const instrumentation = instrumentationFromEnv({
      AANSPREEKPUNT_COUNT_CALLS: 'true',
      AANSPREEKPUNT_FAULTS: 'ses-throttle:1',
    });

    // Act: the intake's clients (DynamoDB and SQS)
    const clients = instrumentation.clients('intake', createClients(['dynamo', 'sqs']));

    // Assess
    expect(Object.keys(clients).sort()).toEqual(['dynamo', 'sqs']);
    expect(counters(clients)).toHaveLength(2);
    expect(middlewareNames(clients).join(' ')).not.toContain('aanspreekpuntInjectSesThrottling');
  });
});

describe('the AWS-like latency', () => {
  it('reads its mode from the environment, none when unset, and refuses an unknown one', () => {
    expect(latencyFromEnv({})).toBe('none');
    expect(latencyFromEnv({ [LATENCY_ENV]: ' aws ' })).toBe('aws');
    expect(() => latencyFromEnv({ [LATENCY_ENV]: 'slow' })).toThrow(/AANSPREEKPUNT_LATENCY/);
  });

  it('states its round trips per service', () => {
    expect(ROUND_TRIP_MS.aws).toEqual({ dynamodb: 4, sqs: 10, ses: 30 });
    expect(ROUND_TRIP_MS.none).toEqual({ dynamodb: 0, sqs: 0, ses: 0 });
  });

  it('waits once per call before sending it, and adds nothing for 0 ms', async () => {
    // Prepare: a stand-in stack that keeps the middleware
    const waits: number[] = [];
    const order: string[] = [];
    let middleware: Parameters<Parameters<typeof injectLatency>[0]['middlewareStack']['add']>[0] | undefined;
    const client = {
      middlewareStack: {
        add: (m: NonNullable<typeof middleware>) => {
          middleware = m;
        },
      },
    };
    const wait = async (ms: number) => {
      waits.push(ms);
      order.push('wait');
    };

    // Act
    injectLatency(client, 0, wait);
    const addedForZero = middleware;
    injectLatency(client, 4, wait);
    const result = await middleware?.(async () => {
      order.push('send');
      return { output: { ok: true } };
    })({ input: {} });

    // Assess
    expect(addedForZero).toBeUndefined();
    expect(waits).toEqual([4]);
    expect(order).toEqual(['wait', 'send']);
    expect(result).toEqual({ output: { ok: true } });
  });
});
