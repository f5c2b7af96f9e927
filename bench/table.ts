import * as z from 'zod';

/** One figure of a run, as `bench/results/latest.json` lists it. */
export const figureSchema = z.object({
  /** Which of the benchmark's figures (1-7) it belongs to. */
  figure: z.number().int().min(1).max(7),
  name: z.string(),
  value: z.number(),
  unit: z.string(),
  /** What the value is compared with, measured in the same run (e.g. the bare-SDK pipeline, hello world). */
  floor: z.number().optional(),
  /** value / floor (or the figure's own ratio, e.g. items read per due case). */
  ratio: z.number().optional(),
  /** The target the figure is read against, in words; never asserted. */
  target: z.string().optional(),
  met: z.boolean().optional(),
});
export type Figure = z.infer<typeof figureSchema>;

const fmt = (n: number | undefined) => {
  if (n === undefined) return '';
  if (Number.isInteger(n)) return n.toLocaleString('en-US');
  const abs = Math.abs(n);
  const digits = abs >= 100 ? 1 : abs >= 1 ? 2 : abs >= 0.01 ? 3 : 6;
  return n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: 0 });
};

/** The figures as a plain-text table (aligned columns; numbers right-aligned). */
export function renderTable(figures: readonly Figure[]): string {
  const header = ['#', 'figure', 'value', 'unit', 'floor', 'ratio', 'target', ''];
  const rows = figures.map((f) => [
    String(f.figure),
    f.name,
    fmt(f.value),
    f.unit,
    fmt(f.floor),
    fmt(f.ratio),
    f.target ?? '',
    f.met === undefined ? '' : f.met ? 'met' : 'MISSED',
  ]);
  const right = new Set([2, 4, 5]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => (right.has(i) ? c.padStart(widths[i] ?? 0) : c.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}
