import type { Language } from '../messages.js';
import { explainClock } from '../sla.js';
import { formatMoment } from './describe.js';
import { type ActionUrls, actionBlocks, clockWords, facts, footerOf, type StepMailInput } from './parts.js';
import { composeMail, type Mail } from './render.js';

/** To the contact before a due moment: what is due when, and (for the first contact) the link to say it happened. */
export function reminderMail({ c, contact, clock, running, m }: StepMailInput, links?: ActionUrls): Mail {
  const lang: Language = contact.language;
  const org = c.request.organisation.name;
  const what = clockWords[lang][clock];
  const due = formatMoment(running.due, lang);
  return composeMail({
    to: contact.email,
    replyTo: c.request.contact.email,
    subject:
      lang === 'nl'
        ? `Herinnering ${c.reference}: ${what} uiterlijk ${due}`
        : `Reminder ${c.reference}: ${what} by ${due}`,
    lang,
    blocks: [
      {
        p:
          lang === 'nl'
            ? `Herinnering: de termijn voor ${what} bij de aanvraag van ${org} loopt af op ${due}: ${explainClock(running, m.sla.calendar, 'nl')}.`
            : `Reminder: the term for ${what} on the request from ${org} ends on ${due}: ${explainClock(running, m.sla.calendar, 'en')}.`,
      },
      { facts: facts(c, m, lang) },
      ...actionBlocks(clock === 'firstContact' ? { contactMade: links?.contactMade } : undefined, lang),
    ],
    footer: footerOf(c, m),
  });
}
