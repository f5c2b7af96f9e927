import type { Municipality } from '../../config/schema.js';
import { type Case, historyOf } from '../domain/case.js';
import { describeReason } from '../domain/mail/describe.js';
import type { Language } from '../domain/messages.js';
import { explainClock } from '../domain/sla.js';

const nameIn = (
  list: readonly { id: string; name: { nl: string; en: string } }[],
  id: string,
  lang: Language,
) => list.find((item) => item.id === id)?.name[lang] ?? id;

/** The status of a case as the API answers it (`GET /cases/{reference}` with `Accept: application/json`). */
export function statusJson(found: Case, municipality: Municipality, language: Language) {
  return {
    reference: found.reference,
    status: found.status,
    submittedAt: found.submittedAt,
    organisation: found.request.organisation.name,
    contact: found.contact === undefined ? null : { name: found.contact.name },
    departments: found.tags.map((tag) => ({
      id: tag.department,
      name: nameIn(municipality.departments, tag.department, language),
      lead: tag.lead,
      reasons: tag.reasons.map((reason) => describeReason(reason, municipality, language)),
    })),
    promises: Object.fromEntries(
      Object.entries(found.clocks).map(([clock, running]) => [
        clock,
        {
          due: running.due,
          explanation: explainClock(running, municipality.sla.calendar, language),
          stopped: running.stoppedAt !== undefined,
        },
      ]),
    ),
    history: historyOf(found).map((event) => ({ type: event.type, at: event.at })),
    outcome: found.history.findLast((event) => event.type === 'resolved')?.outcome ?? null,
  };
}
