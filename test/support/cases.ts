import type { Municipality, Official } from '../../config/schema.js';
import { type CaseRequest, type Catalog, storedCaseRequestSchema } from '../../events/case-request.js';
import sample from '../../events/samples/case-request.json' with { type: 'json' };
import { resolutionFor } from '../../functions/domain/archive.js';
import { type Case, submitCase, type Tag } from '../../functions/domain/case.js';
import type { Clock, OfficialDirectory } from '../../functions/domain/ports.js';
import type { RandomBytes } from '../../functions/domain/reference.js';
import { hashToken } from '../../functions/domain/token.js';

/** The sample body of `POST /cases`, as a fresh copy a test may change. */
export const sampleBody = () => structuredClone(sample);

/** The sample body as the typed request a stored case holds. */
export const sampleRequest = (changes: Partial<CaseRequest> = {}): CaseRequest => ({
  ...storedCaseRequestSchema.parse(sample),
  ...changes,
});

/** Fails the test with a clear message when a value a test relies on is missing. */
export function required<T>(value: T | undefined | null, what: string): T {
  if (value === undefined || value === null) throw new Error(`test setup: ${what} is missing`);
  return value;
}

/** The goals and request types of a municipality, as the schema's catalog. */
export function catalogOf(m: {
  goals: readonly { id: string }[];
  requestTypes: readonly { id: string }[];
}): Catalog {
  const [goal, ...goals] = m.goals.map((g) => g.id);
  const [type, ...types] = m.requestTypes.map((t) => t.id);
  return {
    goals: [required(goal, 'a goal'), ...goals],
    requestTypes: [required(type, 'a request type'), ...types],
  };
}

export const SUBMITTED_AT = new Date('2025-03-03T09:00:00.000Z');
export const TOKEN = 'status-token-of-the-enterprise';

/** A case as the intake stores it: submitted, waiting for the router. */
export function submittedCase(
  reference = 'AP-2345-6789',
  request: CaseRequest = sampleRequest(),
  now: Date = SUBMITTED_AT,
): Case {
  return submitCase({ request, reference, tokenHash: hashToken(TOKEN), now });
}

/**
 * A case of `requestType` assigned to a-jansen (werk, the lead department, for the goal work), paused once with a reason that names a person,
 * resumed, and resolved at `closedAt` with `result` and an outcome in the official's words: the archive
 * consequences and the day its personal data go as the municipality's retention sets them.
 */
export function resolvedCase(
  m: Municipality,
  o: { result: string; requestType?: string; closedAt: Date; reference?: string },
): Case {
  const c = submittedCase(o.reference, sampleRequest({ requestType: o.requestType ?? 'partnership' }));
  const resolved = resolutionFor(m, c.request.requestType, o.result, o.closedAt);
  if (!resolved.ok) throw new Error(`test setup: no result ${o.result}: ${resolved.problem}`);
  const at = (hours: number) => new Date(SUBMITTED_AT.getTime() + hours * 3_600_000).toISOString();
  return {
    ...c,
    status: 'resolved',
    tags: [{ department: 'werk', lead: true, reasons: [{ kind: 'goal', goal: 'work' }] }],
    contact: { kind: 'official', id: 'a-jansen', name: 'Anouk Jansen', email: 'a@x.example', language: 'nl' },
    assignedAt: at(1),
    archive: resolved.resolution.archive,
    anonymiseOn: resolved.resolution.anonymiseOn,
    history: [
      ...c.history,
      { type: 'assigned', version: 1, at: at(1), contact: 'a-jansen', departments: ['werk'] },
      { type: 'paused', version: 1, at: at(2), by: 'a-jansen', reason: 'Wacht op de begroting van Marieke.' },
      { type: 'resumed', version: 1, at: at(3), by: 'a-jansen', workingDays: 0 },
      {
        type: 'resolved',
        version: 1,
        at: o.closedAt.toISOString(),
        by: 'a-jansen',
        outcome: 'Marieke en Anouk spreken af samen te werken.',
        result: o.result,
      },
    ],
  };
}

export const fixedClock =
  (iso: string): Clock =>
  () =>
    new Date(iso);

/** An official as the directory lists them: what a test does not name is plain (capacity 20, never away). */
export const anOfficial = (id: string, departments: string[], changes: Partial<Official> = {}): Official => ({
  id,
  name: id,
  email: `${id}@voorbeeld.example`,
  language: 'nl',
  departments,
  capacity: 20,
  absences: [],
  ...changes,
});

/** A tagged department with one goal as its reason. */
export const aTag = (department: string, lead = false): Tag => ({
  department,
  lead,
  reasons: [{ kind: 'goal', goal: department }],
});

export const staticOfficials = (officials: readonly Official[]): OfficialDirectory & { calls: number } => {
  const directory = {
    calls: 0,
    async list() {
      directory.calls++;
      return [...officials];
    },
  };
  return directory;
};

/** A random source that hands out the given chunks in order, then repeats the last one. */
export function byteChunks(...chunks: number[][]): RandomBytes & { sizes: number[] } {
  const sizes: number[] = [];
  let next = 0;
  const source = (size: number) => {
    sizes.push(size);
    const chunk = chunks[Math.min(next, chunks.length - 1)] ?? [];
    next++;
    return Uint8Array.from({ length: size }, (_, i) => chunk[i % Math.max(chunk.length, 1)] ?? 0);
  };
  return Object.assign(source, { sizes });
}
