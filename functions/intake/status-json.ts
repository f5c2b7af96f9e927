import type { Municipality } from '../../config/schema.js';
import { resultOf } from '../domain/archive.js';
import { type Case, historyOf } from '../domain/case.js';
import { describeReason } from '../domain/mail/describe.js';
import type { Language } from '../domain/messages.js';
import type { AnonymisedCase } from '../domain/retention.js';
import { explainClock } from '../domain/sla.js';

const nameIn = (
  list: readonly { id: string; name: { nl: string; en: string } }[],
  id: string,
  lang: Language,
) => list.find((item) => item.id === id)?.name[lang] ?? id;

/** What a case and a case whose personal data were removed both answer: departments, promises, history. */
function progressOf(
  c: Pick<Case, 'tags' | 'clocks' | 'history' | 'notifications'>,
  municipality: Municipality,
  language: Language,
) {
  return {
    departments: c.tags.map((tag) => ({
      id: tag.department,
      name: nameIn(municipality.departments, tag.department, language),
      lead: tag.lead,
      reasons: tag.reasons.map((reason) => describeReason(reason, municipality, language)),
    })),
    promises: Object.fromEntries(
      Object.entries(c.clocks).map(([clock, running]) => [
        clock,
        {
          due: running.due,
          explanation: explainClock(running, municipality.sla.calendar, language),
          stopped: running.stoppedAt !== undefined,
        },
      ]),
    ),
    history: historyOf(c).map((event) => ({ type: event.type, at: event.at })),
  };
}

/**
 * The status of a case as the API answers it (`GET /cases/{reference}` with `Accept: application/json`).
 * What retention did to a case changes the answer (see `anonymisedStatusJson`; a destroyed case answers
 * 410 with `{ error: 'destroyed', message, reference, destroyedAt }`).
 */
export function statusJson(found: Case, municipality: Municipality, language: Language) {
  return {
    reference: found.reference,
    status: found.status,
    submittedAt: found.submittedAt,
    organisation: found.request.organisation.name,
    contact: found.contact === undefined ? null : { name: found.contact.name },
    ...progressOf(found, municipality, language),
    outcome: found.history.findLast((event) => event.type === 'resolved')?.outcome ?? null,
  };
}

/**
 * The status of a case whose personal data were removed: the same fields as `statusJson` (its status is
 * `resolved`; `contact` and `outcome` are null, the outcome's text is gone), and besides them when the personal
 * data were removed (`anonymisedAt`), the result it was resolved with and the day the archive destroys it
 * (`actionDate`, null when it is kept for good).
 */
export function anonymisedStatusJson(found: AnonymisedCase, municipality: Municipality, language: Language) {
  const { archive } = found;
  return {
    reference: found.reference,
    status: found.status,
    submittedAt: found.submittedAt,
    organisation: found.request.organisation.name,
    contact: null,
    ...progressOf(found, municipality, language),
    outcome: null,
    anonymisedAt: found.anonymisedAt,
    result: {
      id: archive.result,
      name: resultOf(municipality.retention, archive)?.name[language] ?? archive.result,
      selectielijst: archive.selectielijst,
    },
    actionDate: archive.actionDate ?? null,
  };
}
