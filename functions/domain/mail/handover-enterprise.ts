import { promises } from './describe.js';
import { type EnterpriseMailInput, enterpriseDraft, promisesHeading } from './parts.js';
import { composeMail, type Mail } from './render.js';

/** For the enterprise after a handover: the name and e-mail of their new contact; the promises stand. */
export function handoverEnterpriseMail({ c, contact, m, statusUrl }: EnterpriseMailInput): Mail {
  const lang = c.request.language;
  const org = c.request.organisation.name;
  const t =
    lang === 'nl'
      ? {
          subject: `Uw aanvraag ${c.reference} bij ${m.name}: uw nieuwe contactpersoon is ${contact.name}`,
          intro: `Vanaf nu is ${contact.name} (${contact.email}) uw vaste contactpersoon voor de aanvraag van ${org}. ${contact.name} heeft uw aanvraag overgenomen en stemt haar af met alle afdelingen die ermee te maken hebben. Onze toezeggingen aan u blijven staan.`,
          reply: `U kunt deze e-mail beantwoorden: uw antwoord gaat naar ${contact.name}. Noem altijd uw referentie: ${c.reference}.`,
          noLink:
            'De status van uw aanvraag ziet u via de link in onze eerste e-mail of op de bevestigingspagina.',
        }
      : {
          subject: `Your request ${c.reference} to ${m.name}: your new point of contact is ${contact.name}`,
          intro: `From now on ${contact.name} (${contact.email}) is your fixed point of contact for the request of ${org}. ${contact.name} has taken over your request and coordinates it with every department involved. Our promises to you stand.`,
          reply: `You can reply to this e-mail: your reply goes to ${contact.name}. Always mention your reference: ${c.reference}.`,
          noLink:
            'You can follow your request through the link in our first e-mail or on the confirmation page.',
        };
  return composeMail(
    enterpriseDraft({
      c,
      contact,
      m,
      subject: t.subject,
      blocks: [
        { p: t.intro },
        { p: t.reply },
        { heading: promisesHeading[lang], list: promises(c, m, lang, 'enterprise') },
      ],
      status: { url: statusUrl, noLink: t.noLink },
    }),
  );
}
