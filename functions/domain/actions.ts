import * as z from 'zod';
import type { CalendarConfig } from '../../config/calendar.js';
import type { Action, ActionClaims, ActionLinkMaker } from './action-link.js';
import type { Archive, Resolution } from './archive.js';
import { addWorkingDays, workingDaysBetween } from './calendar.js';
import {
  type Candidate,
  type Case,
  type Contact,
  type HistoryEvent,
  isAvailable,
  joinedDepartments,
  ROUTING_GRACE_MS,
} from './case.js';
import type { ActionUrls } from './mail/parts.js';
import { sentIn } from './notification-kind.js';
import { CLOCKS, type ClockName, nextStepAt, type SlaClock, type SlaClocks } from './sla.js';

/**
 * What an official's action does to a case, as one change the case store applies with one conditional
 * write: the clocks it stops, the status it sets, the event it appends, when the SLA job looks next, and
 * the link id it records as used. The same write checks that the case is still assigned to the official
 * the link was sent to and that the link was not used before.
 */

/** Why an action through a valid link does not apply. */
export type ActionRefusal =
  | 'missing'
  /** Retention removed the case's personal data, or destroyed the case (its link does nothing any more). */
  | 'anonymised'
  | 'destroyed'
  | 'used'
  | 'notContact'
  | 'closed'
  | 'alreadyContacted'
  | 'alreadyPaused'
  | 'notRunning'
  | 'notPaused'
  /** A department's join link: the department is involved already, or the case does not touch it. */
  | 'alreadyInvolved'
  | 'notTouched';

/** Plain text typed by an official or the enterprise: newlines allowed, no other control characters. */
export const plainText = (max: number) =>
  z
    .string()
    .trim()
    .min(1)
    .max(max)
    // biome-ignore lint/suspicious/noControlCharactersInRegex: refusing control characters is the point
    .refine((text) => !/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/.test(text));

/** The outcome an official gives when resolving. */
export const outcomeSchema = plainText(2000);
/** The question an official asks the enterprise when pausing a case; the enterprise gets it by e-mail. */
export const reasonSchema = plainText(500);

/** A clock written whole by the action (pause, resume), if it is still as the planner saw it. */
export interface ClockRewrite {
  readonly name: ClockName;
  /** The clock's `pausedAt` when planned (undefined: not paused); the write checks it is unchanged. */
  readonly pausedAt: string | undefined;
  readonly clock: SlaClock;
}

export interface ActionChange {
  readonly reference: string;
  readonly linkId: string;
  /**
   * The official the link was sent to: the case's contact must still be them. Undefined for a department's
   * join, which any contact's case takes.
   */
  readonly official?: string;
  readonly action: Action;
  readonly at: string;
  /** Clocks that must still be running (not stopped) for the action to apply. */
  readonly requireRunning: readonly ClockName[];
  /** Clocks stopped at `at` (a clock stopped before keeps its moment). */
  readonly stop: readonly ClockName[];
  /**
   * The new status: `resolved` closes the case, `submitted` hands it back to routing; either way it leaves
   * the open-cases index.
   */
  readonly status?: 'resolved' | 'submitted';
  /** The new contact (handed over to a colleague), or null: none until routing chooses one. */
  readonly contact?: Contact | null;
  /** Clocks replaced whole; each must still be running and paused as planned (pause, resume). */
  readonly rewrite: readonly ClockRewrite[];
  readonly history: HistoryEvent;
  /** When the SLA job looks at the case next, from the clocks after the change. */
  readonly nextAt: string | undefined;
  /** Resolving: the result's archive consequences, and the day the personal data go. */
  readonly archive?: Archive;
  readonly anonymiseOn?: string;
}

/** Why the action cannot apply to the case as it is now; undefined when it can. */
export function refusalOf(c: Case | undefined, claims: ActionClaims): ActionRefusal | undefined {
  if (c === undefined) return 'missing';
  if (c.usedLinks[claims.id] !== undefined) return 'used';
  if (c.status === 'resolved') return 'closed';
  if (claims.action === 'join') {
    if (!c.tags.some((t) => t.department === claims.official)) return 'notTouched';
    // Open, whoever is its contact (or none yet, handed back to routing: the new one hears of it).
    return joinedDepartments(c).includes(claims.official) ? 'alreadyInvolved' : undefined;
  }
  if (c.status !== 'assigned' || c.contact?.id !== claims.official) return 'notContact';
  if (claims.action === 'contact-made' && c.clocks.firstContact?.stoppedAt !== undefined)
    return 'alreadyContacted';
  if (claims.action === 'pause') {
    if (unstopped(c).some((name) => c.clocks[name]?.pausedAt !== undefined)) return 'alreadyPaused';
    if (unstopped(c).length === 0) return 'notRunning';
  }
  if (claims.action === 'resume' && pausedClocks(c).length === 0) return 'notPaused';
  return undefined;
}

/** Clocks that have not stopped (running or paused). */
const unstopped = (c: Case): ClockName[] =>
  CLOCKS.filter((name) => c.clocks[name] !== undefined && c.clocks[name]?.stoppedAt === undefined);
/** Clocks that are paused and not stopped. */
const pausedClocks = (c: Case): ClockName[] =>
  unstopped(c).filter((name) => c.clocks[name]?.pausedAt !== undefined);

/**
 * Is the case waiting for the enterprise (a clock paused)? The reason (the question asked) is the last
 * `paused` event's, and `round` its number among the case's pauses (1 for the first; 0 for clocks paused
 * without an event).
 */
export function pauseOf(c: Case): { readonly reason: string; readonly round: number } | undefined {
  if (c.status !== 'assigned' || pausedClocks(c).length === 0) return undefined;
  const round = c.history.filter((h) => h.type === 'paused').length;
  const event = c.history.findLast((h) => h.type === 'paused');
  return { reason: event?.type === 'paused' ? event.reason : '', round };
}

/** A paused clock resumed at `now`: due and every step moved by the working days it was paused. */
function resumed(clock: SlaClock, now: Date, calendar: CalendarConfig): { clock: SlaClock; days: number } {
  const { pausedAt, ...rest } = clock;
  if (pausedAt === undefined) return { clock, days: 0 };
  const days = workingDaysBetween(new Date(pausedAt), now, calendar);
  if (days === 0) return { clock: rest, days };
  const move = (iso: string) => addWorkingDays(new Date(iso), days, calendar).due.toISOString();
  const steps = { reminder: move(rest.steps.reminder), escalation: move(rest.steps.escalation) };
  return {
    clock: {
      ...rest,
      due: move(rest.due),
      steps,
      extendedWorkingDays: (rest.extendedWorkingDays ?? 0) + days,
    },
    days,
  };
}

/** What an official typed or chose on the action's page. */
export interface ActionInput {
  /** The outcome (required to resolve) or the question to the enterprise (required to pause). */
  readonly text?: string;
  /** Hand over to this colleague, or back to routing (required to hand over). */
  readonly handOverTo?: Contact | 'routing';
  /** The result chosen and what it means for the archive (required to resolve; `resolutionFor`). */
  readonly resolution?: Resolution;
}

/**
 * The change an action makes; `calendar` counts the working days a case was paused. A handover keeps
 * every clock as it is: the promises were made to the enterprise, not by one official.
 */
export function planAction(
  c: Case,
  claims: ActionClaims,
  now: Date,
  calendar: CalendarConfig,
  input: ActionInput = {},
): ActionChange {
  const { text } = input;
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
  const sent = sentIn(c.notifications);
  switch (claims.action) {
    case 'contact-made': {
      const stop: ClockName[] = ['firstContact'];
      return {
        ...base,
        action: claims.action,
        requireRunning: stop,
        stop,
        rewrite: [],
        history: { type: 'contacted', version: 1, at, by: claims.official },
        nextAt: nextStepAt(stopped(stop), sent, calendar),
      };
    }
    case 'resolve': {
      const { resolution } = input;
      if (text === undefined || resolution === undefined)
        throw new Error('resolving needs an outcome and a result');
      const stop = CLOCKS.filter((name) => c.clocks[name] !== undefined);
      // The enterprise's satisfaction e-mail goes out through the route queue (the router sends a case's
      // e-mails); if that message is lost, the SLA job finds the case here and queues it again.
      return {
        ...base,
        action: claims.action,
        requireRunning: [],
        stop,
        status: 'resolved',
        rewrite: [],
        history: {
          type: 'resolved',
          version: 1,
          at,
          by: claims.official,
          outcome: text,
          result: resolution.archive.result,
        },
        nextAt: routingRetryAt(now),
        archive: resolution.archive,
        anonymiseOn: resolution.anonymiseOn,
      };
    }
    case 'hand-over': {
      const to = input.handOverTo;
      if (to === undefined) throw new Error('handing over needs a colleague or routing');
      // The e-mails of the handover go out through the route queue; if that message is lost, the SLA job
      // finds the case here and queues it again.
      const retry = routingRetryAt(now);
      // Every clock keeps running through a handover.
      const handover = { ...base, action: claims.action, requireRunning: [], stop: [], rewrite: [] };
      const handedOver = {
        type: 'handedOver',
        version: 1,
        at,
        by: claims.official,
        byName: c.contact?.name,
      } as const;
      if (to === 'routing')
        return { ...handover, status: 'submitted', contact: null, history: handedOver, nextAt: retry };
      if (to.id === claims.official) throw new Error('a case is handed over to someone else');
      return {
        ...handover,
        contact: to,
        history: { ...handedOver, to: to.id, toName: to.name },
        nextAt: soonerOf(nextStepAt(c.clocks, sent, calendar), retry),
      };
    }
    case 'join': {
      // The contact hears of it by e-mail, through the route queue (the router sends a case's e-mails); if
      // that message is lost, the SLA job finds the case here and queues it again.
      return {
        ...base,
        official: undefined,
        action: claims.action,
        requireRunning: [],
        stop: [],
        rewrite: [],
        history: { type: 'joined', version: 1, at, department: claims.official },
        nextAt: soonerOf(nextStepAt(c.clocks, sent, calendar), routingRetryAt(now)),
      };
    }
    case 'pause': {
      if (text === undefined) throw new Error('pausing needs the question to the enterprise');
      const clocks: SlaClocks = { ...c.clocks };
      const rewrite: ClockRewrite[] = [];
      for (const name of unstopped(c)) {
        const clock = c.clocks[name];
        if (clock === undefined) continue;
        clocks[name] = { ...clock, pausedAt: at };
        rewrite.push({ name, pausedAt: clock.pausedAt, clock: { ...clock, pausedAt: at } });
      }
      return {
        ...base,
        action: claims.action,
        requireRunning: [],
        stop: [],
        rewrite,
        history: { type: 'paused', version: 1, at, by: claims.official, reason: text },
        nextAt: soonerOf(nextStepAt(clocks, sent, calendar), routingRetryAt(now)),
      };
    }
    case 'resume': {
      const { rewrite, clocks, workingDays } = resumeClocks(c, now, calendar);
      return {
        ...base,
        action: claims.action,
        requireRunning: [],
        stop: [],
        rewrite,
        history: { type: 'resumed', version: 1, at, by: claims.official, workingDays },
        nextAt: nextStepAt(clocks, sent, calendar),
      };
    }
  }
}

/**
 * When the SLA job looks at a case whose e-mails go out through the route queue (a question, an answer, a
 * join, a handover, a resolve): if that message is lost, the job finds the case then and queues it again.
 */
export const routingRetryAt = (now: Date): string => new Date(now.getTime() + ROUTING_GRACE_MS).toISOString();

/** The earlier of two moments, either of which may be missing. */
export const soonerOf = (a: string | undefined, b: string): string => (a !== undefined && a < b ? a : b);

/**
 * The paused clocks of a case resumed at `now`, as the official's `resume` and the enterprise's answer both
 * do it: each clock rewritten with its moments moved by the working days it was paused, the clocks as they
 * are then, and the most working days a clock was paused.
 */
export function resumeClocks(
  c: Case,
  now: Date,
  calendar: CalendarConfig,
): { readonly rewrite: ClockRewrite[]; readonly clocks: SlaClocks; readonly workingDays: number } {
  const clocks: SlaClocks = { ...c.clocks };
  const rewrite: ClockRewrite[] = [];
  let workingDays = 0;
  for (const name of pausedClocks(c)) {
    const clock = c.clocks[name];
    if (clock === undefined) continue;
    const next = resumed(clock, now, calendar);
    workingDays = Math.max(workingDays, next.days);
    clocks[name] = next.clock;
    rewrite.push({ name, pausedAt: clock.pausedAt, clock: next.clock });
  }
  return { rewrite, clocks, workingDays };
}

/**
 * The action links for a case's contact: contact made while the first-contact clock runs, resolve, pause
 * and resume (a resume link only works while the case is paused), hand over; each link works once.
 */
export function actionUrlsFor(make: ActionLinkMaker, c: Case, contact: Contact): ActionUrls {
  const link = (action: Action) =>
    make({ reference: c.reference, official: contact.id, lang: contact.language, action });
  return {
    contactMade: c.clocks.firstContact?.stoppedAt === undefined ? link('contact-made') : undefined,
    resolve: c.status === 'assigned' ? link('resolve') : undefined,
    pause: c.status === 'assigned' ? link('pause') : undefined,
    resume: c.status === 'assigned' ? link('resume') : undefined,
    handOver: c.status === 'assigned' ? link('hand-over') : undefined,
  };
}

/**
 * The colleagues a case can be handed over to at `now`: present today, not the official handing over;
 * those in a department the case touches first, then by name.
 */
export function colleaguesFor(
  c: Case,
  officials: readonly Candidate[],
  self: string,
  now: Date,
): Candidate[] {
  const tagged = new Set(c.tags.map((t) => t.department));
  const touches = (o: Candidate) => (o.departments.some((d) => tagged.has(d)) ? 0 : 1);
  return officials
    .filter((o) => o.id !== self && isAvailable(o, now))
    .sort((a, b) => touches(a) - touches(b) || a.name.localeCompare(b.name, 'nl'));
}

/** The clocks an applied change stopped at or before their due moment: promises kept. */
export const keptClocks = (c: Case, change: ActionChange): ClockName[] =>
  change.stop.filter((name) => {
    const clock = c.clocks[name];
    return (
      clock !== undefined && clock.stoppedAt === undefined && Date.parse(change.at) <= Date.parse(clock.due)
    );
  });
