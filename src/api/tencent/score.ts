/**
 * Tencent Cloud `DetectLiveFaceAccurate` `Score` (and Ace Data Cloud's `score`, which resells it):
 * the calibrated score itself, since their documented ladder 5 / 10 / 40 / 70 / 90 (40
 * recommended) is the scale facelive calibrates to.
 *
 * @example
 * tencentScore(result.score); // 71.52
 */
export function tencentScore(score100: number): number {
  return score100;
}
