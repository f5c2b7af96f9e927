import type { Municipality } from '../../config/schema.js';
import { pauseOf } from '../domain/actions.js';
import { type ArchivedRequestTypes, archivedRequestTypes, resultOf } from '../domain/archive.js';
import { amsterdamDay, formatDay, formatMoment } from '../domain/calendar.js';
import { type Case, type HistoryEvent, historyOf, joinedDepartments, type Tag } from '../domain/case.js';
import { html, type SafeHtml, trusted } from '../domain/html.js';
import { describeReason, promises } from '../domain/mail/describe.js';
import type { Language } from '../domain/messages.js';
import { addresseeOf, notificationKey, parseNotificationKey } from '../domain/notification-kind.js';
import { ANSWER_MAX_LENGTH, openQuestion } from '../domain/question.js';
import type { AnonymisedCase, DeletionRecord } from '../domain/retention.js';
import { consequenceText, periodText } from '../web/archive.js';
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
  list,
  paragraph,
  textareaClass,
  textboxClass,
} from '../web/components.js';
import { layout, type MessagePageOptions, messagePage as webMessagePage } from '../web/layout.js';
import { fill } from '../web/texts.js';
import { type PageTexts, pageTexts } from './texts.js';

/**
 * The enterprise's pages on the shared web layout (functions/web/): NL Design System components,
 * server-rendered HTML that works without JavaScript, Dutch first.
 * Accessibility (WCAG 2.1 AA): one h1 per page, labels and hints tied to their fields, an error
 * summary that links to the fields, errors next to the fields, visible focus, autocomplete attributes.
 */

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
  /** Why the request was not taken although every field is right (the intake's limits): shown at the button. */
  submitError?: string;
}): string {
  const t = pageTexts[o.lang];
  const m = o.municipality;
  const errorOf = (...fields: string[]) =>
    o.errors.find((e) => fields.some((f) => e.field === f || e.field.startsWith(`${f}.`)));
  const title = fill(t.formTitle, { municipality: m.name });

  const text = (
    field: string,
    name: string,
    value: string | undefined,
    attrs: SafeHtml,
    hintText?: string,
    extraClass?: string,
  ) => {
    const id = fieldId(field);
    const error = errorOf(field);
    return html`<div class="${fieldClass(error !== undefined)}">
${label(id, name)}
${hint(id, hintText)}
${errorMessage(id, error?.message, o.lang)}
<input class="${textboxClass(error !== undefined, extraClass)}" ${attrs} id="${id}" name="${field}" value="${value ?? ''}"${describedBy(id, { hint: hintText !== undefined, error: error !== undefined })}${invalidAttribute(error !== undefined)}>
</div>`;
  };

  /** One checkbox or radio button per item of the catalog (goals, request types), named `{field}-{id}`. */
  const choices = (
    kind: 'checkbox' | 'radio',
    field: string,
    items: readonly { id: string; name: Record<Language, string> }[],
    checked: (id: string) => boolean,
    invalid: boolean,
  ) =>
    items.map((item) =>
      choiceField(kind, {
        id: `${field}-${item.id}`,
        name: field,
        value: item.id,
        text: item.name[o.lang],
        checked: checked(item.id),
        invalid,
      }),
    );

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
      : html`<div class="utrecht-alert utrecht-alert--error" role="alert" aria-labelledby="error-summary-title" tabindex="-1" id="error-summary" autofocus><div class="utrecht-alert__content"><div class="utrecht-alert__message">
<h2 class="utrecht-heading-2" id="error-summary-title">${t.errorSummary}</h2>
<ul class="utrecht-unordered-list">${o.errors.map((e) => html`<li class="utrecht-unordered-list__item">${link(`#${anchorOf(e.field, m)}`, `${labelOf(e.field)}: ${e.message}`)}</li>`)}</ul>
</div></div></div>`;

  const main = html`${summary}
<h1 class="utrecht-heading-1">${title}</h1>
${paragraph(t.formIntro, 'utrecht-paragraph--lead')}
${paragraph(t.required)}
<form method="post" action="/cases?lang=${o.lang}" novalidate>
<input type="hidden" name="language" value="${o.lang}">
<input type="hidden" name="idempotencyKey" value="${o.idempotencyKey}">
<fieldset class="${fieldsetClass(false)}">
${legend(t.organisation)}
${text('organisation.name', t.organisationName, o.values.organisationName, html`type="text" autocomplete="organization" maxlength="200"`)}
${text('organisation.kvkNumber', t.kvkNumber, o.values.kvkNumber, html`type="text" inputmode="numeric" maxlength="8"`, t.kvkHint, 'aanspreekpunt-textbox--kvk')}
</fieldset>
<fieldset class="${fieldsetClass(false)}">
${legend(t.contact)}
${text('contact.name', t.contactName, o.values.contactName, html`type="text" autocomplete="name" maxlength="120"`)}
${text('contact.email', t.email, o.values.email, html`type="email" autocomplete="email" spellcheck="false" maxlength="254"`, t.emailHint)}
${text('contact.phone', t.phone, o.values.phone, html`type="tel" autocomplete="tel" maxlength="20"`)}
</fieldset>
<fieldset class="${fieldsetClass(goalsError !== undefined)}" aria-describedby="goals-hint${goalsError ? ' goals-error' : ''}">
${legend(t.goals)}
${hint('goals', t.goalsHint)}
${errorMessage('goals', goalsError?.message, o.lang)}
${choices('checkbox', 'goals', m.goals, (id) => o.values.goals?.includes(id) === true, goalsError !== undefined)}
</fieldset>
<fieldset class="${fieldsetClass(typeError !== undefined)}"${typeError ? trusted(' aria-describedby="requestType-error"') : ''}>
${legend(t.requestType)}
${errorMessage('requestType', typeError?.message, o.lang)}
${choices('radio', 'requestType', m.requestTypes, (id) => o.values.requestType === id, typeError !== undefined)}
</fieldset>
<div class="${fieldClass(descriptionError !== undefined)}">
${label('description', t.description)}
${hint('description', t.descriptionHint)}
${errorMessage('description', descriptionError?.message, o.lang)}
<textarea class="${textareaClass(descriptionError !== undefined)}" id="description" name="description" rows="8" maxlength="5000"${describedBy('description', { hint: true, error: descriptionError !== undefined })}${invalidAttribute(descriptionError !== undefined)}>${o.values.description ?? ''}</textarea>
</div>
<fieldset class="${fieldsetClass(consentError !== undefined)}">
${legend(t.consent)}
${errorMessage('consent', consentError?.message, o.lang)}
${choiceField('checkbox', {
  id: 'consent',
  name: 'consent',
  value: 'yes',
  text: t.consentLabel,
  checked: o.values.consent === true,
  invalid: consentError !== undefined,
  describedBy: consentError ? trusted(' aria-describedby="consent-error"') : undefined,
})}
${paragraph(link(`/privacy?lang=${o.lang}`, t.privacyLink))}
</fieldset>
<div class="aanspreekpunt-trap"><label for="website">${t.honeypot}</label><input type="text" id="website" name="website" tabindex="-1" autocomplete="off"></div>
${errorMessage('submit', o.submitError, o.lang)}
<button type="submit" class="utrecht-button utrecht-button--primary-action utrecht-button--submit"${o.submitError === undefined ? '' : trusted(' aria-describedby="submit-error"')}>${t.submit}</button>
</form>`;
  return layout({
    lang: o.lang,
    title: o.errors.length > 0 || o.submitError !== undefined ? `${t.errorTitlePrefix}${title}` : title,
    municipality: m,
    switchHref: `/?lang=${t.switchLang}`,
    main,
  });
}

const formatDate = (iso: string, lang: Language) => formatMoment(iso, lang, { date: 'long', time: 'short' });

/** The day of a moment in the municipality's time zone, in words: "4 maart 2026". */
const formatDayOf = (iso: string, lang: Language) => formatDay(amsterdamDay(new Date(iso)), lang);

/** A department's name in the page's language (its id when the config no longer has it). */
const departmentName = (m: Municipality, id: string, lang: Language) =>
  m.departments.find((d) => d.id === id)?.name[lang] ?? id;

/** What an e-mail of the SLA steps was about, in words; undefined for another kind. */
function slaLabel(kind: string, t: PageTexts): string | undefined {
  const [clock, step, who] = kind.split(':');
  if ((clock !== 'firstContact' && clock !== 'decision') || step === undefined) return undefined;
  const promise = t.clock[clock];
  if (step === 'reminder') return fill(t.sla.reminder, { promise });
  if (step === 'breach')
    return fill(
      who === undefined ? t.sla.breach : t.sla.breachTo[who === 'coordinator' ? 'coordinator' : 'enterprise'],
      { promise },
    );
  if (step === 'escalation') return fill(t.sla.escalation, { promise });
  return undefined;
}

/**
 * An event of the history in words. A pause whose reason was removed with the personal data (retention
 * empties the officials' free texts) says only that it was paused.
 */
function eventLabel(h: HistoryEvent, m: Municipality, lang: Language): string {
  const t = pageTexts[lang];
  switch (h.type) {
    case 'paused':
      return h.reason === '' ? t.event.paused : fill(t.paused, { reason: h.reason });
    case 'answered':
      return t.answered;
    case 'handedOver':
      if (h.because === 'unreachable') return t.handedOnUnreachable;
      return h.toName === undefined ? t.handedBack : fill(t.handedOverTo, { name: h.toName });
    case 'bounced': {
      const kind = parseNotificationKey(h.notification);
      return t.bounced[kind === undefined ? 'other' : addresseeOf(kind)];
    }
    case 'reminded':
    case 'escalated':
      return slaLabel(h.notification, t) ?? t.event.notified;
    case 'notified': {
      const kind = h.notification;
      if (kind === notificationKey({ type: 'satisfaction' })) return t.notifiedSatisfaction;
      if (kind === 'enterprise' || kind.endsWith(':enterprise'))
        return slaLabel(kind, t) ?? t.notifiedEnterprise;
      if (kind.startsWith('question:')) return t.questionSentToYou;
      if (kind.startsWith('answer:')) return t.answerSentToContact;
      if (kind.startsWith('department:'))
        return fill(h.via === 'digest' ? t.notifiedDepartmentInDigest : t.notifiedDepartment, {
          department: departmentName(m, kind.slice('department:'.length), lang),
        });
      return slaLabel(kind, t) ?? t.event.notified;
    }
    case 'joined':
      return fill(t.joined, { department: departmentName(m, h.department, lang) });
    case 'rated':
      // The enterprise's own answer; its comment is not repeated here.
      return fill(t.rated, { score: String(h.score) });
    default:
      return t.event[h.type];
  }
}

/** The departments involved and why, or that they are not decided yet. */
function departmentsBlock(
  tags: readonly Tag[],
  joined: readonly string[],
  m: Municipality,
  lang: Language,
): SafeHtml {
  const t = pageTexts[lang];
  return html`<h2 class="utrecht-heading-2">${t.departments}</h2>
${
  tags.length === 0
    ? paragraph(t.departmentsPending)
    : list(
        tags.map(
          (tag) =>
            `${departmentName(m, tag.department, lang)}${tag.lead ? ` (${t.lead})` : ''}${joined.includes(tag.department) ? ` (${t.involved})` : ''}: ${tag.reasons
              .map((reason) => describeReason(reason, m, lang))
              .join('; ')}`,
        ),
      )
}`;
}

/** The history of a case, each event with its moment. */
function historyBlock(c: Pick<Case, 'history' | 'notifications'>, m: Municipality, lang: Language): SafeHtml {
  return html`<h2 class="utrecht-heading-2">${pageTexts[lang].history}</h2>
<dl class="aanspreekpunt-history">${historyOf(c).map((h) => html`<dt>${eventLabel(h, m, lang)}</dt><dd>${formatDate(h.at, lang)}</dd>`)}</dl>`;
}

export function statusPage(o: {
  lang: Language;
  municipality: Municipality;
  c: Case;
  /**
   * `new` right after the form was sent, `duplicate` when it was a repeat of an earlier request, `answered`
   * right after the enterprise answered the open question.
   */
  notice?: StatusNotice;
  selfHref: (lang: Language) => string;
  /** The status token of the link the page was opened with: the answer form sends it back (no form without). */
  token?: string;
  /** The answer form as it was sent and refused (shown again with its error). */
  answer?: { readonly typed: string; readonly error: boolean };
}): string {
  const t = pageTexts[o.lang];
  const { c, municipality: m } = o;
  const name = c.contact?.name ?? '';

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
  const question = openQuestion(c);

  const notice =
    o.notice === undefined
      ? ''
      : o.notice === 'answered'
        ? alert('ok', paragraph(fill(t.answeredNotice, { name })), trusted(' role="status"'))
        : alert(
            'ok',
            html`<h2 class="utrecht-heading-2">${t.received}</h2>
${paragraph(fill(o.notice === 'new' ? t.receivedText : t.duplicateText, { reference: c.reference }))}`,
            trusted(' role="status"'),
          );
  const pauseBlock =
    question !== undefined && o.token !== undefined
      ? questionForm({ c, lang: o.lang, name, question: question.question, token: o.token, answer: o.answer })
      : pause === undefined
        ? ''
        : alert('info', paragraph(fill(t.paused, { reason: pause.reason })), trusted(' role="status"'));
  const main = html`${notice}
<h1 class="utrecht-heading-1">${fill(t.statusTitle, { reference: '' })}<span class="aanspreekpunt-reference reference">${c.reference}</span></h1>
${paragraph(c.request.organisation.name, 'utrecht-paragraph--lead')}
<h2 class="utrecht-heading-2">${t.statusHeading}</h2>
${paragraph(statusLine)}
${pauseBlock}
${outcome === undefined || outcome === '' ? '' : html`<h2 class="utrecht-heading-2">${t.outcome}</h2>${paragraph(outcome, 'aanspreekpunt-pre-wrap')}`}
${
  c.status === 'assigned' && promises(c, m, o.lang, 'enterprise').length > 0
    ? html`<h2 class="utrecht-heading-2">${t.promises}</h2>${list(promises(c, m, o.lang, 'enterprise'))}`
    : ''
}
<h2 class="utrecht-heading-2">${t.next}</h2>
<ol class="utrecht-ordered-list">${nextSteps.map((step) => html`<li class="utrecht-ordered-list__item">${fill(step, { name })}</li>`)}</ol>
${departmentsBlock(c.tags, joinedDepartments(c), m, o.lang)}
${historyBlock(c, m, o.lang)}
${paragraph(html`${link(o.selfHref(o.lang), t.refresh)} · ${link(`/?lang=${o.lang}`, t.newRequest)}`)}`;
  return layout({
    lang: o.lang,
    title: `${o.answer?.error === true ? t.errorPrefix : ''}${fill(t.statusTitle, { reference: c.reference })}`,
    municipality: m,
    switchHref: o.selfHref(t.switchLang),
    main,
  });
}

/** What the status page says on top: the request received, a repeat of it, or the answer sent. */
export type StatusNotice = 'new' | 'duplicate' | 'answered';

/** Where the status page's answer form posts to. */
export const answerPath = (reference: string) => `/cases/${reference}/answer`;

/**
 * The open question and the form to answer it: a plain POST (no script), the status token in a hidden field
 * (it proves the page was opened through the enterprise's link, so no other site can post it), the answer's
 * error next to it, tied to the field.
 */
function questionForm(o: {
  c: Case;
  lang: Language;
  name: string;
  question: string;
  token: string;
  answer: { readonly typed: string; readonly error: boolean } | undefined;
}): SafeHtml {
  const t = pageTexts[o.lang];
  const error = o.answer?.error === true;
  const id = 'answer';
  return html`<section aria-labelledby="question-heading">
<h2 class="utrecht-heading-2" id="question-heading">${t.questionTitle}</h2>
${paragraph(fill(t.questionIntro, { name: o.name }))}
${paragraph(o.question, 'utrecht-paragraph--lead aanspreekpunt-pre-wrap')}
<form method="post" action="${answerPath(o.c.reference)}?lang=${o.lang}">
<input type="hidden" name="token" value="${o.token}">
<div class="${fieldClass(error)}">
${label(id, t.answerLabel)}
${hint(id, t.answerHint)}
${errorMessage(id, error ? t.answerError : undefined, o.lang)}
<textarea id="${id}" name="answer" class="${textareaClass(error)}" rows="6" maxlength="${String(ANSWER_MAX_LENGTH)}" required${describedBy(id, { hint: true, error })}${invalidAttribute(error)}>${o.answer?.typed ?? ''}</textarea>
</div>
<button type="submit" class="utrecht-button utrecht-button--primary-action utrecht-button--submit">${t.answerButton}</button>
</form>
</section>`;
}

/**
 * A page that only says something (not found, too large, thanks, errors), maybe with a way back to the form
 * (`backToForm`) or elsewhere (`back`, e.g. to the status page).
 */
export function messagePage(o: MessagePageOptions & { backToForm?: boolean }): string {
  const { backToForm, ...page } = o;
  return webMessagePage({
    ...page,
    back: backToForm === true ? { href: `/?lang=${o.lang}`, label: pageTexts[o.lang].back } : page.back,
  });
}

/**
 * The status page of a case whose personal data were removed: what is left of it (reference, organisation,
 * that it was resolved, its result and what the archive does next, the departments, the history with the
 * removal), and when and why the personal data went. The free texts were emptied: no outcome, no reasons.
 */
export function anonymisedPage(o: {
  lang: Language;
  municipality: Municipality;
  c: AnonymisedCase;
  selfHref: (lang: Language) => string;
}): string {
  const t = pageTexts[o.lang];
  const { c, municipality: m } = o;
  const resolvedAt = c.history.findLast((h) => h.type === 'resolved')?.at;
  const { archive } = c;
  const result = resultOf(m.retention, archive)?.name[o.lang] ?? archive.result;
  const number = archive.selectielijst;
  const archiveLine =
    archive.nomination === 'destroy' && archive.actionDate !== undefined
      ? fill(t.anonymisedDestroyOn, { day: formatDay(archive.actionDate, o.lang) })
      : t.anonymisedKeep;
  const main = html`<h1 class="utrecht-heading-1">${fill(t.statusTitle, { reference: '' })}<span class="aanspreekpunt-reference reference">${c.reference}</span></h1>
${paragraph(c.request.organisation.name, 'utrecht-paragraph--lead')}
${alert(
  'info',
  html`<h2 class="utrecht-heading-2">${t.anonymisedTitle}</h2>
${paragraph(fill(t.anonymisedText, { day: formatDayOf(c.anonymisedAt, o.lang) }))}
${paragraph(t.anonymisedWhy)}`,
  trusted(' role="status"'),
)}
<h2 class="utrecht-heading-2">${t.statusHeading}</h2>
${paragraph(resolvedAt === undefined ? t.event.resolved : fill(t.statusClosed, { day: formatDayOf(resolvedAt, o.lang) }))}
<h2 class="utrecht-heading-2">${t.result}</h2>
${paragraph(fill(t.resultText, { result, number }))}
${paragraph(archiveLine)}
${departmentsBlock(c.tags, joinedDepartments(c), m, o.lang)}
${historyBlock(c, m, o.lang)}
${paragraph(html`${link(`/privacy?lang=${o.lang}`, t.privacyLink)} · ${link(`/?lang=${o.lang}`, t.newRequest)}`)}`;
  return layout({
    lang: o.lang,
    title: fill(t.statusTitle, { reference: c.reference }),
    municipality: m,
    switchHref: o.selfHref(t.switchLang),
    main,
  });
}

/**
 * What the status link of a destroyed case answers (with 410 Gone): when it was destroyed and why (the
 * Archiefwet, the result's number in the Selectielijst), and that only a record of its destruction is kept.
 */
export function destroyedPage(o: {
  lang: Language;
  municipality: Municipality;
  record: DeletionRecord;
  selfHref: (lang: Language) => string;
}): string {
  const t = pageTexts[o.lang];
  const { record } = o;
  const day = formatDayOf(record.destroyedAt, o.lang);
  return layout({
    lang: o.lang,
    title: t.destroyedTitle,
    municipality: o.municipality,
    switchHref: o.selfHref(t.switchLang),
    main: html`<h1 class="utrecht-heading-1">${t.destroyedTitle}</h1>
${paragraph(fill(t.destroyedText, { reference: record.reference, day }))}
${paragraph(fill(t.destroyedWhy, { number: record.selectielijst }))}
${paragraph(t.destroyedKept)}
${paragraph(html`${link(`/privacy?lang=${o.lang}`, t.privacyLink)} · ${link(`/?lang=${o.lang}`, t.newRequest)}`)}`,
  });
}

/** The request types of a process type, and what the archive does with each of its results. */
function periodsOf({ type, requestTypes }: ArchivedRequestTypes, lang: Language): SafeHtml {
  const t = pageTexts[lang];
  const results = type.results.map((r) =>
    fill(t.privacyResult, {
      result: r.name[lang],
      consequence: consequenceText(r, lang),
      number: r.selectielijst,
    }),
  );
  return html`<h3 class="utrecht-heading-3">${requestTypes.map((r) => r.name[lang]).join(', ')}</h3>
${paragraph(fill(t.privacyProcessType, { number: String(type.selectielijst), name: type.name[lang] }))}
${list(results)}`;
}

/**
 * The privacy statement, its periods from the config: when the personal data of a resolved request are
 * removed (`retention.anonymiseAfter`), and per request type the results of its process type with what the
 * archive does with each (config/retention.ts).
 */
export function privacyPage(lang: Language, municipality: Municipality): string {
  const t = pageTexts[lang];
  const m = municipality;
  const archived = archivedRequestTypes(m);
  const anyKept = archived.some(({ type }) => type.results.some((r) => r.nomination === 'keep'));
  return layout({
    lang,
    title: t.privacyTitle,
    municipality: m,
    switchHref: `/privacy?lang=${t.switchLang}`,
    main: html`<h1 class="utrecht-heading-1">${t.privacyTitle}</h1>
${paragraph(fill(t.privacyText, { municipality: m.name }))}
<h2 class="utrecht-heading-2">${t.privacyRetentionTitle}</h2>
${paragraph(fill(t.privacyPersonal, { period: periodText(m.retention.anonymiseAfter, lang) }))}
${paragraph(t.privacyArchive)}
${archived.map((group) => periodsOf(group, lang))}
${paragraph(t.privacyDestroyed)}
${anyKept ? paragraph(t.privacyKept) : ''}
${paragraph(t.privacyRights)}
${paragraph(link(`/?lang=${lang}`, t.back))}`,
  });
}
