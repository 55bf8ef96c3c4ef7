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
 */
import { FaceliveError } from '../../errors/catalogue.js';
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
