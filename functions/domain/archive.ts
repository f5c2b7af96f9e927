import * as z from 'zod';
import {
  type ArchiveResult,
  DEFAULT_PROCESS_TYPE,
  type Period,
  type ProcessType,
  type Retention,
} from '../../config/retention.js';
import type { Municipality } from '../../config/schema.js';
import { amsterdamDay, type IsoDay } from './calendar.js';

/**
 * The archive consequences of a case's result (Selectielijst 2020): its nomination (destroy or keep for
 * good) and, for destroy, the archive action date (archiefactiedatum): the start (brondatum) plus the
 * result's period. Pure: the start and the closing moment come in.
 */

const day = z.iso.date();

/** What the archive does with a resolved case, as the case stores it. */
export const archiveSchema = z.strictObject({
  /** The config's process type (its key) and its number in the Selectielijst, e.g. `subsidie`, 8. */
  processType: z.string(),
  processTypeNumber: z.number().int(),
  /** The result the official chose (its id in the config) and its number in the Selectielijst, e.g. `8.1.7`. */
  result: z.string(),
  selectielijst: z.string(),
  /** vernietigen (destroy) or blijvend bewaren (keep). */
  nomination: z.enum(['destroy', 'keep']),
  /** The day the period starts (brondatum): the closing day, or the day the official entered. */
  from: day,
  /** For destroy: the period and the day the case is destroyed (archiefactiedatum). */
  period: z.string().optional(),
  actionDate: day.optional(),
});
export type Archive = z.infer<typeof archiveSchema>;

/** A day plus a period: years and months first (the 31st becomes the month's last day), then days. */
export function addPeriod(start: IsoDay, period: Period): IsoDay {
  const match = /^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)D)?$/.exec(period);
  if (match === null) throw new Error(`not a period: ${period}`);
  const [years, months, days] = [match[1], match[2], match[3]].map((n) => Number(n ?? 0)) as [
    number,
    number,
    number,
  ];
  const [y, m, d] = start.split('-').map(Number) as [number, number, number];
  const monthIndex = y * 12 + (m - 1) + years * 12 + months;
  const year = Math.floor(monthIndex / 12);
  const month = monthIndex % 12;
  const lastDay = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  const date = new Date(Date.UTC(year, month, Math.min(d, lastDay) + days));
  return date.toISOString().slice(0, 10);
}

/** How far after closing an entered start may lie: a subsidy runs for years, not for centuries. */
const MAX_ENTERED_YEARS = 30;

/** Why a result cannot be given: unknown for the request type, or its start date missing or out of range. */
export type ResultProblem = 'unknownResult' | 'fromMissing' | 'fromBeforeClosing' | 'fromTooLate';

/**
 * The archive consequences of resolving a case of this process type with this result at `closedAt`
 * (`entered`: the start the official gave, for a result counted from an entered date).
 */
export function archiveFor(
  retention: Retention,
  processType: string,
  result: string,
  closedAt: Date,
  entered?: IsoDay,
):
  | { readonly ok: true; readonly archive: Archive }
  | { readonly ok: false; readonly problem: ResultProblem } {
  const type = retention.processTypes[processType];
  const chosen = type?.results.find((r) => r.id === result);
  if (type === undefined || chosen === undefined) return { ok: false, problem: 'unknownResult' };
  const closed = amsterdamDay(closedAt);
  const base = {
    processType,
    processTypeNumber: type.selectielijst,
    result: chosen.id,
    selectielijst: chosen.selectielijst,
  };
  if (chosen.nomination === 'keep')
    return { ok: true, archive: { ...base, nomination: 'keep', from: closed } };
  let from = closed;
  if (chosen.from === 'entered') {
    if (entered === undefined) return { ok: false, problem: 'fromMissing' };
    if (entered < closed) return { ok: false, problem: 'fromBeforeClosing' };
    if (entered > addPeriod(closed, `P${MAX_ENTERED_YEARS}Y`)) return { ok: false, problem: 'fromTooLate' };
    from = entered;
  }
  return {
    ok: true,
    archive: {
      ...base,
      nomination: 'destroy',
      from,
      period: chosen.period,
      actionDate: addPeriod(from, chosen.period),
    },
  };
}

/** The day a closed case's personal data are removed: the closing day plus `anonymiseAfter`. */
export const anonymiseOn = (closedAt: Date, retention: Retention): IsoDay =>
  addPeriod(amsterdamDay(closedAt), retention.anonymiseAfter);

/** What the archive needs of the municipality: its retention and the process type of each request type. */
export type ArchiveConfig = Pick<Municipality, 'retention' | 'requestTypes'>;

/**
 * The process type a request type's cases are archived under (its key and the type). A request type no
 * longer in the catalog is archived as the default, handling requests.
 */
export function processTypeOf(m: ArchiveConfig, requestType: string): { id: string; type: ProcessType } {
  const id = m.requestTypes.find((t) => t.id === requestType)?.processType ?? DEFAULT_PROCESS_TYPE;
  const type = m.retention.processTypes[id] ?? m.retention.processTypes[DEFAULT_PROCESS_TYPE];
  if (type === undefined) throw new Error(`no process type "${id}" in the retention config`);
  return { id, type };
}

/** The result of the config an archive names (by its process type and result), if the config still has it. */
export const resultOf = (
  retention: Retention,
  archive: Pick<Archive, 'processType' | 'result'>,
): ArchiveResult | undefined =>
  retention.processTypes[archive.processType]?.results.find((r) => r.id === archive.result);

type RequestType = ArchiveConfig['requestTypes'][number];

/** A process type and the request types archived under it, in the catalog's order. */
export interface ArchivedRequestTypes {
  readonly id: string;
  readonly type: ProcessType;
  readonly requestTypes: RequestType[];
}

/**
 * The process types the request types of the catalog are archived under, each once with its request types,
 * in the order the catalog first names them: what the privacy statement says of the periods.
 */
export function archivedRequestTypes(m: ArchiveConfig): ArchivedRequestTypes[] {
  const groups = new Map<string, ArchivedRequestTypes>();
  for (const requestType of m.requestTypes) {
    const { id, type } = processTypeOf(m, requestType.id);
    const group = groups.get(id) ?? { id, type, requestTypes: [] };
    group.requestTypes.push(requestType);
    groups.set(id, group);
  }
  return [...groups.values()];
}

/** What resolving a case with a result sets: its archive consequences and when its personal data go. */
export interface Resolution {
  readonly archive: Archive;
  readonly anonymiseOn: IsoDay;
}

/** The resolution of a case of `requestType` with `result` at `closedAt`, or why it cannot be given. */
export function resolutionFor(
  m: ArchiveConfig,
  requestType: string,
  result: string,
  closedAt: Date,
  entered?: IsoDay,
):
  | { readonly ok: true; readonly resolution: Resolution }
  | { readonly ok: false; readonly problem: ResultProblem } {
  const archived = archiveFor(m.retention, processTypeOf(m, requestType).id, result, closedAt, entered);
  if (!archived.ok) return archived;
  return {
    ok: true,
    resolution: { archive: archived.archive, anonymiseOn: anonymiseOn(closedAt, m.retention) },
  };
}
