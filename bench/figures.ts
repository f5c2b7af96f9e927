import type { CallSnapshot } from '../infra/local/instrumentation/call-counter.js';
import { type LatencyMode, ROUND_TRIP_MS } from '../infra/local/instrumentation/latency.js';
import { type CapacityRun, tailOverHead } from './capacity.js';
import type { CaseShape } from './floor.js';
import type { ReminderRun } from './reminders.js';
import { percentile, ratio, round } from './stats.js';
import type { Figure } from './table.js';

/** Figures built from measured values (pure): the floor, the latency modes, the SLA job, capacity. */

/** The target of the pipeline against its floor. */
export const FLOOR_RATIO_TARGET = 1.3;

/** `[aws: DynamoDB 4, SQS 10, SES 30 ms]` or `[no added latency]`: which network a figure ran on. */
export function modeLabel(mode: LatencyMode): string {
  if (mode === 'none') return '[no added latency]';
  const ms = ROUND_TRIP_MS[mode];
  return `[${mode}: DynamoDB ${ms.dynamodb}, SQS ${ms.sqs}, SES ${ms.ses} ms a call]`;
}

/** A function's invocations in a snapshot: how many, and their mean duration (0 when none). */
export function invocationsOf(snapshot: CallSnapshot, fn: string) {
  const tally = snapshot.invocations.find((invocation) => invocation.fn === fn);
  const count = tally?.count ?? 0;
  return { count, meanMs: count > 0 ? (tally?.totalMs ?? 0) / count : 0 };
}

/** The mean size of an e-mail as sent: subject, text and HTML bodies (UTF-8 bytes). */
export function meanMailBytes(emails: CaseShape['emails']): number {
  const mails = emails.flat();
  if (mails.length === 0) return 0;
  const bytes = mails.reduce(
    (sum, mail) =>
      sum +
      Buffer.byteLength(mail.subject) +
      Buffer.byteLength(mail.body.text ?? '') +
      Buffer.byteLength(mail.body.html ?? ''),
    0,
  );
  return bytes / mails.length;
}

/** Figure 1: what the floor copies of the pipeline, as measured on its own cases. */
export function shapeFigures(shape: CaseShape): Figure[] {
  const perCase = shape.emails.length > 0 ? shape.emails.flat().length / shape.emails.length : 0;
  return [
    {
      figure: 1,
      name: 'case item after submit (the intake PutItem, DynamoDB size)',
      value: round(shape.submitted.bytes / 1024, 2),
      unit: 'KB',
    },
    {
      figure: 1,
      name: 'case item after routing (as stored, DynamoDB size)',
      value: round(shape.routed.bytes / 1024, 2),
      unit: 'KB',
      target: '<= 2',
      met: shape.routed.bytes / 1024 <= 2,
    },
    { figure: 1, name: 'e-mails per case', value: round(perCase, 2), unit: 'mails' },
    {
      figure: 1,
      name: 'e-mail size (subject + text + HTML)',
      value: round(meanMailBytes(shape.emails) / 1024, 2),
      unit: 'KB',
    },
  ];
}

export interface ModeRun {
  readonly mode: LatencyMode;
  readonly cases: number;
  readonly concurrency: number;
  readonly pipelineMs: number;
  readonly floorMs: number;
  /** The floor with the mission's checks (`FloorKind` `mission`, bench/floor.ts). */
  readonly missionFloorMs: number;
  readonly latenciesMs: readonly number[];
  /** The counted pipeline's calls and invocations. */
  readonly pipeline: CallSnapshot;
  /** The floor's (its functions are `floor-intake` and `floor-router`). */
  readonly floor: CallSnapshot;
  /** The mission's floor's, under the same function names. */
  readonly missionFloor: CallSnapshot;
}

/** Calls per case of a function in a snapshot, of one service or all. */
function callsPerCase(snapshot: CallSnapshot, fn: string, service: string, cases: number): number {
  const calls = snapshot.calls
    .filter((call) => call.fn === fn && (service === 'all' || call.service === service))
    .reduce((sum, call) => sum + call.calls, 0);
  return cases > 0 ? calls / cases : 0;
}

/** Figure 1 per latency mode: wall time against the floor, throughput, and per router invocation. */
export function modeFigures(run: ModeRun): Figure[] {
  const label = modeLabel(run.mode);
  const router = invocationsOf(run.pipeline, 'router');
  const floorRouter = invocationsOf(run.floor, 'floor-router');
  const perInvocation = (count: number) => (count > 0 ? round(run.cases / count, 2) : 0);
  return [
    {
      figure: 1,
      name: `pipeline wall time, ${run.cases} cases, ${run.concurrency} concurrent ${label}`,
      value: round(run.pipelineMs / 1000, 2),
      unit: 's',
      floor: round(run.floorMs / 1000, 2),
      ratio: ratio(run.pipelineMs, run.floorMs),
      target: `ratio <= ${FLOOR_RATIO_TARGET}`,
      met: run.pipelineMs / run.floorMs <= FLOOR_RATIO_TARGET,
    },
    {
      figure: 1,
      name: `  against the mission's floor (+ duplicate claim, earlier contact, counts) ${label}`,
      value: round(run.pipelineMs / 1000, 2),
      unit: 's',
      floor: round(run.missionFloorMs / 1000, 2),
      ratio: ratio(run.pipelineMs, run.missionFloorMs),
      target: `ratio <= ${FLOOR_RATIO_TARGET}`,
      met: run.pipelineMs / run.missionFloorMs <= FLOOR_RATIO_TARGET,
    },
    {
      figure: 1,
      name: `  mission's floor, calls per case: intake ${label}`,
      value: round(callsPerCase(run.missionFloor, 'floor-intake', 'all', run.cases), 2),
      unit: 'calls',
    },
    {
      figure: 1,
      name: `  mission's floor, calls per case: router without e-mails ${label}`,
      value: round(callsPerCase(run.missionFloor, 'floor-router', 'dynamodb', run.cases), 2),
      unit: 'calls',
    },
    {
      figure: 1,
      name: `  throughput ${label}`,
      value: round(run.cases / (run.pipelineMs / 1000), 1),
      unit: 'cases/s',
      floor: round(run.cases / (run.floorMs / 1000), 1),
    },
    {
      figure: 1,
      name: `  cases per router invocation ${label}`,
      value: perInvocation(router.count),
      unit: 'cases',
      floor: perInvocation(floorRouter.count),
    },
    {
      figure: 1,
      name: `  time per router invocation ${label}`,
      value: round(router.meanMs, 1),
      unit: 'ms',
      floor: round(floorRouter.meanMs, 1),
      ratio: ratio(router.meanMs, floorRouter.meanMs),
    },
  ];
}

/** Figure 6: the intake's latency as its clients saw it, per mode. */
export function latencyFigures(run: ModeRun): Figure[] {
  return [50, 95, 99].map((rank) => ({
    figure: 6,
    name: `intake latency p${rank} (POST /cases, ${run.concurrency} concurrent) ${modeLabel(run.mode)}`,
    value: round(percentile(run.latenciesMs, rank), 1),
    unit: 'ms',
  }));
}

/** Figure 4: what the SLA job reads per due case, round by round. */
export function reminderFigures(reminders: readonly ReminderRun[]): Figure[] {
  return reminders.flatMap((reminder) => {
    const label = `SLA job, ${reminder.closed.toLocaleString('en-US')} closed + ${reminder.due.toLocaleString('en-US')} due`;
    const indexPerDue = reminder.indexItemsRead / reminder.due;
    const casesPerDue = reminder.caseItemsRead / reminder.due;
    return [
      {
        figure: 4,
        name: `${label}: due-index items read`,
        value: reminder.indexItemsRead,
        unit: 'items',
        ratio: round(indexPerDue, 2),
        target: 'ratio <= 1.1',
        met: indexPerDue <= 1.1,
      },
      {
        figure: 4,
        name: `${label}: case items read`,
        value: reminder.caseItemsRead,
        unit: 'items',
        ratio: round(casesPerDue, 2),
        target: 'ratio <= 1',
        met: casesPerDue <= 1,
      },
      { figure: 4, name: `${label}: time per run`, value: round(reminder.ms, 0), unit: 'ms' },
    ];
  });
}

/** Figure 7: the router's pace as one department's backlog grows, and how its officials share the cases. */
export function capacityFigures(run: CapacityRun): Figure[] {
  const head = run.msPerCase[0] ?? 0;
  const tail = run.msPerCase[run.msPerCase.length - 1] ?? 0;
  const growth = tailOverHead(run.msPerCase);
  const first = run.rounds[0] ?? 0;
  const last = run.rounds[run.rounds.length - 1] ?? 0;
  const label = `${run.cases.toLocaleString('en-US')} cases led by ${run.department}`;
  return [
    {
      figure: 7,
      name: `router time per case, first ${first} of ${label}`,
      value: round(head, 1),
      unit: 'ms',
    },
    {
      figure: 7,
      name: `router time per case, last ${last} of ${label}`,
      value: round(tail, 1),
      unit: 'ms',
      floor: round(head, 1),
      ratio: growth === undefined ? undefined : round(growth, 2),
      target: 'ratio <= 1.2',
      met: growth !== undefined && growth <= 1.2,
    },
    ...run.spread.map((official) => ({
      figure: 7,
      name: `  cases to ${official.id} (capacity ${official.capacity})`,
      value: official.cases,
      unit: 'cases',
      ratio: round(official.cases / Math.max(1, run.cases), 2),
    })),
  ];
}
