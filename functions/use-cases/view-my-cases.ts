import { type MyCasesClaims, verifyMyCases } from '../domain/action-link.js';
import { type Candidate, type Case, closedAt } from '../domain/case.js';
import { inDueOrder, standsInFor } from '../domain/digest.js';
import type {
  CaseBatchReader,
  Clock,
  ClosedCaseIndex,
  OfficialDirectory,
  OpenCaseIndex,
} from '../domain/ports.js';

/** How far back "Mijn zaken" lists the cases an official closed. */
export const CLOSED_SHOWN_DAYS = 30;

export interface ViewMyCasesDeps {
  readonly cases: OpenCaseIndex & ClosedCaseIndex & CaseBatchReader;
  /** Who the official is, who is away and who stands in for whom. */
  readonly officials: OfficialDirectory;
  /** The key that signed the link. */
  readonly key: Uint8Array;
  readonly clock: Clock;
}

/** An official's cases as "Mijn zaken" shows them at `at`. */
export interface MyCases {
  readonly outcome: 'shown';
  readonly claims: MyCasesClaims;
  readonly at: Date;
  readonly official: Candidate;
  /** Their open cases, in due order (the broken promises first). */
  readonly own: readonly Case[];
  /** The open cases of each absent colleague who names them as deputy (only while they are available). */
  readonly standingInFor: readonly { readonly official: Candidate; readonly cases: readonly Case[] }[];
  /** The cases they resolved in the last `CLOSED_SHOWN_DAYS` days, the latest first. */
  readonly closed: readonly Case[];
}

/** A link that shows nothing: changed or damaged (or an official no longer in the directory), or expired. */
export type MyCasesRefused = {
  readonly outcome: 'invalid' | 'expired';
  readonly lang?: MyCasesClaims['lang'];
};

/**
 * View an official's cases through the link in their digest ("Mijn zaken / My cases"): read only.
 * 1. The link is verified (signature, expiry: it works until the next digest).
 * 2. The official is looked up; one no longer in the directory sees nothing.
 * 3. Their open cases and those they stand in for (the open-cases index), and the cases they resolved in the
 *    last 30 days (the closed-cases index), are read in one batch.
 * Nothing changes, whoever opens the link: it has no action links.
 */
export async function viewMyCases(deps: ViewMyCasesDeps, token: string): Promise<MyCases | MyCasesRefused> {
  const at = deps.clock();
  const verified = verifyMyCases(token, deps.key, at);
  if (!verified.ok) return { outcome: verified.reason === 'expired' ? 'expired' : 'invalid' };
  const { claims } = verified;
  const everyone = await deps.officials.list();
  const official = everyone.find((o) => o.id === claims.official);
  if (official === undefined) return { outcome: 'invalid', lang: claims.lang };
  const standingInFor = standsInFor(official, everyone, at) ?? [];
  const since = new Date(at.getTime() - CLOSED_SHOWN_DAYS * 86_400_000);
  const whose = [official, ...standingInFor];
  const [open, closedReferences] = await Promise.all([
    Promise.all(whose.map((o) => deps.cases.openCaseReferences(o.id))),
    deps.cases.closedCaseReferences(official.id, since),
  ]);
  const cases = await deps.cases.getMany([...new Set([...open.flat(), ...closedReferences])]);
  const openOf = (o: Candidate) =>
    inDueOrder(cases.filter((c) => c.status === 'assigned' && c.contact?.id === o.id));
  const closed = cases
    .flatMap((c) => {
      const on = closedAt(c);
      return on !== undefined && on >= since.toISOString() && c.contact?.id === official.id
        ? [{ c, on }]
        : [];
    })
    .sort((a, b) => (a.on < b.on ? 1 : a.on > b.on ? -1 : 0))
    .map(({ c }) => c);
  return {
    outcome: 'shown',
    claims,
    at,
    official,
    own: openOf(official),
    standingInFor: standingInFor
      .map((away) => ({ official: away, cases: openOf(away) }))
      .filter((s) => s.cases.length > 0),
    closed,
  };
}
