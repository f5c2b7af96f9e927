import { describe, expect, it } from 'vitest';
import { resourcesFromEnv, scheduleRateFromEnv } from '../../functions/adapters/env.js';
import { createDynamo } from '../../functions/adapters/sdk/dynamo.js';
import { createSes } from '../../functions/adapters/sdk/ses.js';
import { createSqs } from '../../functions/adapters/sdk/sqs.js';
import { declaration, environmentFor } from '../../functions/declaration.js';
import { composeSla } from '../../functions/sla/main.js';
import { required } from '../support/cases.js';
import { awsResourceNames } from '../support/resources.js';

const sla = required(declaration.functions.sla, 'sla function');
const resources = awsResourceNames;

describe("a function's environment at cold start", () => {
  it('carries the schedule rate of a scheduled function, as declared', () => {
    // Act
    const env = environmentFor(sla, resources);

    // Assess
    expect(sla.trigger.kind === 'schedule' && sla.trigger.rateMinutes).toBe(5);
    expect(env.SCHEDULE_RATE_MINUTES).toBe('5');
    expect(scheduleRateFromEnv('sla', env)).toBe(5);
  });

  it('gives a function not on a schedule no rate', () => {
    const env = environmentFor(required(declaration.functions.intake, 'intake function'), resources);

    expect(env.SCHEDULE_RATE_MINUTES).toBeUndefined();
  });

  it('reads the resource names the function declares', () => {
    // Act
    const read = resourcesFromEnv('sla', environmentFor(sla, resources));

    // Assess
    expect(read.table('cases')).toBe('aanspreekpunt-cases');
    expect(read.queue('route')).toBe(resources.queues.route);
  });

  it('fails to start, naming every missing or invalid variable, instead of taking a default', () => {
    expect(() => resourcesFromEnv('sla', { CASES_TABLE: ' ' })).toThrow(
      'sla: missing or invalid environment variable(s) CASES_TABLE, ROUTE_QUEUE_URL',
    );
    expect(() => scheduleRateFromEnv('sla', {})).toThrow(/SCHEDULE_RATE_MINUTES/);
    expect(() => scheduleRateFromEnv('sla', { SCHEDULE_RATE_MINUTES: 'five' })).toThrow(
      /SCHEDULE_RATE_MINUTES/,
    );
  });

  it('stops the SLA job from starting without its rate', async () => {
    // Prepare: everything the job needs but its rate
    const env: NodeJS.ProcessEnv = {
      ...environmentFor(sla, resources),
      ACTION_LINK_KEY: Buffer.alloc(32, 7).toString('base64'),
      PUBLIC_BASE_URL: 'https://api.example.org',
    };
    delete env.SCHEDULE_RATE_MINUTES;

    // Act / Assess
    const clients = { dynamo: createDynamo(), sqs: createSqs(), ses: createSes() };
    await expect(composeSla(env, clients)).rejects.toThrow(/SCHEDULE_RATE_MINUTES/);
  });
});
