import type { KeywordRule } from '../../config/schema.js';

/**
 * Keyword matching over a description, Dutch and English: case and diacritics do not matter, and neither
 * do common plural and inflection endings ("statushouders", "statushouder"; "woningen", "woning";
 * "refugees", "refugee"). Phrases match as whole words in sequence, never inside another word.
 * It is deliberately simple: irregular plurals ("scholen", "buurthuizen") need their own phrase.
 */
const SUFFIXES = ['ies', 'en', 'es', 's', 'e', 'y'];
const MIN_STEM = 4;

/** Lower case, no diacritics, words only. */
export function words(text: string): string[] {
  return text
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w.length > 0);
}

/**
 * The forms a word may stand for: itself, and itself without one common ending when enough is left.
 * Two words are the same when their forms overlap: "subsidies" {subsidies, subsidi, subsid, subsidie}
 * and "subsidie" {subsidie, subsidi}; "statushouders" and "statushouder"; "communities" and "community".
 */
export function stems(word: string): Set<string> {
  const forms = new Set([word]);
  for (const suffix of SUFFIXES)
    if (word.endsWith(suffix) && word.length - suffix.length >= MIN_STEM)
      forms.add(word.slice(0, -suffix.length));
  return forms;
}

const same = (a: ReadonlySet<string>, b: ReadonlySet<string>) => [...a].some((form) => b.has(form));

export interface KeywordMatch {
  readonly department: string;
  /** The phrase of the rule, as configured. */
  readonly keyword: string;
  /** The words in the description that matched it. */
  readonly matched: string;
}

/** Every rule phrase found in the text, with the words that matched; one match per department and phrase. */
export function matchKeywords(text: string, rules: readonly KeywordRule[]): KeywordMatch[] {
  const original = words(text);
  const forms = original.map(stems);
  const matches: KeywordMatch[] = [];
  for (const rule of rules) {
    for (const phrase of rule.phrases) {
      const wanted = words(phrase).map(stems);
      if (wanted.length === 0) continue;
      for (let i = 0; i + wanted.length <= forms.length; i++) {
        if (wanted.every((w, j) => same(w, forms[i + j] ?? new Set()))) {
          matches.push({
            department: rule.department,
            keyword: phrase,
            matched: original.slice(i, i + wanted.length).join(' '),
          });
          break;
        }
      }
    }
  }
  return matches;
}
