import type { Municipality } from '../../config/schema.js';
import type { Case, Contact } from './case.js';
import { escapeHtml, headerSafe } from './html.js';

/** An e-mail as the domain writes it; the mail adapter sends it. */
export interface Mail {
  readonly to: string;
  readonly subject: string;
  readonly text: string;
  readonly html: string;
}

const lookup = <T extends { id: string; name: { nl: string; en: string } }>(
  list: readonly T[],
  id: string,
  language: 'nl' | 'en',
) => list.find((item) => item.id === id)?.name[language] ?? id;

/** The e-mail that tells an official they are the accountable contact for a case. */
export function assignmentMail(c: Case, contact: Contact, municipality: Municipality): Mail {
  const lang = contact.language;
  const r = c.request;
  const t =
    lang === 'nl'
      ? {
          subject: `Nieuwe aanvraag ${c.reference}: u bent het aanspreekpunt voor ${r.organisation.name}`,
          intro: `U bent het vaste aanspreekpunt voor deze aanvraag van ${r.organisation.name}. U coördineert met de andere afdelingen en neemt contact op met de ondernemer.`,
          organisation: 'Organisatie',
          kvk: 'KvK-nummer',
          person: 'Contactpersoon',
          goals: 'Doelen',
          type: 'Soort aanvraag',
          description: 'Omschrijving',
          departments: 'Afdelingen en waarom',
          goalReason: 'doel',
          typeReason: 'soort aanvraag',
          lead: 'leidend',
        }
      : {
          subject: `New request ${c.reference}: you are the point of contact for ${r.organisation.name}`,
          intro: `You are the fixed point of contact for this request from ${r.organisation.name}. You coordinate with the other departments and get in touch with the enterprise.`,
          organisation: 'Organisation',
          kvk: 'KvK number',
          person: 'Contact person',
          goals: 'Goals',
          type: 'Request type',
          description: 'Description',
          departments: 'Departments and why',
          goalReason: 'goal',
          typeReason: 'request type',
          lead: 'lead',
        };
  const departments = c.tags.map((tag) => {
    const reasons = tag.reasons.map((reason) =>
      reason.kind === 'goal'
        ? `${t.goalReason}: ${lookup(municipality.goals, reason.goal, lang)}`
        : `${t.typeReason}: ${lookup(municipality.requestTypes, reason.requestType, lang)}`,
    );
    return `${lookup(municipality.departments, tag.department, lang)}${tag.lead ? ` (${t.lead})` : ''}: ${reasons.join('; ')}`;
  });
  const person = [r.contact.name, r.contact.email, r.contact.phone].filter(Boolean).join(', ');
  const rows: [string, string][] = [
    [t.organisation, r.organisation.name],
    [t.kvk, r.organisation.kvkNumber],
    [t.person, person],
    [t.goals, r.goals.map((g) => lookup(municipality.goals, g, lang)).join(', ')],
    [t.type, lookup(municipality.requestTypes, r.requestType, lang)],
  ];
  const text = [
    t.intro,
    '',
    ...rows.map(([label, value]) => `${label}: ${value}`),
    '',
    `${t.departments}:`,
    ...departments.map((d) => `- ${d}`),
    '',
    `${t.description}:`,
    r.description,
    '',
    `${municipality.name} · ${c.reference}`,
  ].join('\n');
  const html = [
    `<!doctype html><html lang="${lang}"><body>`,
    `<p>${escapeHtml(t.intro)}</p>`,
    '<table>',
    ...rows.map(
      ([label, value]) => `<tr><th align="left">${escapeHtml(label)}</th><td>${escapeHtml(value)}</td></tr>`,
    ),
    '</table>',
    `<h2>${escapeHtml(t.departments)}</h2><ul>`,
    ...departments.map((d) => `<li>${escapeHtml(d)}</li>`),
    '</ul>',
    `<h2>${escapeHtml(t.description)}</h2>`,
    `<p style="white-space:pre-wrap">${escapeHtml(r.description)}</p>`,
    `<p>${escapeHtml(municipality.name)} · ${escapeHtml(c.reference)}</p>`,
    '</body></html>',
  ].join('\n');
  return { to: contact.email, subject: headerSafe(t.subject), text, html };
}
