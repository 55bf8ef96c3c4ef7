/**
 * Inline SVG charts for the HTML report, as strings: a DET curve (APCER against BPCER on probit
 * axes) and per-class score histograms. No scripts, fonts or network resources.
 */
import { probit } from './probit.js';

/** One curve of a DET plot: operating points as rates, plus labelled marks (e.g. ladder thresholds). */
export interface DetSeries {
  readonly name: string;
  readonly colour: string;
  readonly points: readonly { readonly apcer: number; readonly bpcer: number }[];
  readonly marks: readonly { readonly label: string; readonly apcer: number; readonly bpcer: number }[];
}

/** One histogram: counts per bin of equal width over [min, max]. */
export interface HistogramSeries {
  readonly name: string;
  readonly colour: string;
  readonly counts: readonly number[];
}

const TICKS = [0.001, 0.01, 0.02, 0.05, 0.1, 0.2, 0.4, 0.6, 0.8, 0.95, 0.99];
const AXIS_MIN = 0.001;
const AXIS_MAX = 0.99;

/** Escapes text for HTML and SVG. */
export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);
}

const tickLabel = (p: number): string => `${Number((100 * p).toPrecision(2))}%`;

/**
 * A DET plot. Rates outside [0.1%, 99%] (including 0 and 1, which probit axes cannot show) are
 * drawn on the border.
 */
export function detCurveSvg(series: readonly DetSeries[], size = 460): string {
  const margin = { left: 56, right: 12, top: 12, bottom: 44 };
  const inner = size - margin.left - margin.right;
  const [zMin, zMax] = [probit(AXIS_MIN), probit(AXIS_MAX)];
  const scale = (rate: number) => (probit(Math.min(AXIS_MAX, Math.max(AXIS_MIN, rate))) - zMin) / (zMax - zMin);
  const x = (apcer: number) => margin.left + scale(apcer) * inner;
  const y = (bpcer: number) => margin.top + (1 - scale(bpcer)) * inner;
  const parts: string[] = [];
  for (const t of TICKS) {
    parts.push(
      `<line x1="${x(t).toFixed(1)}" y1="${margin.top}" x2="${x(t).toFixed(1)}" y2="${margin.top + inner}" stroke="#ddd"/>`,
      `<line x1="${margin.left}" y1="${y(t).toFixed(1)}" x2="${margin.left + inner}" y2="${y(t).toFixed(1)}" stroke="#ddd"/>`,
      `<text x="${x(t).toFixed(1)}" y="${margin.top + inner + 14}" font-size="9" text-anchor="middle">${tickLabel(t)}</text>`,
      `<text x="${margin.left - 4}" y="${(y(t) + 3).toFixed(1)}" font-size="9" text-anchor="end">${tickLabel(t)}</text>`,
    );
  }
  parts.push(
    `<rect x="${margin.left}" y="${margin.top}" width="${inner}" height="${inner}" fill="none" stroke="#555"/>`,
    `<text x="${margin.left + inner / 2}" y="${size - 8}" font-size="11" text-anchor="middle">APCER (attacks accepted)</text>`,
    `<text x="12" y="${margin.top + inner / 2}" font-size="11" text-anchor="middle" transform="rotate(-90 12 ${margin.top + inner / 2})">BPCER (bona fide rejected)</text>`,
  );
  series.forEach((s, i) => {
    const path = s.points.map((p) => `${x(p.apcer).toFixed(1)},${y(p.bpcer).toFixed(1)}`).join(' ');
    parts.push(`<polyline points="${path}" fill="none" stroke="${s.colour}" stroke-width="1.6"/>`);
    for (const m of s.marks) {
      parts.push(
        `<circle cx="${x(m.apcer).toFixed(1)}" cy="${y(m.bpcer).toFixed(1)}" r="3" fill="${s.colour}"/>`,
        `<text x="${(x(m.apcer) + 4).toFixed(1)}" y="${(y(m.bpcer) - 4).toFixed(1)}" font-size="9" fill="${s.colour}">${escapeXml(m.label)}</text>`,
      );
    }
    const ly = size + 10 + 14 * i;
    parts.push(
      `<line x1="${margin.left}" y1="${ly - 4}" x2="${margin.left + 16}" y2="${ly - 4}" stroke="${s.colour}" stroke-width="2"/>`,
      `<text x="${margin.left + 20}" y="${ly}" font-size="10">${escapeXml(s.name)}</text>`,
    );
  });
  const height = size + 12 + 14 * series.length;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${size}" height="${height}" viewBox="0 0 ${size} ${height}" role="img" aria-label="DET curve">${parts.join('')}</svg>`;
}

/**
 * Small-multiple histograms over a shared x axis [min, max], with vertical lines at `marks`
 * (e.g. the ladder thresholds). Each histogram is scaled to its own tallest bin.
 */
export function histogramsSvg(
  series: readonly HistogramSeries[],
  axis: { readonly min: number; readonly max: number; readonly label: string; readonly marks: readonly number[] },
  width = 560,
): string {
  const rowHeight = 70;
  const margin = { left: 110, right: 12, top: 8, bottom: 34 };
  const inner = width - margin.left - margin.right;
  const height = margin.top + series.length * rowHeight + margin.bottom;
  const x = (v: number) => margin.left + ((v - axis.min) / (axis.max - axis.min)) * inner;
  const parts: string[] = [];
  series.forEach((s, row) => {
    const top = margin.top + row * rowHeight;
    const bottom = top + rowHeight - 12;
    const peak = Math.max(1, ...s.counts);
    const binWidth = inner / s.counts.length;
    const total = s.counts.reduce((a, b) => a + b, 0);
    s.counts.forEach((count, i) => {
      if (count === 0) return;
      const h = ((bottom - top) * count) / peak;
      parts.push(
        `<rect x="${(margin.left + i * binWidth + 0.5).toFixed(1)}" y="${(bottom - h).toFixed(1)}" width="${(binWidth - 1).toFixed(1)}" height="${h.toFixed(1)}" fill="${s.colour}"><title>${count}</title></rect>`,
      );
    });
    parts.push(
      `<line x1="${margin.left}" y1="${bottom}" x2="${margin.left + inner}" y2="${bottom}" stroke="#555"/>`,
      `<text x="${margin.left - 6}" y="${(top + bottom) / 2}" font-size="10" text-anchor="end">${escapeXml(s.name)}</text>`,
      `<text x="${margin.left - 6}" y="${(top + bottom) / 2 + 12}" font-size="9" text-anchor="end" fill="#666">n=${total}, max ${peak}</text>`,
    );
  });
  const axisY = margin.top + series.length * rowHeight;
  for (const end of [axis.min, axis.max]) {
    parts.push(`<text x="${x(end).toFixed(1)}" y="${axisY}" font-size="9" text-anchor="middle">${end}</text>`);
  }
  for (const m of axis.marks) {
    parts.push(
      `<line x1="${x(m).toFixed(1)}" y1="${margin.top}" x2="${x(m).toFixed(1)}" y2="${axisY - 12}" stroke="#c00" stroke-dasharray="3,3"/>`,
      `<text x="${x(m).toFixed(1)}" y="${axisY}" font-size="9" text-anchor="middle" fill="#c00">${m}</text>`,
    );
  }
  parts.push(`<text x="${margin.left + inner / 2}" y="${height - 6}" font-size="11" text-anchor="middle">${escapeXml(axis.label)}</text>`);
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="score histograms">${parts.join('')}</svg>`;
}
