import Negotiator from 'negotiator';
import type { Language } from '../domain/messages.js';

/** The languages the pages and the API speak, Dutch first: the first is also the fallback. */
export const LANGUAGES = ['nl', 'en'] as const satisfies readonly Language[];

export const isLanguage = (value: unknown): value is Language => value === 'nl' || value === 'en';

/** The other language: where the language switch of a page points. */
export const otherLanguage = (lang: Language): Language => (lang === 'nl' ? 'en' : 'nl');

/**
 * The language the browser prefers among ours (RFC 9110 Accept-Language: q-values, `*`, region subtags
 * such as `en-GB` that match `en`, `q=0` as "not this one"), or undefined when it names none of them.
 */
export function negotiateLanguage(acceptLanguage: string | undefined): Language | undefined {
  if (acceptLanguage === undefined || acceptLanguage.trim() === '') return undefined;
  const best = new Negotiator({ headers: { 'accept-language': acceptLanguage } }).language([...LANGUAGES]);
  return isLanguage(best) ? best : undefined;
}

/** The language of a request: an explicit choice (body, `?lang=`), else Accept-Language, else Dutch. */
export function pickLanguage(preferred: unknown, acceptLanguage: string | undefined): Language {
  if (isLanguage(preferred)) return preferred;
  return negotiateLanguage(acceptLanguage) ?? LANGUAGES[0];
}
