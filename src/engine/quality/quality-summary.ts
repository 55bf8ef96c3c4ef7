/**
 * Quality signals condensed into two scores in 0..1 and a few flags, for surfaces that report
 * quality as a score with a threshold of 0.5 (AccuAuth's `quality_score`, `face_quality_score`).
 *
 * Every measured signal becomes a sub-score that is exactly 0.5 at its configured limit, above
 * 0.5 on the good side and below it on the bad side:
 *
 * - a lower bound `v >= L` (sharpness, brightness, headroom below overexposure, face width, image
 *   short side, colourfulness, context fraction) scores `v / (v + L)`;
 * - an upper bound `|v| <= U` (yaw, roll) scores `U / (U + |v|)`;
 * - a face crossing the image border scores {@link CUT_OFF_SCORE}, otherwise 1.
 *
 * A score is the minimum of its sub-scores (the weakest signal decides), rounded to 3 decimals, and
 * is then held on the side of the engine's own flags: below 0.5 exactly when a flag of its group
 * is raised (the signals are reported rounded, so a value on its limit could otherwise land on
 * the wrong side). No new limits are introduced: the flags and limits are those of
 * `assessQuality` and the configuration.
 */
import type { QualitySignals } from '../types.js';
import type { QualityLimits } from './assess-quality.js';

/** The limits the summary needs: the quality limits and the decoder's shortest image side. */
export interface QualitySummaryLimits extends QualityLimits {
  /** Shortest image side accepted, px (`limits.minShortSide`). */
  readonly minShortSide: number;
}

/** Condensed quality of one analysed image. */
export interface QualitySummary {
  /**
   * Quality of the face region, 0..1: sharpness, exposure, pose, size and whether the face is
   * cut off by the border. Below 0.5 exactly when `faceLow`.
   */
  readonly faceScore: number;
  /** blurry, dark, overexposed, extreme pose, cut off, or under the minimum face size. */
  readonly faceLow: boolean;
  /**
   * Quality of the whole image for liveness, 0..1: the face score and the image's own signals
   * (context around the face, colour, short side). Below 0.5 exactly when `imageLow`.
   */
  readonly imageScore: number;
  /** `faceLow`, or too little context, monochrome, or under the minimum short side. */
  readonly imageLow: boolean;
  /** The face is blurry or dark. */
  readonly blurOrDark: boolean;
  /** The face is narrower than `minFaceSizePx` (the engine refuses such images, so false on a result). */
  readonly faceTooSmall: boolean;
  /** The image's short side is under `minShortSide` (the decoder refuses such images, so false on a result). */
  readonly imageTooSmall: boolean;
  /** No face was kept (the engine refuses such images, so false on a result). */
  readonly noFace: boolean;
}

/** Sub-score of a face that crosses the image border: clearly on the low side. */
export const CUT_OFF_SCORE = 0.25;
/** Where a flagged score is held when its rounded value would reach 0.5. */
const BELOW_HALF = 0.499;

function atLeast(value: number, limit: number): number {
  if (limit <= 0) return 1;
  const v = Math.max(0, value);
  return v / (v + limit);
}

function atMost(value: number, limit: number): number {
  const v = Math.abs(value);
  if (limit <= 0) return v > 0 ? 0 : 1;
  return limit / (limit + v);
}

/** The minimum of `parts`, rounded, on the side of `flagged`. */
function scoreOf(parts: readonly number[], flagged: boolean): number {
  const rounded = Math.round(Math.min(...parts) * 1000) / 1000;
  return flagged ? Math.min(rounded, BELOW_HALF) : Math.max(rounded, 0.5);
}

/**
 * Condenses the quality signals of an engine result.
 *
 * @example
 * const summary = summariseQuality(result.quality, result.image, { ...config.quality, minShortSide: config.limits.minShortSide });
 * summary.imageScore; // 0.63 for the live sample: its 170 px face against the 100 px minimum is the weakest signal
 */
export function summariseQuality(
  quality: QualitySignals,
  image: { readonly width: number; readonly height: number },
  limits: QualitySummaryLimits,
): QualitySummary {
  const faceTooSmall = quality.faceSizePx < limits.minFaceSizePx;
  const faceLow = quality.blurry || quality.dark || quality.overexposed || quality.poseExtreme || quality.faceCutOff || faceTooSmall;
  const faceScore = scoreOf(
    [
      atLeast(quality.sharpness, limits.blurryBelow),
      atLeast(quality.brightness, limits.darkBelow),
      atLeast(255 - quality.brightness, 255 - limits.overexposedAbove),
      atMost(quality.yawDeg, limits.maxAbsYawDeg),
      atMost(quality.rollDeg, limits.maxAbsRollDeg),
      atLeast(quality.faceSizePx, limits.minFaceSizePx),
      quality.faceCutOff ? CUT_OFF_SCORE : 1,
    ],
    faceLow,
  );
  const shortSide = Math.min(image.width, image.height);
  const imageTooSmall = shortSide < limits.minShortSide;
  const imageLow = faceLow || quality.insufficientContext || quality.monochrome || imageTooSmall;
  const imageScore = scoreOf(
    [
      faceScore,
      atLeast(quality.contextFraction, limits.minContextFraction),
      atLeast(quality.colourfulness, limits.monochromeBelow),
      atLeast(shortSide, limits.minShortSide),
    ],
    imageLow,
  );
  return {
    faceScore,
    faceLow,
    imageScore,
    imageLow,
    blurOrDark: quality.blurry || quality.dark,
    faceTooSmall,
    imageTooSmall,
    noFace: quality.faceCount === 0,
  };
}
