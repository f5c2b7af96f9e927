import type { Municipality } from '../../config/schema.js';
import type { ActionClaims } from '../domain/action-link.js';
import type { Candidate, Case } from '../domain/case.js';
import { html } from '../domain/html.js';
import type { Language } from '../domain/messages.js';
import {
  alert,
  describedBy,
  errorMessage,
  fieldClass,
  hint,
  invalidAttribute,
  label,
  link,
  paragraph,
  selectClass,
  textareaClass,
} from '../web/components.js';
import { otherLanguage as other } from '../web/language.js';
import { layout, messagePage } from '../web/layout.js';
import { fill } from '../web/texts.js';
import { actionTexts, type LinkProblem } from './texts.js';

const selfHref = (token: string, lang: Language) => `/actions/${encodeURIComponent(token)}?lang=${lang}`;

/** What the link would do, and the button that does it (a POST to the same link). Shows; changes nothing. */
export function confirmPage(o: {
  lang: Language;
  municipality: Municipality;
  token: string;
  claims: ActionClaims;
  c: Case;
  /** For a handover: the colleagues to choose from. */
  colleagues?: readonly Candidate[];
  /** The outcome (resolve) or reason (pause) typed so far, and whether it was refused. */
  outcome?: string;
  outcomeError?: boolean;
}): string {
  const t = actionTexts[o.lang];
  const { c, claims } = o;
  const action = claims.action;
  const values = { organisation: c.request.organisation.name, reference: c.reference };
  const error = o.outcomeError === true;
  const field =
    action === 'resolve'
      ? { name: 'outcome', label: t.outcome, hint: t.outcomeHint, error: t.outcomeError, max: 2000, rows: 6 }
      : action === 'pause'
        ? { name: 'reason', label: t.reason, hint: t.reasonHint, error: t.reasonError, max: 500, rows: 3 }
        : undefined;
  const department = (id: string) => o.municipality.departments.find((d) => d.id === id)?.name[o.lang] ?? id;
  const errorText = (id: string, text: string) => errorMessage(id, error ? text : undefined, o.lang);
  const described = (id: string) => describedBy(id, { hint: true, error });
  const invalid = invalidAttribute(error);
  const outcomeField =
    action === 'hand-over'
      ? html`<div class="${fieldClass(error)}">
${label('to', t.handOverTo)}
${hint('to', t.handOverHint)}
${errorText('to', t.handOverError)}
<select id="to" name="to" required class="${selectClass(error)}"${described('to')}${invalid}>
<option value="">${t.handOverChoose}</option>
${(o.colleagues ?? []).map(
  (colleague) =>
    html`<option value="${colleague.id}">${colleague.name} (${colleague.departments.map(department).join(', ')})</option>`,
)}
<option value="routing">${t.handOverRouting}</option>
</select>
</div>`
      : field === undefined
        ? ''
        : html`<div class="${fieldClass(error)}">
${label(field.name, field.label)}
${hint(field.name, field.hint)}
${errorText(field.name, field.error)}
<textarea id="${field.name}" name="${field.name}" class="${textareaClass(error)}" rows="${String(field.rows)}" maxlength="${String(field.max)}" required${described(field.name)}${invalid}>${o.outcome ?? ''}</textarea>
</div>`;
  const row = (header: string, value: string, extraClass = '') =>
    html`<tr class="utrecht-table__row"><th scope="row" class="utrecht-table__header-cell">${header}</th><td class="utrecht-table__cell${extraClass}">${value}</td></tr>`;
  const main = html`<h1 class="utrecht-heading-1">${t.title[action]}</h1>
<table class="utrecht-table utrecht-table--html-table">
<tbody class="utrecht-table__body">
${row(t.reference, c.reference, ' aanspreekpunt-reference reference')}
${row(t.organisation, c.request.organisation.name)}
${row(t.contact, c.contact?.name ?? '')}
</tbody>
</table>
${paragraph(fill(t.explain[action], values))}
${paragraph(t.nothingYet)}
<form method="post" action="${selfHref(o.token, o.lang)}">
${outcomeField}
<button type="submit" class="utrecht-button utrecht-button--primary-action utrecht-button--submit">${t.button[action]}</button>
</form>`;
  return layout({
    lang: o.lang,
    title: `${error ? t.errorPrefix : ''}${t.title[action]}`,
    municipality: o.municipality,
    switchHref: selfHref(o.token, other(o.lang)),
    main,
  });
}

/** The action is done; after a pause, with a fresh link to resume. */
export function donePage(o: {
  lang: Language;
  municipality: Municipality;
  token: string;
  claims: ActionClaims;
  c: Case;
  /** After a pause: a new link that resumes the case. */
  resumeUrl?: string;
  /** After a handover: the colleague's name, or `routing`. */
  handedTo?: string;
}): string {
  const t = actionTexts[o.lang];
  const action = o.claims.action;
  const values = {
    organisation: o.c.request.organisation.name,
    reference: o.c.reference,
    to: o.handedTo === 'routing' ? t.routingName : (o.handedTo ?? ''),
  };
  return layout({
    lang: o.lang,
    title: t.doneTitle[action],
    municipality: o.municipality,
    switchHref: selfHref(o.token, other(o.lang)),
    main: html`<h1 class="utrecht-heading-1">${t.doneTitle[action]}</h1>
${alert('ok', paragraph(fill(t.doneText[action], values)), html` role="status"`)}
${o.resumeUrl === undefined ? '' : paragraph(link(o.resumeUrl, t.resumeNow))}`,
  });
}

/** Why the link does nothing, in plain words. */
export function problemPage(o: {
  lang: Language;
  municipality: Municipality;
  token: string;
  problem: LinkProblem;
  reference?: string;
}): string {
  const t = actionTexts[o.lang];
  return layout({
    lang: o.lang,
    title: t.problemTitle[o.problem],
    municipality: o.municipality,
    switchHref: selfHref(o.token, other(o.lang)),
    main: html`<h1 class="utrecht-heading-1">${t.problemTitle[o.problem]}</h1>
${o.reference === undefined ? '' : paragraph(html`${t.reference}: <span class="aanspreekpunt-reference reference">${o.reference}</span>`)}
${paragraph(t.problemText[o.problem])}`,
  });
}

/** A form post above the body limit: nothing was read, nothing changed. */
export function tooLargePage(o: { lang: Language; municipality: Municipality; token: string }): string {
  const t = actionTexts[o.lang];
  return messagePage({
    lang: o.lang,
    municipality: o.municipality,
    title: t.tooLargeTitle,
    text: t.tooLargeText,
    switchHref: selfHref(o.token, other(o.lang)),
  });
}

const unavailable = {
  nl: {
    title: 'Even niet beschikbaar',
    text: 'Er ging iets mis aan onze kant. Er is niets veranderd. Probeer het over een minuut opnieuw.',
  },
  en: {
    title: 'Temporarily unavailable',
    text: 'Something went wrong on our side. Nothing has changed. Please try again in a minute.',
  },
} as const;

/** The page of an action that failed on our side: nothing changed. */
export function unavailablePage(lang: Language, m: Municipality): string {
  return messagePage({
    lang,
    municipality: m,
    ...unavailable[lang],
    switchHref: `?lang=${lang === 'nl' ? 'en' : 'nl'}`,
  });
}
