import type { DetectorEntry } from '../../models/manifest.js';
import { insideWindow } from '../crop/source-window.js';
import { resizeLinear } from '../crop/resize-linear.js';
import type { RgbFrame } from '../types.js';

/** The detector's view of an image: the (possibly downscaled) frame and the padded tensor. */
export interface DetectorInput {
  /** Frame the detector saw: the original, or a bilinear downscale to `maxInputSide`. */
  readonly frame: RgbFrame;
  /**
   * Detector-frame pixels per original pixel: the nominal `maxInputSide / longSide` (1 when not
   * downscaled). Coordinates go back through this factor, not the rounded size ratio, as in the
   * reference pipeline (the two differ by up to half a pixel per side).
   */
  readonly scale: number;
  readonly paddedWidth: number;
  readonly paddedHeight: number;
  /** NCHW `[1, 3, paddedHeight, paddedWidth]`, zero-padded bottom and right. */
  readonly tensor: Float32Array;
}

/**
 * Prepares an image for YuNet as OpenCV `FaceDetectorYN` does (MODELS.md 2.2): downscale so the
 * long side is at most `maxInputSide` (INTER_LINEAR), pad bottom/right with zeros to a multiple
 * of `inputAlignment`, and lay out the pixels as BGR planes with raw 0..255 values.
 */
export function prepareDetectorInput(frame: RgbFrame, detector: DetectorEntry): DetectorInput {
  const longSide = Math.max(frame.width, frame.height);
  const scale = longSide > detector.maxInputSide ? detector.maxInputSide / longSide : 1;
  const seen = scale === 1 ? frame : downscale(frame, Math.max(1, Math.round(frame.width * scale)), Math.max(1, Math.round(frame.height * scale)));
  const align = detector.inputAlignment;
  const paddedWidth = Math.ceil(seen.width / align) * align;
  const paddedHeight = Math.ceil(seen.height / align) * align;
  const plane = paddedWidth * paddedHeight;
  const tensor = new Float32Array(3 * plane);
  const { data, width, height } = seen;
  // 256-entry table instead of per-pixel arithmetic: this loop touches every pixel three times.
  const { mean, std } = detector.input.normalisation;
  const normalised = Float32Array.from({ length: 256 }, (_, v) => (v - mean) / std);
  const green = plane;
  const red = 2 * plane;
  for (let y = 0; y < height; y++) {
    let i = y * width * 3;
    let p = y * paddedWidth;
    for (let x = 0; x < width; x++, i += 3, p++) {
      tensor[p] = normalised[data[i + 2]]; // B
      tensor[green + p] = normalised[data[i + 1]];
      tensor[red + p] = normalised[data[i]];
    }
  }
  return { frame: seen, scale, paddedWidth, paddedHeight, tensor };
}

function downscale(frame: RgbFrame, width: number, height: number): RgbFrame {
  const window = insideWindow(frame, 0, 0, frame.width, frame.height);
  return { width, height, data: resizeLinear(window, width, height) };
}
