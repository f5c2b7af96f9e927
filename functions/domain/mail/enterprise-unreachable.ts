import type { Municipality } from '../../../config/schema.js';
import type { Case, Contact } from '../case.js';
import { facts, footerOf } from './parts.js';
import { composeMail, type Mail } from './render.js';

/**
 * For the case's contact, once: an e-mail to the enterprise bounced for good, so its address does not work and
 * nothing more is e-mailed to it. The contact reaches the enterprise another way: by phone when it gave a
 * number, else through the organisation's own channels. Its reply goes to the municipality's sender, not to
 * the address that does not work.
 */
export function enterpriseUnreachableMail(c: Case, contact: Contact, m: Municipality): Mail {
  const lang = contact.language;
  const org = c.request.organisation.name;
  const person = c.request.contact.name;
  const phone = c.request.contact.phone;
  const t =
    lang === 'nl'
      ? {
          subject: `Aanvraag ${c.reference}: het e-mailadres van ${org} werkt niet`,
          intro: `Een e-mail van ons aan ${person} van ${org} over aanvraag ${c.reference} is onbestelbaar teruggekomen: het e-mailadres werkt niet. Wij sturen er niets meer heen; de ondernemer weet dus niet wie zijn contactpersoon is.`,
          reach:
            phone === undefined
              ? `Er is geen telefoonnummer opgegeven. Zoek ${org} op via het KvK-nummer en vraag om een e-mailadres dat werkt.`
              : `Bel ${person} op ${phone} en vraag om een e-mailadres dat werkt.`,
          status: 'De toezeggingen aan de ondernemer blijven staan.',
        }
      : {
          subject: `Request ${c.reference}: the e-mail address of ${org} does not work`,
          intro: `An e-mail from us to ${person} of ${org} about request ${c.reference} came back undeliverable: the address does not work. We send nothing more to it, so the enterprise does not know who its contact is.`,
          reach:
            phone === undefined
              ? `No phone number was given. Look ${org} up by its KvK number and ask for an e-mail address that works.`
              : `Call ${person} on ${phone} and ask for an e-mail address that works.`,
          status: 'The promises to the enterprise stand.',
        };
  return composeMail({
    to: contact.email,
    replyTo: m.sender,
    subject: t.subject,
    lang,
    blocks: [{ p: t.intro }, { p: t.reach }, { facts: facts(c, m, lang) }, { p: t.status }],
    footer: footerOf(c, m),
  });
}
