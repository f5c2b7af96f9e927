import type { Municipality } from '../../../config/schema.js';
import type { Case, Contact } from '../case.js';
import type { Language } from '../messages.js';
import { describeReason, describeTags } from './describe.js';
import { facts, footerOf, labels } from './parts.js';
import { composeMail, type Mail } from './render.js';

/** For a department the case touches, for information: who coordinates, and why the department is involved. */
export function departmentMail(c: Case, department: string, contact: Contact, m: Municipality): Mail {
  const d = m.departments.find((x) => x.id === department);
  if (d === undefined) throw new Error(`unknown department ${department}`);
  const lang: Language = 'nl';
  const org = c.request.organisation.name;
  const why = c.tags
    .filter((t) => t.department === department)
    .flatMap((t) => t.reasons.map((r) => describeReason(r, m, lang)));
  return composeMail({
    to: d.mailbox,
    replyTo: contact.email,
    subject: `Ter informatie: aanvraag ${c.reference} van ${org} (aanspreekpunt: ${contact.name})`,
    lang,
    blocks: [
      {
        p: `Ter informatie: ${d.name.nl} is betrokken bij deze aanvraag van ${org}. ${contact.name} is het vaste aanspreekpunt en coördineert met alle betrokken afdelingen; neem voor deze aanvraag contact op met ${contact.name} (${contact.email}), niet rechtstreeks met de ondernemer.`,
      },
      { heading: 'Waarom uw afdeling', list: why },
      { facts: [...facts(c, m, lang), [labels.nl.contact, `${contact.name} <${contact.email}>`]] },
      { heading: labels.nl.departments, list: describeTags(c, m, lang) },
      { heading: labels.nl.description, text: c.request.description },
    ],
    footer: footerOf(c, m),
  });
}
