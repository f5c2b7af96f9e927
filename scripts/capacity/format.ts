/** Numbers as the capacity plan prints them. */

/** A number as the tables show it: grouped thousands, fewer decimals as it grows. */
export function formatNumber(value: number): string {
  if (value === Number.POSITIVE_INFINITY) return 'nearly unlimited';
  if (value === 0) return '0';
  const abs = Math.abs(value);
  if (abs < 0.01) return value.toPrecision(2);
  const digits = abs >= 100 ? 0 : abs >= 10 ? 1 : 2;
  return value.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: 0 });
}

/** Rounded up to two significant digits (whole numbers up to 10): a number to put in a quota request. */
export function roundUp(value: number): number {
  if (value <= 10) return Math.ceil(value);
  const step = 10 ** (Math.floor(Math.log10(value)) - 1);
  return Math.ceil(Number((value / step).toPrecision(12))) * step;
}
