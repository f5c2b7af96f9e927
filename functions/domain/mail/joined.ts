import type { Municipality } from '../../../config/schema.js';
import type { Case, Contact } from '../case.js';
import type { Language } from '../messages.js';
import { facts, footerOf } from './parts.js';
import { composeMail, type Mail } from './render.js';

/**
 * To the case's contact: a department the case touches wants to take part ("Wij denken mee", the link in
 * its daily digest). Replies go to the department's mailbox; the contact stays the enterprise's one contact.
 */
export function joinedMail(c: Case, department: string, contact: Contact, m: Municipality): Mail {
  const d = m.departments.find((x) => x.id === department);
  if (d === undefined) throw new Error(`unknown department ${department}`);
  const lang: Language = contact.language;
  const org = c.request.organisation.name;
  return composeMail({
    to: contact.email,
    replyTo: d.mailbox,
    subject:
      lang === 'nl'
        ? `${d.name.nl} denkt mee bij aanvraag ${c.reference} van ${org}`
        : `${d.name.en} wants to be involved in request ${c.reference} from ${org}`,
    lang,
    blocks: [
      {
        p:
          lang === 'nl'
            ? `${d.name.nl} wil meedenken over deze aanvraag van ${org} en is nu als betrokken afdeling vastgelegd; de ondernemer ziet dat op de statuspagina. Neem contact op met de afdeling (${d.mailbox}, of beantwoord deze e-mail) om af te spreken hoe zij meedenkt. U blijft het enige aanspreekpunt van de ondernemer.`
            : `${d.name.en} wants to be involved in this request from ${org} and is now recorded as an involved department; the enterprise sees so on its status page. Get in touch with the department (${d.mailbox}, or reply to this e-mail) to agree how it takes part. You stay the enterprise's only point of contact.`,
      },
      { facts: facts(c, m, lang) },
    ],
    footer: footerOf(c, m),
  });
}
