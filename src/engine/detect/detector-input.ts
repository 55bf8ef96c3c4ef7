import type { DetectorEntry } from '../../models/manifest.js';
import { insideWindow } from '../crop/source-window.js';
import { resizeLinear } from '../crop/resize-linear.js';
import type { RgbFrame } from '../types.js';

/** The detector's view of an image: the (possibly downscaled) frame and its padded size. */
export interface DetectorInput {
  /** Frame the detector sees: the original, or a bilinear downscale to `maxInputSide`. */
  readonly frame: RgbFrame;
  /**
   * Detector-frame pixels per original pixel: the nominal `maxInputSide / longSide` (1 when not
   * downscaled). Coordinates go back through this factor, not the rounded size ratio, as in the
   * reference pipeline (the two differ by up to half a pixel per side).
   */
  readonly scale: number;
  /** Size of the tensor the detector's graph makes from the frame, zero-padded bottom and right. */
  readonly paddedWidth: number;
  readonly paddedHeight: number;
}

/**
 * Prepares an image for YuNet as OpenCV `FaceDetectorYN` does (MODELS.md 2.2): downscale so the
 * long side is at most `maxInputSide` (INTER_LINEAR). The padding to a multiple of
 * `inputAlignment` and the BGR float planes are made by the detector's graph
 * (`models/onnx/rgb-frame-input.ts`); the padded size is computed here the same way, for decoding.
 */
export function prepareDetectorInput(frame: RgbFrame, detector: DetectorEntry): DetectorInput {
  const longSide = Math.max(frame.width, frame.height);
  const scale = longSide > detector.maxInputSide ? detector.maxInputSide / longSide : 1;
  const seen = scale === 1 ? frame : downscale(frame, Math.max(1, Math.round(frame.width * scale)), Math.max(1, Math.round(frame.height * scale)));
  const align = detector.inputAlignment;
  return { frame: seen, scale, paddedWidth: Math.ceil(seen.width / align) * align, paddedHeight: Math.ceil(seen.height / align) * align };
}

function downscale(frame: RgbFrame, width: number, height: number): RgbFrame {
  const window = insideWindow(frame, 0, 0, frame.width, frame.height);
  return { width, height, data: resizeLinear(window, width, height) };
}
