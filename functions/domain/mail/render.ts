import { headerSafe, html, type SafeHtml } from '../html.js';
import type { Language } from '../messages.js';

/** An e-mail as the domain writes it; the mail adapter sends it. */
export interface Mail {
  readonly to: string;
  readonly replyTo?: string;
  readonly subject: string;
  readonly text: string;
  readonly html: string;
}

/** A mail body in both forms from one outline: paragraphs, a table of facts, lists. */
export type Block =
  | { readonly p: string }
  | { readonly facts: readonly (readonly [string, string])[] }
  | { readonly heading: string; readonly list: readonly string[] }
  | { readonly heading: string; readonly text: string }
  | { readonly link: string; readonly label: string };

/** A heading in the text part: followed by a colon unless it is a question. */
const heading = (text: string) => (/[?:]$/.test(text) ? text : `${text}:`);

/** The text part and the HTML part of a body, from its blocks, each ending with the footer. */
export function render(
  lang: Language,
  blocks: readonly Block[],
  footer: string,
  title?: string,
): { text: string; html: string } {
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
    html: `<!doctype html>${html`<html lang="${lang}">${title === undefined ? '' : html`<head><meta charset="utf-8"><title>${title}</title></head>`}<body>${parts}<p>${footer}</p></body></html>`}`,
  };
}

/** What a template writes: the addressees, the subject and the body's outline in one language. */
export interface Draft {
  readonly to: string;
  readonly replyTo: string;
  readonly subject: string;
  readonly lang: Language;
  readonly blocks: readonly Block[];
  readonly footer: string;
}

/** The e-mail of a draft: its subject safe for a header, its body rendered in both forms. */
export function composeMail(draft: Draft): Mail {
  const subject = headerSafe(draft.subject);
  const { text, html: body } = render(draft.lang, draft.blocks, draft.footer, subject);
  return { to: draft.to, replyTo: draft.replyTo, subject, text, html: body };
}
