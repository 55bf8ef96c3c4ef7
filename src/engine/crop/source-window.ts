import type { RgbFrame } from '../types.js';

/**
 * A rectangular view of a frame described by index maps: window pixel (i, j) is frame pixel
 * (cols[i], rows[j]). Crops that are shifted inside the image, clipped, or padded by reflection
 * are all just different index maps, so the resamplers never need to know which rule made them
 * and nothing is copied before resampling.
 */
export interface SourceWindow {
  readonly frame: RgbFrame;
  readonly cols: Int32Array;
  readonly rows: Int32Array;
}

/** Window over `[left, left+width) x [top, top+height)`, which must lie inside the frame. */
export function insideWindow(frame: RgbFrame, left: number, top: number, width: number, height: number): SourceWindow {
  return {
    frame,
    cols: Int32Array.from({ length: width }, (_, i) => left + i),
    rows: Int32Array.from({ length: height }, (_, j) => top + j),
  };
}

/**
 * OpenCV BORDER_REFLECT_101 (`gfedcb|abcdefgh|gfedcba`): mirror without repeating the edge
 * pixel, repeated for offsets more than one image away (as `cv::borderInterpolate` does).
 */
export function reflect101(index: number, length: number): number {
  if (length === 1) return 0;
  let i = index;
  while (i < 0 || i >= length) {
    if (i < 0) i = -i;
    if (i >= length) i = 2 * length - 2 - i;
  }
  return i;
}

/** Window over a region that may extend past the frame; outside pixels mirror with reflect-101. */
export function reflectWindow(frame: RgbFrame, left: number, top: number, width: number, height: number): SourceWindow {
  return {
    frame,
    cols: Int32Array.from({ length: width }, (_, i) => reflect101(left + i, frame.width)),
    rows: Int32Array.from({ length: height }, (_, j) => reflect101(top + j, frame.height)),
  };
}

/** Window over a region that may extend past the frame; outside pixels repeat the edge pixel. */
export function clampedWindow(frame: RgbFrame, left: number, top: number, width: number, height: number): SourceWindow {
  const clamp = (value: number, length: number) => Math.min(length - 1, Math.max(0, value));
  return {
    frame,
    cols: Int32Array.from({ length: width }, (_, i) => clamp(left + i, frame.width)),
    rows: Int32Array.from({ length: height }, (_, j) => clamp(top + j, frame.height)),
  };
}
