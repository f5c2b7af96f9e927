import { html, type SafeHtml, trusted } from '../domain/html.js';
import type { Language } from '../domain/messages.js';
import { chromeTexts } from './texts.js';

/**
 * Small pieces of NL Design System markup the pages share, so a field, its hint and its error look and
 * read the same on every form (the hint and error are tied to the field with `aria-describedby`).
 */

/** `utrecht-form-field`, marked invalid when it has an error. */
export const fieldClass = (invalid: boolean, kind?: 'checkbox' | 'radio'): string =>
  [
    'utrecht-form-field',
    kind === undefined ? '' : `utrecht-form-field--${kind}`,
    invalid ? 'utrecht-form-field--invalid' : '',
  ]
    .filter(Boolean)
    .join(' ');

/** `utrecht-form-fieldset` (a group of choices with a legend), marked invalid when it has an error. */
export const fieldsetClass = (invalid: boolean): string =>
  `utrecht-form-fieldset utrecht-form-fieldset--html-fieldset${invalid ? ' utrecht-form-fieldset--invalid' : ''}`;

export const legend = (text: string): SafeHtml =>
  html`<legend class="utrecht-form-fieldset__legend utrecht-form-fieldset__legend--html-legend">${text}</legend>`;

export const label = (forId: string, text: string, kind?: 'checkbox' | 'radio'): SafeHtml =>
  html`<label class="utrecht-form-label${kind === undefined ? '' : ` utrecht-form-label--${kind}`}" for="${forId}">${text}</label>`;

/** The hint under a label: `{id}-hint`. */
export const hint = (id: string, text: string | undefined): SafeHtml | string =>
  text === undefined ? '' : html`<div class="utrecht-form-field-description" id="${id}-hint">${text}</div>`;

/** The error of a field: `{id}-error`, with "Fout: " for screen readers. */
export const errorMessage = (id: string, text: string | undefined, lang: Language): SafeHtml | string =>
  text === undefined
    ? ''
    : html`<div class="utrecht-form-field-error-message" id="${id}-error"><span class="aanspreekpunt-visually-hidden">${chromeTexts[lang].errorPrefix}</span>${text}</div>`;

/** ` aria-describedby="…"` for the hint and error that exist, or nothing. */
export const describedBy = (id: string, o: { hint: boolean; error: boolean }): SafeHtml => {
  const ids = [o.hint ? `${id}-hint` : '', o.error ? `${id}-error` : ''].filter(Boolean).join(' ');
  return ids === '' ? trusted('') : html` aria-describedby="${ids}"`;
};

export const invalidAttribute = (invalid: boolean): SafeHtml =>
  trusted(invalid ? ' aria-invalid="true"' : '');

/** A paragraph. */
export const paragraph = (content: SafeHtml | string, extraClass = ''): SafeHtml =>
  html`<p class="utrecht-paragraph${extraClass === '' ? '' : ` ${extraClass}`}">${content}</p>`;

export const link = (href: string, text: string): SafeHtml =>
  html`<a href="${href}" class="utrecht-link utrecht-link--html-a">${text}</a>`;

/** An alert: `status` for news (received, paused, done), `alert` for problems. */
export const alert = (
  type: 'info' | 'ok' | 'error' | 'warning',
  content: SafeHtml,
  attributes: SafeHtml = trusted(''),
): SafeHtml =>
  html`<div class="utrecht-alert utrecht-alert--${type}"${attributes}><div class="utrecht-alert__content"><div class="utrecht-alert__message">${content}</div></div></div>`;

export const textboxClass = (invalid: boolean, extra?: string): string =>
  `utrecht-textbox utrecht-textbox--html-input${invalid ? ' utrecht-textbox--invalid' : ''}${extra === undefined ? '' : ` ${extra}`}`;

export const textareaClass = (invalid: boolean): string =>
  `utrecht-textarea utrecht-textarea--html-textarea${invalid ? ' utrecht-textarea--invalid' : ''}`;

export const selectClass = (invalid: boolean): string =>
  `utrecht-select utrecht-select--html-select${invalid ? ' utrecht-select--invalid' : ''}`;

export interface Choice {
  readonly id: string;
  readonly name: string;
  readonly value: string;
  readonly text: string;
  readonly checked: boolean;
  readonly invalid: boolean;
  /** ` aria-describedby="…"` when the choice has its own error. */
  readonly describedBy?: SafeHtml;
}

/** A checkbox or radio button with its label beside it. */
export function choiceField(kind: 'checkbox' | 'radio', choice: Choice): SafeHtml {
  const control = kind === 'checkbox' ? 'utrecht-checkbox' : 'utrecht-radio-button';
  const classes = `${control} ${control}--html-input${choice.invalid ? ` ${control}--invalid` : ''}`;
  return html`<div class="${fieldClass(false, kind)}"><div class="utrecht-form-field__input"><input type="${kind}" class="${classes}" id="${choice.id}" name="${choice.name}" value="${choice.value}"${choice.checked ? trusted(' checked') : ''}${choice.describedBy ?? ''}${invalidAttribute(choice.invalid)}></div><div class="utrecht-form-field__label">${label(choice.id, choice.text, kind)}</div></div>`;
}

/** A bulleted list of texts. */
export const list = (items: readonly string[]): SafeHtml =>
  html`<ul class="utrecht-unordered-list">${items.map((item) => html`<li class="utrecht-unordered-list__item">${item}</li>`)}</ul>`;
