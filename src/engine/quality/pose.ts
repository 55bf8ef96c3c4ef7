import type { Point } from '../types.js';

/** Head pose estimated from the five landmarks, in degrees. */
export interface PoseEstimate {
  readonly yawDeg: number;
  readonly rollDeg: number;
}

const DEGREES = 180 / Math.PI;

/**
 * Roll is the angle of the eye line. Yaw comes from where the nose tip falls between the eyes
 * once roll is undone: centred → 0°, over one eye → ±90°, via asin of the normalised offset.
 * A rough estimate (no 3-D model), good enough to flag strongly turned heads.
 */
export function estimatePose(landmarks: readonly Point[]): PoseEstimate {
  const [eyeA, eyeB, nose] = landmarks;
  const dx = eyeB[0] - eyeA[0];
  const dy = eyeB[1] - eyeA[1];
  const rollRad = Math.atan2(dy, dx);
  const eyeDistance = Math.hypot(dx, dy);
  if (eyeDistance === 0) return { yawDeg: 0, rollDeg: 0 };
  const midX = (eyeA[0] + eyeB[0]) / 2;
  const midY = (eyeA[1] + eyeB[1]) / 2;
  // Nose offset along the (roll-corrected) eye line, in half eye distances.
  const along = ((nose[0] - midX) * Math.cos(rollRad) + (nose[1] - midY) * Math.sin(rollRad)) / (eyeDistance / 2);
  const yawDeg = Math.asin(Math.max(-1, Math.min(1, along))) * DEGREES;
  return { yawDeg, rollDeg: rollRad * DEGREES };
}
