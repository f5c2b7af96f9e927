import type { CaseRecord, CaseRecords } from '../domain/ports.js';
import { parseReference } from '../domain/reference.js';
import { tokenMatches } from '../domain/token.js';

/**
 * View a case's status (the enterprise, through the link in its confirmation).
 * 1. The reference is read as the enterprise may type it (case, spaces); one that cannot be ours finds nothing.
 * 2. What there is of the case is read, whatever retention did to it: the case, the case with its personal data
 *    removed, or the deletion record of a destroyed case. Each keeps the hashes of the case's status links.
 * 3. It is shown only when the link's token matches one of them.
 * An unknown reference and a wrong token answer alike (nothing of the case, not even its language or that it
 * was destroyed), so references cannot be probed.
 */
export async function viewStatus(
  deps: { readonly cases: CaseRecords },
  input: { readonly reference: string; readonly token: string | undefined },
): Promise<CaseRecord | undefined> {
  const reference = parseReference(input.reference);
  if (reference === undefined) return undefined;
  const found = await deps.cases.record(reference);
  if (found === undefined) return undefined;
  const tokenHashes = found.kind === 'destroyed' ? found.record.tokenHashes : found.c.tokenHashes;
  return tokenMatches(input.token, tokenHashes) ? found : undefined;
}
