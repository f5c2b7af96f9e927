import type { Municipality } from '../../config/schema.js';
import type { ActionClaims } from '../domain/action-link.js';
import type { Candidate, Case } from '../domain/case.js';
import { html, trusted } from '../domain/html.js';
import type { Language } from '../domain/messages.js';
import { fill } from '../intake/texts.js';
import { layout } from '../intake/views.js';
import { actionTexts, type LinkProblem } from './texts.js';

const other = (lang: Language): Language => (lang === 'nl' ? 'en' : 'nl');
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
  const errorText = (id: string, text: string) =>
    error
      ? html`<span class="error" id="${id}-error"><span class="skip">${t.errorPrefix}</span>${text}</span>`
      : '';
  const described = (id: string) => `${id}-hint${error ? ` ${id}-error` : ''}`;
  const invalid = error ? trusted(' aria-invalid="true"') : '';
  const outcomeField =
    action === 'hand-over'
      ? html`<div class="field${error ? ' invalid' : ''}">
<label for="to">${t.handOverTo}</label>
<span class="hint" id="to-hint">${t.handOverHint}</span>
${errorText('to', t.handOverError)}
<select id="to" name="to" required aria-describedby="${described('to')}"${invalid}>
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
        : html`<div class="field${error ? ' invalid' : ''}">
<label for="${field.name}">${field.label}</label>
<span class="hint" id="${field.name}-hint">${field.hint}</span>
${errorText(field.name, field.error)}
<textarea id="${field.name}" name="${field.name}" rows="${String(field.rows)}" maxlength="${String(field.max)}" required aria-describedby="${described(field.name)}"${invalid}>${o.outcome ?? ''}</textarea>
</div>`;
  const main = html`<h1>${t.title[action]}</h1>
<table>
<tr><th align="left">${t.reference}</th><td class="reference">${c.reference}</td></tr>
<tr><th align="left">${t.organisation}</th><td>${c.request.organisation.name}</td></tr>
<tr><th align="left">${t.contact}</th><td>${c.contact?.name ?? ''}</td></tr>
</table>
<p>${fill(t.explain[action], values)}</p>
<p>${t.nothingYet}</p>
<form method="post" action="${selfHref(o.token, o.lang)}">
${outcomeField}
<button type="submit">${t.button[action]}</button>
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
    main: html`<h1>${t.doneTitle[action]}</h1>
<div class="notice" role="status"><p>${fill(t.doneText[action], values)}</p></div>
${o.resumeUrl === undefined ? '' : html`<p><a href="${o.resumeUrl}">${t.resumeNow}</a></p>`}`,
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
    main: html`<h1>${t.problemTitle[o.problem]}</h1>
${o.reference === undefined ? '' : html`<p>${t.reference}: <span class="reference">${o.reference}</span></p>`}
<p>${t.problemText[o.problem]}</p>`,
  });
}
