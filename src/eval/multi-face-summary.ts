/**
 * What the several-faces rule does on an evaluated set: how many images have more than one face,
 * how many more than one judged face (at least `quality.minFaceSizePx` wide), and, for each of
 * those, every judged face's score and the decision with the rule against the decision the primary
 * face alone would have had (docs/evaluation.md).
 */
import { decide } from '../engine/calibrate/decision.js';
import { scoreFromKnots, type Knot } from '../engine/calibrate/score-map.js';
import { judgedFaceProbabilities, type WeightedModel } from './fusion.js';
import type { ImageRecord } from './image-record.js';

/** One image with several judged faces. */
export interface MultiFaceImage {
  readonly file: string;
  readonly label: ImageRecord['label'];
  /** Score of every judged face, the primary face first. */
  readonly faceScores: readonly number[];
  /** The decision as the engine makes it (the least live face scores the image). */
  readonly decision: ImageRecord['decision'];
  /** The decision the primary face alone would have had. */
  readonly primaryOnlyDecision: ImageRecord['decision'];
}

/** The rule's footprint on a set. */
export interface MultiFaceSummary {
  /** Images (live, spoof or noface) in which the detector kept more than one face. */
  readonly withSeveralFaces: number;
  /** Images with more than one judged face, each listed. */
  readonly judged: readonly MultiFaceImage[];
  /** How many of those changed decision because of the other faces. */
  readonly changed: number;
}

/**
 * The summary, from records already scored for the evaluated set (`scoreRecords`).
 *
 * @example
 * summariseMultipleFaces(records, models, knots, 40).changed;
 */
export function summariseMultipleFaces(
  records: readonly ImageRecord[],
  models: readonly WeightedModel[],
  knots: readonly Knot[],
  threshold: number,
): MultiFaceSummary {
  const judged: MultiFaceImage[] = [];
  for (const record of records) {
    const faces = judgedFaceProbabilities(record, models);
    if (!faces || faces.length < 2) continue;
    const faceScores = faces.map((p) => scoreFromKnots(knots, p));
    judged.push({
      file: record.file,
      label: record.label,
      faceScores,
      decision: record.decision,
      primaryOnlyDecision: decide(faceScores[0], threshold, record.retryReasons ?? []),
    });
  }
  return {
    withSeveralFaces: records.filter((r) => (r.faces?.length ?? 0) > 1).length,
    judged,
    changed: judged.filter((j) => j.decision !== j.primaryOnlyDecision).length,
  };
}

/** The images with several judged faces as a table, for the text summary and the HTML report. */
export function multiFaceTable(summary: MultiFaceSummary): { header: string[]; rows: string[][] } {
  return {
    header: ['image', 'label', 'face scores (primary first)', 'decision', 'primary face alone'],
    rows: summary.judged.map((j) => [j.file, j.label, j.faceScores.join(', '), j.decision ?? '–', j.primaryOnlyDecision ?? '–']),
  };
}
