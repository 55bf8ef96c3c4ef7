/** Number formatting shared by the text summary and the HTML report. */
import type { FixedRatePoint } from './iso-figures.js';
import type { Rate } from './rate.js';

/** `12.3%`, or `–` for null. */
export function percent(value: number | null | undefined, digits = 1): string {
  return value === null || value === undefined ? '–' : `${(100 * value).toFixed(digits)}%`;
}

/** `12.3% [8.1–18.0] 10/81`, or `– 0/0` when the rate is undefined. */
export function rateText(r: Rate | null | undefined): string {
  if (!r) return '–';
  if (r.value === null || !r.ci95) return `– ${r.errors}/${r.total}`;
  return `${percent(r.value)} [${(100 * r.ci95[0]).toFixed(1)}–${(100 * r.ci95[1]).toFixed(1)}] ${r.errors}/${r.total}`;
}

/** `0.987`, or `–`. */
export function decimal(value: number | null | undefined, digits = 3): string {
  return value === null || value === undefined ? '–' : value.toFixed(digits);
}

/** The BPCER of a fixed-APCER point (or the APCER of a fixed-BPCER point). */
export function pointRate(point: FixedRatePoint | undefined, of: 'apcer' | 'bpcer'): Rate | null {
  return point?.[of] ?? null;
}

/** Left-aligned text table with two spaces between columns. */
export function textTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => (c ?? '').padEnd(widths[i]))
      .join('  ')
      .trimEnd();
  return [line(header), ...rows.map(line)].join('\n');
}
