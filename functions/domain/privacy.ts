import type { Archive } from './archive.js';
import { type Case, type HistoryEvent, historyOf } from './case.js';
import type { ErrorSummary } from './errors.js';
import type { CountedRequests, SuppressionEntry } from './ports.js';

/**
 * A person's rights over their data (AVG art. 15, access, and art. 17, erasure), for the enterprise contact
 * of a case: what the cases table holds about an e-mail address, and what erasing it does to each case.
 * Officials are employees of the municipality: their data are not part of this. Pure: the cases come in.
 */

/** An address as the table compares it: trimmed, in lower case (an address is stored as it was typed). */
export const normalisedAddress = (address: string): string => address.trim().toLowerCase();

/** A case of the person as exported: everything stored, with its whole history (`historyOf`). */
export type ExportedCase = Omit<Case, 'history'> & { readonly history: HistoryEvent[] };

/** Everything the cases table holds about an address (AVG art. 15). */
export interface PersonalDataExport {
  readonly address: string;
  readonly exportedAt: string;
  /** The cases whose enterprise contact has the address, by reference. */
  readonly cases: readonly ExportedCase[];
  /** The address's entry on the suppression list (stored as a hash of the address). */
  readonly suppressionList:
    | { readonly listed: false }
    | ({ readonly listed: true } & SuppressionEntry & { readonly stored: string });
  /** The intake's counts of requests for the address (per day, stored by a hash of the address). */
  readonly requestCounts: readonly CountedRequests[];
  /** What the export leaves out, and why. */
  readonly notes: readonly string[];
}

/** The export of an address: its cases, its suppression-list entry and its request counts. */
export function personalDataExport(input: {
  readonly address: string;
  readonly now: Date;
  readonly cases: readonly Case[];
  readonly suppression: SuppressionEntry | undefined;
  readonly requestCounts: readonly CountedRequests[];
  /** Whether an official of the municipality has this address. */
  readonly official: boolean;
}): PersonalDataExport {
  const notes = [
    'The cases are those whose enterprise contact has this e-mail address (compared in lower case). A case ' +
      'whose personal data were removed holds nothing that links it to the address and is not listed.',
    'The suppression list and the request counts hold a hash of the address, never the address itself; ' +
      'the request counts are removed a day after their window.',
    'The e-mails themselves are not stored in this table: a case records which were sent and when ' +
      '(`notifications` and its history).',
    ...(input.official
      ? [
          'An official of the municipality has this address: officials are employees, their data are not part ' +
            'of this export (see `npm run officials`).',
        ]
      : []),
  ];
  return {
    address: normalisedAddress(input.address),
    exportedAt: input.now.toISOString(),
    cases: [...input.cases]
      .sort((a, b) => a.reference.localeCompare(b.reference))
      .map((c) => ({ ...c, history: historyOf(c) })),
    suppressionList:
      input.suppression === undefined
        ? { listed: false }
        : { listed: true, ...input.suppression, stored: 'a SHA-256 hash of the address in lower case' },
    requestCounts: [...input.requestCounts].sort((a, b) => a.windowStart.localeCompare(b.windowStart)),
    notes,
  };
}

/** Why erasing keeps a case as it is: still open, or closed before results existed (no archive consequences). */
export type KeepReason = 'open' | 'noResult';

/** What erasing does with a case: remove its personal data now, or keep it for a reason. */
export type ErasureStep =
  | { readonly step: 'anonymise'; readonly archive: Archive }
  | { readonly step: 'keep'; readonly reason: KeepReason };

/**
 * A resolved case loses its personal data now, as the retention job would remove them later; the case
 * itself stays until its archive action date (Archiefwet; AVG art. 17(3)(b)). An open case is still being
 * handled, so it is kept; a case resolved before results existed has no archive consequences to keep it by.
 */
export function erasureStep(c: Pick<Case, 'status' | 'archive'>): ErasureStep {
  if (c.status !== 'resolved') return { step: 'keep', reason: 'open' };
  if (c.archive === undefined) return { step: 'keep', reason: 'noResult' };
  return { step: 'anonymise', archive: c.archive };
}

/** What erasing did (or, in a dry run, would do) with one case of the person. */
export type ErasedCase =
  | { readonly reference: string; readonly outcome: 'anonymised'; readonly archive: Archive }
  | {
      readonly reference: string;
      readonly outcome: 'kept';
      readonly reason: 'open';
      readonly status: Case['status'];
      /** The official the case is assigned to, who can record its withdrawal. */
      readonly official?: string;
    }
  | { readonly reference: string; readonly outcome: 'kept'; readonly reason: 'noResult' }
  /** Its personal data were removed since it was found (the retention job ran meanwhile). */
  | { readonly reference: string; readonly outcome: 'gone' }
  /** Nothing was written: the case changed while it was read, or the write failed (`error`). */
  | { readonly reference: string; readonly outcome: 'failed'; readonly error?: ErrorSummary };

/** What erasing an address did, or would do: each case, and what stays of the address besides. */
export interface Erasure {
  readonly now: string;
  readonly dryRun: boolean;
  readonly cases: readonly ErasedCase[];
  readonly suppression: SuppressionEntry | undefined;
  readonly requestCounts: readonly CountedRequests[];
}

/** How long an anonymised case stays, and why. */
function keptFor(archive: Archive): string {
  const result = `Selectielijst 2020 result ${archive.selectielijst}, ${archive.result}`;
  const until =
    archive.nomination === 'destroy' && archive.actionDate !== undefined
      ? `until its archive action date ${archive.actionDate} (${result})`
      : `for good (blijvend bewaren, ${result})`;
  return `the case itself stays, without personal data, ${until}: the Archiefwet requires it (AVG art. 17(3)(b))`;
}

function describeCase(erased: ErasedCase, dryRun: boolean): string {
  const { reference } = erased;
  switch (erased.outcome) {
    case 'anonymised':
      return `  ${dryRun ? 'would anonymise' : 'anonymised'} ${reference}: ${dryRun ? 'its personal data would be removed' : 'its personal data are removed'}; ${keptFor(erased.archive)}`;
    case 'kept':
      return erased.reason === 'open'
        ? `  kept ${reference}: open (${erased.status}), the request is still being handled; the person can withdraw it with ${erased.official === undefined ? 'the municipality (no official has it yet)' : `the official handling it (${erased.official})`}, and once it is resolved, erase removes its personal data`
        : `  kept ${reference}: closed before results existed: ask the archivist (it has no archive consequences, so its personal data are not removed here)`;
    case 'gone':
      return `  ${reference}: its personal data were removed meanwhile`;
    case 'failed':
      return `  FAILED ${reference}: ${erased.error === undefined ? 'the case changed while it was read' : `${erased.error.name}${erased.error.code === undefined ? '' : ` (${erased.error.code})`}`}; nothing was written for it: run erase again`;
  }
}

/** The erasure in lines a person reads (without the address): each case, what stays besides, the totals. */
export function describeErasure(erasure: Erasure, where: string): string[] {
  const { dryRun, cases, suppression, requestCounts } = erasure;
  const count = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;
  const lastExpiry = requestCounts.map((r) => r.expiresAt).sort((a, b) => b.localeCompare(a))[0];
  const reason =
    suppression?.reason === 'bounce'
      ? 'an e-mail to it bounced for good'
      : 'its owner reported an e-mail as spam';
  const total = (outcome: ErasedCase['outcome']) => cases.filter((c) => c.outcome === outcome).length;
  return [
    `erase at ${erasure.now} on ${where}${dryRun ? ', dry run: nothing changed' : ''}: ${count(cases.length, 'case', 'cases')} of the address`,
    ...(cases.length === 0
      ? ['  no case holds the address (a case whose personal data were removed holds none)']
      : cases.map((c) => describeCase(c, dryRun))),
    ...(suppression === undefined
      ? []
      : [
          `  kept: the address's entry on the suppression list (${reason}, since ${suppression.since}): a hash of the address only, so that nothing is ever sent to it again`,
        ]),
    ...(lastExpiry === undefined
      ? []
      : [
          `  kept: ${count(requestCounts.length, 'request count', 'request counts')} of the intake's limits: a hash of the address and a number, removed by ${lastExpiry} (a day after its window)`,
        ]),
    `${dryRun ? 'would anonymise' : 'anonymised'} ${total('anonymised')}, kept ${total('kept')}, failed ${total('failed')}`,
  ];
}
