/**
 * AccuAuth's verdict numbers: the hack `score` (0..1, higher = attack, "below 0.98 it would be a
 * real person"), `extra.live_proba` (0..1, 0.5 recommended) and `extra.is_live`, derived from
 * facelive's calibrated score and decision.
 */
import { RECOMMENDED_THRESHOLD } from '../../engine/calibrate/score-ladder.js';
import type { Decision } from '../../engine/types.js';
import { rescaleAtThreshold, type ThresholdScale } from '../score-scale.js';

/** The hack score: 1 at score 0, 0 at score 100, below 0.98 exactly when score ≥ threshold; 5 decimals. */
export const ACCUAUTH_HACK_SCALE: ThresholdScale = { atZero: 1, cutOff: 0.98, atHundred: 0, decimals: 5, pass: 'below' };

/** `extra.live_proba`: 0..1 with 5 decimals, at or above 0.5 exactly when score ≥ threshold. */
export const ACCUAUTH_LIVE_PROBA_SCALE: ThresholdScale = { atZero: 0, cutOff: 0.5, atHundred: 1, decimals: 5, pass: 'atOrAbove' };

/** AccuAuth's documented hack-score threshold: below it the face is a real person. */
export const ACCUAUTH_HACK_THRESHOLD = ACCUAUTH_HACK_SCALE.cutOff;

/** AccuAuth's documented threshold of `extra.live_proba`. */
export const ACCUAUTH_LIVE_PROBA_THRESHOLD = ACCUAUTH_LIVE_PROBA_SCALE.cutOff;

/**
 * AccuAuth hack score: `0.97999 × (100 − s) / (100 − t)` from the threshold up (rounded down to 5
 * decimals, so at most 0.97999) and `0.98 + 0.02 × (t − s) / t` below it (rounded up, so at least
 * 0.98). Hence `hack < 0.98` exactly when `score >= threshold`, and the map is decreasing.
 *
 * @example
 * accuauthHackScore(40); // 0.97999
 * accuauthHackScore(100); // 0
 * accuauthHackScore(0); // 1
 */
export function accuauthHackScore(score100: number, threshold = RECOMMENDED_THRESHOLD): number {
  return rescaleAtThreshold(score100, threshold, ACCUAUTH_HACK_SCALE);
}

/**
 * AccuAuth `extra.live_proba`: `0.5 × s / t` below the threshold and `0.5 + 0.5 × (s − t) / (100 − t)`
 * from it, rounded down to 5 decimals. It is a rescaled score, not the fused model probability
 * (which has no meaning at 0.5).
 *
 * @example
 * accuauthLiveProbability(40); // 0.5
 * accuauthLiveProbability(70); // 0.75
 */
export function accuauthLiveProbability(score100: number, threshold = RECOMMENDED_THRESHOLD): number {
  return rescaleAtThreshold(score100, threshold, ACCUAUTH_LIVE_PROBA_SCALE);
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
const BELOW_LIVE_PROBA = ACCUAUTH_LIVE_PROBA_THRESHOLD - 0.00001;

/**
 * AccuAuth's `score`, `extra.live_proba` and `extra.is_live` of a verdict. `live` and `spoof`
 * keep {@link accuauthHackScore} and {@link accuauthLiveProbability} (on their sides of 0.98 and
 * 0.5 by construction). A `retry` (the image could not be judged reliably) is not live: its hack
 * score is held at 0.98 or above and its live_proba below 0.5, so that a client following the
 * vendor's rule "below 0.98 it would be a real person" never passes an image facelive could not
 * judge.
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
