import { formatPromisedDay } from '../calendar.js';
import { enterpriseDraft, type StepMailInput } from './parts.js';
import { composeMail, type Mail } from './render.js';

/**
 * To the enterprise when the first-contact promise broke, honestly: we are late, and `newExpected` is when
 * its contact will get in touch. Both dates name the day, as every promise to the enterprise does.
 */
export function lateNoticeMail({ c, contact, running, m }: StepMailInput, newExpected: Date): Mail {
  const lang = c.request.language;
  const org = c.request.organisation.name;
  const expected = formatPromisedDay(newExpected, lang);
  const promised = formatPromisedDay(running.due, lang);
  return composeMail(
    enterpriseDraft({
      c,
      contact,
      m,
      subject:
        lang === 'nl'
          ? `Uw aanvraag ${c.reference}: we zijn later dan beloofd`
          : `Your request ${c.reference}: we are later than promised`,
      blocks: [
        {
          p:
            lang === 'nl'
              ? `Wij hadden beloofd uiterlijk ${promised} contact met u op te nemen over uw aanvraag voor ${org}. Dat is ons niet gelukt, en dat spijt ons. ${contact.name} (${contact.email}) neemt uiterlijk ${expected} contact met u op.`
              : `We promised to contact you about your request for ${org} by ${promised}. We did not manage that, and we are sorry. ${contact.name} (${contact.email}) will contact you by ${expected}.`,
        },
      ],
    }),
  );
}
