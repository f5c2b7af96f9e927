import type { Municipality } from '../../config/schema.js';
import { html, type SafeHtml } from '../domain/html.js';
import type { Language } from '../domain/messages.js';
import { assetsOf } from './assets.js';
import { otherLanguage } from './language.js';
import { chromeTexts } from './texts.js';

/**
 * The page chrome every page shares (intake, status, actions, the local ops page): server-rendered HTML
 * on NL Design System components, no JavaScript, Dutch first. The municipality's theme sets the tokens:
 * its stylesheet is linked and its class is on `<body>`, the root of everything shown.
 * Accessibility (WCAG 2.1 AA): a skip link, one main landmark, a language switch that says its language.
 */

export interface LayoutOptions {
  readonly lang: Language;
  readonly title: string;
  readonly municipality: Municipality;
  /** Link to this page in the other language. */
  readonly switchHref: string;
  readonly main: SafeHtml;
  /** More for the head, e.g. a refresh the user asked for. */
  readonly head?: SafeHtml;
  /** A wider page, for tables and charts. */
  readonly wide?: boolean;
}

export function layout(o: LayoutOptions): string {
  const t = chromeTexts[o.lang];
  const other = otherLanguage(o.lang);
  const { theme } = o.municipality;
  return `<!doctype html>${html`<html lang="${o.lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${o.title} – ${o.municipality.name}</title>
${assetsOf(theme).hrefs.map((href) => html`<link rel="stylesheet" href="${href}">\n`)}${o.head}
</head>
<body class="${theme.className} utrecht-document aanspreekpunt-page${o.wide === true ? ' aanspreekpunt-page--wide' : ''}">
<a class="utrecht-skip-link utrecht-skip-link--visible-on-focus" href="#main">${t.skip}</a>
<div class="utrecht-page">
<header class="utrecht-page-header"><div class="aanspreekpunt-header">
<span class="aanspreekpunt-brand">${o.municipality.name}</span>
<a class="utrecht-link utrecht-link--html-a" href="${o.switchHref}" lang="${other}" hreflang="${other}">${t.switchTo}</a>
</div></header>
<main id="main" class="utrecht-page-content aanspreekpunt-main" tabindex="-1">
${o.main}
</main>
<footer class="utrecht-page-footer"><p class="utrecht-paragraph">Aanspreekpunt · ${o.municipality.name}</p></footer>
</div>
</body>
</html>`}`;
}

export interface MessagePageOptions {
  readonly lang: Language;
  readonly municipality: Municipality;
  readonly title: string;
  readonly text: string;
  readonly switchHref: string;
  /** A way on, e.g. back to the form. */
  readonly back?: { readonly href: string; readonly label: string };
}

/** A page that only says something: not found, too large, thanks, errors. */
export function messagePage(o: MessagePageOptions): string {
  return layout({
    lang: o.lang,
    title: o.title,
    municipality: o.municipality,
    switchHref: o.switchHref,
    main: html`<h1 class="utrecht-heading-1">${o.title}</h1>
<p class="utrecht-paragraph">${o.text}</p>
${o.back === undefined ? '' : html`<p class="utrecht-paragraph"><a class="utrecht-link utrecht-link--html-a" href="${o.back.href}">${o.back.label}</a></p>`}`,
  });
}
