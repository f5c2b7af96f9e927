import { CsvError, parse } from 'csv-parse/sync';
import type { z } from 'zod';
import { type Municipality, type Official, officialSchema } from '../../config/schema.js';

/**
 * `npm run officials -- import <file.csv>`, the pure part: a spreadsheet of officials (CSV, as Excel or
 * LibreOffice saves it, comma or semicolon separated) read and validated against the municipality config,
 * and what importing it changes in the table. Idempotent: importing the same file twice changes nothing the
 * second time. Absences are not in the file: they stay as `npm run officials -- absent` set them.
 */

/** The columns of the file, in any order; the first row names them. */
export const IMPORT_COLUMNS = [
  'id',
  'name',
  'email',
  'language',
  'departments',
  'deputy',
  'capacity',
] as const;
type Column = (typeof IMPORT_COLUMNS)[number];
const REQUIRED: readonly Column[] = ['id', 'name', 'email', 'departments'];

/** An official as the file gives them: everything but the absences. */
export type ImportedOfficial = Omit<Official, 'absences'>;

const importedSchema = officialSchema.omit({ absences: true });

export type ReadResult =
  | { readonly ok: true; readonly officials: readonly ImportedOfficial[] }
  | { readonly ok: false; readonly errors: readonly string[] };

/** The separator of a file: the one of `,` and `;` its header row has (Dutch Excel saves with `;`). */
function delimiterOf(text: string): ',' | ';' {
  const header = text.split(/\r?\n/, 1)[0] ?? '';
  return header.includes(';') && !header.includes(',') ? ';' : ',';
}

/** Departments in one cell: separated by `|`, `,`, `;` or spaces (`economie|werk`, `"economie, werk"`). */
const listOf = (cell: string) => cell.split(/[|,;\s]+/).filter((part) => part !== '');

/**
 * Reads the file's text. Every error names the line (as a spreadsheet numbers its rows, the header being 1)
 * and the column, or the file: unknown or missing columns, an invalid value, a department the municipality
 * does not have, a deputy who is neither in the file nor in `known` (the officials already in the table),
 * an id twice.
 */
export function readOfficialsCsv(
  text: string,
  source: string,
  m: Pick<Municipality, 'departments'>,
  known: readonly string[],
): ReadResult {
  let rows: string[][];
  try {
    rows = parse(text, {
      bom: true,
      delimiter: delimiterOf(text),
      trim: true,
      skip_empty_lines: true,
      relax_column_count: true,
    });
  } catch (error) {
    if (error instanceof CsvError)
      return { ok: false, errors: [`${source}: not a CSV file: ${error.message}`] };
    throw error;
  }
  const [header, ...body] = rows;
  if (header === undefined || body.length === 0)
    return { ok: false, errors: [`${source}: no officials (a header row and one row per official)`] };

  const columns = header.map((name) => name.toLowerCase());
  const unknown = columns.filter((name) => !(IMPORT_COLUMNS as readonly string[]).includes(name));
  const missing = REQUIRED.filter((name) => !columns.includes(name));
  const duplicate = columns.filter((name, i) => columns.indexOf(name) !== i);
  const headerErrors = [
    ...unknown.map(
      (name) => `${source} line 1: unknown column "${name}" (columns: ${IMPORT_COLUMNS.join(', ')})`,
    ),
    ...missing.map((name) => `${source} line 1: missing column "${name}"`),
    ...duplicate.map((name) => `${source} line 1: column "${name}" twice`),
  ];
  if (headerErrors.length > 0) return { ok: false, errors: headerErrors };

  const departments = new Set(m.departments.map((d) => d.id));
  const errors: string[] = [];
  const officials: { line: number; official: ImportedOfficial }[] = [];
  body.forEach((row, index) => {
    const line = index + 2;
    const cell = (name: Column) => row[columns.indexOf(name)] ?? '';
    if (row.length > columns.length)
      errors.push(`${source} line ${line}: ${row.length} cells, the header has ${columns.length}`);
    const parsed = importedSchema.safeParse({
      id: cell('id'),
      name: cell('name'),
      email: cell('email'),
      // A Dutch municipality's officials read Dutch unless the file says otherwise.
      language: cell('language') === '' ? 'nl' : cell('language').toLowerCase(),
      departments: listOf(cell('departments')),
      deputy: cell('deputy') === '' ? undefined : cell('deputy'),
      capacity: cell('capacity') === '' ? undefined : Number(cell('capacity')),
    });
    if (!parsed.success) {
      for (const issue of parsed.error.issues)
        errors.push(`${source} line ${line}, ${String(issue.path[0] ?? 'row')}: ${issueText(issue)}`);
      return;
    }
    for (const department of parsed.data.departments)
      if (!departments.has(department))
        errors.push(
          `${source} line ${line}, departments: unknown department "${department}" (the municipality has ${[...departments].join(', ')})`,
        );
    officials.push({ line, official: parsed.data });
  });

  const ids = new Map<string, number>();
  for (const { line, official } of officials) {
    const first = ids.get(official.id);
    if (first !== undefined)
      errors.push(`${source} line ${line}, id: "${official.id}" is on line ${first} too`);
    else ids.set(official.id, line);
  }
  const everyone = new Set([...known, ...ids.keys()]);
  for (const { line, official } of officials)
    if (official.deputy !== undefined) {
      if (official.deputy === official.id)
        errors.push(`${source} line ${line}, deputy: an official cannot stand in for themselves`);
      else if (!everyone.has(official.deputy))
        errors.push(
          `${source} line ${line}, deputy: unknown official "${official.deputy}" (neither in the file nor in the table)`,
        );
    }
  return errors.length > 0
    ? { ok: false, errors }
    : { ok: true, officials: officials.map((o) => o.official) };
}

function issueText(issue: z.core.$ZodIssue): string {
  if (issue.path[0] === 'capacity') return 'expected a whole number above 0';
  if (issue.path[0] === 'language') return 'expected nl or en';
  return issue.message;
}

/** What an import changes: each official of the file added, updated (with what changed) or left as it is. */
export interface ImportPlan {
  readonly add: readonly ImportedOfficial[];
  readonly update: readonly { readonly official: ImportedOfficial; readonly changed: readonly string[] }[];
  readonly unchanged: readonly string[];
  /** Officials in the table that the file does not name: kept (their open cases stay theirs). */
  readonly notInFile: readonly string[];
}

const FIELDS = ['name', 'email', 'language', 'departments', 'deputy', 'capacity'] as const;

export function planImport(imported: readonly ImportedOfficial[], stored: readonly Official[]): ImportPlan {
  const byId = new Map(stored.map((o) => [o.id, o]));
  const add: ImportedOfficial[] = [];
  const update: { official: ImportedOfficial; changed: string[] }[] = [];
  const unchanged: string[] = [];
  for (const official of imported) {
    const current = byId.get(official.id);
    if (current === undefined) {
      add.push(official);
      continue;
    }
    const changed = FIELDS.filter(
      (field) => JSON.stringify(current[field] ?? null) !== JSON.stringify(official[field] ?? null),
    );
    if (changed.length === 0) unchanged.push(official.id);
    else update.push({ official, changed });
  }
  const named = new Set(imported.map((o) => o.id));
  return { add, update, unchanged, notInFile: stored.filter((o) => !named.has(o.id)).map((o) => o.id) };
}
