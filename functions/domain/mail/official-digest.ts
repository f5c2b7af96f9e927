import type { DigestsConfig } from '../../../config/digests.js';
import type { Municipality } from '../../../config/schema.js';
import { formatDay, formatMoment, type IsoDay } from '../calendar.js';
import { type Candidate, type Case, joinedDepartments } from '../case.js';
import { nextDue, workingDaysLeft } from '../digest.js';
import type { Language } from '../messages.js';
import { CLOCKS, type ClockName } from '../sla.js';
import { nameOf } from './describe.js';
import type { ActionUrls } from './parts.js';
import { type Block, composeMail, type Mail } from './render.js';

/** A case of an official's digest, with the links its reader may use. */
export interface DigestCase {
  readonly c: Case;
  /** The action links for the case's contact; for a case stood in for, the hand-over link only. */
  readonly links?: ActionUrls;
}

const words = {
  nl: {
    week: 'Weekoverzicht',
    day: 'Dagoverzicht',
    open: (n: number) => `${n} open ${n === 1 ? 'aanvraag' : 'aanvragen'}`,
    late: (n: number) => `${n} over de termijn`,
    intro: (name: string) =>
      `Beste ${name}, dit zijn uw open aanvragen, de eerstvolgende termijn bovenaan; aanvragen waarvan een toezegging al verlopen is, staan eerst.`,
    own: 'Uw open aanvragen',
    standIn: (name: string) => `Waarneming voor ${name} (afwezig)`,
    standInNote: (name: string) =>
      `U bent de vervanger van ${name}. Neem een aanvraag over met de link "Overdragen" (kies uzelf of een collega); de ondernemer houdt één aanspreekpunt.`,
    clock: { firstContact: 'Eerste contact', decision: 'Besluit' } satisfies Record<ClockName, string>,
    by: 'uiterlijk',
    left: (n: number) =>
      n > 0
        ? `nog ${n} ${n === 1 ? 'werkdag' : 'werkdagen'}`
        : n === 0
          ? 'vandaag'
          : `${-n} ${-n === 1 ? 'werkdag' : 'werkdagen'} over de termijn`,
    broken: 'termijn verlopen',
    paused: 'gepauzeerd: wacht op de ondernemer',
    kept: 'gehaald',
    late2: 'te laat gehaald',
    departments: 'Afdelingen',
    involved: 'Denkt mee',
    submitted: 'Ingediend',
    links: {
      contactMade: 'Contact gemaakt',
      resolve: 'Afronden',
      pause: 'Pauzeren',
      resume: 'Hervatten',
      handOver: 'Overdragen',
    },
    note: 'Elke link werkt één keer en 30 dagen lang; u bevestigt op de pagina die opent.',
    myCases:
      'Mijn zaken: uw open aanvragen en wat u de laatste 30 dagen afrondde (alleen lezen, tot het volgende overzicht)',
  },
  en: {
    week: 'Weekly overview',
    day: 'Daily overview',
    open: (n: number) => `${n} open ${n === 1 ? 'request' : 'requests'}`,
    late: (n: number) => `${n} past their term`,
    intro: (name: string) =>
      `Dear ${name}, these are your open requests, the next term first; requests with a promise already broken come first.`,
    own: 'Your open requests',
    standIn: (name: string) => `Standing in for ${name} (away)`,
    standInNote: (name: string) =>
      `You are ${name}'s deputy. Take a request over with its "Hand over" link (choose yourself or a colleague); the enterprise keeps one point of contact.`,
    clock: { firstContact: 'First contact', decision: 'Decision' } satisfies Record<ClockName, string>,
    by: 'by',
    left: (n: number) =>
      n > 0
        ? `${n} ${n === 1 ? 'working day' : 'working days'} left`
        : n === 0
          ? 'today'
          : `${-n} ${-n === 1 ? 'working day' : 'working days'} past the term`,
    broken: 'term passed',
    paused: 'paused: waiting for the enterprise',
    kept: 'kept',
    late2: 'kept late',
    departments: 'Departments',
    involved: 'Involved',
    submitted: 'Submitted',
    links: {
      contactMade: 'Contact made',
      resolve: 'Resolve',
      pause: 'Pause',
      resume: 'Resume',
      handOver: 'Hand over',
    },
    note: 'Each link works once, for 30 days; you confirm on the page it opens.',
    myCases:
      'My cases: your open requests and what you resolved in the last 30 days (read only, until the next overview)',
  },
} as const;

/** One promise of a case in words: its due moment and how far off it is, or how it ended. */
function promiseText(
  c: Case,
  clock: ClockName,
  now: Date,
  m: Municipality,
  lang: Language,
): string | undefined {
  const w = words[lang];
  const running = c.clocks[clock];
  if (running === undefined) return undefined;
  const due = `${w.clock[clock]} ${w.by} ${formatMoment(running.due, lang)}`;
  if (running.stoppedAt !== undefined)
    return `${due}: ${running.stoppedAt <= running.due ? w.kept : w.late2}`;
  if (running.pausedAt !== undefined) return `${due}: ${w.paused}`;
  return `${due}: ${w.left(workingDaysLeft(now, new Date(running.due), m.sla.calendar))}`;
}

const ACTIONS = ['contactMade', 'resolve', 'pause', 'resume', 'handOver'] as const;

/**
 * An open case as an official's overview describes it (the digest, and the "Mijn zaken" page): its heading
 * (reference, enterprise, a broken promise), then its promises, departments, who joined and its submission.
 */
export function openCaseSummary(
  c: Case,
  now: Date,
  m: Municipality,
  lang: Language,
): { readonly heading: string; readonly lines: string[] } {
  const w = words[lang];
  const due = nextDue(c);
  const broken = due !== undefined && Date.parse(due) < now.getTime();
  const joined = joinedDepartments(c);
  return {
    heading: `${c.reference}: ${c.request.organisation.name}${broken ? ` (${w.broken})` : ''}`,
    lines: [
      ...CLOCKS.flatMap((clock) => promiseText(c, clock, now, m, lang) ?? []),
      `${w.departments}: ${c.tags.map((t) => nameOf(m.departments, t.department, lang)).join(', ')}`,
      ...(joined.length === 0
        ? []
        : [`${w.involved}: ${joined.map((d) => nameOf(m.departments, d, lang)).join(', ')}`]),
      `${w.submitted}: ${formatMoment(c.submittedAt, lang)}`,
    ],
  };
}

/** A case of the digest: its promises, departments and submission, then its links. */
function caseBlocks({ c, links }: DigestCase, now: Date, m: Municipality, lang: Language): Block[] {
  const w = words[lang];
  const { heading, lines } = openCaseSummary(c, now, m, lang);
  return [
    { heading, list: lines },
    ...ACTIONS.flatMap((action): Block[] => {
      const link = links?.[action];
      return link === undefined ? [] : [{ link, label: `${w.links[action]}: ${c.reference}` }];
    }),
  ];
}

/**
 * An official's digest of a period: their open cases in due order (the breached first), each with its
 * promises and the working days left, its departments and its action links; then, for each absent colleague
 * they stand in for, that colleague's open cases with the hand-over link. In the official's language.
 */
export function officialDigestMail(input: {
  readonly official: Candidate;
  readonly own: readonly DigestCase[];
  readonly standingInFor: readonly { readonly official: Candidate; readonly cases: readonly DigestCase[] }[];
  readonly period: IsoDay;
  readonly every: DigestsConfig['officials']['every'];
  readonly now: Date;
  readonly m: Municipality;
  /** The link to the official's read-only "Mijn zaken" page, valid until the next digest. */
  readonly myCasesUrl: string;
}): Mail {
  const { official, own, standingInFor, period, every, now, m } = input;
  const lang = official.language;
  const w = words[lang];
  const all = [...own, ...standingInFor.flatMap((s) => s.cases)];
  const late = all.filter(({ c }) => {
    const due = nextDue(c);
    return due !== undefined && Date.parse(due) < now.getTime();
  }).length;
  const counts = [w.open(all.length), ...(late > 0 ? [w.late(late)] : [])].join(', ');
  return composeMail({
    to: official.email,
    replyTo: m.coordinator.email,
    subject: `${every === 'week' ? w.week : w.day} ${formatDay(period, lang)}: ${counts}`,
    lang,
    blocks: [
      { p: w.intro(official.name) },
      { link: input.myCasesUrl, label: w.myCases },
      ...(own.length === 0 ? [] : [{ p: w.own }, ...own.flatMap((d) => caseBlocks(d, now, m, lang))]),
      ...standingInFor.flatMap(({ official: away, cases }): Block[] => [
        { p: w.standIn(away.name) },
        { p: w.standInNote(away.name) },
        ...cases.flatMap((d) => caseBlocks(d, now, m, lang)),
      ]),
      { p: w.note },
    ],
    footer: `${m.name} · ${every === 'week' ? w.week : w.day} · ${official.name}`,
  });
}
