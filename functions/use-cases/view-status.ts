import type { Case } from '../domain/case.js';
import type { CaseReader } from '../domain/ports.js';
import { parseReference } from '../domain/reference.js';
import { tokenMatches } from '../domain/token.js';

/**
 * View a case's status (the enterprise, through the link in its confirmation).
 * 1. The reference is read as the enterprise may type it (case, spaces); one that cannot be ours finds nothing.
 * 2. The case is read, and shown only when the link's token matches one of its status links.
 * An unknown reference and a wrong token answer alike (nothing of the case, not even its language), so
 * references cannot be probed.
 */
export async function viewStatus(
  deps: { readonly cases: CaseReader },
  input: { readonly reference: string; readonly token: string | undefined },
): Promise<Case | undefined> {
  const reference = parseReference(input.reference);
  if (reference === undefined) return undefined;
  const found = await deps.cases.get(reference);
  return found !== undefined && tokenMatches(input.token, found.tokenHashes) ? found : undefined;
}
