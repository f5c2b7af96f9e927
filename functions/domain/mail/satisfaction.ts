import type { Municipality } from '../../../config/schema.js';
import type { Case, Contact } from '../case.js';
import { enterpriseDraft } from './parts.js';
import { composeMail, type Mail } from './render.js';

/**
 * For the enterprise once its case is resolved, in its language: one question, how working with the
 * municipality went, behind a signed link to a form (1 to 5, an optional comment). Sent once per case.
 * Replies go to the contact who resolved it; the e-mail repeats no free text of the request or the outcome.
 */
export function satisfactionMail(c: Case, contact: Contact, m: Municipality, url: string): Mail {
  const lang = c.request.language;
  const org = c.request.organisation.name;
  const t =
    lang === 'nl'
      ? {
          subject: `Hoe was de samenwerking met ${m.name}? Aanvraag ${c.reference}`,
          intro: `Uw aanvraag ${c.reference} van ${org} is afgerond. Wij willen graag weten hoe de samenwerking met de gemeente was: het is één vraag, met een cijfer van 1 tot 5 en als u wilt een toelichting. Zo ziet de gemeente, en de wethouder, waar het beter kan.`,
          link: 'Geef uw oordeel over de samenwerking',
          note: 'De link werkt 30 dagen; de aanvraag neemt één antwoord. Uw toelichting wordt met uw andere persoonsgegevens verwijderd, uw cijfer telt mee in het maandoverzicht zonder uw naam.',
        }
      : {
          subject: `How was working with ${m.name}? Request ${c.reference}`,
          intro: `Your request ${c.reference} from ${org} has been resolved. We would like to know how working with the municipality went: it is one question, a score from 1 to 5 and, if you like, a comment. It shows the municipality, and the alderman, where to do better.`,
          link: 'Rate working with us',
          note: 'The link works for 30 days; the request takes one answer. Your comment is removed with your other personal data; your score counts in the monthly report without your name.',
        };
  return composeMail(
    enterpriseDraft({
      c,
      contact,
      m,
      subject: t.subject,
      blocks: [{ p: t.intro }, { link: url, label: t.link }, { p: t.note }],
    }),
  );
}
