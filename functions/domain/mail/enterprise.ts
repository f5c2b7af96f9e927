import { nameOf, promises } from './describe.js';
import { type EnterpriseMailInput, enterpriseDraft, promisesHeading } from './parts.js';
import { composeMail, type Mail } from './render.js';

/**
 * For the enterprise: the reference, the name and e-mail of their one contact, what happens next. It repeats
 * none of the request's free text, and says first that it is an automatic confirmation of a request made on
 * the municipality's site, so that whoever gets it without having asked knows what it is and what to do.
 */
export function enterpriseMail({ c, contact, m, statusUrl }: EnterpriseMailInput): Mail {
  const lang = c.request.language;
  const r = c.request;
  const t =
    lang === 'nl'
      ? {
          subject: `Uw aanvraag ${c.reference} bij ${m.name}: uw vaste contactpersoon is ${contact.name}`,
          automatic: `Dit is een automatische bevestiging van een aanvraag die met dit e-mailadres is gedaan op de website van ${m.name}. Heeft u deze aanvraag niet gedaan? Beantwoord dan deze e-mail, dan sluiten wij de aanvraag.`,
          intro: `Wij hebben uw aanvraag voor ${r.organisation.name} ontvangen. Uw vaste contactpersoon bij de gemeente is ${contact.name} (${contact.email}). ${contact.name} stemt uw aanvraag af met alle afdelingen die ermee te maken hebben, zodat u maar met één persoon te maken hebt.`,
          next: 'Wat gebeurt er nu?',
          steps: [
            `${contact.name} neemt contact met u op.`,
            'U kunt deze e-mail beantwoorden: uw antwoord gaat naar uw contactpersoon.',
            `Noem altijd uw referentie: ${c.reference}.`,
          ],
          departments: 'Betrokken afdelingen',
          noLink: 'De status van uw aanvraag ziet u via de link op de bevestigingspagina.',
        }
      : {
          subject: `Your request ${c.reference} to ${m.name}: your fixed point of contact is ${contact.name}`,
          automatic: `This is an automatic confirmation of a request made with this e-mail address on the website of ${m.name}. Did you not make this request? Then reply to this e-mail and we will close it.`,
          intro: `We have received your request for ${r.organisation.name}. Your fixed point of contact at the municipality is ${contact.name} (${contact.email}). ${contact.name} coordinates your request with every department involved, so you deal with one person only.`,
          next: 'What happens next?',
          steps: [
            `${contact.name} will get in touch with you.`,
            'You can reply to this e-mail: your reply goes to your point of contact.',
            `Always mention your reference: ${c.reference}.`,
          ],
          departments: 'Departments involved',
          noLink: 'You can follow your request through the link on the confirmation page.',
        };
  return composeMail(
    enterpriseDraft({
      c,
      contact,
      m,
      subject: t.subject,
      blocks: [
        { p: t.automatic },
        { p: t.intro },
        { heading: t.next, list: t.steps },
        { heading: promisesHeading[lang], list: promises(c, m, lang, 'enterprise') },
        { heading: t.departments, list: c.tags.map((tag) => nameOf(m.departments, tag.department, lang)) },
      ],
      status: { url: statusUrl, noLink: t.noLink },
    }),
  );
}
