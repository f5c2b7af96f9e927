/** A cell of a CSV file: text, a number, or nothing (an empty cell). */
export type CsvValue = string | number | undefined;

/** A cell as RFC 4180 writes it: quoted when it holds a quote, a comma or a line break. */
const cell = (value: CsvValue): string => {
  const text = value === undefined ? '' : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
};

/** A CSV file: its header line, then one line per row, each ending with a line break. */
export function csvOf(header: readonly string[], rows: readonly (readonly CsvValue[])[]): string {
  return [header, ...rows].map((row) => `${row.map(cell).join(',')}\n`).join('');
}
