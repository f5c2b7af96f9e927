import { z } from 'zod';
import type { Action, ActionClaims, ActionLinkMaker } from './action-link.js';
import type { Case, Contact, HistoryEvent } from './case.js';
import type { ActionUrls } from './mail.js';
import { CLOCKS, type ClockName, nextStepAt, type SlaClocks } from './sla.js';

/**
 * What an official's action does to a case, as one change the case store applies with one conditional
 * write: the clocks it stops, the status it sets, the event it appends, when the SLA job looks next, and
 * the link id it records as used. The same write checks that the case is still assigned to the official
 * the link was sent to and that the link was not used before.
 */

/** Why an action through a valid link does not apply. */
export type ActionRefusal = 'missing' | 'used' | 'notContact' | 'closed' | 'alreadyContacted';

/** The outcome an official gives when resolving: plain text, newlines allowed, no other control characters. */
export const outcomeSchema = z
  .string()
  .trim()
  .min(1)
  .max(2000)
  // biome-ignore lint/suspicious/noControlCharactersInRegex: refusing control characters is the point
  .refine((text) => !/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/.test(text));

export interface ActionChange {
  readonly reference: string;
  readonly linkId: string;
  /** The official the link was sent to: the case's contact must still be them. */
  readonly official: string;
  readonly action: Action;
  readonly at: string;
  /** Clocks that must still be running (not stopped) for the action to apply. */
  readonly requireRunning: readonly ClockName[];
  /** Clocks stopped at `at` (a clock stopped before keeps its moment). */
  readonly stop: readonly ClockName[];
  /** The new status, if the action closes the case (it then leaves the open-cases index). */
  readonly status?: 'resolved';
  readonly history: HistoryEvent;
  /** When the SLA job looks at the case next, from the clocks after the change. */
  readonly nextAt: string | undefined;
}

/** Why the action cannot apply to the case as it is now; undefined when it can. */
export function refusalOf(c: Case | undefined, claims: ActionClaims): ActionRefusal | undefined {
  if (c === undefined) return 'missing';
  if (c.usedLinks[claims.id] !== undefined) return 'used';
  if (c.status === 'resolved') return 'closed';
  if (c.status !== 'assigned' || c.contact?.id !== claims.official) return 'notContact';
  if (claims.action === 'contact-made' && c.clocks.firstContact?.stoppedAt !== undefined)
    return 'alreadyContacted';
  return undefined;
}

/** The change an action makes; `outcome` is required to resolve. */
export function planAction(c: Case, claims: ActionClaims, now: Date, outcome?: string): ActionChange {
  const at = now.toISOString();
  const base = { reference: c.reference, linkId: claims.id, official: claims.official, at };
  const stopped = (names: readonly ClockName[]): SlaClocks => {
    const clocks: SlaClocks = {};
    for (const name of CLOCKS) {
      const clock = c.clocks[name];
      if (clock !== undefined)
        clocks[name] =
          names.includes(name) && clock.stoppedAt === undefined ? { ...clock, stoppedAt: at } : clock;
    }
    return clocks;
  };
  const sent = (kind: string) => c.notifications[kind] !== undefined;
  switch (claims.action) {
    case 'contact-made': {
      const stop: ClockName[] = ['firstContact'];
      return {
        ...base,
        action: claims.action,
        requireRunning: stop,
        stop,
        history: { type: 'contacted', at, by: claims.official },
        nextAt: nextStepAt(stopped(stop), sent),
      };
    }
    case 'resolve': {
      if (outcome === undefined) throw new Error('resolving needs an outcome');
      const stop = CLOCKS.filter((name) => c.clocks[name] !== undefined);
      return {
        ...base,
        action: claims.action,
        requireRunning: [],
        stop,
        status: 'resolved',
        history: { type: 'resolved', at, by: claims.official, outcome },
        nextAt: nextStepAt(stopped(stop), sent),
      };
    }
  }
}

/** The action links for a case's contact: contact made while the first-contact clock runs, and resolve. */
export function actionUrlsFor(make: ActionLinkMaker, c: Case, contact: Contact): ActionUrls {
  const link = (action: Action) =>
    make({ reference: c.reference, official: contact.id, lang: contact.language, action });
  return {
    contactMade: c.clocks.firstContact?.stoppedAt === undefined ? link('contact-made') : undefined,
    resolve: c.status === 'assigned' ? link('resolve') : undefined,
  };
}
