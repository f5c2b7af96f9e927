import { html, type SafeHtml } from '../../../functions/domain/html.js';

/**
 * Horizontal bar charts as inline SVG, written by hand: no chart library, no script, no network (the
 * pages forbid scripts and the local system may run offline). Each chart is readable at a glance (every
 * bar carries its label and its number, so colour is never the only cue) and to a screen reader: the
 * SVG is one image (`role="img"`) named by its title and a description that lists every value, and the
 * same numbers follow in a table.
 */

export interface Series {
  readonly label: string;
  /** A fill with at least 3:1 contrast against white (WCAG 1.4.11). */
  readonly color: string;
}

export interface Row {
  readonly label: string;
  /** One value per series. */
  readonly values: readonly number[];
  /** The bar's fill in a one-series chart, when rows differ in meaning (met, breached). */
  readonly color?: string;
}

export interface BarChart {
  /** Unique on the page: the ids of the title, description and table derive from it. */
  readonly id: string;
  readonly title: string;
  readonly series: readonly Series[];
  readonly rows: readonly Row[];
  /** The heading of the table's first column. */
  readonly rowHeader: string;
  /** The summary of the table's disclosure; without it no table (when the page has a fuller one). */
  readonly tableLabel?: string;
}

/** Colours used by the page, each at least 4.5:1 against white. */
export const COLORS = {
  accent: '#00557a',
  good: '#1a6b32',
  bad: '#b00020',
  neutral: '#4a4a4a',
  waiting: '#7a5200',
} as const;

const WIDTH = 640;
const LABEL_HEIGHT = 20;
const BAR_HEIGHT = 18;
const BAR_GAP = 4;
const ROW_GAP = 12;
/** Room right of the longest bar for its number. */
const VALUE_ROOM = 150;

/** "Label: series 1 a, series 2 b" for every row, as the description a screen reader reads. */
export function describe(chart: Pick<BarChart, 'series' | 'rows'>): string {
  return chart.rows
    .map((row) =>
      chart.series.length === 1
        ? `${row.label}: ${row.values[0] ?? 0}`
        : `${row.label}: ${chart.series.map((s, i) => `${s.label} ${row.values[i] ?? 0}`).join(', ')}`,
    )
    .join('; ');
}

export function barChart(chart: BarChart): SafeHtml {
  const max = Math.max(0, ...chart.rows.flatMap((r) => r.values));
  const scale = (value: number) => (max === 0 ? 0 : ((WIDTH - VALUE_ROOM) * value) / max);
  const rowHeight = LABEL_HEIGHT + chart.series.length * (BAR_HEIGHT + BAR_GAP) + ROW_GAP;
  const legend = chart.series.length > 1;
  const top = legend ? 28 : 0;
  const height = top + chart.rows.length * rowHeight;
  const titleId = `${chart.id}-title`;
  const descId = `${chart.id}-desc`;

  const legendItems = legend
    ? chart.series.map((s, i) => {
        const x = i * 180;
        return html`<rect x="${x}" y="4" width="14" height="14" fill="${s.color}"></rect><text x="${x + 20}" y="16">${s.label}</text>`;
      })
    : '';
  const rows = chart.rows.map((row, r) => {
    const y = top + r * rowHeight;
    const bars = chart.series.map((s, i) => {
      const value = row.values[i] ?? 0;
      const barY = y + LABEL_HEIGHT + i * (BAR_HEIGHT + BAR_GAP);
      const width = scale(value);
      const text = legend ? `${s.label}: ${value}` : String(value);
      return html`<rect class="bar" x="0" y="${barY}" width="${width.toFixed(1)}" height="${BAR_HEIGHT}" fill="${(chart.series.length === 1 ? row.color : undefined) ?? s.color}" data-value="${value}"></rect><text class="value" x="${(width + 6).toFixed(1)}" y="${barY + 14}">${text}</text>`;
    });
    return html`<g class="row" data-label="${row.label}"><text class="label" x="0" y="${y + 15}">${row.label}</text>${bars}</g>`;
  });

  return html`<figure class="aanspreekpunt-chart" id="${chart.id}">
<svg role="img" aria-labelledby="${titleId} ${descId}" viewBox="0 0 ${WIDTH} ${height}" width="${WIDTH}" height="${height}" font-size="14" fill="#1b1b1b">
<title id="${titleId}">${chart.title}</title>
<desc id="${descId}">${describe(chart)}</desc>
${legendItems}${rows}
</svg>
${
  chart.tableLabel === undefined
    ? ''
    : html`<details>
<summary>${chart.tableLabel}</summary>
<table class="utrecht-table utrecht-table--html-table">
<caption class="utrecht-table__caption">${chart.title}</caption>
<thead class="utrecht-table__header"><tr class="utrecht-table__row"><th scope="col" class="utrecht-table__header-cell">${chart.rowHeader}</th>${chart.series.map((s) => html`<th scope="col" class="utrecht-table__header-cell utrecht-table__header-cell--numeric-column">${s.label}</th>`)}</tr></thead>
<tbody class="utrecht-table__body">${chart.rows.map((row) => html`<tr class="utrecht-table__row"><th scope="row" class="utrecht-table__header-cell">${row.label}</th>${chart.series.map((_, i) => html`<td class="utrecht-table__cell utrecht-table__cell--numeric-data">${row.values[i] ?? 0}</td>`)}</tr>`)}</tbody>
</table>
</details>`
}
</figure>`;
}
