/**
 * The figures behind `quality.minContextFraction`: for a few candidate cut-offs, the scored
 * images with at least that much of the PAD context window inside the image and those with less,
 * each with BPCER and pooled APCER at the configured threshold judged by the score alone (retry
 * ignored, as the `scene` group). The cut-off is chosen where the tight face crops, on which the
 * models are weak, fall below and the photos above (docs/evaluation.md).
 */
import type { ImageRecord } from './image-record.js';
import { rateText } from './format.js';
import { rate, type Rate } from './rate.js';

/** Candidate cut-offs reported; the configured one is added when it is not among them. */
export const CONTEXT_CUT_OFFS: readonly number[] = [0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.5];

/** Scored images on one side of a cut-off. */
export interface ContextSide {
  /** BPCER over the live images on this side (rejected: score below the threshold). */
  readonly bpcer: Rate;
  /** APCER over all attack images on this side (accepted: score at or above the threshold). */
  readonly apcerPooled: Rate;
}

/** One candidate cut-off. */
export interface ContextCutOffRow {
  readonly cutOff: number;
  /** True for the cut-off the engine pass ran with (`quality.minContextFraction`). */
  readonly configured: boolean;
  /** contextFraction >= cutOff: scored. */
  readonly atLeast: ContextSide;
  /** contextFraction < cutOff: answered `retry` (insufficientContext). */
  readonly below: ContextSide;
}

function side(records: readonly ImageRecord[], threshold: number): ContextSide {
  const live = records.filter((r) => r.label === 'live');
  const attacks = records.filter((r) => r.label === 'spoof');
  return {
    bpcer: rate(live.filter((r) => (r.score as number) < threshold).length, live.length),
    apcerPooled: rate(attacks.filter((r) => (r.score as number) >= threshold).length, attacks.length),
  };
}

/**
 * The sweep over candidate cut-offs, on records with a score and a measured context fraction
 * (records written before the fraction existed are left out; the sweep is then empty).
 *
 * @example
 * contextCutOffSweep(report.images, 40, 0.25).find((row) => row.configured);
 */
export function contextCutOffSweep(records: readonly ImageRecord[], threshold: number, configuredCutOff: number | undefined): ContextCutOffRow[] {
  const measured = records.filter((r) => r.label !== 'noface' && r.score !== null && typeof r.quality?.contextFraction === 'number');
  if (measured.length === 0) return [];
  const fraction = (r: ImageRecord) => r.quality?.contextFraction as number;
  const cutOffs = [...new Set([...CONTEXT_CUT_OFFS, ...(configuredCutOff === undefined ? [] : [configuredCutOff])])].sort((a, b) => a - b);
  return cutOffs.map((cutOff) => ({
    cutOff,
    configured: cutOff === configuredCutOff,
    atLeast: side(
      measured.filter((r) => fraction(r) >= cutOff),
      threshold,
    ),
    below: side(
      measured.filter((r) => fraction(r) < cutOff),
      threshold,
    ),
  }));
}

/** The sweep as a table (header and rows of text), for the text summary and the HTML report. */
export function contextCutOffTable(rows: readonly ContextCutOffRow[], threshold: number): { header: string[]; rows: string[][] } {
  return {
    header: ['context fraction', `≥ cut-off: BPCER @${threshold}`, 'APCER pooled', '< cut-off (retry): BPCER', 'APCER pooled'],
    rows: rows.map((r) => [
      `${r.cutOff}${r.configured ? ' (configured)' : ''}`,
      rateText(r.atLeast.bpcer),
      rateText(r.atLeast.apcerPooled),
      rateText(r.below.bpcer),
      rateText(r.below.apcerPooled),
    ]),
  };
}
