import type { Department, Municipality } from '../../../config/schema.js';
import { formatDay, formatMoment, type IsoDay } from '../calendar.js';
import { type Case, joinedDepartments } from '../case.js';
import type { DigestMailbox } from '../digest.js';
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

/** A case of a digest, and the departments of the digest's mailbox whose digest it waited for. */
export interface MailboxCase {
  readonly c: Case;
  readonly departments: readonly Department[];
}

/** Names joined in Dutch: "A", "A en B", "A, B en C". */
const joinedNames = (names: readonly string[]): string =>
  names.length <= 1 ? (names[0] ?? '') : `${names.slice(0, -1).join(', ')} en ${names.at(-1)}`;

/**
 * One case of a mailbox's digest: why each of its departments is involved, who coordinates, what it is
 * about; then a link to join in for each of those departments that has not joined yet. A mailbox of one
 * department says "uw afdeling"; a shared one names the department.
 */
function caseBlocks(
  { c, departments }: MailboxCase,
  shared: boolean,
  m: Municipality,
  joinUrl: ((c: Case, department: Department) => string) | undefined,
): Block[] {
  const joined = joinedDepartments(c);
  return [
    caseBlock(c, departments, shared, m),
    ...departments.flatMap((d): Block[] =>
      joinUrl === undefined || joined.includes(d.id)
        ? []
        : [
            {
              link: joinUrl(c, d),
              label: `Wij denken mee / We want to be involved${shared ? ` (${d.name.nl})` : ''}: ${c.reference}`,
            },
          ],
    ),
  ];
}

function caseBlock(c: Case, departments: readonly Department[], shared: boolean, m: Municipality): Block {
  const why = (department: string) =>
    c.tags
      .filter((t) => t.department === department)
      .flatMap((t) => t.reasons.map((r) => describeReason(r, m, 'nl')))
      .join('; ');
  const contact = c.contact;
  return {
    heading: `${c.reference}: ${c.request.organisation.name}`,
    list: [
      ...departments.map((d) => `Waarom ${shared ? d.name.nl : 'uw afdeling'}: ${why(d.id)}`),
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
 * A department mailbox's digest of a working day: the cases routed since its last digest that touch its
 * departments (one, or several sharing the mailbox), each with why, who the accountable contact is, and
 * what it is about. In place of an e-mail per case (departments informed `daily`). The contact coordinates;
 * the departments take part through them.
 */
export function departmentDigestMail(input: {
  readonly mailbox: DigestMailbox;
  readonly cases: readonly MailboxCase[];
  readonly period: IsoDay;
  readonly m: Municipality;
  /** The signed link by which a department joins a case ("Wij denken mee"), per case and department. */
  readonly joinUrl?: (c: Case, department: Department) => string;
}): Mail {
  const { mailbox, cases, period, m, joinUrl } = input;
  const shared = mailbox.departments.length > 1;
  const nl = joinedNames(mailbox.departments.map((d) => d.name.nl));
  const en = mailbox.departments.map((d) => d.name.en).join(', ');
  const count = cases.length;
  const day = formatDay(period, 'nl');
  return composeMail({
    to: mailbox.mailbox,
    replyTo: m.coordinator.email,
    subject: `Dagoverzicht ${nl} ${day}: ${count} ${count === 1 ? 'nieuwe aanvraag' : 'nieuwe aanvragen'}`,
    lang: 'nl',
    blocks: [
      {
        p: `${nl} ${shared ? 'zijn' : 'is'} betrokken bij ${count === 1 ? 'deze nieuwe aanvraag' : `deze ${count} nieuwe aanvragen`} van sociale ondernemingen. Elke aanvraag heeft één vast aanspreekpunt, dat coördineert met alle betrokken afdelingen: neem contact op met het aanspreekpunt, niet rechtstreeks met de ondernemer.`,
      },
      {
        p: `Daily digest for ${en}: ${count} new ${count === 1 ? 'request' : 'requests'} that involve ${shared ? 'these departments' : 'your department'}. Each has one point of contact who coordinates with every department involved: get in touch with them, not with the enterprise directly.`,
      },
      ...cases.flatMap((c) => caseBlocks(c, shared, m, joinUrl)),
      {
        p: 'Wilt uw afdeling meedenken over een aanvraag? Gebruik de link "Wij denken mee" bij die aanvraag: het aanspreekpunt hoort het dan en neemt contact met u op. Elke link werkt één keer en 30 dagen lang; u bevestigt op de pagina die opent. / To take part in a request, use its "We want to be involved" link: its point of contact hears of it and gets in touch with you. Each link works once, for 30 days; you confirm on the page it opens.',
      },
    ],
    footer: `${m.name} · dagoverzicht ${nl} · ${period}`,
  });
}
