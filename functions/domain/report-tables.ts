import type { LocalizedText, Municipality } from '../../config/schema.js';
import { formatMoment } from './calendar.js';
import { type CsvValue, csvOf } from './csv.js';
import type { Language } from './messages.js';
import {
  type Guarded,
  type MonthlyReport,
  OVERALL,
  type PromiseFigures,
  SCORES,
  type Share,
  type Tally,
} from './report.js';

/**
 * The monthly report as tables: one definition for the e-mail (labels in the reader's language) and for
 * the CSV files (one per table, stable column ids, documented in docs/report.md). Each CSV row starts with
 * the month and the scope, so the files of many months and scopes can be appended in a BI tool.
 */

/** A figure left out because it rests on fewer than `MINIMUM_COUNT` cases: an empty CSV cell. */
export const TOO_FEW: unique symbol = Symbol('too few cases');

/** A cell: a number, a text, something named in the config (the CSV holds its id), or too few cases. */
export type ReportCell =
  | number
  | string
  | { readonly id: string; readonly name: LocalizedText }
  | { readonly percent: number }
  /** A moment: ISO 8601 in the CSV, Amsterdam's date and time in the e-mail. */
  | { readonly moment: string }
  | typeof TOO_FEW;

export interface ReportColumn {
  /** The CSV header: lower case with underscores. */
  readonly id: string;
  readonly label: LocalizedText;
}

export interface ReportTable {
  /** The CSV file's name without `.csv`. */
  readonly file: string;
  readonly title: LocalizedText;
  readonly columns: readonly ReportColumn[];
  readonly rows: readonly (readonly ReportCell[])[];
  /** The column (an index) whose numbers the e-mail draws as bars. */
  readonly bars?: number;
}

const column = (id: string, nl: string, en: string): ReportColumn => ({ id, label: { nl, en } });

const named = (list: readonly { id: string; name: LocalizedText }[], id: string): ReportCell => ({
  id,
  name: list.find((item) => item.id === id)?.name ?? { nl: id, en: id },
});

const shown = <T>(figure: Guarded<T>, cell: (value: T) => ReportCell): ReportCell =>
  figure.shown ? cell(figure.value) : TOO_FEW;

const ALL: LocalizedText = { nl: 'Alle afdelingen', en: 'All departments' };

/** The tables of a report, in the order the e-mail shows them. */
export function reportTables(report: MonthlyReport, m: Municipality): ReportTable[] {
  const department = (id: string): ReportCell =>
    id === OVERALL ? { id, name: ALL } : named(m.departments, id);
  const tallies = (rows: readonly Tally[], cell: (id: string) => ReportCell): ReportCell[][] =>
    rows.map((row) => [cell(row.id), row.count]);
  const promiseRow = (p: PromiseFigures): ReportCell[] => [
    department(p.department),
    p.settled.firstContact,
    shown(p.kept.firstContact, (s: Share) => s.count),
    shown(p.kept.firstContact, (s: Share) => ({ percent: s.percent })),
    p.settled.decision,
    shown(p.kept.decision, (s: Share) => s.count),
    shown(p.kept.decision, (s: Share) => ({ percent: s.percent })),
    p.firstContacts,
    shown(p.medianDaysToFirstContact, (days) => days),
  ];
  const { received, coherence, promises, satisfaction } = report;
  return [
    {
      file: 'received-by-goal',
      title: { nl: 'Aanvragen per doel', en: 'Requests by goal' },
      columns: [column('goal', 'Doel', 'Goal'), column('requests', 'Aanvragen', 'Requests')],
      rows: tallies(received.byGoal, (id) => named(m.goals, id)),
      bars: 1,
    },
    {
      file: 'received-by-request-type',
      title: { nl: 'Aanvragen per soort vraag', en: 'Requests by request type' },
      columns: [
        column('request_type', 'Soort vraag', 'Request type'),
        column('requests', 'Aanvragen', 'Requests'),
      ],
      rows: tallies(received.byRequestType, (id) => named(m.requestTypes, id)),
      bars: 1,
    },
    {
      file: 'received-by-department',
      title: { nl: 'Aanvragen per afdeling', en: 'Requests by department' },
      columns: [column('department', 'Afdeling', 'Department'), column('requests', 'Aanvragen', 'Requests')],
      rows: tallies(received.byDepartment, department),
      bars: 1,
    },
    {
      file: 'coherence',
      title: { nl: 'Beleidssamenhang', en: 'Policy coherence' },
      columns: [
        column('requests', 'Aanvragen', 'Requests'),
        column('two_or_more_departments', 'Raken 2 of meer afdelingen', 'Touch 2 or more departments'),
        column('two_or_more_departments_percent', 'Aandeel', 'Share'),
      ],
      rows: [
        [received.total, coherence.multiDepartment.count, { percent: coherence.multiDepartment.percent }],
      ],
    },
    {
      file: 'joined',
      title: { nl: 'Afdelingen die meedenken', en: 'Departments that joined in' },
      columns: [column('department', 'Afdeling', 'Department'), column('joins', 'Keer meegedacht', 'Joins')],
      rows: tallies(coherence.joined, department),
      bars: 1,
    },
    {
      file: 'promises',
      title: { nl: 'Toezeggingen nagekomen', en: 'Promises kept' },
      columns: [
        column('department', 'Afdeling', 'Department'),
        column('first_contact_due', 'Eerste contact: afgerekend', 'First contact: settled'),
        column('first_contact_kept', 'op tijd', 'kept'),
        column('first_contact_kept_percent', 'op tijd (%)', 'kept (%)'),
        column('decision_due', 'Besluit: afgerekend', 'Decision: settled'),
        column('decision_kept', 'op tijd', 'kept'),
        column('decision_kept_percent', 'op tijd (%)', 'kept (%)'),
        column('first_contacts', 'Eerste contacten', 'First contacts'),
        column(
          'median_working_days_to_first_contact',
          'Mediaan werkdagen tot eerste contact',
          'Median working days to first contact',
        ),
      ],
      rows: [...promises.byDepartment.map(promiseRow), promiseRow(promises.overall)],
    },
    {
      file: 'escalations',
      title: { nl: 'Escalaties', en: 'Escalations' },
      columns: [
        column('reference', 'Kenmerk', 'Reference'),
        column('department', 'Afdeling', 'Department'),
        column('promise', 'Toezegging', 'Promise'),
        column('to', 'Naar', 'To'),
        column('at', 'Moment', 'Moment'),
      ],
      rows: report.escalations.map((e) => [
        e.reference,
        department(e.department),
        {
          id: e.clock,
          name:
            e.clock === 'firstContact'
              ? { nl: 'eerste contact', en: 'first contact' }
              : { nl: 'besluit', en: 'decision' },
        },
        {
          id: e.to,
          name:
            e.to === 'coordinator'
              ? { nl: 'coördinator', en: 'coordinator' }
              : { nl: 'wethouder', en: 'alderman' },
        },
        { moment: e.at },
      ]),
    },
    {
      file: 'open-by-age',
      title: {
        nl: 'Open aanvragen aan het eind van de maand, naar leeftijd',
        en: 'Open requests at the end of the month, by age',
      },
      columns: [
        column('age_working_days', 'Werkdagen oud', 'Working days old'),
        column('requests', 'Aanvragen', 'Requests'),
      ],
      rows: report.openByAge.map((band) => [band.band, band.count]),
      bars: 1,
    },
    {
      file: 'satisfaction',
      title: { nl: 'Tevredenheid van de ondernemingen', en: "The enterprises' satisfaction" },
      columns: [
        column('answers', 'Antwoorden', 'Answers'),
        column('mean_score', 'Gemiddelde (1-5)', 'Mean (1-5)'),
        ...SCORES.map((score) => column(`score_${score}`, `${score}`, `${score}`)),
      ],
      rows: [
        [
          satisfaction.answers,
          shown(satisfaction.scores, (s) => s.mean),
          ...SCORES.map((_, i) => shown(satisfaction.scores, (s) => s.counts[i] ?? 0)),
        ],
      ],
    },
  ];
}

const csvValue = (cell: ReportCell): CsvValue =>
  cell === TOO_FEW
    ? undefined
    : typeof cell === 'object'
      ? 'percent' in cell
        ? cell.percent
        : 'moment' in cell
          ? cell.moment
          : cell.id
      : cell;

/** The CSV files of a report: one per table, by file name. */
export function reportCsv(report: MonthlyReport, m: Municipality): Map<string, string> {
  return new Map(
    reportTables(report, m).map((table) => [
      `${table.file}.csv`,
      csvOf(
        ['month', 'scope', ...table.columns.map((c) => c.id)],
        table.rows.map((row) => [report.month, report.scope.id, ...row.map(csvValue)]),
      ),
    ]),
  );
}

/** A cell as the e-mail shows it, in `lang`. */
export function cellText(cell: ReportCell, lang: Language): string {
  if (cell === TOO_FEW) return lang === 'nl' ? 'te weinig zaken' : 'too few cases';
  if (typeof cell === 'number') return cell.toLocaleString(lang === 'nl' ? 'nl-NL' : 'en-GB');
  if (typeof cell === 'string') return cell;
  if ('percent' in cell) return `${cell.percent}%`;
  return 'moment' in cell ? formatMoment(cell.moment, lang) : cell.name[lang];
}
