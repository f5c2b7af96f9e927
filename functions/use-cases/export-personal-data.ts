import { limitKeyOf } from '../domain/intake-limits.js';
import type {
  CaseRecords,
  ContactCases,
  OfficialDirectory,
  RequestCounts,
  SuppressionList,
} from '../domain/ports.js';
import { normalisedAddress, type PersonalDataExport, personalDataExport } from '../domain/privacy.js';

/**
 * Export what the cases table holds about an e-mail address (AVG art. 15, the right of access).
 * 1. Find the cases whose enterprise contact has the address (a scan: there is no index by address) and
 *    read each whole, as the domain reads it.
 * 2. Read the address's entry on the suppression list and the intake's request counts of the address, both
 *    kept by a hash of it (computed here as the intake computes it).
 * 3. Note whether an official has the address: officials are employees, out of scope.
 * Reads only.
 */

export interface ExportPersonalDataDeps {
  readonly contacts: ContactCases;
  readonly cases: CaseRecords & Pick<SuppressionList, 'suppression'>;
  readonly counts: RequestCounts;
  readonly officials: OfficialDirectory;
}

export async function exportPersonalData(
  deps: ExportPersonalDataDeps,
  address: string,
  now: Date,
): Promise<PersonalDataExport> {
  const cases = [];
  for (const reference of await deps.contacts.casesOfContact(address)) {
    const found = await deps.cases.record(reference);
    // Anonymised or destroyed since the scan: nothing of the address is left in it.
    if (found?.kind === 'case') cases.push(found.c);
  }
  const [suppression, requestCounts, officials] = await Promise.all([
    deps.cases.suppression(address),
    deps.counts.countsOf('email', limitKeyOf('email', address)),
    deps.officials.list(),
  ]);
  const official = officials.some((o) => normalisedAddress(o.email) === normalisedAddress(address));
  return personalDataExport({ address, now, cases, suppression, requestCounts, official });
}
