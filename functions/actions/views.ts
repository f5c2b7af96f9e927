import type { Municipality } from '../../config/schema.js';
import type { ActionClaims } from '../domain/action-link.js';
import { processTypeOf, type Resolution } from '../domain/archive.js';
import { formatDay } from '../domain/calendar.js';
import type { Candidate, Case } from '../domain/case.js';
import { html } from '../domain/html.js';
import type { Language } from '../domain/messages.js';
import { consequenceText } from '../web/archive.js';
import {
  alert,
  choiceField,
  describedBy,
  errorMessage,
  fieldClass,
  fieldsetClass,
  hint,
  invalidAttribute,
  label,
  legend,
  link,
  paragraph,
  selectClass,
  textareaClass,
  textboxClass,
} from '../web/components.js';
import { otherLanguage as other } from '../web/language.js';
import { layout, messagePage } from '../web/layout.js';
import { fill } from '../web/texts.js';
import type { FieldErrors, Typed } from './form.js';
import { actionTexts, type LinkProblem } from './texts.js';

/** The result's choices, and the day it counts from when a result needs one. */
function resolveFields(o: {
  lang: Language;
  municipality: Municipality;
  c: Case;
  typed?: Typed;
  errors?: FieldErrors;
}) {
  const t = actionTexts[o.lang];
  const { type } = processTypeOf(o.municipality, o.c.request.requestType);
  const resultError = o.errors?.result === true;
  const results = html`<fieldset class="${fieldsetClass(resultError)}"${describedBy('result', { hint: true, error: resultError })}>
${legend(t.result)}
${hint('result', fill(t.resultHint, { processType: `${type.selectielijst} ${type.name[o.lang]}` }))}
${errorMessage('result', resultError ? t.resultError : undefined, o.lang)}
${type.results.map((r) =>
  choiceField('radio', {
    id: `result-${r.id}`,
    name: 'result',
    value: r.id,
    text: `${r.name[o.lang]}: ${consequenceText(r, o.lang)} (${r.selectielijst})`,
    checked: o.typed?.result === r.id,
    invalid: resultError,
  }),
)}
</fieldset>`;
  const entered = type.results.filter((r) => r.nomination === 'destroy' && r.from === 'entered');
  const fromLabel = entered[0]?.nomination === 'destroy' ? entered[0].fromLabel?.[o.lang] : undefined;
  if (fromLabel === undefined) return results;
  const problem = o.errors?.from;
  const fromError = problem !== undefined;
  return html`${results}
<div class="${fieldClass(fromError)}">
${label('from', fromLabel)}
${hint('from', fill(t.fromHint, { results: entered.map((r) => r.name[o.lang]).join(', ') }))}
${errorMessage('from', problem === undefined ? undefined : t.fromErrors[problem], o.lang)}
<input type="date" id="from" name="from" class="${textboxClass(fromError)}" value="${o.typed?.from ?? ''}"${describedBy('from', { hint: true, error: fromError })}${invalidAttribute(fromError)}>
</div>`;
}

/** What resolving did to the archive: the result, the archive action date or keep, when personal data go. */
export function resolutionText(resolution: Resolution, m: Municipality, c: Case, lang: Language): string[] {
  const t = actionTexts[lang];
  const { archive } = resolution;
  const { type } = processTypeOf(m, c.request.requestType);
  const result = type.results.find((r) => r.id === archive.result)?.name[lang] ?? archive.result;
  const values = { result, number: archive.selectielijst };
  return [
    archive.actionDate === undefined
      ? fill(t.archiveKeep, values)
      : fill(t.archiveDestroy, { ...values, actionDate: formatDay(archive.actionDate, lang) }),
    fill(t.anonymiseOn, { day: formatDay(resolution.anonymiseOn, lang) }),
  ];
}

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
  /** What was typed or chosen so far, and which of it was refused. */
  typed?: Typed;
  errors?: FieldErrors;
}): string {
  const t = actionTexts[o.lang];
  const { c, claims } = o;
  const action = claims.action;
  const values = { organisation: c.request.organisation.name, reference: c.reference };
  const error = o.errors?.text === true;
  const anyError = o.errors !== undefined && Object.keys(o.errors).length > 0;
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
<textarea id="${field.name}" name="${field.name}" class="${textareaClass(error)}" rows="${String(field.rows)}" maxlength="${String(field.max)}" required${described(field.name)}${invalid}>${o.typed?.text ?? ''}</textarea>
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
${action === 'resolve' ? resolveFields(o) : ''}
${outcomeField}
<button type="submit" class="utrecht-button utrecht-button--primary-action utrecht-button--submit">${t.button[action]}</button>
</form>`;
  return layout({
    lang: o.lang,
    title: `${anyError ? t.errorPrefix : ''}${t.title[action]}`,
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
  /** After resolving: the result's archive consequences. */
  resolution?: Resolution;
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
${
  o.resolution === undefined
    ? ''
    : html`<h2 class="utrecht-heading-2">${t.archiveTitle}</h2>
${resolutionText(o.resolution, o.municipality, o.c, o.lang).map((line) => paragraph(line))}`
}
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
