import type { Municipality } from '../../config/schema.js';
import { type Case, type Contact, handoverKinds, lastHandover, type TagReason } from './case.js';
import { headerSafe, html, type SafeHtml } from './html.js';
import type { Language } from './messages.js';
import { type ClockName, type Step, stepKinds } from './sla.js';

/** An e-mail as the domain writes it; the mail adapter sends it. */
export interface Mail {
  readonly to: string;
  readonly replyTo?: string;
  readonly subject: string;
  readonly text: string;
  readonly html: string;
}

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

/** The action links as mail blocks: one link each, then how they work. */
function actionBlocks(urls: ActionUrls | undefined, lang: Language): Block[] {
  if (urls === undefined) return [];
  const w = actionWords[lang];
  const links: Block[] = [];
  if (urls.contactMade !== undefined) links.push({ link: urls.contactMade, label: w.contactMade });
  if (urls.resolve !== undefined) links.push({ link: urls.resolve, label: w.resolve });
  if (urls.pause !== undefined) links.push({ link: urls.pause, label: w.pause });
  if (urls.resume !== undefined) links.push({ link: urls.resume, label: w.resume });
  if (urls.handOver !== undefined) links.push({ link: urls.handOver, label: w.handOver });
  return links.length === 0 ? [] : [{ p: w.heading }, ...links, { p: w.note }];
}

/** An e-mail of a kind that is sent once per case (the kind is the key of `Case.notifications`). */
export interface Notification {
  readonly kind: string;
  readonly mail: Mail;
}

type Named = { id: string; name: { nl: string; en: string } };
const nameOf = (list: readonly Named[], id: string, lang: Language) =>
  list.find((item) => item.id === id)?.name[lang] ?? id;

const reasonWords = {
  nl: { goal: 'doel', requestType: 'soort aanvraag', keyword: 'trefwoord', lead: 'leidend' },
  en: { goal: 'goal', requestType: 'request type', keyword: 'keyword', lead: 'lead' },
} as const;

/** Why a department is involved, in words: "doel: Zorg en welzijn", "trefwoord: statushouder (statushouders)". */
export function describeReason(reason: TagReason, m: Municipality, lang: Language): string {
  const w = reasonWords[lang];
  switch (reason.kind) {
    case 'goal':
      return `${w.goal}: ${nameOf(m.goals, reason.goal, lang)}`;
    case 'requestType':
      return `${w.requestType}: ${nameOf(m.requestTypes, reason.requestType, lang)}`;
    case 'keyword':
      return `${w.keyword}: ${reason.keyword}${reason.matched === reason.keyword ? '' : ` (${reason.matched})`}`;
  }
}

/** The departments of a case with their reasons, one line each. */
export function describeTags(c: Case, m: Municipality, lang: Language): string[] {
  return c.tags.map(
    (tag) =>
      `${nameOf(m.departments, tag.department, lang)}${tag.lead ? ` (${reasonWords[lang].lead})` : ''}: ${tag.reasons
        .map((r) => describeReason(r, m, lang))
        .join('; ')}`,
  );
}

/** A mail body in both forms from one outline: paragraphs, a table of facts, lists. */
type Block =
  | { readonly p: string }
  | { readonly facts: readonly (readonly [string, string])[] }
  | { readonly heading: string; readonly list: readonly string[] }
  | { readonly heading: string; readonly text: string }
  | { readonly link: string; readonly label: string };

/** A heading in the text part: followed by a colon unless it is a question. */
const heading = (text: string) => (/[?:]$/.test(text) ? text : `${text}:`);

function render(lang: Language, blocks: readonly Block[], footer: string): { text: string; html: string } {
  const text: string[] = [];
  const parts: SafeHtml[] = [];
  for (const b of blocks) {
    if ('p' in b) {
      text.push(b.p, '');
      parts.push(html`<p>${b.p}</p>`);
    } else if ('facts' in b) {
      text.push(...b.facts.map(([k, v]) => `${k}: ${v}`), '');
      parts.push(
        html`<table>${b.facts.map(([k, v]) => html`<tr><th align="left" valign="top">${k}</th><td>${v}</td></tr>`)}</table>`,
      );
    } else if ('list' in b) {
      text.push(heading(b.heading), ...b.list.map((item) => `- ${item}`), '');
      parts.push(html`<h2>${b.heading}</h2><ul>${b.list.map((item) => html`<li>${item}</li>`)}</ul>`);
    } else if ('text' in b) {
      text.push(heading(b.heading), b.text, '');
      parts.push(html`<h2>${b.heading}</h2><p style="white-space:pre-wrap">${b.text}</p>`);
    } else {
      text.push(`${b.label}: ${b.link}`, '');
      parts.push(html`<p><a href="${b.link}">${b.label}</a></p>`);
    }
  }
  text.push(footer);
  return {
    text: text.join('\n'),
    html: `<!doctype html>${html`<html lang="${lang}"><body>${parts}<p>${footer}</p></body></html>`}`,
  };
}

const labels = {
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

function facts(c: Case, m: Municipality, lang: Language): [string, string][] {
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

/**
 * The e-mail that tells the official they are the accountable contact for a case; `handedOverBy` names
 * the colleague who handed it to them (or handed it back for a new contact).
 */
export function assignmentMail(
  c: Case,
  contact: Contact,
  m: Municipality,
  links?: ActionUrls,
  handedOverBy?: string,
): Mail {
  const lang = contact.language;
  const org = c.request.organisation.name;
  const from =
    handedOverBy === undefined
      ? ''
      : lang === 'nl'
        ? `${handedOverBy} heeft deze aanvraag aan u overgedragen. De toezeggingen aan de ondernemer blijven staan. `
        : `${handedOverBy} handed this request over to you. The promises to the enterprise stand. `;
  const intro =
    lang === 'nl'
      ? `${from}U bent het vaste aanspreekpunt voor deze aanvraag van ${org}. U coördineert met de andere afdelingen en neemt contact op met de ondernemer.`
      : `${from}You are the fixed point of contact for this request from ${org}. You coordinate with the other departments and get in touch with the enterprise.`;
  const { text, html: body } = render(
    lang,
    [
      { p: intro },
      { facts: facts(c, m, lang) },
      { heading: promisesHeading[lang], list: promises(c, lang) },
      ...actionBlocks(links, lang),
      { heading: labels[lang].departments, list: describeTags(c, m, lang) },
      { heading: labels[lang].description, text: c.request.description },
    ],
    `${m.name} · ${c.reference}`,
  );
  const subject =
    handedOverBy === undefined
      ? lang === 'nl'
        ? `Nieuwe aanvraag ${c.reference}: u bent het aanspreekpunt voor ${org}`
        : `New request ${c.reference}: you are the point of contact for ${org}`
      : lang === 'nl'
        ? `Overgedragen: aanvraag ${c.reference}: u bent nu het aanspreekpunt voor ${org}`
        : `Handed over: request ${c.reference}: you are now the point of contact for ${org}`;
  return {
    to: contact.email,
    replyTo: c.request.contact.email,
    subject: headerSafe(subject),
    text,
    html: body,
  };
}

/** For a department the case touches, for information: who coordinates, and why the department is involved. */
export function departmentMail(c: Case, department: string, contact: Contact, m: Municipality): Mail {
  const d = m.departments.find((x) => x.id === department);
  if (d === undefined) throw new Error(`unknown department ${department}`);
  const lang: Language = 'nl';
  const org = c.request.organisation.name;
  const why = c.tags
    .filter((t) => t.department === department)
    .flatMap((t) => t.reasons.map((r) => describeReason(r, m, lang)));
  const { text, html: body } = render(
    lang,
    [
      {
        p: `Ter informatie: ${d.name.nl} is betrokken bij deze aanvraag van ${org}. ${contact.name} is het vaste aanspreekpunt en coördineert met alle betrokken afdelingen; neem voor deze aanvraag contact op met ${contact.name} (${contact.email}), niet rechtstreeks met de ondernemer.`,
      },
      { heading: 'Waarom uw afdeling', list: why },
      { facts: [...facts(c, m, lang), [labels.nl.contact, `${contact.name} <${contact.email}>`]] },
      { heading: labels.nl.departments, list: describeTags(c, m, lang) },
      { heading: labels.nl.description, text: c.request.description },
    ],
    `${m.name} · ${c.reference}`,
  );
  return {
    to: d.mailbox,
    replyTo: contact.email,
    subject: headerSafe(
      `Ter informatie: aanvraag ${c.reference} van ${org} (aanspreekpunt: ${contact.name})`,
    ),
    text,
    html: body,
  };
}

/** For the enterprise: the reference, the name and e-mail of their one contact, what happens next. */
export function enterpriseMail(
  c: Case,
  contact: Contact,
  m: Municipality,
  statusUrl: string | undefined,
): Mail {
  const lang = c.request.language;
  const r = c.request;
  const t =
    lang === 'nl'
      ? {
          subject: `Uw aanvraag ${c.reference} bij ${m.name}: uw vaste contactpersoon is ${contact.name}`,
          hello: `Beste ${r.contact.name},`,
          intro: `Wij hebben uw aanvraag voor ${r.organisation.name} ontvangen. Uw vaste contactpersoon bij de gemeente is ${contact.name} (${contact.email}). ${contact.name} stemt uw aanvraag af met alle afdelingen die ermee te maken hebben, zodat u maar met één persoon te maken hebt.`,
          next: 'Wat gebeurt er nu?',
          steps: [
            `${contact.name} neemt contact met u op.`,
            'U kunt deze e-mail beantwoorden: uw antwoord gaat naar uw contactpersoon.',
            `Noem altijd uw referentie: ${c.reference}.`,
          ],
          departments: 'Betrokken afdelingen',
          status: 'Bekijk de status van uw aanvraag',
          noLink: 'De status van uw aanvraag ziet u via de link op de bevestigingspagina.',
        }
      : {
          subject: `Your request ${c.reference} to ${m.name}: your fixed point of contact is ${contact.name}`,
          hello: `Dear ${r.contact.name},`,
          intro: `We have received your request for ${r.organisation.name}. Your fixed point of contact at the municipality is ${contact.name} (${contact.email}). ${contact.name} coordinates your request with every department involved, so you deal with one person only.`,
          next: 'What happens next?',
          steps: [
            `${contact.name} will get in touch with you.`,
            'You can reply to this e-mail: your reply goes to your point of contact.',
            `Always mention your reference: ${c.reference}.`,
          ],
          departments: 'Departments involved',
          status: 'See the status of your request',
          noLink: 'You can follow your request through the link on the confirmation page.',
        };
  const { text, html: body } = render(
    lang,
    [
      { p: t.hello },
      { p: t.intro },
      { heading: t.next, list: t.steps },
      { heading: promisesHeading[lang], list: promises(c, lang) },
      { heading: t.departments, list: c.tags.map((tag) => nameOf(m.departments, tag.department, lang)) },
      statusUrl === undefined ? { p: t.noLink } : { link: statusUrl, label: t.status },
    ],
    `${m.name} · ${c.reference}`,
  );
  return { to: r.contact.email, replyTo: contact.email, subject: headerSafe(t.subject), text, html: body };
}

/** For the enterprise after a handover: the name and e-mail of their new contact; the promises stand. */
export function handoverEnterpriseMail(
  c: Case,
  contact: Contact,
  m: Municipality,
  statusUrl: string | undefined,
): Mail {
  const lang = c.request.language;
  const r = c.request;
  const t =
    lang === 'nl'
      ? {
          subject: `Uw aanvraag ${c.reference} bij ${m.name}: uw nieuwe contactpersoon is ${contact.name}`,
          hello: `Beste ${r.contact.name},`,
          intro: `Vanaf nu is ${contact.name} (${contact.email}) uw vaste contactpersoon voor de aanvraag van ${r.organisation.name}. ${contact.name} heeft uw aanvraag overgenomen en stemt haar af met alle afdelingen die ermee te maken hebben. Onze toezeggingen aan u blijven staan.`,
          reply: `U kunt deze e-mail beantwoorden: uw antwoord gaat naar ${contact.name}. Noem altijd uw referentie: ${c.reference}.`,
          status: 'Bekijk de status van uw aanvraag',
          noLink:
            'De status van uw aanvraag ziet u via de link in onze eerste e-mail of op de bevestigingspagina.',
        }
      : {
          subject: `Your request ${c.reference} to ${m.name}: your new point of contact is ${contact.name}`,
          hello: `Dear ${r.contact.name},`,
          intro: `From now on ${contact.name} (${contact.email}) is your fixed point of contact for the request of ${r.organisation.name}. ${contact.name} has taken over your request and coordinates it with every department involved. Our promises to you stand.`,
          reply: `You can reply to this e-mail: your reply goes to ${contact.name}. Always mention your reference: ${c.reference}.`,
          status: 'See the status of your request',
          noLink:
            'You can follow your request through the link in our first e-mail or on the confirmation page.',
        };
  const { text, html: body } = render(
    lang,
    [
      { p: t.hello },
      { p: t.intro },
      { p: t.reply },
      { heading: promisesHeading[lang], list: promises(c, lang) },
      statusUrl === undefined ? { p: t.noLink } : { link: statusUrl, label: t.status },
    ],
    `${m.name} · ${c.reference}`,
  );
  return { to: r.contact.email, replyTo: contact.email, subject: headerSafe(t.subject), text, html: body };
}

/**
 * Every e-mail a routed case needs, each of its own kind: the accountable contact, each touched department
 * the contact is not part of, and the enterprise.
 */
export function routingNotifications(
  c: Case,
  contact: Contact,
  m: Municipality,
  statusUrl: string | undefined,
  links?: ActionUrls,
): Notification[] {
  const handover = lastHandover(c);
  if (handover !== undefined) {
    // After a handover only the new contact and the enterprise hear of it; the departments keep the
    // case's first contact on record and find the current one on the case.
    const kinds = handoverKinds(handover.round);
    return [
      {
        kind: kinds.contact,
        mail: assignmentMail(c, contact, m, links, handover.event.byName ?? handover.event.by),
      },
      { kind: kinds.enterprise, mail: handoverEnterpriseMail(c, contact, m, statusUrl) },
    ];
  }
  const own = new Set(contact.departments ?? []);
  return [
    { kind: 'assignment', mail: assignmentMail(c, contact, m, links) },
    ...c.tags
      .filter((t) => !own.has(t.department))
      .map((t) => ({
        kind: `department:${t.department}`,
        mail: departmentMail(c, t.department, contact, m),
      })),
    { kind: 'enterprise', mail: enterpriseMail(c, contact, m, statusUrl) },
  ];
}

/**
 * Are e-mails of the case's current assignment (or handover) still to go out? The SLA job then queues the
 * case again, so that the router sends them: a route message lost after the assignment loses no e-mail.
 */
export function routingPending(c: Case, m: Municipality): boolean {
  if (c.status !== 'assigned' || c.contact === undefined) return false;
  return routingNotifications(c, c.contact, m, undefined).some((n) => c.notifications[n.kind] === undefined);
}

const formatMoment = (iso: string | Date, lang: Language) =>
  new Intl.DateTimeFormat(lang === 'nl' ? 'nl-NL' : 'en-GB', {
    dateStyle: 'full',
    timeStyle: 'short',
    timeZone: 'Europe/Amsterdam',
  }).format(typeof iso === 'string' ? new Date(iso) : iso);

const clockWords = {
  nl: { firstContact: 'het eerste contact met de ondernemer', decision: 'een besluit over de aanvraag' },
  en: { firstContact: 'the first contact with the enterprise', decision: 'a decision on the request' },
} as const;

const historyLines = (c: Case, lang: Language) =>
  c.history.map(
    (h) => `${formatMoment(h.at, lang)}: ${h.type}${'notification' in h ? ` (${h.notification})` : ''}`,
  );

const promisesHeading = { nl: 'Onze toezeggingen', en: 'Our promises' } as const;

/** The running promises of a case, one line each. */
export const promises = (c: Case, lang: Language): string[] =>
  (['firstContact', 'decision'] as const).flatMap((clock) => promiseLine(c, clock, lang) ?? []);

/** The promise a clock stands for, with its due moment and how it was computed. */
export function promiseLine(c: Case, clock: ClockName, lang: Language): string | undefined {
  const running = c.clocks[clock];
  if (running === undefined) return undefined;
  const label =
    lang === 'nl'
      ? { firstContact: 'Eerste contact', decision: 'Besluit' }
      : { firstContact: 'First contact', decision: 'Decision' };
  const by = lang === 'nl' ? 'uiterlijk' : 'by';
  return `${label[clock]} ${by} ${formatMoment(running.due, lang)}: ${running.explanation[lang]}`;
}

/**
 * The e-mails of one step of the SLA ladder: the reminder to the contact; at the breach the contact, the
 * coordinator and (for the first contact) the enterprise with a new expected date; later the wethouder's
 * office of the lead department. `newExpected` is the date promised to the enterprise after a breach.
 */
export function slaNotifications(
  c: Case,
  clock: ClockName,
  step: Step,
  m: Municipality,
  newExpected: Date,
  links?: ActionUrls,
): Notification[] {
  const contact = c.contact;
  const running = c.clocks[clock];
  if (contact === undefined || running === undefined) return [];
  const org = c.request.organisation.name;
  const footer = `${m.name} · ${c.reference}`;
  const kinds = stepKinds(clock, step);
  const mails: Mail[] = [];
  if (step === 'reminder') {
    const lang = contact.language;
    const what = clockWords[lang][clock];
    const due = formatMoment(running.due, lang);
    const { text, html: body } = render(
      lang,
      [
        {
          p:
            lang === 'nl'
              ? `Herinnering: de termijn voor ${what} bij de aanvraag van ${org} loopt af op ${due}: ${running.explanation.nl}.`
              : `Reminder: the term for ${what} on the request from ${org} ends on ${due}: ${running.explanation.en}.`,
        },
        { facts: facts(c, m, lang) },
        ...actionBlocks(clock === 'firstContact' ? { contactMade: links?.contactMade } : undefined, lang),
      ],
      footer,
    );
    const subject =
      lang === 'nl'
        ? `Herinnering ${c.reference}: ${what} uiterlijk ${due}`
        : `Reminder ${c.reference}: ${what} by ${due}`;
    mails.push({
      to: contact.email,
      replyTo: c.request.contact.email,
      subject: headerSafe(subject),
      text,
      html: body,
    });
  } else if (step === 'breach') {
    for (const [to, lang] of [
      [contact.email, contact.language],
      [m.coordinator.email, m.coordinator.language],
    ] as const) {
      const what = clockWords[lang][clock];
      const due = formatMoment(running.due, lang);
      const { text, html: body } = render(
        lang,
        [
          {
            p:
              lang === 'nl'
                ? `De termijn voor ${what} bij de aanvraag van ${org} is verstreken op ${due}. Aanspreekpunt: ${contact.name}.`
                : `The term for ${what} on the request from ${org} passed on ${due}. Point of contact: ${contact.name}.`,
          },
          { facts: facts(c, m, lang) },
          // Only the contact gets the link: it works for them alone.
          ...actionBlocks(
            clock === 'firstContact' && to === contact.email
              ? { contactMade: links?.contactMade }
              : undefined,
            lang,
          ),
          { heading: lang === 'nl' ? 'Verloop' : 'History', list: historyLines(c, lang) },
        ],
        footer,
      );
      const subject =
        lang === 'nl'
          ? `Termijn verstreken ${c.reference}: ${what} (${org})`
          : `Term passed ${c.reference}: ${what} (${org})`;
      mails.push({ to, replyTo: contact.email, subject: headerSafe(subject), text, html: body });
    }
    if (clock === 'firstContact') {
      const lang = c.request.language;
      const expected = formatMoment(newExpected, lang);
      const { text, html: body } = render(
        lang,
        [
          { p: lang === 'nl' ? `Beste ${c.request.contact.name},` : `Dear ${c.request.contact.name},` },
          {
            p:
              lang === 'nl'
                ? `Wij hadden beloofd uiterlijk ${formatMoment(running.due, lang)} contact met u op te nemen over uw aanvraag voor ${org}. Dat is ons niet gelukt, en dat spijt ons. ${contact.name} (${contact.email}) neemt uiterlijk ${expected} contact met u op.`
                : `We promised to contact you about your request for ${org} by ${formatMoment(running.due, lang)}. We did not manage that, and we are sorry. ${contact.name} (${contact.email}) will contact you by ${expected}.`,
          },
        ],
        footer,
      );
      const subject =
        lang === 'nl'
          ? `Uw aanvraag ${c.reference}: we zijn later dan beloofd`
          : `Your request ${c.reference}: we are later than promised`;
      mails.push({
        to: c.request.contact.email,
        replyTo: contact.email,
        subject: headerSafe(subject),
        text,
        html: body,
      });
    }
  } else {
    const lead = c.tags.find((t) => t.lead)?.department;
    const department = m.departments.find((d) => d.id === lead) ?? m.departments[0];
    if (department === undefined) return [];
    const lang: Language = 'nl';
    const what = clockWords.nl[clock];
    const { text, html: body } = render(
      lang,
      [
        {
          p: `Ter attentie van ${department.wethouder.name}: de toezegging aan ${org} voor ${what} is niet nagekomen. De termijn liep af op ${formatMoment(running.due, lang)}. Aanspreekpunt: ${contact.name} (${contact.email}); de coördinator is ingelicht.`,
        },
        { facts: facts(c, m, lang) },
        { heading: labels.nl.departments, list: describeTags(c, m, lang) },
        { heading: 'Verloop', list: historyLines(c, lang) },
      ],
      footer,
    );
    mails.push({
      to: department.wethouder.office,
      replyTo: m.coordinator.email,
      subject: headerSafe(`Escalatie ${c.reference}: toezegging aan ${org} niet nagekomen`),
      text,
      html: body,
    });
  }
  return mails.flatMap((mail, i) => {
    const kind = kinds[i];
    return kind === undefined ? [] : [{ kind, mail }];
  });
}
