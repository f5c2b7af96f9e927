import { describeWorkingHours } from '../../config/calendar.js';
import { undeliverableReport } from '../../config/deliverable.js';
import { type Municipality, municipalitySchema } from '../../config/schema.js';

/**
 * The check of `npm run config -- check <file>` (scripts/config.ts), pure: a valid config's readable summary
 * (departments, goals, request types, officials, SLA targets, calendar), or each error with its path, as the
 * synth and the local runtime would refuse it.
 */

export type CheckResult =
  | { readonly valid: true; readonly municipality: Municipality; readonly lines: readonly string[] }
  | { readonly valid: false; readonly lines: readonly string[] };

const pathText = (path: readonly PropertyKey[]) => (path.length === 0 ? '(root)' : path.join('.'));

/** Checks a config file's text: the summary when it is valid, else one line per error (`path: message`). */
export function checkConfig(text: string, source: string): CheckResult {
  let input: unknown;
  try {
    input = JSON.parse(text);
  } catch (error) {
    return { valid: false, lines: [`${source} is not JSON: ${(error as Error).message}`] };
  }
  const parsed = municipalitySchema.safeParse(input);
  if (!parsed.success)
    return {
      valid: false,
      lines: [
        `${source} is invalid (${parsed.error.issues.length} ${parsed.error.issues.length === 1 ? 'error' : 'errors'}):`,
        ...parsed.error.issues.map((issue) => `  ${pathText(issue.path)}: ${issue.message}`),
      ],
    };
  return {
    valid: true,
    municipality: parsed.data,
    lines: [`${source} is valid.`, '', ...summary(parsed.data), '', ...deployability(parsed.data, source)],
  };
}

/**
 * Whether the synth would take it: a valid config with an address on a reserved domain runs locally (the demo
 * does) but cannot be deployed, and the check says so with the lines the synth would fail with.
 */
function deployability(m: Municipality, source: string): string[] {
  const report = undeliverableReport(m, source);
  return report.length === 0
    ? [`Deploy: every address is on a real domain; synth with -c municipality=${source}`]
    : ['Deploy: not yet. It runs locally (npm start), but', ...report];
}

/** What a valid config says, for a person who checks it before a deploy. */
export function summary(m: Municipality): string[] {
  const department = new Map(m.departments.map((d) => [d.id, d]));
  const nameOf = (id: string | undefined) => (id === undefined ? '-' : (department.get(id)?.name.nl ?? id));
  const { sla } = m;
  const closures = sla.calendar.closures;
  return [
    `${m.name} (${m.id})`,
    `  sender:       ${m.sender}`,
    `  coordinator:  ${m.coordinator.name} <${m.coordinator.email}> (${m.coordinator.language})`,
    '',
    `Departments (${m.departments.length}):`,
    ...m.departments.map(
      (d) =>
        `  ${d.id}: ${d.name.nl} / ${d.name.en}, mailbox ${d.mailbox} (${d.inform === 'daily' ? 'daily digest' : 'an e-mail per case'}); wethouder ${d.wethouder.name} <${d.wethouder.office}>`,
    ),
    '',
    `Goals (${m.goals.length}), each leading to a department:`,
    ...m.goals.map((g) => `  ${g.id}: ${g.name.nl} -> ${nameOf(g.department)}`),
    '',
    `Request types (${m.requestTypes.length}):`,
    ...m.requestTypes.map(
      (r) => `  ${r.id}: ${r.name.nl}${r.department === undefined ? '' : ` -> ${nameOf(r.department)}`}`,
    ),
    '',
    `Keyword rules: ${m.keywords.length} (${m.keywords.reduce((n, k) => n + k.phrases.length, 0)} phrases)`,
    '',
    `Officials (${m.officials.length}):`,
    ...m.officials.map(
      (o) =>
        `  ${o.id}: ${o.name} <${o.email}> (${o.language}), ${o.departments.map(nameOf).join(', ')}; capacity ${o.capacity}` +
        `${o.deputy === undefined ? '' : `; deputy ${o.deputy}`}${o.absences.length === 0 ? '' : `; ${o.absences.length} ${o.absences.length === 1 ? 'absence' : 'absences'}`}`,
    ),
    '',
    'SLA targets (working days):',
    `  first contact ${sla.firstContactDays}, decision ${sla.decisionDays}`,
    ...Object.entries(sla.byRequestType).map(
      ([type, days]) =>
        `  ${type}: ${[
          days.firstContactDays === undefined ? '' : `first contact ${days.firstContactDays}`,
          days.decisionDays === undefined ? '' : `decision ${days.decisionDays}`,
        ]
          .filter((part) => part !== '')
          .join(', ')}`,
    ),
    `  each due at ${sla.dueAt} on its last working day`,
    `  reminder ${sla.remindWorkingDaysBefore} before a due moment; the wethouder's office ${sla.escalateAfterWorkingDays} after a breach; late notice promises ${sla.lateNoticeWorkingDays}`,
    '',
    'Calendar:',
    `  Goede Vrijdag ${sla.calendar.goodFriday ? 'off' : 'a working day'}; Bevrijdingsdag off ${
      { 'every-year': 'every year', lustrum: 'in lustrum years', never: 'never' }[sla.calendar.liberationDay]
    }`,
    `  closures: ${closures.length === 0 ? 'none' : closures.map((c) => `${c.date} (${c.name.nl})`).join(', ')}`,
    `  working hours ${describeWorkingHours(sla.calendar.workingHours)}: reminders, breaches, escalations and digests go out within them`,
    '',
    `Digests: departments each working day at ${m.digests.departments.at}; officials ${m.digests.officials.every === 'week' ? 'on the first working day of each week' : 'each working day'} at ${m.digests.officials.at}; the coordinator each working day at ${m.digests.departments.at}, when something needs attention`,
    '',
    `Intake limits: ${m.intakeLimits.requestsPerEmailPerDay} requests per e-mail address a day, ${m.intakeLimits.requestsPerSourcePerHour} per source address an hour (then 429)`,
    '',
    `Theme: ${m.theme.stylesheet} (.${m.theme.className})`,
  ];
}
