import type { Decision, RetryReasonCode } from '../types.js';

/**
 * The verdict: `retry` whenever quality says the models cannot be trusted on this image,
 * otherwise `live` at or above the threshold and `spoof` below it.
 */
export function decide(score: number, threshold: number, retryReasons: readonly string[]): Decision {
  if (retryReasons.length > 0) return 'retry';
  return score >= threshold ? 'live' : 'spoof';
}

/** Fused live probability: the weighted mean of the models' live probabilities. */
export function fuseProbabilities(opinions: readonly { liveProbability: number; weight: number }[]): number {
  const totalWeight = opinions.reduce((sum, o) => sum + o.weight, 0);
  return opinions.reduce((sum, o) => sum + o.liveProbability * o.weight, 0) / totalWeight;
}

/** What the verdict is when the primary face scores live but another face does not (`decision.secondaryFaceVerdict`). */
export type SecondaryFaceVerdict = 'spoof' | 'retry';

/** One judged face: its fused live probability and calibrated score. Primary face first. */
export interface JudgedFaceScore {
  readonly liveProbability: number;
  readonly score: number;
}

/** The inputs of an image's verdict. */
export interface ImageVerdictInput {
  /** Every judged face, the primary one first; at least one. */
  readonly faces: readonly JudgedFaceScore[];
  readonly threshold: number;
  /** Retry reasons raised by quality on the primary face and the image. */
  readonly qualityReasons: readonly RetryReasonCode[];
  readonly secondaryFaceVerdict: SecondaryFaceVerdict;
}

/** An image's verdict over all its judged faces. */
export interface ImageVerdict {
  /** Index (in the judged faces) of the face that sets the image's score: the least live one, the primary on a tie. */
  readonly scoredFace: number;
  readonly liveProbability: number;
  readonly score: number;
  readonly decision: Decision;
  readonly retryReasons: RetryReasonCode[];
}

/**
 * The verdict on an image from all its judged faces. The image scores as its least live face,
 * so an image is accepted at threshold T only when every judged face scores at least T: a live
 * person beside a phone or print showing another face is never a clean `live`, on any surface,
 * whatever threshold a caller applies to the score. When the primary face alone would pass, the
 * verdict is `spoof` or `retry` with `multipleFaces`, as configured; `spoof` takes precedence
 * over quality retry reasons (an attack seen is reported as one).
 *
 * @example
 * judgeImage({ faces: [{ liveProbability: 0.99, score: 88 }, { liveProbability: 0.1, score: 2 }], threshold: 40, qualityReasons: [], secondaryFaceVerdict: 'spoof' });
 * // { scoredFace: 1, liveProbability: 0.1, score: 2, decision: 'spoof', retryReasons: [] }
 */
export function judgeImage(input: ImageVerdictInput): ImageVerdict {
  const { faces, threshold } = input;
  let scoredFace = 0;
  faces.forEach((face, i) => {
    if (face.liveProbability < faces[scoredFace].liveProbability) scoredFace = i;
  });
  const { liveProbability, score } = faces[scoredFace];
  const otherFaceBelow = faces[0].score >= threshold && faces.slice(1).some((face) => face.score < threshold);
  if (otherFaceBelow && input.secondaryFaceVerdict === 'spoof') {
    return { scoredFace, liveProbability, score, decision: 'spoof', retryReasons: [] };
  }
  const retryReasons: RetryReasonCode[] = [...input.qualityReasons, ...(otherFaceBelow ? (['multipleFaces'] as const) : [])];
  return { scoredFace, liveProbability, score, decision: decide(score, threshold, retryReasons), retryReasons };
}
