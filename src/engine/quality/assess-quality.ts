import type { Face, QualitySignals, RetryReasonCode, RgbFrame } from '../types.js';
import { FACE_LUMA_SIZE, facePatch, laplacianVariance, meanLuma } from './face-luma.js';
import { estimatePose } from './pose.js';

/** Limits that turn quality measurements into flags. */
export interface QualityLimits {
  /** Face box width (original pixels) below which the image is refused with FACE_TOO_SMALL. */
  readonly minFaceSizePx: number;
  /** Context fraction (`QualitySignals.contextFraction`) below which the PAD models lack context: verdict `retry`. */
  readonly minContextFraction: number;
  readonly darkBelow: number;
  readonly overexposedAbove: number;
  readonly blurryBelow: number;
  readonly maxAbsYawDeg: number;
  readonly maxAbsRollDeg: number;
  /** Mean face chroma (0..255) below which the image counts as monochrome: verdict `retry`. */
  readonly monochromeBelow: number;
}

const round = (value: number, digits: number): number => Number(value.toFixed(digits));

/** Geometry of the primary face measured outside this stage (crop windows, image scale). */
export interface FaceGeometry {
  /** Face box width in pixels of the original image (the frame may be a downscaled copy). */
  readonly faceWidthPx: number;
  /** Fraction of the PAD context window inside the image (`crop/context-window.ts`). */
  readonly contextFraction: number;
}

/** Measures the primary face (`faces[0]`) of a frame and raises the quality flags. */
export function assessQuality(frame: RgbFrame, faces: readonly Face[], geometry: FaceGeometry, limits: QualityLimits): QualitySignals {
  const { box, landmarks } = faces[0];
  const { luma, meanChroma } = facePatch(frame, box);
  const brightness = meanLuma(luma);
  const sharpness = laplacianVariance(luma, FACE_LUMA_SIZE);
  const { yawDeg, rollDeg } = estimatePose(landmarks);
  return {
    faceSizePx: Math.round(geometry.faceWidthPx),
    faceCount: faces.length,
    contextRatio: round(box.width / frame.width, 3),
    contextFraction: round(geometry.contextFraction, 3),
    insufficientContext: geometry.contextFraction < limits.minContextFraction,
    faceCutOff: box.x < 0 || box.y < 0 || box.x + box.width > frame.width || box.y + box.height > frame.height,
    brightness: round(brightness, 1),
    dark: brightness < limits.darkBelow,
    overexposed: brightness > limits.overexposedAbove,
    sharpness: round(sharpness, 1),
    blurry: sharpness < limits.blurryBelow,
    yawDeg: round(yawDeg, 1),
    rollDeg: round(rollDeg, 1),
    poseExtreme: Math.abs(yawDeg) > limits.maxAbsYawDeg || Math.abs(rollDeg) > limits.maxAbsRollDeg,
    colourfulness: round(meanChroma, 1),
    monochrome: meanChroma < limits.monochromeBelow,
  };
}

/**
 * Quality flags under which the PAD models' output is unreliable, so the verdict is `retry`:
 * no context around the face, or no colour (the models rely on colour cues: the live sample in
 * greyscale gets a fused live probability of 0.46 instead of 0.99).
 */
export function retryReasonsFor(quality: Pick<QualitySignals, 'insufficientContext' | 'monochrome'>): RetryReasonCode[] {
  return (['insufficientContext', 'monochrome'] as const).filter((flag) => quality[flag]);
}
