import { formatMoment } from './describe.js';
import {
  type ActionUrls,
  actionBlocks,
  clockWords,
  facts,
  footerOf,
  historyLines,
  type StepMailInput,
} from './parts.js';
import { composeMail, type Mail } from './render.js';

/** To the contact or the coordinator when a promise broke: what was due when, and how the case went. */
export function breachMail(
  { c, contact, clock, running, m }: StepMailInput,
  recipient: 'contact' | 'coordinator',
  links?: ActionUrls,
): Mail {
  const { email: to, language: lang } = recipient === 'contact' ? contact : m.coordinator;
  const org = c.request.organisation.name;
  const what = clockWords[lang][clock];
  const due = formatMoment(running.due, lang);
  return composeMail({
    to,
    replyTo: contact.email,
    subject:
      lang === 'nl'
        ? `Termijn verstreken ${c.reference}: ${what} (${org})`
        : `Term passed ${c.reference}: ${what} (${org})`,
    lang,
    blocks: [
      {
        p:
          lang === 'nl'
            ? `De termijn voor ${what} bij de aanvraag van ${org} is verstreken op ${due}. Aanspreekpunt: ${contact.name}.`
            : `The term for ${what} on the request from ${org} passed on ${due}. Point of contact: ${contact.name}.`,
      },
      { facts: facts(c, m, lang) },
      // Only the contact gets the link: it works for them alone.
      ...actionBlocks(
        clock === 'firstContact' && to === contact.email ? { contactMade: links?.contactMade } : undefined,
        lang,
      ),
      { heading: lang === 'nl' ? 'Verloop' : 'History', list: historyLines(c, lang) },
    ],
    footer: footerOf(c, m),
  });
}
