import type { Department, Municipality } from '../../../config/schema.js';
import { formatDay, formatMoment, type IsoDay } from '../calendar.js';
import { type Case, joinedDepartments } from '../case.js';
import { describeReason, nameOf } from './describe.js';
import type { Block } from './render.js';
import { composeMail, type Mail } from './render.js';

/** How much of a case's description a digest shows: enough to see what it is about. */
export const DIGEST_DESCRIPTION_CHARS = 280;

const excerpt = (text: string) => {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length <= DIGEST_DESCRIPTION_CHARS ? flat : `${flat.slice(0, DIGEST_DESCRIPTION_CHARS - 1)}…`;
};

const STATUS = { submitted: 'nog niet verdeeld', assigned: 'in behandeling', resolved: 'afgerond' } as const;

/**
 * One case of a department's digest: why the department is involved, who coordinates, what it is about; then
 * its link to join in, while the department has not joined yet.
 */
function caseBlocks(c: Case, department: string, m: Municipality, joinUrl: string | undefined): Block[] {
  return [
    caseBlock(c, department, m),
    ...(joinUrl === undefined || joinedDepartments(c).includes(department)
      ? []
      : [{ link: joinUrl, label: `Wij denken mee / We want to be involved: ${c.reference}` }]),
  ];
}

function caseBlock(c: Case, department: string, m: Municipality): Block {
  const why = c.tags
    .filter((t) => t.department === department)
    .flatMap((t) => t.reasons.map((r) => describeReason(r, m, 'nl')));
  const contact = c.contact;
  return {
    heading: `${c.reference}: ${c.request.organisation.name}`,
    list: [
      `Waarom uw afdeling: ${why.join('; ')}`,
      contact === undefined
        ? 'Aanspreekpunt: nog niet gekozen'
        : `Aanspreekpunt: ${contact.name} (${contact.email})`,
      `Doelen: ${c.request.goals.map((g) => nameOf(m.goals, g, 'nl')).join(', ')}`,
      `Soort aanvraag: ${nameOf(m.requestTypes, c.request.requestType, 'nl')}`,
      `Ingediend: ${formatMoment(c.submittedAt, 'nl')} · ${STATUS[c.status]}`,
      `Omschrijving: ${excerpt(c.request.description)}`,
    ],
  };
}

/**
 * A department's digest of a working day: the cases routed since its last digest that touch it, each with
 * why, who the accountable contact is, and what it is about. In place of an e-mail per case (a department
 * informed `daily`). The contact coordinates; the department takes part through them.
 */
export function departmentDigestMail(input: {
  readonly department: Department;
  readonly cases: readonly Case[];
  readonly period: IsoDay;
  readonly m: Municipality;
  /** The signed link by which the department joins a case ("Wij denken mee"), per case. */
  readonly joinUrl?: (c: Case) => string;
}): Mail {
  const { department: d, cases, period, m, joinUrl } = input;
  const count = cases.length;
  const day = formatDay(period, 'nl');
  return composeMail({
    to: d.mailbox,
    replyTo: m.coordinator.email,
    subject: `Dagoverzicht ${d.name.nl} ${day}: ${count} ${count === 1 ? 'nieuwe aanvraag' : 'nieuwe aanvragen'}`,
    lang: 'nl',
    blocks: [
      {
        p: `${d.name.nl} is betrokken bij ${count === 1 ? 'deze nieuwe aanvraag' : `deze ${count} nieuwe aanvragen`} van sociale ondernemingen. Elke aanvraag heeft één vast aanspreekpunt, dat coördineert met alle betrokken afdelingen: neem contact op met het aanspreekpunt, niet rechtstreeks met de ondernemer.`,
      },
      {
        p: `Daily digest for ${d.name.en}: ${count} new ${count === 1 ? 'request' : 'requests'} that involve your department. Each has one point of contact who coordinates with every department involved: get in touch with them, not with the enterprise directly.`,
      },
      ...cases.flatMap((c) => caseBlocks(c, d.id, m, joinUrl?.(c))),
      {
        p: 'Wilt uw afdeling meedenken over een aanvraag? Gebruik de link "Wij denken mee" bij die aanvraag: het aanspreekpunt hoort het dan en neemt contact met u op. Elke link werkt één keer en 30 dagen lang; u bevestigt op de pagina die opent. / To take part in a request, use its "We want to be involved" link: its point of contact hears of it and gets in touch with you. Each link works once, for 30 days; you confirm on the page it opens.',
      },
    ],
    footer: `${m.name} · dagoverzicht ${d.name.nl} · ${period}`,
  });
}
