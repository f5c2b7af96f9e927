import type { Language } from '../domain/messages.js';

/** Fills `{name}` placeholders. */
export const fill = (text: string, values: Record<string, string>): string =>
  text.replace(/\{(\w+)\}/g, (match, name: string) => values[name] ?? match);

/** The words of the page chrome (layout), Dutch first. */
export const chromeTexts = {
  nl: { skip: 'Naar de inhoud', switchTo: 'English', errorPrefix: 'Fout: ' },
  en: { skip: 'Skip to content', switchTo: 'Nederlands', errorPrefix: 'Error: ' },
} as const satisfies Record<Language, unknown>;
