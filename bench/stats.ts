/** Order statistics the benchmarks report. */

/** The middle value (the mean of the two middle ones for an even count); NaN for none. */
export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** The value below which a share `p` (0..1) of `values` lies (nearest rank, no interpolation). */
export function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? Number.NaN;
}

/** Median and spread of one figure over repeated runs. */
export interface Spread {
  readonly median: number;
  readonly min: number;
  readonly max: number;
}

/** {@link Spread} of `values`, the median rounded to `digits`. */
export function spreadOf(values: readonly number[], digits = 1): Spread {
  return { median: Number(median(values).toFixed(digits)), min: Math.min(...values), max: Math.max(...values) };
}

/** "median (min–max)", as the reports print a spread. */
export function showSpread(spread: Spread): string {
  return `${spread.median} (${spread.min}–${spread.max})`;
}
