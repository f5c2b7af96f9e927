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
  | { readonly link: string; readonly label: string }
  | { readonly heading: string; readonly table: TableBlock };

/** A table of figures: its column heads, its rows, and optionally one column drawn as bars. */
export interface TableBlock {
  readonly head: readonly string[];
  readonly rows: readonly (readonly string[])[];
  /** The column whose cells get a bar, and each row's number (the longest bar is the largest). */
  readonly bars?: { readonly column: number; readonly values: readonly number[] };
}

/** The longest bar, in pixels: narrow enough for a phone's mail app. */
const BAR_PX = 160;

/**
 * A table as e-mail clients render it without scripts or stylesheets: attributes and inline styles only,
 * a bar as a coloured cell of a fixed width (what Outlook's engine draws too), the number beside it.
 */
function tableHtml(table: TableBlock): SafeHtml {
  const max = Math.max(0, ...(table.bars?.values ?? []));
  const cell = (text: string, row: number, column: number) => {
    const value = table.bars?.column === column ? table.bars.values[row] : undefined;
    if (value === undefined) return html`<td valign="top">${text}</td>`;
    const width = value <= 0 || max === 0 ? 0 : Math.max(1, Math.round((value / max) * BAR_PX));
    return html`<td valign="top"><table role="presentation" cellpadding="0" cellspacing="0" border="0"><tr>${width === 0 ? '' : html`<td width="${String(width)}" height="12" bgcolor="#1f4e79" style="background:#1f4e79;width:${String(width)}px;height:12px;font-size:0;line-height:0">&nbsp;</td>`}<td style="padding-left:6px">${text}</td></tr></table></td>`;
  };
  return html`<table cellpadding="6" cellspacing="0" border="1" style="border-collapse:collapse;border-color:#767676"><thead><tr>${table.head.map((h) => html`<th scope="col" align="left" valign="bottom">${h}</th>`)}</tr></thead><tbody>${table.rows.map((row, r) => html`<tr>${row.map((text, c) => cell(text, r, c))}</tr>`)}</tbody></table>`;
}

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
    } else if ('table' in b) {
      text.push(
        heading(b.heading),
        b.table.head.join(' | '),
        ...b.table.rows.map((row) => row.join(' | ')),
        '',
      );
      parts.push(html`<h2>${b.heading}</h2>${tableHtml(b.table)}`);
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
