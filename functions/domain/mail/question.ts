import type { Municipality } from '../../../config/schema.js';
import type { Case, Contact } from '../case.js';
import type { Language } from '../messages.js';
import { enterpriseDraft, facts, footerOf } from './parts.js';
import { composeMail, type Mail } from './render.js';

/**
 * "Information requested": the contact's question to the enterprise when pausing its case, and the
 * enterprise's answer to the contact. The question goes with a status link of its own: the enterprise
 * answers on its status page, where the answer resumes the clocks.
 */

export function questionMail(input: {
  readonly c: Case;
  readonly contact: Contact;
  readonly m: Municipality;
  readonly question: string;
  /** The enterprise's status page (a link made for this e-mail); undefined when none could be made. */
  readonly statusUrl: string | undefined;
}): Mail {
  const { c, contact, m, question } = input;
  const lang: Language = c.request.language;
  const t =
    lang === 'nl'
      ? {
          subject: `Vraag over uw aanvraag ${c.reference} bij ${m.name}`,
          intro: `${contact.name}, uw contactpersoon bij de gemeente, heeft een vraag over uw aanvraag voor ${c.request.organisation.name}. Tot u antwoordt, staan de termijnen van uw aanvraag stil.`,
          question: 'De vraag',
          how: 'Beantwoord de vraag op de statuspagina van uw aanvraag (de knop hieronder). Zodra uw antwoord binnen is, lopen de termijnen weer en krijgt uw contactpersoon het per e-mail.',
          noLink: 'Beantwoord de vraag op de statuspagina van uw aanvraag, via de link in uw bevestiging.',
        }
      : {
          subject: `A question about your request ${c.reference} to ${m.name}`,
          intro: `${contact.name}, your point of contact at the municipality, has a question about your request for ${c.request.organisation.name}. Until you answer, the deadlines of your request stand still.`,
          question: 'The question',
          how: 'Answer the question on the status page of your request (the button below). As soon as your answer is in, the deadlines run again and your point of contact gets it by e-mail.',
          noLink:
            'Answer the question on the status page of your request, through the link in your confirmation.',
        };
  return composeMail(
    enterpriseDraft({
      c,
      contact,
      m,
      subject: t.subject,
      blocks: [{ p: t.intro }, { heading: t.question, text: question }, { p: t.how }],
      status: { url: input.statusUrl, noLink: t.noLink },
    }),
  );
}

/** To the case's contact: the enterprise answered the question; the clocks run again. */
export function answerMail(input: {
  readonly c: Case;
  readonly contact: Contact;
  readonly m: Municipality;
  readonly question: string;
  readonly answer: string;
  /** The working days the clocks were paused (their moments moved by as many). */
  readonly workingDays: number;
}): Mail {
  const { c, contact, m } = input;
  const lang: Language = contact.language;
  const org = c.request.organisation.name;
  const t =
    lang === 'nl'
      ? {
          subject: `Antwoord van ${org} op uw vraag (aanvraag ${c.reference})`,
          intro: `${org} heeft uw vraag beantwoord op de statuspagina. De termijnen lopen weer, verlengd met ${input.workingDays} werkdag(en) pauze.`,
          question: 'Uw vraag',
          answer: 'Het antwoord',
        }
      : {
          subject: `Answer from ${org} to your question (request ${c.reference})`,
          intro: `${org} answered your question on its status page. The clocks run again, extended by ${input.workingDays} paused working day(s).`,
          question: 'Your question',
          answer: 'The answer',
        };
  return composeMail({
    to: contact.email,
    replyTo: c.request.contact.email,
    subject: t.subject,
    lang,
    blocks: [
      { p: t.intro },
      { heading: t.question, text: input.question },
      { heading: t.answer, text: input.answer },
      { facts: facts(c, m, lang) },
    ],
    footer: footerOf(c, m),
  });
}
