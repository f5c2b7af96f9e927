import type { Municipality } from '../../../config/schema.js';
import { type Case, type Contact, historyOf } from '../case.js';
import type { Language } from '../messages.js';
import type { ClockName, SlaClock } from '../sla.js';
import { formatMoment, nameOf } from './describe.js';
import type { Block, Draft } from './render.js';

/** The pieces several e-mails share: the facts of a request, the action links, the history. */

/** Signed action links for the contact of a case (see `action-link.ts`); absent ones are not shown. */
export interface ActionUrls {
  readonly contactMade?: string;
  readonly resolve?: string;
  readonly pause?: string;
  readonly resume?: string;
  readonly handOver?: string;
}

const actionWords = {
  nl: {
    heading: 'Acties',
    contactMade: 'Contact gemaakt: ik heb contact opgenomen met de ondernemer',
    resolve: 'Afronden: de aanvraag is afgehandeld',
    pause: 'Pauzeren: wachten op de ondernemer (de termijnen staan stil)',
    resume: 'Hervatten: de termijnen lopen weer, verlengd met de gepauzeerde werkdagen',
    handOver: 'Overdragen: aan een collega, of terug naar de verdeling',
    note: 'Elke link werkt één keer en 30 dagen lang. U bevestigt op de pagina die opent; alleen openen verandert niets.',
  },
  en: {
    heading: 'Actions',
    contactMade: 'Contact made: I got in touch with the enterprise',
    resolve: 'Resolve: the request has been dealt with',
    pause: 'Pause: waiting for the enterprise (the clocks stand still)',
    resume: 'Resume: the clocks run again, extended by the paused working days',
    handOver: 'Hand over: to a colleague, or back to routing',
    note: 'Each link works once, for 30 days. You confirm on the page it opens; only opening it changes nothing.',
  },
} as const;

const ACTION_ORDER = ['contactMade', 'resolve', 'pause', 'resume', 'handOver'] as const;

/** The action links as mail blocks: one link each, then how they work. */
export function actionBlocks(urls: ActionUrls | undefined, lang: Language): Block[] {
  if (urls === undefined) return [];
  const w = actionWords[lang];
  const links = ACTION_ORDER.flatMap((action): Block[] => {
    const link = urls[action];
    return link === undefined ? [] : [{ link, label: w[action] }];
  });
  return links.length === 0 ? [] : [{ p: w.heading }, ...links, { p: w.note }];
}

export const labels = {
  nl: {
    organisation: 'Organisatie',
    kvk: 'KvK-nummer',
    person: 'Contactpersoon',
    goals: 'Doelen',
    type: 'Soort aanvraag',
    description: 'Omschrijving',
    departments: 'Afdelingen en waarom',
    contact: 'Aanspreekpunt',
  },
  en: {
    organisation: 'Organisation',
    kvk: 'KvK number',
    person: 'Contact person',
    goals: 'Goals',
    type: 'Request type',
    description: 'Description',
    departments: 'Departments and why',
    contact: 'Point of contact',
  },
} as const;

/** The request in a table: organisation, KvK number, contact person, goals, request type. */
export function facts(c: Case, m: Municipality, lang: Language): [string, string][] {
  const r = c.request;
  const l = labels[lang];
  return [
    [l.organisation, r.organisation.name],
    [l.kvk, r.organisation.kvkNumber],
    [l.person, [r.contact.name, r.contact.email, r.contact.phone].filter(Boolean).join(', ')],
    [l.goals, r.goals.map((g) => nameOf(m.goals, g, lang)).join(', ')],
    [l.type, nameOf(m.requestTypes, r.requestType, lang)],
  ];
}

export const promisesHeading = { nl: 'Onze toezeggingen', en: 'Our promises' } as const;

export const clockWords = {
  nl: { firstContact: 'het eerste contact met de ondernemer', decision: 'een besluit over de aanvraag' },
  en: { firstContact: 'the first contact with the enterprise', decision: 'a decision on the request' },
} as const;

/** The history of a case, one line per event with its notification kind. */
export const historyLines = (c: Case, lang: Language) =>
  historyOf(c).map(
    (h) => `${formatMoment(h.at, lang)}: ${h.type}${'notification' in h ? ` (${h.notification})` : ''}`,
  );

/** The last line of every e-mail of a case. */
export const footerOf = (c: Case, m: Municipality) => `${m.name} · ${c.reference}`;

/** What the e-mails of a step of the SLA ladder are about: a case, its contact and one running clock. */
export interface StepMailInput {
  readonly c: Case;
  readonly contact: Contact;
  readonly clock: ClockName;
  readonly running: SlaClock;
  readonly m: Municipality;
}

/** What the routing e-mails to the enterprise are about: a case, its contact, its status link if known. */
export interface EnterpriseMailInput {
  readonly c: Case;
  readonly contact: Contact;
  readonly m: Municipality;
  readonly statusUrl: string | undefined;
}

const enterpriseWords = {
  nl: { hello: (name: string) => `Beste ${name},`, status: 'Bekijk de status van uw aanvraag' },
  en: { hello: (name: string) => `Dear ${name},`, status: 'See the status of your request' },
} as const;

/**
 * An e-mail to the enterprise, in its language, that its answer takes to its contact: the greeting, the
 * blocks, then (when `status` is given) the link to its status page or, without one, where to find it.
 */
export function enterpriseDraft(input: {
  readonly c: Case;
  readonly contact: Contact;
  readonly m: Municipality;
  readonly subject: string;
  readonly blocks: readonly Block[];
  readonly status?: { readonly url: string | undefined; readonly noLink: string };
}): Draft {
  const { c, status } = input;
  const lang = c.request.language;
  const w = enterpriseWords[lang];
  return {
    to: c.request.contact.email,
    replyTo: input.contact.email,
    subject: input.subject,
    lang,
    blocks: [
      { p: w.hello(c.request.contact.name) },
      ...input.blocks,
      ...(status === undefined
        ? []
        : [status.url === undefined ? { p: status.noLink } : { link: status.url, label: w.status }]),
    ],
    footer: footerOf(c, input.m),
  };
}
