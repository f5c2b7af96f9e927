import { errorSummary } from '../domain/errors.js';
import { limitKeyOf } from '../domain/intake-limits.js';
import type {
  CaseRecords,
  ContactCases,
  Log,
  RequestCounts,
  RetentionStore,
  SuppressionList,
} from '../domain/ports.js';
import { type ErasedCase, type Erasure, erasureStep } from '../domain/privacy.js';
import { anonymise } from '../domain/retention.js';

/**
 * Erase an e-mail address's personal data now (AVG art. 17, the right to erasure), as far as the law lets.
 * 1. Find the cases whose enterprise contact has the address (a scan: there is no index by address).
 * 2. Each resolved case is anonymised now, as the retention job would do later (`anonymise` and the store's
 *    conditional replace): the case itself stays until its archive action date (Archiefwet).
 * 3. An open case stays as it is (the request is still being handled), and so does a case closed before
 *    results existed (no archive consequences: the archivist decides).
 * 4. Say what stays of the address besides: its suppression-list entry and the intake's request counts
 *    (hashes of the address).
 * A dry run reads the same and writes nothing. One failing case does not stop the others.
 */

export interface ErasePersonalDataDeps {
  readonly contacts: ContactCases;
  readonly cases: CaseRecords & Pick<RetentionStore, 'anonymise'> & Pick<SuppressionList, 'suppression'>;
  readonly counts: RequestCounts;
  readonly log: Log;
}

export async function erasePersonalData(
  deps: ErasePersonalDataDeps,
  address: string,
  now: Date,
  options: { readonly dryRun?: boolean } = {},
): Promise<Erasure> {
  const dryRun = options.dryRun === true;
  const cases: ErasedCase[] = [];
  for (const reference of await deps.contacts.casesOfContact(address)) {
    try {
      cases.push(await eraseOne(deps, reference, now, dryRun));
    } catch (error) {
      cases.push({ reference, outcome: 'failed', error: errorSummary(error) });
      deps.log.error('erasure of a case failed', { reference, error: errorSummary(error) });
    }
  }
  const [suppression, requestCounts] = await Promise.all([
    deps.cases.suppression(address),
    deps.counts.countsOf('email', limitKeyOf('email', address)),
  ]);
  return { now: now.toISOString(), dryRun, cases, suppression, requestCounts };
}

async function eraseOne(
  deps: ErasePersonalDataDeps,
  reference: string,
  now: Date,
  dryRun: boolean,
): Promise<ErasedCase> {
  const found = await deps.cases.record(reference);
  if (found?.kind !== 'case') return { reference, outcome: 'gone' };
  const { c } = found;
  const step = erasureStep(c);
  if (step.step === 'keep')
    return step.reason === 'open'
      ? {
          reference,
          outcome: 'kept',
          reason: 'open',
          status: c.status,
          ...(c.status === 'assigned' && c.contact !== undefined ? { official: c.contact.name } : {}),
        }
      : { reference, outcome: 'kept', reason: 'noResult' };
  const anonymised = { reference, outcome: 'anonymised', archive: step.archive } as const;
  if (dryRun) return anonymised;
  return (await deps.cases.anonymise(c, anonymise(c, now))) ? anonymised : { reference, outcome: 'failed' };
}
