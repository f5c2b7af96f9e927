import { describe, expect, it } from 'vitest';
import { ERROR_KEYS } from '../../events/case-request.js';
import { fieldError } from '../../functions/domain/messages.js';
import { pickLanguage } from '../../functions/web/language.js';

describe('pickLanguage', () => {
  it.each([
    ['the body asks for English', 'en', 'nl-NL,nl;q=0.9', 'en'],
    ['the body asks for Dutch', 'nl', 'en-GB', 'nl'],
    ['the browser prefers British English', undefined, 'en-GB,en;q=0.9', 'en'],
    [
      'the first supported browser language is English',
      undefined,
      'de-DE, fr;q=0.8, EN;q=0.5, nl;q=0.3',
      'en',
    ],
    ['the first supported browser language is Dutch', undefined, 'nl-BE, en;q=0.5', 'nl'],
    ['the body names a language we do not speak', 'fr', 'en', 'en'],
    ['the body language is not a string', 42, undefined, 'nl'],
    ['nothing is known', undefined, undefined, 'nl'],
    ['no browser language is supported', undefined, 'de, fr', 'nl'],
  ])('answers %s with the right language', (_, preferred, acceptLanguage, expected) => {
    const language = pickLanguage(preferred, acceptLanguage);

    expect(language).toBe(expected);
  });
});

describe('fieldError', () => {
  it('has a Dutch and an English text for every error key of the schema', () => {
    const texts = ERROR_KEYS.flatMap((key) => [fieldError(key, 'nl'), fieldError(key, 'en')]);

    for (const text of texts) expect(text).toMatch(/\S.*\.$/);
    expect(new Set(ERROR_KEYS.map((key) => fieldError(key, 'nl'))).size).toBe(ERROR_KEYS.length);
  });

  it('reads an unexpected key as the generic wrong-form message', () => {
    const text = fieldError('Invalid input: expected string, received number', 'en');

    expect(text).toBe('This value does not have the right form.');
  });
});
