import * as z from 'zod';
import { storedCaseRequestSchema } from '../../events/case-request.js';
import { type Archive, archiveSchema } from './archive.js';
import { amsterdamDay, type IsoDay } from './calendar.js';
import { type Case, caseSchema, type HistoryEvent } from './case.js';
import { csvOf } from './csv.js';

/**
 * What retention does to a closed case: its personal data are removed on `anonymiseOn` (the case stays, for
 * the reports), and on its archive action date the case is destroyed and a deletion record kept in its place.
 * Pure: the moments come in.
 */

const at = z.iso.datetime({ offset: true });

/** The request without the contact's name, e-mail address and phone and without the description. */
export const anonymisedRequestSchema = storedCaseRequestSchema
  .pick({ organisation: true, language: true, goals: true, requestType: true })
  .strict();

/**
 * A case whose personal data were removed: what reports and the status page need (goals, departments, dates,
 * the promises and whether they were kept, the result and its archive consequences), nothing that names or
 * reaches a person of the enterprise. The hashes of the request (fingerprint, request hash) are gone too; the
 * status links' token hashes stay (they are random), so the enterprise's link still says what happened.
 */
export const anonymisedCaseSchema = caseSchema
  .omit({ request: true, fingerprint: true, requestHash: true, archive: true, anonymiseOn: true })
  .extend({ request: anonymisedRequestSchema, archive: archiveSchema, anonymisedAt: at });
export type AnonymisedCase = z.infer<typeof anonymisedCaseSchema>;

/**
 * A history event without the free texts typed into it: the officials' (a pause's question, a resolution's
 * explanation) and the enterprise's (its answer to a question, its satisfaction comment; the score stays, for
 * the report).
 */
function withoutFreeText(h: HistoryEvent): HistoryEvent {
  switch (h.type) {
    case 'paused':
      return { ...h, reason: '' };
    case 'resolved':
      return { ...h, outcome: '' };
    case 'answered':
      return { ...h, answer: '' };
    case 'rated': {
      const { comment: _comment, ...rest } = h;
      return rest;
    }
    default:
      return h;
  }
}

/** The case with its personal data removed at `now`, and the history event that says so. */
export function anonymise(c: Case, now: Date): AnonymisedCase {
  if (c.archive === undefined) throw new Error(`case ${c.reference} has no archive consequences`);
  const { request, fingerprint: _f, requestHash: _r, anonymiseOn: _a, archive, history, ...kept } = c;
  const at = now.toISOString();
  return {
    ...kept,
    request: {
      organisation: request.organisation,
      language: request.language,
      goals: request.goals,
      requestType: request.requestType,
    },
    archive,
    anonymisedAt: at,
    history: [...history.map(withoutFreeText), { type: 'anonymised', version: 1, at }],
  };
}

/** What the retention job does next with a case: remove its personal data, or destroy it. */
export type RetentionStep = 'anonymise' | 'destroy';

/**
 * The day of the case's next retention step (the sparse retention index's sort key) and the step: undefined
 * while it is open, when it is kept for good and anonymised already, or (closed before results existed)
 * when it has no archive consequences.
 */
export function nextRetention(c: {
  readonly status: Case['status'];
  readonly archive?: Archive;
  readonly anonymiseOn?: IsoDay;
  readonly anonymisedAt?: string;
}): { readonly on: IsoDay; readonly step: RetentionStep } | undefined {
  if (c.status !== 'resolved' || c.archive === undefined) return undefined;
  const destroyOn = c.archive.nomination === 'destroy' ? c.archive.actionDate : undefined;
  const anonymiseOn = c.anonymisedAt === undefined ? c.anonymiseOn : undefined;
  // A case destroyed before (or when) its personal data are due to go is destroyed, not anonymised first.
  if (destroyOn !== undefined && (anonymiseOn === undefined || destroyOn <= anonymiseOn))
    return { on: destroyOn, step: 'destroy' };
  return anonymiseOn === undefined ? undefined : { on: anonymiseOn, step: 'anonymise' };
}

/** Is the step due at `now` (its day has begun in Europe/Amsterdam)? */
export const isDue = (on: IsoDay, now: Date): boolean => on <= amsterdamDay(now);

/**
 * What is kept of a destroyed case (the basis of the "verklaring van vernietiging"): no personal data. The
 * status links' token hashes stay, so a link the enterprise kept says the case was destroyed, and when.
 */
export const deletionRecordSchema = z.strictObject({
  reference: z.string(),
  processType: z.string(),
  processTypeNumber: z.number().int(),
  result: z.string(),
  selectielijst: z.string(),
  requestType: z.string(),
  submittedAt: at,
  resolvedAt: at,
  /** The archive action date it was destroyed on or after. */
  actionDate: z.iso.date(),
  destroyedAt: at,
  tokenHashes: z.array(z.string()),
});
export type DeletionRecord = z.infer<typeof deletionRecordSchema>;

/** The deletion record of a case destroyed at `now`. */
export function deletionRecordOf(c: Case | AnonymisedCase, now: Date): DeletionRecord {
  const archive: Archive | undefined = c.archive;
  if (archive?.actionDate === undefined) throw new Error(`case ${c.reference} is not to be destroyed`);
  const resolved = c.history.findLast((h) => h.type === 'resolved');
  return {
    reference: c.reference,
    processType: archive.processType,
    processTypeNumber: archive.processTypeNumber,
    result: archive.result,
    selectielijst: archive.selectielijst,
    requestType: c.request.requestType,
    submittedAt: c.submittedAt,
    resolvedAt: resolved?.at ?? c.submittedAt,
    actionDate: archive.actionDate,
    destroyedAt: now.toISOString(),
    tokenHashes: c.tokenHashes,
  };
}

/** The destroyed cases of a year as CSV, one line per case: the list a "verklaring van vernietiging" is made of. */
export function destructionCsv(records: readonly DeletionRecord[]): string {
  const header = [
    'reference',
    'processType',
    'selectielijst',
    'result',
    'requestType',
    'submittedAt',
    'resolvedAt',
    'actionDate',
    'destroyedAt',
  ];
  const rows = [...records]
    .sort((a, b) => a.destroyedAt.localeCompare(b.destroyedAt) || a.reference.localeCompare(b.reference))
    .map((r) => [
      r.reference,
      r.processTypeNumber,
      r.selectielijst,
      r.result,
      r.requestType,
      r.submittedAt,
      r.resolvedAt,
      r.actionDate,
      r.destroyedAt,
    ]);
  return csvOf(header, rows);
}
