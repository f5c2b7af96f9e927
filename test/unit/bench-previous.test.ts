import { describe, expect, it } from 'vitest';
import {
  PREVIOUS_COMMIT,
  parsePreviousOptions,
  patchInstrumentation,
  pipelineRows,
  previousBenchArgs,
  summaryLine,
  throughputOf,
} from '../../bench/previous-code.js';

/** An instrumentation module shaped as the one at f5c2fe5 (the lines the patch anchors on). */
const EARLIER_INSTRUMENTATION = [
  "import { callCountingEnabled, countCalls, countedInvocation } from './call-counter.js';",
  "import { crashingMailer, faultsFromEnv, injectSesThrottling } from './faults.js';",
  '',
  'export function instrumentationFromEnv(env: NodeJS.ProcessEnv = process.env): Instrumentation {',
  '  const counting = callCountingEnabled(env);',
  '  const faults = faultsFromEnv(env);',
  '  return {',
  '    clients(_fn, clients) {',
  '      if (counting) {',
  "        countCalls(clients.dynamo, 'dynamodb', { consumedCapacity: true });",
  '      }',
  "      if (faults !== undefined) injectSesThrottling(clients.ses, faults['ses-throttle']);",
  '      return clients;',
  '    },',
  '  };',
  '}',
  '',
].join('\n');

describe('bench:previous options', () => {
  it('measures f5c2fe5 with 500 cases unless told otherwise', () => {
    // Prepare / Act
    const parsed = parsePreviousOptions([]);

    // Assess
    expect(parsed).toEqual({ options: { help: false, commit: PREVIOUS_COMMIT, cases: 500 } });
    expect(PREVIOUS_COMMIT).toBe('f5c2fe5');
  });

  it('takes another commit and number of cases', () => {
    expect(parsePreviousOptions(['--commit', 'main~3', '--cases', '30'])).toEqual({
      options: { help: false, commit: 'main~3', cases: 30 },
    });
  });

  it('refuses fewer cases than the earlier bench accepts, an option-like commit and unknown options', () => {
    expect(parsePreviousOptions(['--cases', '9'])).toHaveProperty('error');
    expect(parsePreviousOptions(['--commit=--exec=x'])).toHaveProperty('error');
    expect(parsePreviousOptions(['--latency', 'aws'])).toHaveProperty('error');
  });

  it('runs the earlier bench with its pipeline at the asked size and its other parts at their least', () => {
    expect(previousBenchArgs(30)).toEqual(['--cases', '30', '--cold-runs', '10', '--sizes', '1']);
  });
});

describe('bench:previous patch of the earlier instrumentation', () => {
  it('adds one latency middleware per client, after the counter and the faults, and changes nothing else', () => {
    // Act
    const patched = patchInstrumentation(EARLIER_INSTRUMENTATION);

    // Assess
    const added = patched.split('\n').filter((line) => !EARLIER_INSTRUMENTATION.split('\n').includes(line));
    expect(added).toEqual([
      "import { injectLatency, latencyFromEnv, ROUND_TRIP_MS } from './latency.js';",
      '  const roundTrip = ROUND_TRIP_MS[latencyFromEnv(env)];',
      '      injectLatency(clients.dynamo, roundTrip.dynamodb);',
      '      injectLatency(clients.sqs, roundTrip.sqs);',
      '      injectLatency(clients.ses, roundTrip.ses);',
    ]);
    const lines = patched.split('\n');
    const at = (text: string) => lines.findIndex((line) => line.includes(text));
    expect(at('injectLatency(clients.dynamo')).toBeGreaterThan(at('injectSesThrottling(clients.ses'));
    expect(at('injectLatency(clients.ses')).toBeLessThan(at('return clients;'));
    expect(at('const roundTrip')).toBeGreaterThan(at('const faults'));
    expect(lines.filter((line) => !added.includes(line)).join('\n')).toBe(EARLIER_INSTRUMENTATION);
  });

  it('refuses an instrumentation it was not written for', () => {
    const without = EARLIER_INSTRUMENTATION.replace('  const faults = faultsFromEnv(env);\n', '');
    const twice = EARLIER_INSTRUMENTATION.replace(
      '  const faults = faultsFromEnv(env);\n',
      '  const faults = faultsFromEnv(env);\n  const faults = faultsFromEnv(env);\n',
    );

    expect(() => patchInstrumentation(without)).toThrow(/exactly once/);
    expect(() => patchInstrumentation(twice)).toThrow(/exactly once/);
  });
});

describe('bench:previous results', () => {
  const stdout = [
    'Aanspreekpunt benchmark, 2026-12-02T00:00:00.000Z',
    'machine: x',
    '',
    '#  figure                                         value  unit     floor  ratio  target',
    '-  ---------------------------------------------  -----  -------  -----  -----  ------',
    '1  pipeline wall time, 30 cases, 16 concurrent     3.1  s         1.2   2.58  ratio <= 1.3  MISSED',
    '1  pipeline throughput                             9.7  cases/s    25',
    '2  AWS calls per case: intake                        2  calls                 <= 2    met',
    '',
    'Largest parts of each bundle (minified bytes in the output):',
    '1  pipeline rows outside the table are not figures',
  ].join('\n');

  it('shows the table header and the pipeline rows only', () => {
    expect(pipelineRows(stdout)).toEqual([
      '#  figure                                         value  unit     floor  ratio  target',
      '-  ---------------------------------------------  -----  -------  -----  -----  ------',
      '1  pipeline wall time, 30 cases, 16 concurrent     3.1  s         1.2   2.58  ratio <= 1.3  MISSED',
      '1  pipeline throughput                             9.7  cases/s    25',
    ]);
    expect(pipelineRows('no table')).toEqual([]);
  });

  it('reads the throughput from the results file and says it in one line', () => {
    const results = {
      entries: [
        { figure: 1, name: 'pipeline wall time, 30 cases, 16 concurrent', value: 3.1, unit: 's' },
        { figure: 1, name: 'pipeline throughput', value: 9.7, unit: 'cases/s', floor: 25 },
      ],
    };

    expect(throughputOf(results)).toBe(9.7);
    expect(() => throughputOf({ entries: [] })).toThrow(/pipeline throughput/);
    expect(summaryLine('f5c2fe5', 9.7, 500)).toBe(
      'previous code f5c2fe5 with --latency aws: 9.7 cases/s (500 cases)',
    );
  });
});
