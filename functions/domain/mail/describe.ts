import type { Municipality } from '../../../config/schema.js';
import { formatMoment, formatPromisedDay } from '../calendar.js';
import type { Case, TagReason } from '../case.js';
import type { Language } from '../messages.js';
import { type ClockName, explainClock } from '../sla.js';

/** The words for a case that its e-mails and its status page share. */

type Named = { id: string; name: { nl: string; en: string } };
export const nameOf = (list: readonly Named[], id: string, lang: Language) =>
  list.find((item) => item.id === id)?.name[lang] ?? id;

const reasonWords = {
  nl: { goal: 'doel', requestType: 'soort aanvraag', keyword: 'trefwoord', lead: 'leidend' },
  en: { goal: 'goal', requestType: 'request type', keyword: 'keyword', lead: 'lead' },
} as const;

/** Why a department is involved, in words: "doel: Zorg en welzijn", "trefwoord: statushouder (statushouders)". */
export function describeReason(reason: TagReason, m: Municipality, lang: Language): string {
  const w = reasonWords[lang];
  switch (reason.kind) {
    case 'goal':
      return `${w.goal}: ${nameOf(m.goals, reason.goal, lang)}`;
    case 'requestType':
      return `${w.requestType}: ${nameOf(m.requestTypes, reason.requestType, lang)}`;
    case 'keyword':
      return `${w.keyword}: ${reason.keyword}${reason.matched === reason.keyword ? '' : ` (${reason.matched})`}`;
  }
}

/** The departments of a case with their reasons, one line each. */
export function describeTags(c: Case, m: Municipality, lang: Language): string[] {
  return c.tags.map(
    (tag) =>
      `${nameOf(m.departments, tag.department, lang)}${tag.lead ? ` (${reasonWords[lang].lead})` : ''}: ${tag.reasons
        .map((r) => describeReason(r, m, lang))
        .join('; ')}`,
  );
}

/** A moment in the municipality's time zone, in full: "maandag 3 maart 2025 om 10:00". */
export { formatMoment };

/** Who reads a promise: the enterprise is promised a day, the official sees the moment it falls due. */
export type PromiseReader = 'enterprise' | 'official';

/** The running promises of a case, one line each. */
export const promises = (c: Case, m: Municipality, lang: Language, reader: PromiseReader): string[] =>
  (['firstContact', 'decision'] as const).flatMap((clock) => promiseLine(c, clock, m, lang, reader) ?? []);

/**
 * The promise a clock stands for, with when it falls due and how that was computed: for the enterprise the
 * day ("Eerste contact uiterlijk donderdag 10 december 2026: 3 werkdagen ..."), for the official the moment
 * ("... uiterlijk donderdag 10 december 2026 om 17:00: ...").
 */
export function promiseLine(
  c: Case,
  clock: ClockName,
  m: Municipality,
  lang: Language,
  reader: PromiseReader,
): string | undefined {
  const running = c.clocks[clock];
  if (running === undefined) return undefined;
  const label =
    lang === 'nl'
      ? { firstContact: 'Eerste contact', decision: 'Besluit' }
      : { firstContact: 'First contact', decision: 'Decision' };
  const by = lang === 'nl' ? 'uiterlijk' : 'by';
  const due =
    reader === 'enterprise' ? formatPromisedDay(running.due, lang) : formatMoment(running.due, lang);
  return `${label[clock]} ${by} ${due}: ${explainClock(running, m.sla.calendar, lang)}`;
}
