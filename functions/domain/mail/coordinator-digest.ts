import type { Municipality } from '../../../config/schema.js';
import { formatDay, formatMoment, type IsoDay } from '../calendar.js';
import type { Candidate, Case } from '../case.js';
import { type CoordinatorAgenda, nextDue } from '../digest.js';
import type { Language } from '../messages.js';
import type { Block } from './render.js';
import { composeMail, type Mail } from './render.js';

const words = {
  nl: {
    subject: (day: string, n: number) =>
      `Coördinatie ${day}: ${n} ${n === 1 ? 'punt' : 'punten'} om op te pakken`,
    intro: 'Dit vraagt vandaag uw aandacht. Aanvragen staan met hun aanspreekpunt en eerstvolgende termijn.',
    inbox: 'In de coördinatorinbox: niemand beschikbaar voor de afdelingen',
    breached: 'Toezegging verlopen',
    escalated: 'Geëscaleerd naar een wethouder',
    unreachable: 'Onbereikbare medewerkers: e-mail aan hen kwam niet aan',
    unreachableLine: (o: Candidate) =>
      `${o.name} (${o.email}), sinds ${formatMoment(o.unreachable?.since ?? '', 'nl')}: herstel het adres, dan npm run officials -- reachable ${o.id}`,
    contact: 'aanspreekpunt',
    due: 'termijn',
    none: 'geen lopende termijn',
  },
  en: {
    subject: (day: string, n: number) => `Coordination ${day}: ${n} ${n === 1 ? 'item' : 'items'} to pick up`,
    intro: 'This needs your attention today. Requests are listed with their point of contact and next term.',
    inbox: 'In the coordinator inbox: nobody available for the departments',
    breached: 'Promise broken',
    escalated: "Escalated to an alderman's office",
    unreachable: 'Unreachable officials: e-mail to them did not arrive',
    unreachableLine: (o: Candidate) =>
      `${o.name} (${o.email}), since ${formatMoment(o.unreachable?.since ?? '', 'en')}: fix the address, then npm run officials -- reachable ${o.id}`,
    contact: 'point of contact',
    due: 'term',
    none: 'no running term',
  },
} as const;

/** One line per case: reference, organisation, contact, next due moment. */
function caseLine(c: Case, lang: Language): string {
  const w = words[lang];
  const due = nextDue(c);
  return `${c.reference}: ${c.request.organisation.name}; ${w.contact}: ${c.contact?.name ?? '-'}; ${due === undefined ? w.none : `${w.due}: ${formatMoment(due, lang)}`}`;
}

/**
 * The coordinator's digest of a working day, only when something needs attention: the cases in the
 * coordinator inbox, the promises broken, the escalations, and the officials whose address does not work.
 * In the coordinator's language.
 */
export function coordinatorDigestMail(input: {
  readonly agenda: CoordinatorAgenda;
  readonly period: IsoDay;
  readonly m: Municipality;
}): Mail {
  const { agenda, period, m } = input;
  const lang = m.coordinator.language;
  const w = words[lang];
  const count =
    agenda.inbox.length + agenda.breached.length + agenda.escalated.length + agenda.unreachable.length;
  const section = (heading: string, lines: readonly string[]): Block[] =>
    lines.length === 0 ? [] : [{ heading, list: lines }];
  return composeMail({
    to: m.coordinator.email,
    replyTo: m.coordinator.email,
    subject: w.subject(formatDay(period, lang), count),
    lang,
    blocks: [
      { p: w.intro },
      ...section(
        w.inbox,
        agenda.inbox.map((c) => caseLine(c, lang)),
      ),
      ...section(
        w.breached,
        agenda.breached.map((c) => caseLine(c, lang)),
      ),
      ...section(
        w.escalated,
        agenda.escalated.map((c) => caseLine(c, lang)),
      ),
      ...section(w.unreachable, agenda.unreachable.map(w.unreachableLine)),
    ],
    footer: `${m.name} · ${period}`,
  });
}
