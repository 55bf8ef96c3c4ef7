/**
 * Baidu's liveness numbers: `face_liveness` / `livemapscore` (0..1, live when at or above the
 * chosen threshold) and the three `thresholds` of the response, derived from facelive's
 * calibrated score and its documented ladder 5 / 10 / 40 / 70 / 90 (calibration/default.json
 * fits the score so that each rung is an APCER operating point).
 *
 * The number is the generic rescale at the decision threshold with Baidu's middle threshold,
 * `frr_1e-3` = 0.3, as the cut-off: `0.3 × s / t` below the threshold t, `0.3 + 0.7 × (s − t) /
 * (100 − t)` from it, 6 decimals. The response's thresholds are the same map at three rungs of
 * the ladder: `frr_1e-4` (lenient) at the rung below t, `frr_1e-3` at t itself, `frr_1e-2`
 * (strict) at the rung above t; with t = 40 these are the scores 10, 40 and 70, i.e. 0.075, 0.3
 * and 0.65. So `face_liveness ≥ thresholds[k]` holds exactly when the score reaches rung k, for
 * a client that reads the thresholds from the response as Baidu's documentation says. The labels
 * promise genuine-rejection rates of 1e-4 / 1e-3 / 1e-2; facelive's measured rates at these
 * rungs are in docs/evaluation.md, not these.
 */
import { SCORE_LADDER } from '../../engine/calibrate/score-ladder.js';
import type { Decision } from '../../engine/types.js';
import { rescaleAtThreshold, type ThresholdScale } from '../score-scale.js';

/** `face_liveness` and `livemapscore`: 0..1 with 6 decimals, 0.3 (Baidu's `frr_1e-3`) on the decision threshold. */
export const BAIDU_LIVENESS_SCALE: ThresholdScale = { atZero: 0, cutOff: 0.3, atHundred: 1, decimals: 6, pass: 'atOrAbove' };

/** `result.thresholds` of a faceverify response. */
export interface BaiduThresholds {
  readonly 'frr_1e-4': number;
  readonly 'frr_1e-3': number;
  readonly 'frr_1e-2': number;
}

/** Units of the reported precision per 1. */
const UNITS = 10 ** BAIDU_LIVENESS_SCALE.decimals;

/**
 * Baidu's number for a calibrated score at decision threshold `threshold`.
 *
 * @example
 * baiduLiveness(40, 40); // 0.3
 * baiduLiveness(70, 40); // 0.65
 */
export function baiduLiveness(score100: number, threshold: number): number {
  return rescaleAtThreshold(score100, threshold, BAIDU_LIVENESS_SCALE);
}

/** The score rungs behind the three thresholds: the ladder's neighbours of the decision threshold (0 and 100 past its ends). */
export function thresholdRungs(threshold: number): { readonly lenient: number; readonly decision: number; readonly strict: number } {
  const below = SCORE_LADDER.filter((rung) => rung < threshold);
  const above = SCORE_LADDER.filter((rung) => rung > threshold);
  return { lenient: below.length > 0 ? Math.max(...below) : 0, decision: threshold, strict: above.length > 0 ? Math.min(...above) : 100 };
}

/**
 * The three thresholds of a response made at decision threshold `threshold`.
 *
 * @example
 * baiduThresholds(40); // { 'frr_1e-4': 0.075, 'frr_1e-3': 0.3, 'frr_1e-2': 0.65 }
 */
export function baiduThresholds(threshold: number): BaiduThresholds {
  const rungs = thresholdRungs(threshold);
  return {
    'frr_1e-4': baiduLiveness(rungs.lenient, threshold),
    'frr_1e-3': baiduLiveness(rungs.decision, threshold),
    'frr_1e-2': baiduLiveness(rungs.strict, threshold),
  };
}

/**
 * `livemapscore` of a verdict. `live` and `spoof` keep {@link baiduLiveness}. A `retry` (the
 * image could not be judged reliably) is held below the lowest threshold, so that a client
 * comparing with any of the three never passes an image facelive could not judge.
 *
 * @example
 * baiduAssessment({ score: 70, decision: 'retry', threshold: 40 }); // 0.074999
 */
export function baiduAssessment(verdict: { readonly score: number; readonly decision: Decision; readonly threshold: number }): number {
  const value = baiduLiveness(verdict.score, verdict.threshold);
  if (verdict.decision !== 'retry') return value;
  const lowest = baiduThresholds(verdict.threshold)['frr_1e-4'];
  return Math.min(value, Math.max(0, Math.round(lowest * UNITS) - 1) / UNITS);
}
