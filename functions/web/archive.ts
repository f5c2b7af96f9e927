import type { ArchiveResult, Period } from '../../config/retention.js';
import type { Language } from '../domain/messages.js';
import { fill } from './texts.js';

/**
 * What the archive does with a case, in words, for every page that says it: the officials' resolve form
 * (functions/actions/) and the enterprise's privacy statement (functions/intake/). The periods and results
 * come from the config (config/retention.ts); only the words are here.
 */

/** The words of periods and archive consequences, Dutch first. `{x}` marks a value filled in. */
export const archiveTexts = {
  nl: {
    period: { Y: ['jaar', 'jaar'], M: ['maand', 'maanden'], D: ['dag', 'dagen'] },
    destroyAfter: 'vernietigen {period} na {start}',
    startClosed: 'afronden',
    keepForGood: 'blijvend bewaren',
  },
  en: {
    period: { Y: ['year', 'years'], M: ['month', 'months'], D: ['day', 'days'] },
    destroyAfter: 'destroy {period} after {start}',
    startClosed: 'resolving',
    keepForGood: 'keep for good',
  },
} as const satisfies Record<
  Language,
  { period: Record<'Y' | 'M' | 'D', readonly [string, string]>; [key: string]: unknown }
>;

const isUnit = (unit: string | undefined): unit is 'Y' | 'M' | 'D' =>
  unit === 'Y' || unit === 'M' || unit === 'D';

/** A period in words: `P5Y` → "5 jaar", `P18M` → "18 maanden", `P1Y6M` → "1 jaar 6 maanden". */
export function periodText(period: Period, lang: Language): string {
  const units = archiveTexts[lang].period;
  return [...period.matchAll(/(\d+)([YMD])/g)]
    .flatMap(([, n, unit]) => {
      if (n === undefined || !isUnit(unit)) return [];
      const [one, many] = units[unit];
      return [`${n} ${n === '1' ? one : many}`];
    })
    .join(' ');
}

/**
 * What a result means for the archive: "vernietigen 5 jaar na afronden", "vernietigen 7 jaar na einddatum
 * van de subsidie" (a result counted from a day the official enters names that day) or "blijvend bewaren".
 */
export function consequenceText(r: ArchiveResult, lang: Language): string {
  const t = archiveTexts[lang];
  if (r.nomination === 'keep') return t.keepForGood;
  return fill(t.destroyAfter, {
    period: periodText(r.period, lang),
    start: r.from === 'closed' ? t.startClosed : (r.fromLabel?.[lang] ?? '').toLowerCase(),
  });
}
