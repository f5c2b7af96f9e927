import { paginateQuery } from '@aws-sdk/lib-dynamodb';
import { municipality } from '../config/index.js';
import { declaration } from '../functions/declaration.js';
import { callCounter } from '../infra/local/instrumentation/call-counter.js';
import type { LocalSystem } from '../infra/local/runtime.js';
import { type Clients, clearMailbox, requestBody, runPipeline } from './pipeline.js';
import type { Progress } from './progress.js';

/**
 * Figure 7: capacity. `count` cases whose goals all belong to one department (so it leads each of them),
 * routed in ten rounds of a tenth each (post the round, wait until it is routed); per round the router's
 * time per case (its invocations' durations added up, over the round's cases). The open cases of the
 * department's officials grow round after round: a router whose cost grows with the backlog slows down.
 * Then how the cases spread over the department's officials (their open cases, before and after).
 */

/**
 * The department the capacity run's cases all lead to: Werk en Inkomen, whose two officials (a-jansen, who
 * also covers economie, and m-bakker) are where one official drowned while the other had nothing.
 */
export const CAPACITY_DEPARTMENT = 'werk';
/** The warm-up's cases lead elsewhere (zorg), so that the run starts with the department's officials idle. */
export const WARM_UP_DEPARTMENT = 'zorg';

/** The goals of the configuration that lead to `department`; throws when it has none. */
export function goalsOf(department: string): string[] {
  const goals = municipality.goals.filter((goal) => goal.department === department).map((goal) => goal.id);
  if (goals.length === 0) throw new Error(`no goal leads to the department ${department}`);
  return goals;
}

/** The rounds of a capacity run: a tenth of the cases each (at least one case), the last one what is left. */
export function capacityRounds(count: number): number[] {
  const window = Math.max(1, Math.floor(count / 10));
  const rounds: number[] = [];
  for (let left = count; left > 0; left -= window) rounds.push(Math.min(window, left));
  return rounds;
}

/** The mean of the last round over the mean of the first (a router that keeps its pace stays near 1). */
export function tailOverHead(msPerCase: readonly number[]): number | undefined {
  const head = msPerCase[0];
  const tail = msPerCase[msPerCase.length - 1];
  if (head === undefined || tail === undefined || head <= 0) return undefined;
  return tail / head;
}

export interface CapacityRun {
  readonly department: string;
  readonly cases: number;
  /** Cases per round. */
  readonly rounds: readonly number[];
  /** The router's time per case, per round (ms). */
  readonly msPerCase: readonly number[];
  /** The department's officials: their capacity and the cases of this run they got. */
  readonly spread: readonly { readonly id: string; readonly capacity: number; readonly cases: number }[];
}

/** Open cases of an official, by the declared open-cases index (the bench's own client: not counted). */
async function openCases(clients: Clients, table: string, official: string): Promise<number> {
  const index = declaration.tables.cases?.indexes.openByOfficial;
  if (index === undefined) throw new Error('no openByOfficial index declared');
  let count = 0;
  const pages = paginateQuery(
    { client: clients.db },
    {
      TableName: table,
      IndexName: 'openByOfficial',
      KeyConditionExpression: '#assignee = :id',
      ExpressionAttributeNames: { '#assignee': index.partitionKey },
      ExpressionAttributeValues: { ':id': official },
      Select: 'COUNT',
    },
  );
  for await (const page of pages) count += page.Count ?? 0;
  return count;
}

export async function runCapacity(
  system: LocalSystem,
  clients: Clients,
  options: { count: number; concurrency: number; department: string; first: number; progress?: Progress },
): Promise<CapacityRun> {
  const goals = goalsOf(options.department);
  const officials = municipality.officials.filter((o) => o.departments.includes(options.department));
  const table = system.tables.cases;
  const before = await Promise.all(officials.map((o) => openCases(clients, table, o.id)));
  await clearMailbox(system);
  const rounds = capacityRounds(options.count);
  const msPerCase: number[] = [];
  let first = options.first;
  options.progress?.stage(
    `capacity: ${options.count} cases led by ${options.department}, ${rounds.length} rounds`,
    options.count,
  );
  for (const count of rounds) {
    callCounter.reset();
    const run = await runPipeline(system, clients, {
      count,
      concurrency: options.concurrency,
      first,
      progress: options.progress,
      body: (n) => ({ ...requestBody(n), goals }),
    });
    if (run.routed !== count || run.deadLetters > 0)
      throw new Error(`capacity: ${run.routed} of ${count} cases routed, ${run.deadLetters} dead letters`);
    const router = callCounter.snapshot().invocations.find((invocation) => invocation.fn === 'router');
    msPerCase.push((router?.totalMs ?? 0) / count);
    await clearMailbox(system);
    first += count;
  }
  const after = await Promise.all(officials.map((o) => openCases(clients, table, o.id)));
  return {
    department: options.department,
    cases: options.count,
    rounds,
    msPerCase,
    spread: officials.map((o, i) => ({
      id: o.id,
      capacity: o.capacity,
      cases: (after[i] ?? 0) - (before[i] ?? 0),
    })),
  };
}
