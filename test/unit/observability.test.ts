import type { Context } from 'aws-lambda';
import { Segment, type Subsegment } from 'aws-xray-sdk-core';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { observability } from '../../functions/adapters/observability.js';
import { type InvocationTracer, traced, tracer, tracingWanted } from '../../functions/adapters/tracing.js';

const context = (awsRequestId: string): Context => ({
  callbackWaitsForEmptyEventLoop: false,
  functionName: 'aanspreekpunt-intake',
  functionVersion: '$LATEST',
  invokedFunctionArn: 'arn:aws:lambda:eu-west-1:000000000000:function:aanspreekpunt-intake',
  memoryLimitInMB: '512',
  awsRequestId,
  logGroupName: '/aws/lambda/aanspreekpunt-intake',
  logStreamName: 'local/1',
  getRemainingTimeInMillis: () => 10_000,
  done: () => undefined,
  fail: () => undefined,
  succeed: () => undefined,
});

/** A tracer that is on, over a facade segment as Lambda gives one, recording its annotations. */
function enabledTracer() {
  const facade = new Segment('facade');
  let current: Segment | Subsegment = facade;
  const annotations: string[] = [];
  const fake: InvocationTracer = {
    isTracingEnabled: () => true,
    getSegment: () => current,
    setSegment: (segment) => {
      current = segment;
    },
    annotateColdStart: () => annotations.push(`ColdStart on ${current.name}`),
    addServiceNameAnnotation: () => annotations.push(`Service on ${current.name}`),
  };
  return { fake, facade, annotations, current: () => current };
}

describe('observability: the Lambda context and the X-Ray subsegment of each invocation', () => {
  afterEach(() => {
    vi.restoreAllMocks();
    vi.unstubAllEnvs();
  });

  it('writes the request id and cold start of the invocation into every log line it logs', async () => {
    // Prepare: as Lambda starts an environment on demand (Powertools reports cold starts only then).
    vi.stubEnv('AWS_LAMBDA_INITIALIZATION_TYPE', 'on-demand');
    const { logger, instrument } = observability('intake');
    logger.setLogLevel('INFO');
    const lines: string[] = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
      lines.push(String(chunk));
      return true;
    });
    const handler = instrument(async (event: { n: number }) => {
      logger.info('handling', { n: event.n });
      return event.n;
    });
    // Act
    await handler({ n: 1 }, context('request-1'));
    await handler({ n: 2 }, context('request-2'));
    // Assess
    const logged = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(logged.map((l) => [l.function_request_id, l.cold_start, l.function_name])).toEqual([
      ['request-1', true, 'aanspreekpunt-intake'],
      ['request-2', false, 'aanspreekpunt-intake'],
    ]);
  });

  it('leaves tracing off outside Lambda, so the tests and the local runtime need no X-Ray daemon', async () => {
    // Act
    const result = await traced('intake', async () => 'done');
    // Assess
    expect(tracer).toBeUndefined();
    expect(result).toBe('done');
  });

  it('traces inside Lambda unless POWERTOOLS_TRACE_ENABLED is false, as Powertools decides', () => {
    const lambda = { AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs24.x' };
    expect(tracingWanted(lambda)).toBe(true);
    expect(tracingWanted({ ...lambda, POWERTOOLS_TRACE_ENABLED: 'true' })).toBe(true);
    expect(tracingWanted({ ...lambda, POWERTOOLS_TRACE_ENABLED: 'FALSE' })).toBe(false);
    expect(tracingWanted({})).toBe(false);
    expect(tracingWanted({ AWS_EXECUTION_ENV: '' })).toBe(false);
  });

  it('runs an invocation in its own subsegment, annotated, and restores the facade segment after it', async () => {
    // Prepare
    const { fake, facade, annotations, current } = enabledTracer();
    let during: string | undefined;
    // Act
    const result = await traced(
      'router',
      async () => {
        during = current().name;
        return 42;
      },
      fake,
    );
    // Assess
    expect(result).toBe(42);
    expect(during).toBe('## router');
    expect(annotations).toEqual(['ColdStart on ## router', 'Service on ## router']);
    expect(facade.subsegments?.map((s) => [s.name, s.isClosed()])).toEqual([['## router', true]]);
    expect(current()).toBe(facade);
  });

  it('flags a failed invocation without recording its error message, and passes the error on', async () => {
    // Prepare
    const { fake, facade } = enabledTracer();
    const failure = new Error('Email address is not verified: someone@example.org');
    // Act
    const outcome = await traced('router', () => Promise.reject(failure), fake).catch(
      (error: unknown) => error,
    );
    // Assess
    const [subsegment] = facade.subsegments ?? [];
    expect(outcome).toBe(failure);
    expect(subsegment?.isClosed()).toBe(true);
    expect(JSON.stringify(subsegment)).not.toContain('someone@example.org');
    expect(JSON.stringify(subsegment)).toMatch(/"error":true/);
  });
});
