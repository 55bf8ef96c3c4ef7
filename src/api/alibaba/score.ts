/**
 * Alibaba Cloud's verdict fields `Label`, `Rate` and `Suggestion`, derived from facelive's
 * calibrated score and decision. `Rate` is the confidence (50..100) of whichever label is given,
 * so it is two rescales at the decision threshold: of the live side for `normal`, of the attack
 * side for `liveness`; each is 50 on the threshold. The vendor publishes no cut-offs between
 * `pass`, `review` and `block`; facelive puts `block` one rung of its calibrated ladder
 * (5/10/40/70/90) below the decision threshold, so at the default threshold 40 a spoof scoring
 * 10..40 is `review` and under 10 `block`.
 */
import { SCORE_LADDER } from '../../engine/calibrate/score-ladder.js';
import type { Decision } from '../../engine/types.js';
import { rescaleAtThreshold, type ThresholdScale } from '../score-scale.js';

/** `Rate` of a `normal` result: 50 at the threshold, 100 at score 100, 2 decimals. */
export const ALIBABA_LIVE_RATE_SCALE: ThresholdScale = { atZero: 0, cutOff: 50, atHundred: 100, decimals: 2, pass: 'atOrAbove' };

/** `Rate` of a `liveness` result: 100 at score 0, at least 50 below the threshold, 2 decimals. */
export const ALIBABA_ATTACK_RATE_SCALE: ThresholdScale = { atZero: 100, cutOff: 50, atHundred: 0, decimals: 2, pass: 'below' };

/** Alibaba's labels: `normal` is a live capture, `liveness` a re-capture (the vendor's naming). */
export type AlibabaLabel = 'normal' | 'liveness';
/** Alibaba's suggestions. */
export type AlibabaSuggestion = 'pass' | 'review' | 'block';

/** The three verdict fields of one result. */
export interface AlibabaVerdict {
  readonly Label: AlibabaLabel;
  readonly Rate: number;
  readonly Suggestion: AlibabaSuggestion;
}

/**
 * The score under which a spoof is `block` rather than `review`: the ladder's rung below the
 * threshold; with no rung below (a threshold of 5 or less), every spoof is `block`.
 *
 * @example
 * blockBelow(40); // 10
 * blockBelow(70); // 40
 */
export function blockBelow(threshold: number): number {
  const below = SCORE_LADDER.filter((rung) => rung < threshold);
  return below.length > 0 ? below[below.length - 1] : threshold;
}

/**
 * The verdict fields of an engine verdict. `live` is `normal`/`pass`; `spoof` is `liveness`,
 * `review` from one ladder rung below the threshold and `block` under it; `retry` (the image
 * could not be judged reliably) is `liveness`/`review`, its Rate held at 50 at most on the live
 * side (no confidence either way), so a client following the vendor's rule never passes it.
 *
 * @example
 * alibabaVerdict({ score: 70, decision: 'live', threshold: 40 }); // { Label: 'normal', Rate: 75, Suggestion: 'pass' }
 * alibabaVerdict({ score: 20, decision: 'spoof', threshold: 40 }); // { Label: 'liveness', Rate: 75, Suggestion: 'review' }
 */
export function alibabaVerdict(verdict: { readonly score: number; readonly decision: Decision; readonly threshold: number }): AlibabaVerdict {
  const { score, threshold } = verdict;
  // On the live side the attack scale falls under its cut-off; a `liveness` label never reports less than 50.
  const attackRate = Math.max(rescaleAtThreshold(score, threshold, ALIBABA_ATTACK_RATE_SCALE), ALIBABA_ATTACK_RATE_SCALE.cutOff);
  switch (verdict.decision) {
    case 'live':
      return { Label: 'normal', Rate: rescaleAtThreshold(score, threshold, ALIBABA_LIVE_RATE_SCALE), Suggestion: 'pass' };
    case 'spoof':
      return { Label: 'liveness', Rate: attackRate, Suggestion: score < blockBelow(threshold) ? 'block' : 'review' };
    case 'retry':
      return { Label: 'liveness', Rate: attackRate, Suggestion: 'review' };
  }
}

/** The verdict the vendor documents for an image without a face. */
export const NO_FACE_VERDICT: AlibabaVerdict = { Label: 'liveness', Rate: 100, Suggestion: 'block' };
