import type { Language } from '../messages.js';
import { describeTags, formatMoment } from './describe.js';
import { clockWords, facts, footerOf, historyLines, labels, type StepMailInput } from './parts.js';
import { composeMail, type Mail } from './render.js';

/**
 * To the wethouder's office of the lead department (the first department without one), some working
 * days after a broken promise; undefined when the municipality has no department.
 */
export function escalationMail({ c, contact, clock, running, m }: StepMailInput): Mail | undefined {
  const lead = c.tags.find((t) => t.lead)?.department;
  const department = m.departments.find((d) => d.id === lead) ?? m.departments[0];
  if (department === undefined) return undefined;
  const lang: Language = 'nl';
  const org = c.request.organisation.name;
  const what = clockWords.nl[clock];
  return composeMail({
    to: department.wethouder.office,
    replyTo: m.coordinator.email,
    subject: `Escalatie ${c.reference}: toezegging aan ${org} niet nagekomen`,
    lang,
    blocks: [
      {
        p: `Ter attentie van ${department.wethouder.name}: de toezegging aan ${org} voor ${what} is niet nagekomen. De termijn liep af op ${formatMoment(running.due, lang)}. Aanspreekpunt: ${contact.name} (${contact.email}); de coördinator is ingelicht.`,
      },
      { facts: facts(c, m, lang) },
      { heading: labels.nl.departments, list: describeTags(c, m, lang) },
      { heading: 'Verloop', list: historyLines(c, lang) },
    ],
    footer: footerOf(c, m),
  });
}
