import { describe, expect, it } from 'vitest';
import { type Declaration, declaration, declarationSchema } from '../../functions/declaration.js';
import { required } from '../support/cases.js';

const issuesOf = (input: unknown) => {
  const result = declarationSchema.safeParse(input);
  return result.success
    ? []
    : result.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
};

const route = required(declaration.queues.route, 'route queue');
const router = required(declaration.functions.router, 'router function');
const intake = required(declaration.functions.intake, 'intake function');

const withRouteVisibility = (visibilityTimeoutSeconds: number): Declaration => ({
  ...declaration,
  queues: { ...declaration.queues, route: { ...route, visibilityTimeoutSeconds } },
});

describe('declaration', () => {
  it('parses as shipped', () => {
    const issues = issuesOf(declaration);

    expect(issues).toEqual([]);
  });

  it('rejects a queue whose visibility timeout is under 6x the timeout of its consumer, naming the path', () => {
    const input = withRouteVisibility(6 * router.timeoutSeconds - 1);

    const issues = issuesOf(input);

    expect(issues).toEqual([
      {
        path: 'queues.route.visibilityTimeoutSeconds',
        message: `must be at least 6x the timeout of router (${6 * router.timeoutSeconds} s)`,
      },
    ]);
  });

  it('accepts a visibility timeout of exactly 6x the consumer timeout', () => {
    const input = withRouteVisibility(6 * router.timeoutSeconds);

    const issues = issuesOf(input);

    expect(issues).toEqual([]);
  });

  it('rejects a scheduled function whose timeout reaches its interval, so runs could overlap', () => {
    const sla = required(declaration.functions.sla, 'sla function');
    if (sla.trigger.kind !== 'schedule') throw new Error('sla is not scheduled');
    const interval = sla.trigger.rateMinutes * 60;
    const input = {
      ...declaration,
      functions: { ...declaration.functions, sla: { ...sla, timeoutSeconds: interval } },
    };

    const issues = issuesOf(input);

    expect(issues).toEqual([
      {
        path: 'functions.sla.timeoutSeconds',
        message: `must be shorter than the schedule's interval (${interval} s)`,
      },
    ]);
  });

  it('rejects a function that uses an unknown table, naming the path', () => {
    const input: Declaration = {
      ...declaration,
      functions: {
        ...declaration.functions,
        intake: {
          ...intake,
          tables: { ...intake.tables, archive: { operations: ['GetItem'], indexes: [] } },
        },
      },
    };

    const issues = issuesOf(input);

    expect(issues).toEqual([{ path: 'functions.intake.tables.archive', message: 'unknown table' }]);
  });

  it('rejects a function that queries an index its table does not have', () => {
    const input: Declaration = {
      ...declaration,
      functions: {
        ...declaration.functions,
        intake: { ...intake, tables: { cases: { operations: ['GetItem', 'Query'], indexes: ['byName'] } } },
      },
    };

    const issues = issuesOf(input);

    expect(issues).toEqual([
      { path: 'functions.intake.tables.cases.indexes', message: 'unknown index "byName"' },
    ]);
  });

  it('rejects a function that sends to an unknown queue', () => {
    const input: Declaration = {
      ...declaration,
      functions: {
        ...declaration.functions,
        intake: { ...intake, queues: { ...intake.queues, audit: 'send' } },
      },
    };

    const issues = issuesOf(input);

    expect(issues).toEqual([{ path: 'functions.intake.queues.audit', message: 'unknown queue' }]);
  });

  it('rejects a queue trigger on an unknown queue', () => {
    const trigger = { ...router.trigger, queue: 'missing' };
    const input = { ...declaration, functions: { ...declaration.functions, router: { ...router, trigger } } };

    const issues = issuesOf(input);

    expect(issues).toEqual([{ path: 'functions.router.trigger.queue', message: 'unknown queue' }]);
  });
});
