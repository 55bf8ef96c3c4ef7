/**
 * Every vendor dialect's number, derived from the calibrated 0..100 score here and only here, so
 * that dialects translate and never re-implement scoring. Each map is monotone and keeps the
 * vendor's own cut-off on the engine's decision threshold (the recommended 40 by default):
 *
 * | dialect              | field           | range | vendor cut-off          | at score = threshold |
 * |----------------------|-----------------|-------|-------------------------|----------------------|
 * | Tencent, Ace Data    | `Score`/`score` | 0..100, higher = live | threshold ladder, 40 recommended | 40 |
 * | ADVANCE.AI           | `livenessScore` | 0..100, higher = live | ≥ 50 pass, < 50 suspicious | 50 |
 * | AccuAuth             | `score` (hack)  | 0..1, higher = attack | < 0.98 real person     | 0.97999 |
 * | AccuAuth             | `extra.live_proba` | 0..1, higher = live | 0.5 recommended      | 0.5 |
 */
import { FaceliveError } from '../../errors/catalogue.js';
import type { Decision } from '../types.js';
import { RECOMMENDED_THRESHOLD } from './score-ladder.js';

/** AccuAuth's documented hack-score threshold: below it the face is a real person. */
export const ACCUAUTH_HACK_THRESHOLD = 0.98;
/** ADVANCE.AI's documented livenessScore cut-off: at or above it the check passes. */
export const ADVANCE_PASS_SCORE = 50;

function checkScore(score100: number, threshold: number): void {
  if (!(score100 >= 0 && score100 <= 100)) {
    throw new FaceliveError('INVALID_ARGUMENT', { field: 'score100', expected: 'a number in [0, 100]', received: String(score100) });
  }
  if (!(threshold >= 0 && threshold <= 100)) {
    throw new FaceliveError('INVALID_ARGUMENT', { field: 'threshold', expected: 'a number in [0, 100]', received: String(threshold) });
  }
}

/**
 * Tencent Cloud `DetectLiveFaceAccurate` `Score` and Ace Data `score`: the calibrated score
 * itself, since their documented ladder [5, 10, 40, 70, 90] is what facelive calibrates to.
 *
 * @example
 * tencentScore(result.score); // 71.52
 */
export function tencentScore(score100: number): number {
  return score100;
}

/**
 * ADVANCE.AI `livenessScore` (0..100, `< 50` means a possible attack): two linear pieces meeting
 * at (threshold, 50), so `livenessScore >= 50` exactly when `score >= threshold`:
 * `50 × s / t` below the threshold, `50 + 50 × (s − t) / (100 − t)` from it; floored to 2 decimals.
 *
 * @example
 * advanceLivenessScore(40); // 50
 * advanceLivenessScore(70); // 75
 */
export function advanceLivenessScore(score100: number, threshold = RECOMMENDED_THRESHOLD): number {
  checkScore(score100, threshold);
  if (score100 < threshold) return Math.floor((100 * ADVANCE_PASS_SCORE * score100) / threshold) / 100;
  if (threshold === 100) return 100;
  const mapped = ADVANCE_PASS_SCORE + ((100 - ADVANCE_PASS_SCORE) * (score100 - threshold)) / (100 - threshold);
  return Math.floor(100 * mapped) / 100;
}

/** AccuAuth hack scores are reported in units of 1e-5 (the vendor's example has 5 decimals). */
const HACK_UNITS = 100_000;

/**
 * AccuAuth hack score (0..1, higher = more likely an attack; "below 0.98 it would be a real
 * person"): `0.97999 × (100 − s) / (100 − t)` from the threshold up (floored to 5 decimals, so
 * at most 0.97999) and `0.98 + 0.02 × (t − s) / t` below it (ceiled to 5 decimals, so at least
 * 0.98001). Hence `hack < 0.98` exactly when `score >= threshold`, and the map is decreasing.
 *
 * @example
 * accuauthHackScore(40); // 0.97999
 * accuauthHackScore(100); // 0
 * accuauthHackScore(0); // 1
 */
export function accuauthHackScore(score100: number, threshold = RECOMMENDED_THRESHOLD): number {
  checkScore(score100, threshold);
  const cutOff = ACCUAUTH_HACK_THRESHOLD * HACK_UNITS; // 98000
  if (score100 >= threshold) {
    if (threshold === 100) return 0;
    return Math.floor(((cutOff - 1) * (100 - score100)) / (100 - threshold)) / HACK_UNITS;
  }
  return Math.ceil(cutOff + ((HACK_UNITS - cutOff) * (threshold - score100)) / threshold) / HACK_UNITS;
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

/** AccuAuth's documented threshold of `extra.live_proba`. */
export const ACCUAUTH_LIVE_PROBA_THRESHOLD = 0.5;

/**
 * AccuAuth `extra.live_proba` (0..1, "0.5 is the recommended threshold"): two linear pieces
 * meeting at (threshold, 0.5), `0.5 × s / t` below the threshold and `0.5 + 0.5 × (s − t) / (100 − t)`
 * from it, floored to 5 decimals. Hence `live_proba >= 0.5` exactly when `score >= threshold`.
 * It is a rescaled score, not the fused model probability (which has no meaning at 0.5).
 *
 * @example
 * accuauthLiveProbability(40); // 0.5
 * accuauthLiveProbability(70); // 0.75
 */
export function accuauthLiveProbability(score100: number, threshold = RECOMMENDED_THRESHOLD): number {
  checkScore(score100, threshold);
  const half = ACCUAUTH_LIVE_PROBA_THRESHOLD;
  let mapped: number;
  if (score100 < threshold) mapped = (half * score100) / threshold;
  else mapped = threshold === 100 ? 1 : half + ((1 - half) * (score100 - threshold)) / (100 - threshold);
  return Math.floor(mapped * HACK_UNITS) / HACK_UNITS;
}

/** AccuAuth's verdict fields. */
export interface AccuAuthAssessment {
  /** `score`: hack score 0..1, below 0.98 a real person. */
  readonly hackScore: number;
  /** `extra.live_proba`: 0..1, at or above 0.5 live. */
  readonly liveProbability: number;
  /** `extra.is_live`: the engine's decision is `live`. */
  readonly isLive: boolean;
}

/** The highest live_proba below the vendor's threshold (5 decimals). */
const BELOW_LIVE_PROBA = ACCUAUTH_LIVE_PROBA_THRESHOLD - 1 / HACK_UNITS;

/**
 * AccuAuth's `score`, `extra.live_proba` and `extra.is_live` of a verdict. `live` and `spoof`
 * keep {@link accuauthHackScore} and {@link accuauthLiveProbability} (on their sides of 0.98 and
 * 0.5 by construction). A `retry` (the image could not be judged reliably) is not live: its hack
 * score is held at 0.98 or above and its live_proba below 0.5, so that a client following the
 * vendor's rule "below 0.98 it would be a real person" never passes an image facelive could not
 * judge (as {@link advanceAssessment} does for ADVANCE.AI).
 *
 * @example
 * accuauthAssessment({ score: 70, decision: 'live', threshold: 40 }); // { hackScore: 0.48999, liveProbability: 0.75, isLive: true }
 * accuauthAssessment({ score: 70, decision: 'retry', threshold: 40 }); // { hackScore: 0.98, liveProbability: 0.49999, isLive: false }
 */
export function accuauthAssessment(verdict: { readonly score: number; readonly decision: Decision; readonly threshold: number }): AccuAuthAssessment {
  const hackScore = accuauthHackScore(verdict.score, verdict.threshold);
  const liveProbability = accuauthLiveProbability(verdict.score, verdict.threshold);
  switch (verdict.decision) {
    case 'live':
      return { hackScore, liveProbability, isLive: true };
    case 'spoof':
      return { hackScore, liveProbability, isLive: false };
    case 'retry':
      return { hackScore: Math.max(hackScore, ACCUAUTH_HACK_THRESHOLD), liveProbability: Math.min(liveProbability, BELOW_LIVE_PROBA), isLive: false };
  }
}
