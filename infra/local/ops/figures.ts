import type { LocalizedText, Municipality, Official } from '../../../config/schema.js';
import { type Case, type CaseStatus, isAvailable } from '../../../functions/domain/case.js';
import { sentIn } from '../../../functions/domain/notification-kind.js';
import { CLOCKS, type ClockName, type SlaClock } from '../../../functions/domain/sla.js';

/**
 * The figures of the local ops page, computed from what the local system holds at one moment: the cases,
 * the officials, the route queue and its DLQ, and the errors the runtime saw. Pure: everything, "now"
 * included, comes in as an argument, so any moment can be computed and tested. On AWS the CloudWatch
 * dashboard plays this role, from metrics instead of a read of the table.
 */

/** Messages in a queue: waiting to be received, and received but not yet deleted (in flight). */
export interface QueueDepth {
  readonly visible: number;
  readonly inFlight: number;
}

/** An error the runtime saw: when, where (function or part of the runtime), and what it said. */
export interface RecordedError {
  readonly at: string;
  readonly where: string;
  readonly message: string;
}

export interface OpsInput {
  readonly cases: readonly Case[];
  readonly officials: readonly Official[];
  readonly queues: { readonly route: QueueDepth; readonly deadLetter: QueueDepth };
  /** Newest first. */
  readonly errors: readonly RecordedError[];
  readonly now: Date;
  readonly municipality: Municipality;
  /** Items under a case key that did not read as a case (e.g. written by another version). */
  readonly unreadable?: number;
  /** How many errors to show (default 10). */
  readonly errorLimit?: number;
}

/**
 * Where a promise (clock) stands:
 * - `met`: stopped at or before its due moment;
 * - `breached`: stopped after it, or still open past it, or the SLA job has recorded its breach;
 * - `paused`: waiting for the enterprise (the due moment moves when it resumes);
 * - `running`: open, not yet due.
 */
export const SLA_STATES = ['met', 'breached', 'running', 'paused'] as const;
export type SlaState = (typeof SLA_STATES)[number];

/** Open cases by age since submission, in calendar days: [from, to). */
export const AGE_BUCKETS = [
  { id: 'under1', from: 0, to: 1 },
  { id: 'days1to3', from: 1, to: 3 },
  { id: 'days3to7', from: 3, to: 7 },
  { id: 'days7to14', from: 7, to: 14 },
  { id: 'over14', from: 14, to: undefined },
] as const;
export type AgeBucket = (typeof AGE_BUCKETS)[number]['id'];

export const CASE_STATUSES = ['submitted', 'assigned', 'resolved'] as const satisfies readonly CaseStatus[];

export interface DepartmentFigures {
  readonly department: string;
  readonly name: LocalizedText;
  /** Cases this department leads (the department of the enterprise's first goal). */
  readonly lead: number;
  /** Cases that touch this department at all (lead included). */
  readonly touched: number;
  /** Open cases it leads. */
  readonly open: number;
  /** Cases it leads with a breached promise (either clock). */
  readonly breached: number;
}

export interface OfficialFigures {
  readonly id: string;
  readonly name: string;
  readonly open: number;
  readonly capacity: number;
  readonly presentToday: boolean;
}

export interface OpsFigures {
  readonly at: string;
  readonly total: number;
  readonly open: number;
  /** Open cases with a breached promise (either clock). */
  readonly openBreached: number;
  readonly byStatus: Readonly<Record<CaseStatus, number>>;
  readonly byDepartment: readonly DepartmentFigures[];
  readonly sla: Readonly<Record<ClockName, Readonly<Record<SlaState, number>>>>;
  readonly openByAge: readonly { readonly bucket: AgeBucket; readonly count: number }[];
  /** The open case submitted longest ago. */
  readonly oldestOpen?: {
    readonly reference: string;
    readonly submittedAt: string;
    readonly ageDays: number;
  };
  readonly queues: { readonly route: QueueDepth; readonly deadLetter: QueueDepth };
  readonly officials: readonly OfficialFigures[];
  /** Open cases whose contact is the coordinator inbox: nobody was available. */
  readonly withCoordinator: number;
  readonly errors: readonly RecordedError[];
  readonly unreadable: number;
}

const DAY_MS = 86_400_000;

/** Where one clock of a case stands at `now`. */
export function slaState(c: Case, clock: ClockName, now: Date): SlaState | undefined {
  const current: SlaClock | undefined = c.clocks[clock];
  if (current === undefined) return undefined;
  const due = Date.parse(current.due);
  if (current.stoppedAt !== undefined) return Date.parse(current.stoppedAt) <= due ? 'met' : 'breached';
  if (sentIn(c.notifications)({ type: 'step', clock, step: 'breach', to: 'contact' })) return 'breached';
  if (current.pausedAt !== undefined) return 'paused';
  return due <= now.getTime() ? 'breached' : 'running';
}

/** Days since submission, never negative. */
const ageDays = (c: Case, now: Date) => Math.max(0, (now.getTime() - Date.parse(c.submittedAt)) / DAY_MS);

export function ageBucketOf(days: number): AgeBucket {
  for (const bucket of AGE_BUCKETS) if (bucket.to === undefined || days < bucket.to) return bucket.id;
  return 'over14';
}

export function opsFigures(input: OpsInput): OpsFigures {
  const { cases, now, municipality: m } = input;
  const open = cases.filter((c) => c.status !== 'resolved');

  const byStatus = { submitted: 0, assigned: 0, resolved: 0 };
  for (const c of cases) byStatus[c.status]++;

  const sla = Object.fromEntries(
    CLOCKS.map((clock) => {
      const counts: Record<SlaState, number> = { met: 0, breached: 0, running: 0, paused: 0 };
      for (const c of cases) {
        const state = slaState(c, clock, now);
        if (state !== undefined) counts[state]++;
      }
      return [clock, counts];
    }),
  ) as Record<ClockName, Record<SlaState, number>>;

  // Configured departments in their order, then any a stored case names that the config no longer has.
  const departments = new Map<
    string,
    { name: LocalizedText; lead: number; touched: number; open: number; breached: number }
  >();
  for (const d of m.departments)
    departments.set(d.id, { name: d.name, lead: 0, touched: 0, open: 0, breached: 0 });
  const row = (id: string) => {
    let found = departments.get(id);
    if (found === undefined) {
      found = { name: { nl: id, en: id }, lead: 0, touched: 0, open: 0, breached: 0 };
      departments.set(id, found);
    }
    return found;
  };
  for (const c of cases) {
    for (const tag of c.tags) {
      const d = row(tag.department);
      d.touched++;
      if (!tag.lead) continue;
      d.lead++;
      if (c.status !== 'resolved') d.open++;
      if (CLOCKS.some((clock) => slaState(c, clock, now) === 'breached')) d.breached++;
    }
  }

  const ages = new Map<AgeBucket, number>(AGE_BUCKETS.map((b) => [b.id, 0]));
  let oldest: Case | undefined;
  for (const c of open) {
    const bucket = ageBucketOf(ageDays(c, now));
    ages.set(bucket, (ages.get(bucket) ?? 0) + 1);
    if (oldest === undefined || c.submittedAt < oldest.submittedAt) oldest = c;
  }

  const openPerOfficial = new Map<string, number>();
  let withCoordinator = 0;
  for (const c of open) {
    if (c.status !== 'assigned' || c.contact === undefined) continue;
    if (c.contact.kind === 'coordinator') withCoordinator++;
    else openPerOfficial.set(c.contact.id, (openPerOfficial.get(c.contact.id) ?? 0) + 1);
  }

  return {
    at: now.toISOString(),
    total: cases.length,
    open: open.length,
    openBreached: open.filter((c) => CLOCKS.some((clock) => slaState(c, clock, now) === 'breached')).length,
    byStatus,
    byDepartment: [...departments].map(([department, d]) => ({ department, ...d })),
    sla,
    openByAge: AGE_BUCKETS.map((b) => ({ bucket: b.id, count: ages.get(b.id) ?? 0 })),
    oldestOpen:
      oldest === undefined
        ? undefined
        : {
            reference: oldest.reference,
            submittedAt: oldest.submittedAt,
            ageDays: Math.floor(ageDays(oldest, now)),
          },
    queues: input.queues,
    officials: input.officials.map((o) => ({
      id: o.id,
      name: o.name,
      open: openPerOfficial.get(o.id) ?? 0,
      capacity: o.capacity,
      presentToday: isAvailable(o, now),
    })),
    withCoordinator,
    errors: input.errors.slice(0, input.errorLimit ?? 10),
    unreadable: input.unreadable ?? 0,
  };
}
