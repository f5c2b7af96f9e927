import { describe, expect, it } from 'vitest';
import { createClients } from '../../functions/adapters/clients.js';
import type { Mailer } from '../../functions/domain/ports.js';
import { callCounter } from '../../infra/local/instrumentation/call-counter.js';
import { InjectedCrashError } from '../../infra/local/instrumentation/faults.js';
import { instrumentationFromEnv } from '../../infra/local/instrumentation/index.js';

const mail = { from: 'a@example.nl', to: 'b@example.nl', subject: 's', text: 't', html: '<p>t</p>' };
const mailer: Mailer = { send: async () => 'm1' };
const middlewareNames = (clients: ReturnType<typeof createClients>) =>
  [clients.dynamo, clients.sqs, clients.ses].flatMap((client) => client.middlewareStack.identify());

describe('the instrumentation the local runtime injects', () => {
  it('changes nothing when the environment asks for nothing', async () => {
    // Prepare
    const instrumentation = instrumentationFromEnv({});
    const clients = createClients();
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
    const clients = instrumentation.clients('intake', createClients());
    await instrumentation.invocation('intake', async () => undefined);

    // Assess
    expect(middlewareNames(clients).filter((name) => name.includes('aanspreekpuntCountCalls'))).toHaveLength(
      3,
    );
    expect(callCounter.snapshot().invocations).toEqual([expect.objectContaining({ fn: 'intake', count: 1 })]);
    callCounter.reset();
  });

  it("throttles SES and crashes only the router's mailer when the chaos run asks", async () => {
    // Prepare
    const instrumentation = instrumentationFromEnv({
      AANSPREEKPUNT_FAULTS: 'ses-throttle:0.5,router-crash:1',
    });

    // Act
    const clients = instrumentation.clients('router', createClients());
    const router = instrumentation.mailer('router', mailer);
    const sla = instrumentation.mailer('sla', mailer);

    // Assess
    expect(clients.ses.middlewareStack.identify().join(' ')).toContain('aanspreekpuntInjectSesThrottling');
    await expect(router.send(mail)).rejects.toBeInstanceOf(InjectedCrashError);
    expect(sla).toBe(mailer);
  });
});
