import type { Municipality } from '../../../config/schema.js';
import type { Case, Contact } from '../case.js';
import { describeTags, promises } from './describe.js';
import { type ActionUrls, actionBlocks, facts, footerOf, labels, promisesHeading } from './parts.js';
import { composeMail, type Mail } from './render.js';

/**
 * The e-mail that tells the official they are the accountable contact for a case; `handedOverBy` names
 * the colleague who handed it to them (or handed it back for a new contact).
 */
export function assignmentMail(
  c: Case,
  contact: Contact,
  m: Municipality,
  links?: ActionUrls,
  handedOverBy?: string,
): Mail {
  const lang = contact.language;
  const org = c.request.organisation.name;
  const from =
    handedOverBy === undefined
      ? ''
      : lang === 'nl'
        ? `${handedOverBy} heeft deze aanvraag aan u overgedragen. De toezeggingen aan de ondernemer blijven staan. `
        : `${handedOverBy} handed this request over to you. The promises to the enterprise stand. `;
  const intro =
    lang === 'nl'
      ? `${from}U bent het vaste aanspreekpunt voor deze aanvraag van ${org}. U coördineert met de andere afdelingen en neemt contact op met de ondernemer.`
      : `${from}You are the fixed point of contact for this request from ${org}. You coordinate with the other departments and get in touch with the enterprise.`;
  const subject =
    handedOverBy === undefined
      ? lang === 'nl'
        ? `Nieuwe aanvraag ${c.reference}: u bent het aanspreekpunt voor ${org}`
        : `New request ${c.reference}: you are the point of contact for ${org}`
      : lang === 'nl'
        ? `Overgedragen: aanvraag ${c.reference}: u bent nu het aanspreekpunt voor ${org}`
        : `Handed over: request ${c.reference}: you are now the point of contact for ${org}`;
  return composeMail({
    to: contact.email,
    replyTo: c.request.contact.email,
    subject,
    lang,
    blocks: [
      { p: intro },
      { facts: facts(c, m, lang) },
      { heading: promisesHeading[lang], list: promises(c, m, lang, 'official') },
      ...actionBlocks(links, lang),
      { heading: labels[lang].departments, list: describeTags(c, m, lang) },
      { heading: labels[lang].description, text: c.request.description },
    ],
    footer: footerOf(c, m),
  });
}
