/**
 * ADVANCE.AI's verdict numbers: `livenessScore` (0..100, "< 50 possible attack") and
 * `attackType`, derived from facelive's calibrated score and decision.
 */
import { RECOMMENDED_THRESHOLD } from '../../engine/calibrate/score-ladder.js';
import type { Decision } from '../../engine/types.js';
import { rescaleAtThreshold, type ThresholdScale } from '../score-scale.js';

/** `livenessScore`: 0..100 with two decimals, at or above 50 a pass, 50 on facelive's decision threshold. */
export const ADVANCE_LIVENESS_SCALE: ThresholdScale = { atZero: 0, cutOff: 50, atHundred: 100, decimals: 2, pass: 'atOrAbove' };

/** ADVANCE.AI's documented livenessScore cut-off: at or above it the check passes. */
export const ADVANCE_PASS_SCORE = ADVANCE_LIVENESS_SCALE.cutOff;

/**
 * ADVANCE.AI `livenessScore`: two linear pieces meeting at (threshold, 50), so `livenessScore >= 50`
 * exactly when `score >= threshold`: `50 × s / t` below the threshold, `50 + 50 × (s − t) / (100 − t)`
 * from it; rounded down to 2 decimals.
 *
 * @example
 * advanceLivenessScore(40); // 50
 * advanceLivenessScore(70); // 75
 */
export function advanceLivenessScore(score100: number, threshold = RECOMMENDED_THRESHOLD): number {
  return rescaleAtThreshold(score100, threshold, ADVANCE_LIVENESS_SCALE);
}

/** ADVANCE.AI `attackType`: 1 presentation attack, 3 unsure; 2 (injection) is never reported. */
export type AdvanceAttackType = 1 | 3;

/** ADVANCE.AI's two verdict fields. */
export interface AdvanceAssessment {
  readonly livenessScore: number;
  /** null when the face passes (livenessScore >= 50). */
  readonly attackType: AdvanceAttackType | null;
}

/** The highest livenessScore below the vendor's pass mark (scores have 2 decimals). */
const BELOW_PASS = ADVANCE_PASS_SCORE - 0.01;

/**
 * ADVANCE.AI `livenessScore` and `attackType` of a verdict. `live` and `spoof` keep
 * {@link advanceLivenessScore} (≥ 50 and < 50 by construction) with `attackType` null and 1. A
 * `retry` (the image could not be judged reliably) is "unsure", 3, and its livenessScore is
 * capped at 49.99: the vendor defines attackType only below 50, and a client following its rule
 * "≥ 50 pass" must not pass an image facelive could not judge. facelive detects presentation
 * attacks only, so injection (2) never appears.
 *
 * @example
 * advanceAssessment({ score: 70, decision: 'live', threshold: 40 }); // { livenessScore: 75, attackType: null }
 * advanceAssessment({ score: 70, decision: 'retry', threshold: 40 }); // { livenessScore: 49.99, attackType: 3 }
 */
export function advanceAssessment(verdict: { readonly score: number; readonly decision: Decision; readonly threshold: number }): AdvanceAssessment {
  const livenessScore = advanceLivenessScore(verdict.score, verdict.threshold);
  switch (verdict.decision) {
    case 'live':
      return { livenessScore, attackType: null };
    case 'spoof':
      return { livenessScore, attackType: 1 };
    case 'retry':
      return { livenessScore: Math.min(livenessScore, BELOW_PASS), attackType: 3 };
  }
}
