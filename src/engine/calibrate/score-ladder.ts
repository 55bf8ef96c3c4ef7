/**
 * The documented score thresholds facelive's calibrated score is built around. Tencent Cloud's
 * `DetectLiveFaceAccurate` documents "Current threshold can be divided into [5,10,40,70,90]. among
 * them, the recommended threshold is 40" (../shared/reference/002); facelive's calibration makes
 * each of those values a stated operating point (docs/evaluation.md).
 */

/** Tencent's threshold ladder on the 0..100 score, strictest last. */
export const SCORE_LADDER: readonly number[] = [5, 10, 40, 70, 90];

/** The ladder's recommended threshold, facelive's default decision threshold. */
export const RECOMMENDED_THRESHOLD = 40;
