import type { Municipality } from '../../config/schema.js';
import { processTypeOf } from '../domain/archive.js';
import { formatMoment } from '../domain/calendar.js';
import { type Case, closedAt } from '../domain/case.js';
import { html, type SafeHtml } from '../domain/html.js';
import { nameOf } from '../domain/mail/describe.js';
import { openCaseSummary } from '../domain/mail/official-digest.js';
import type { Language } from '../domain/messages.js';
import type { MyCases, MyCasesRefused } from '../use-cases/view-my-cases.js';
import { CLOSED_SHOWN_DAYS } from '../use-cases/view-my-cases.js';
import { list, paragraph } from '../web/components.js';
import { otherLanguage as other } from '../web/language.js';
import { layout } from '../web/layout.js';
import { fill } from '../web/texts.js';

/** The words of the "Mijn zaken / My cases" page, Dutch first. `{x}` marks a value filled in by the page. */
const texts = {
  nl: {
    title: 'Mijn zaken',
    intro:
      '{name}, dit zijn uw aanvragen zoals ze nu staan ({at}). Deze pagina is alleen om te lezen: handel een aanvraag af met de links in uw e-mails. De link werkt tot {until}; uw volgende overzicht brengt een nieuwe.',
    open: 'Open aanvragen ({count})',
    noneOpen: 'U hebt geen open aanvragen.',
    standIn: 'Waarneming voor {name}, afwezig ({count})',
    closed: 'Afgerond in de laatste {days} dagen ({count})',
    noneClosed: 'U hebt de laatste {days} dagen geen aanvraag afgerond.',
    closedOn: 'Afgerond: {at}',
    result: 'Resultaat: {result}',
    departments: 'Afdelingen: {departments}',
    problem: {
      invalid: {
        title: 'Link ongeldig',
        text: 'Deze link is niet geldig: hij is beschadigd of aangepast, of u staat niet meer in de lijst van medewerkers. Gebruik de link precies zoals hij in uw overzicht staat.',
      },
      expired: {
        title: 'Link verlopen',
        text: 'Deze link is verlopen: hij werkt tot het volgende overzicht. Gebruik de link "Mijn zaken" in uw nieuwste overzicht.',
      },
    },
  },
  en: {
    title: 'My cases',
    intro:
      '{name}, these are your requests as they stand now ({at}). This page is read only: act on a request with the links in your e-mails. The link works until {until}; your next overview brings a new one.',
    open: 'Open requests ({count})',
    noneOpen: 'You have no open requests.',
    standIn: 'Standing in for {name}, away ({count})',
    closed: 'Resolved in the last {days} days ({count})',
    noneClosed: 'You resolved no request in the last {days} days.',
    closedOn: 'Resolved: {at}',
    result: 'Result: {result}',
    departments: 'Departments: {departments}',
    problem: {
      invalid: {
        title: 'Link not valid',
        text: 'This link is not valid: it is damaged or changed, or you are no longer in the list of officials. Use the link exactly as it is in your overview.',
      },
      expired: {
        title: 'Link expired',
        text: 'This link has expired: it works until the next overview. Use the "My cases" link in your latest overview.',
      },
    },
  },
} as const;

/** The problems a "Mijn zaken" link can have, with their HTTP status. */
export const myCasesProblemStatus = { invalid: 403, expired: 410 } as const satisfies Record<
  MyCasesRefused['outcome'],
  number
>;

const selfHref = (token: string, lang: Language) => `/my-cases/${encodeURIComponent(token)}?lang=${lang}`;

/** An open case: its heading and what an official's overview says of it. */
function openCase(c: Case, at: Date, m: Municipality, lang: Language): SafeHtml {
  const { heading, lines } = openCaseSummary(c, at, m, lang);
  return html`<h3 class="utrecht-heading-3">${heading}</h3>
${list(lines)}`;
}

/** A closed case: when, with what result, and its departments. */
function closedCase(c: Case, m: Municipality, lang: Language): SafeHtml {
  const t = texts[lang];
  const on = closedAt(c);
  const { type } = processTypeOf(m, c.request.requestType);
  const result = type.results.find((r) => r.id === c.archive?.result)?.name[lang];
  return html`<h3 class="utrecht-heading-3">${c.reference}: ${c.request.organisation.name}</h3>
${list([
  ...(on === undefined ? [] : [fill(t.closedOn, { at: formatMoment(on, lang) })]),
  ...(result === undefined ? [] : [fill(t.result, { result })]),
  fill(t.departments, {
    departments: c.tags.map((tag) => nameOf(m.departments, tag.department, lang)).join(', '),
  }),
])}`;
}

/** The official's open cases, those they stand in for and those they closed lately. Shows; changes nothing. */
export function myCasesPage(o: {
  readonly lang: Language;
  readonly municipality: Municipality;
  readonly token: string;
  readonly view: MyCases;
}): string {
  const { lang, municipality: m, view } = o;
  const t = texts[lang];
  const count = (n: number) => String(n);
  const days = String(CLOSED_SHOWN_DAYS);
  return layout({
    lang,
    title: t.title,
    municipality: m,
    switchHref: selfHref(o.token, other(lang)),
    main: html`<h1 class="utrecht-heading-1">${t.title}</h1>
${paragraph(
  fill(t.intro, {
    name: view.official.name,
    at: formatMoment(view.at.toISOString(), lang),
    until: formatMoment(view.claims.expiresAt, lang),
  }),
)}
<h2 class="utrecht-heading-2">${fill(t.open, { count: count(view.own.length) })}</h2>
${view.own.length === 0 ? paragraph(t.noneOpen) : view.own.map((c) => openCase(c, view.at, m, lang))}
${view.standingInFor.map(
  (
    s,
  ) => html`<h2 class="utrecht-heading-2">${fill(t.standIn, { name: s.official.name, count: count(s.cases.length) })}</h2>
${s.cases.map((c) => openCase(c, view.at, m, lang))}`,
)}
<h2 class="utrecht-heading-2">${fill(t.closed, { days, count: count(view.closed.length) })}</h2>
${view.closed.length === 0 ? paragraph(fill(t.noneClosed, { days })) : view.closed.map((c) => closedCase(c, m, lang))}`,
  });
}

/** A "Mijn zaken" link that shows nothing, and why. */
export function myCasesProblemPage(o: {
  readonly lang: Language;
  readonly municipality: Municipality;
  readonly token: string;
  readonly problem: MyCasesRefused['outcome'];
}): string {
  const { title, text } = texts[o.lang].problem[o.problem];
  return layout({
    lang: o.lang,
    title,
    municipality: o.municipality,
    switchHref: selfHref(o.token, other(o.lang)),
    main: html`<h1 class="utrecht-heading-1">${title}</h1>
${paragraph(text)}`,
  });
}
