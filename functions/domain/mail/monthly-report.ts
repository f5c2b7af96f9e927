import type { Municipality } from '../../../config/schema.js';
import { TIME_ZONE } from '../calendar.js';
import type { Language } from '../messages.js';
import { MINIMUM_COUNT, type MonthlyReport, monthBounds } from '../report.js';
import { cellText, reportTables } from '../report-tables.js';
import { type Block, composeMail, type Mail } from './render.js';

const words = {
  nl: {
    subject: (month: string, name: string) => `Maandrapportage ${month}: ${name}`,
    intro: (month: string, scope: string) =>
      `Dit is de maandrapportage over ${month} voor ${scope}: hoe betrouwbaar de gemeente was als partner van sociale ondernemingen, uit de aanvragen zelf.`,
    wethouder: (departments: string) => `uw portefeuille (${departments})`,
    municipality: 'de hele gemeente',
    counting:
      'Een aanvraag telt in de maand waarin ze binnenkwam, een toezegging in de maand waarin ze werd nagekomen of verliep, de toezeggingen van een aanvraag bij de afdeling die de leiding heeft. Open aanvragen zijn geteld op de laatste dag van de maand, in werkdagen sinds ontvangst.',
    minimum: `Percentages en gemiddelden staan er alleen bij ${MINIMUM_COUNT} of meer zaken; daaronder staat "te weinig zaken".`,
    none: 'Geen.',
    comments: 'Wat ondernemingen schreven',
    comment: (reference: string, score: number, text: string) => `${reference} (${score} van 5): ${text}`,
    csv: 'De tabellen staan ook als CSV-bestanden klaar voor de eigen analyse: npm run report -- --month',
  },
  en: {
    subject: (month: string, name: string) => `Monthly report ${month}: ${name}`,
    intro: (month: string, scope: string) =>
      `This is the monthly report on ${month} for ${scope}: how reliable a partner the municipality was to social enterprises, from the requests themselves.`,
    wethouder: (departments: string) => `your portfolio (${departments})`,
    municipality: 'the whole municipality',
    counting:
      "A request counts in the month it came in, a promise in the month it was kept or broken, a request's promises with its lead department. Open requests are counted on the month's last day, in working days since they came in.",
    minimum: `Percentages and means are shown only from ${MINIMUM_COUNT} cases on; below that it says "too few cases".`,
    none: 'None.',
    comments: 'What enterprises wrote',
    comment: (reference: string, score: number, text: string) => `${reference} (${score} of 5): ${text}`,
    csv: "The tables are also available as CSV files for the municipality's own analysis: npm run report -- --month",
  },
} as const;

/** "november 2026" (nl), "November 2026" (en). */
export const monthName = (report: Pick<MonthlyReport, 'month'>, lang: Language): string =>
  new Intl.DateTimeFormat(lang === 'nl' ? 'nl-NL' : 'en-GB', {
    month: 'long',
    year: 'numeric',
    timeZone: TIME_ZONE,
  }).format(monthBounds(report.month).start);

/**
 * The monthly report as an e-mail: its tables, with bars where a table counts, and the enterprises'
 * comments. No scripts or stylesheets: it reads the same in every common e-mail client and as text.
 */
export function monthlyReportMail(report: MonthlyReport, m: Municipality): Mail {
  const lang = report.scope.language;
  const w = words[lang];
  const month = monthName(report, lang);
  const departmentNames = report.scope.departments
    .map((id) => m.departments.find((d) => d.id === id)?.name[lang] ?? id)
    .join(', ');
  const tables: Block[] = reportTables(report, m).map((table) =>
    table.rows.length === 0
      ? { heading: table.title[lang], text: w.none }
      : {
          heading: table.title[lang],
          table: {
            head: table.columns.map((c) => c.label[lang]),
            rows: table.rows.map((row) => row.map((cell) => cellText(cell, lang))),
            ...(table.bars === undefined
              ? {}
              : {
                  bars: {
                    column: table.bars,
                    values: table.rows.map((row) => {
                      const value = row[table.bars ?? 0];
                      return typeof value === 'number' ? value : 0;
                    }),
                  },
                }),
          },
        },
  );
  const comments = report.satisfaction.comments;
  return composeMail({
    to: report.scope.to,
    replyTo: m.coordinator.email,
    subject: w.subject(month, report.scope.name),
    lang,
    blocks: [
      {
        p: w.intro(
          month,
          report.scope.kind === 'municipality' ? w.municipality : w.wethouder(departmentNames),
        ),
      },
      { p: w.counting },
      { p: w.minimum },
      ...tables,
      ...(comments.length === 0
        ? []
        : [{ heading: w.comments, list: comments.map((c) => w.comment(c.reference, c.score, c.text)) }]),
      { p: `${w.csv} ${report.month}` },
    ],
    footer: `${m.name} · ${report.month}`,
  });
}
