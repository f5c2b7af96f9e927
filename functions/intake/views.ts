import type { Municipality } from '../../config/schema.js';
import { pauseOf } from '../domain/actions.js';
import type { Case } from '../domain/case.js';
import { html, type SafeHtml, trusted } from '../domain/html.js';
import { describeReason, promises } from '../domain/mail/describe.js';
import type { Language } from '../domain/messages.js';
import { fill, pageTexts } from './texts.js';

/**
 * The enterprise's pages: server-rendered HTML that works without JavaScript, Dutch first.
 * Accessibility (WCAG 2.1 AA): one h1 per page, labels and hints tied to their fields, an error
 * summary that links to the fields, errors next to the fields, visible focus, autocomplete attributes.
 */

const STYLE = trusted(`
:root { color-scheme: light; --ink: #1b1b1b; --muted: #4a4a4a; --accent: #00557a; --error: #b00020; --focus: #ffbf47; }
* { box-sizing: border-box; }
body { margin: 0; font: 1.0625rem/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink); background: #fff; }
header, main, footer { max-width: 44rem; margin: 0 auto; padding: 1rem; }
header { display: flex; justify-content: space-between; align-items: center; border-bottom: 4px solid var(--accent); }
header .brand { font-weight: 700; }
a { color: var(--accent); }
a:focus, input:focus, textarea:focus, select:focus, button:focus, [tabindex]:focus { outline: 3px solid var(--focus); outline-offset: 2px; }
.skip { position: absolute; left: -10000px; }
.skip:focus { position: static; }
h1 { font-size: 1.75rem; line-height: 1.25; }
fieldset { border: 0; padding: 0; margin: 0 0 1.5rem; }
legend { font-weight: 700; font-size: 1.25rem; margin-bottom: .5rem; }
.field { margin-bottom: 1.25rem; }
.field > label, .label { display: block; font-weight: 600; margin-bottom: .25rem; }
.hint { display: block; color: var(--muted); margin-bottom: .25rem; }
input[type=text], input[type=email], input[type=tel], textarea, select { width: 100%; padding: .5rem; font: inherit; border: 2px solid var(--ink); border-radius: 0; }
input.kvk { max-width: 12rem; }
textarea { min-height: 10rem; }
.choice { display: flex; gap: .5rem; align-items: flex-start; margin: .35rem 0; }
.choice input { width: 1.25rem; height: 1.25rem; margin-top: .15rem; flex: none; }
.invalid input[type=text], .invalid input[type=email], .invalid input[type=tel], .invalid textarea, .invalid select { border-color: var(--error); }
.invalid { border-left: 4px solid var(--error); padding-left: .75rem; }
.error { display: block; color: var(--error); font-weight: 700; margin-bottom: .25rem; }
.summary { border: 4px solid var(--error); padding: 1rem; margin-bottom: 1.5rem; }
.summary h2 { margin-top: 0; font-size: 1.25rem; }
.notice { border-left: 6px solid var(--accent); background: #eef6fa; padding: 1rem; margin-bottom: 1.5rem; }
.reference { font-size: 1.5rem; font-weight: 700; letter-spacing: .05em; }
button { font: inherit; font-weight: 700; color: #fff; background: var(--accent); border: 0; padding: .75rem 1.25rem; cursor: pointer; }
.trap { position: absolute; left: -10000px; width: 1px; height: 1px; overflow: hidden; }
dl.history dt { font-weight: 600; }
dl.history dd { margin: 0 0 .5rem; color: var(--muted); }
footer { color: var(--muted); font-size: .9375rem; }
`);

interface LayoutOptions {
  readonly lang: Language;
  readonly title: string;
  readonly municipality: Municipality;
  /** Link to this page in the other language. */
  readonly switchHref: string;
  readonly main: SafeHtml;
  /** More for the head: page-specific style, a refresh the user asked for. */
  readonly head?: SafeHtml;
}

export function layout(o: LayoutOptions): string {
  const t = pageTexts[o.lang];
  return `<!doctype html>${html`<html lang="${o.lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${o.title} – ${o.municipality.name}</title>
<style>${STYLE}</style>
${o.head}
</head>
<body>
<a class="skip" href="#main">${t.skip}</a>
<header>
<span class="brand">${o.municipality.name}</span>
<a href="${o.switchHref}" lang="${t.switchLang}" hreflang="${t.switchLang}">${t.switchTo}</a>
</header>
<main id="main" tabindex="-1">
${o.main}
</main>
<footer><p>Aanspreekpunt · ${o.municipality.name}</p></footer>
</body>
</html>`}`;
}

/** What the user typed, as the form shows it again. */
export interface FormValues {
  readonly organisationName?: string;
  readonly kvkNumber?: string;
  readonly contactName?: string;
  readonly email?: string;
  readonly phone?: string;
  readonly goals?: readonly string[];
  readonly requestType?: string;
  readonly description?: string;
  readonly consent?: boolean;
}

export interface FieldErrorView {
  /** The schema path, e.g. `organisation.kvkNumber`. */
  readonly field: string;
  readonly message: string;
}

/** The HTML id of a field, from its schema path (`organisation.kvkNumber` -> `organisation-kvkNumber`). */
export const fieldId = (field: string) => field.replace(/\./g, '-');

/** Where an error of a schema path is shown, and what the summary links to. */
const anchorOf = (field: string, m: Municipality): string => {
  if (field === 'goals' || field.startsWith('goals.')) return `goals-${m.goals[0]?.id ?? ''}`;
  if (field === 'requestType') return `requestType-${m.requestTypes[0]?.id ?? ''}`;
  if (field.includes('.') || KNOWN_FIELDS.has(field)) return fieldId(field);
  return 'organisation-name';
};
const KNOWN_FIELDS = new Set(['language', 'description', 'consent']);

export function formPage(o: {
  lang: Language;
  municipality: Municipality;
  values: FormValues;
  errors: readonly FieldErrorView[];
  idempotencyKey: string;
}): string {
  const t = pageTexts[o.lang];
  const m = o.municipality;
  const errorOf = (...fields: string[]) =>
    o.errors.find((e) => fields.some((f) => e.field === f || e.field.startsWith(`${f}.`)));
  const title = fill(t.formTitle, { municipality: m.name });

  const text = (field: string, label: string, value: string | undefined, attrs: SafeHtml, hint?: string) => {
    const id = fieldId(field);
    const error = errorOf(field);
    const describedBy = [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ');
    return html`<div class="field${error ? ' invalid' : ''}">
<label for="${id}">${label}</label>
${hint ? html`<span class="hint" id="${id}-hint">${hint}</span>` : ''}
${error ? html`<span class="error" id="${id}-error"><span class="skip">${t.errorTitlePrefix}</span>${error.message}</span>` : ''}
<input ${attrs} id="${id}" name="${field}" value="${value ?? ''}"${describedBy ? html` aria-describedby="${describedBy}"` : ''}${error ? trusted(' aria-invalid="true"') : ''}>
</div>`;
  };

  const labels: Record<string, string> = {
    'organisation.name': t.organisationName,
    'organisation.kvkNumber': t.kvkNumber,
    'contact.name': t.contactName,
    'contact.email': t.email,
    'contact.phone': t.phone,
    goals: t.goals,
    requestType: t.requestType,
    description: t.description,
    consent: t.consent,
  };
  const labelOf = (field: string) => labels[field.replace(/\.\d+$/, '')] ?? field;
  const goalsError = errorOf('goals');
  const typeError = errorOf('requestType');
  const descriptionError = errorOf('description');
  const consentError = errorOf('consent');
  const summary =
    o.errors.length === 0
      ? ''
      : html`<div class="summary" role="alert" aria-labelledby="error-summary-title" tabindex="-1" id="error-summary" autofocus>
<h2 id="error-summary-title">${t.errorSummary}</h2>
<ul>${o.errors.map((e) => html`<li><a href="#${anchorOf(e.field, m)}">${labelOf(e.field)}: ${e.message}</a></li>`)}</ul>
</div>`;

  const main = html`${summary}
<h1>${title}</h1>
<p>${t.formIntro}</p>
<p>${t.required}</p>
<form method="post" action="/cases?lang=${o.lang}" novalidate>
<input type="hidden" name="language" value="${o.lang}">
<input type="hidden" name="idempotencyKey" value="${o.idempotencyKey}">
<fieldset>
<legend>${t.organisation}</legend>
${text('organisation.name', t.organisationName, o.values.organisationName, trusted('type="text" autocomplete="organization" maxlength="200"'))}
${text('organisation.kvkNumber', t.kvkNumber, o.values.kvkNumber, trusted('type="text" class="kvk" inputmode="numeric" maxlength="8"'), t.kvkHint)}
</fieldset>
<fieldset>
<legend>${t.contact}</legend>
${text('contact.name', t.contactName, o.values.contactName, trusted('type="text" autocomplete="name" maxlength="120"'))}
${text('contact.email', t.email, o.values.email, trusted('type="email" autocomplete="email" spellcheck="false" maxlength="254"'), t.emailHint)}
${text('contact.phone', t.phone, o.values.phone, trusted('type="tel" autocomplete="tel" maxlength="20"'))}
</fieldset>
<fieldset class="${goalsError ? 'invalid' : ''}" aria-describedby="goals-hint${goalsError ? ' goals-error' : ''}">
<legend>${t.goals}</legend>
<span class="hint" id="goals-hint">${t.goalsHint}</span>
${goalsError ? html`<span class="error" id="goals-error"><span class="skip">${t.errorTitlePrefix}</span>${goalsError.message}</span>` : ''}
${m.goals.map(
  (g) =>
    html`<div class="choice"><input type="checkbox" id="goals-${g.id}" name="goals" value="${g.id}"${o.values.goals?.includes(g.id) ? trusted(' checked') : ''}${goalsError ? trusted(' aria-invalid="true"') : ''}><label for="goals-${g.id}">${g.name[o.lang]}</label></div>`,
)}
</fieldset>
<fieldset class="${typeError ? 'invalid' : ''}"${typeError ? trusted(' aria-describedby="requestType-error"') : ''}>
<legend>${t.requestType}</legend>
${typeError ? html`<span class="error" id="requestType-error"><span class="skip">${t.errorTitlePrefix}</span>${typeError.message}</span>` : ''}
${m.requestTypes.map(
  (r) =>
    html`<div class="choice"><input type="radio" id="requestType-${r.id}" name="requestType" value="${r.id}"${o.values.requestType === r.id ? trusted(' checked') : ''}${typeError ? trusted(' aria-invalid="true"') : ''}><label for="requestType-${r.id}">${r.name[o.lang]}</label></div>`,
)}
</fieldset>
<div class="field${descriptionError ? ' invalid' : ''}">
<label for="description">${t.description}</label>
<span class="hint" id="description-hint">${t.descriptionHint}</span>
${descriptionError ? html`<span class="error" id="description-error"><span class="skip">${t.errorTitlePrefix}</span>${descriptionError.message}</span>` : ''}
<textarea id="description" name="description" rows="8" maxlength="5000" aria-describedby="description-hint${descriptionError ? ' description-error' : ''}"${descriptionError ? trusted(' aria-invalid="true"') : ''}>${o.values.description ?? ''}</textarea>
</div>
<fieldset class="${consentError ? 'invalid' : ''}">
<legend>${t.consent}</legend>
${consentError ? html`<span class="error" id="consent-error"><span class="skip">${t.errorTitlePrefix}</span>${consentError.message}</span>` : ''}
<div class="choice"><input type="checkbox" id="consent" name="consent" value="yes"${o.values.consent ? trusted(' checked') : ''}${consentError ? trusted(' aria-describedby="consent-error" aria-invalid="true"') : ''}><label for="consent">${t.consentLabel}</label></div>
<p><a href="/privacy?lang=${o.lang}">${t.privacyLink}</a></p>
</fieldset>
<div class="trap"><label for="website">${t.honeypot}</label><input type="text" id="website" name="website" tabindex="-1" autocomplete="off"></div>
<button type="submit">${t.submit}</button>
</form>`;
  return layout({
    lang: o.lang,
    title: o.errors.length > 0 ? `${t.errorTitlePrefix}${title}` : title,
    municipality: m,
    switchHref: `/?lang=${t.switchLang}`,
    main,
  });
}

const formatDate = (iso: string, lang: Language) =>
  new Intl.DateTimeFormat(lang === 'nl' ? 'nl-NL' : 'en-GB', {
    dateStyle: 'long',
    timeStyle: 'short',
    timeZone: 'Europe/Amsterdam',
  }).format(new Date(iso));

export function statusPage(o: {
  lang: Language;
  municipality: Municipality;
  c: Case;
  /** `new` right after the form was sent, `duplicate` when it was a repeat of an earlier request. */
  notice?: 'new' | 'duplicate';
  selfHref: (lang: Language) => string;
}): string {
  const t = pageTexts[o.lang];
  const { c, municipality: m } = o;
  const name = c.contact?.name ?? '';
  const department = (id: string) => m.departments.find((d) => d.id === id)?.name[o.lang] ?? id;
  const slaLabel = (kind: string): string | undefined => {
    const [clock, step, who] = kind.split(':');
    if ((clock !== 'firstContact' && clock !== 'decision') || step === undefined) return undefined;
    const promise = t.clock[clock];
    if (step === 'reminder') return fill(t.sla.reminder, { promise });
    if (step === 'breach')
      return fill(
        who === undefined
          ? t.sla.breach
          : t.sla.breachTo[who === 'coordinator' ? 'coordinator' : 'enterprise'],
        { promise },
      );
    if (step === 'escalation') return fill(t.sla.escalation, { promise });
    return undefined;
  };
  const eventLabel = (h: Case['history'][number]): string => {
    switch (h.type) {
      case 'paused':
        return fill(t.paused, { reason: h.reason });
      case 'handedOver':
        return h.toName === undefined ? t.handedBack : fill(t.handedOverTo, { name: h.toName });
      case 'reminded':
      case 'escalated':
        return slaLabel(h.notification) ?? t.event.notified;
      case 'notified': {
        const kind = h.notification;
        if (kind === 'enterprise' || kind.endsWith(':enterprise')) {
          const late = slaLabel(kind);
          if (late !== undefined) return late;
          return t.notifiedEnterprise;
        }
        if (kind.startsWith('department:'))
          return fill(t.notifiedDepartment, { department: department(kind.slice('department:'.length)) });
        return slaLabel(kind) ?? t.event.notified;
      }
      default:
        return t.event[h.type];
    }
  };

  const statusLine = {
    submitted: t.statusSubmitted,
    assigned: fill(t.statusAssigned, { name }),
    resolved: fill(t.statusResolved, { name }),
  }[c.status];
  const nextSteps = { submitted: t.nextSubmitted, assigned: t.nextAssigned, resolved: t.nextResolved }[
    c.status
  ];
  const outcome = c.history.findLast((h) => h.type === 'resolved')?.outcome;
  const pause = pauseOf(c);

  const notice =
    o.notice === undefined
      ? ''
      : html`<div class="notice" role="status">
<h2>${t.received}</h2>
<p>${fill(o.notice === 'new' ? t.receivedText : t.duplicateText, { reference: c.reference })}</p>
</div>`;
  const main = html`${notice}
<h1>${fill(t.statusTitle, { reference: '' })}<span class="reference">${c.reference}</span></h1>
<p>${c.request.organisation.name}</p>
<h2>${t.statusHeading}</h2>
<p>${statusLine}</p>
${pause === undefined ? '' : html`<p class="notice" role="status">${fill(t.paused, { reason: pause.reason })}</p>`}
${outcome === undefined ? '' : html`<h2>${t.outcome}</h2><p style="white-space:pre-wrap">${outcome}</p>`}
${
  c.status === 'assigned' && promises(c, o.lang).length > 0
    ? html`<h2>${t.promises}</h2><ul>${promises(c, o.lang).map((line) => html`<li>${line}</li>`)}</ul>`
    : ''
}
<h2>${t.next}</h2>
<ol>${nextSteps.map((step) => html`<li>${fill(step, { name })}</li>`)}</ol>
<h2>${t.departments}</h2>
${
  c.tags.length === 0
    ? html`<p>${t.departmentsPending}</p>`
    : html`<ul>${c.tags.map(
        (tag) =>
          html`<li>${department(tag.department)}${tag.lead ? ` (${t.lead})` : ''}: ${tag.reasons
            .map((reason) => describeReason(reason, m, o.lang))
            .join('; ')}</li>`,
      )}</ul>`
}
<h2>${t.history}</h2>
<dl class="history">${c.history.map((h) => html`<dt>${eventLabel(h)}</dt><dd>${formatDate(h.at, o.lang)}</dd>`)}</dl>
<p><a href="${o.selfHref(o.lang)}">${t.refresh}</a> · <a href="/?lang=${o.lang}">${t.newRequest}</a></p>`;
  return layout({
    lang: o.lang,
    title: fill(t.statusTitle, { reference: c.reference }),
    municipality: m,
    switchHref: o.selfHref(t.switchLang),
    main,
  });
}

/** A page that only says something: not found, too large, thanks, errors. */
export function messagePage(o: {
  lang: Language;
  municipality: Municipality;
  title: string;
  text: string;
  switchHref: string;
  backToForm?: boolean;
}): string {
  const t = pageTexts[o.lang];
  return layout({
    lang: o.lang,
    title: o.title,
    municipality: o.municipality,
    switchHref: o.switchHref,
    main: html`<h1>${o.title}</h1>
<p>${o.text}</p>
${o.backToForm ? html`<p><a href="/?lang=${o.lang}">${t.back}</a></p>` : ''}`,
  });
}

export function privacyPage(lang: Language, municipality: Municipality): string {
  const t = pageTexts[lang];
  return layout({
    lang,
    title: t.privacyTitle,
    municipality,
    switchHref: `/privacy?lang=${t.switchLang}`,
    main: html`<h1>${t.privacyTitle}</h1>
${t.privacyText.map((p) => html`<p>${fill(p, { municipality: municipality.name })}</p>`)}
<p><a href="/?lang=${lang}">${t.back}</a></p>`,
  });
}
