import { clampedWindow } from '../crop/source-window.js';
import { resizeLinear } from '../crop/resize-linear.js';
import type { Box, RgbFrame } from '../types.js';

/** Side of the square luma patch quality is measured on, so figures do not depend on resolution. */
export const FACE_LUMA_SIZE = 128;

/** The face box resampled to `FACE_LUMA_SIZE` square: its BT.601 luma and mean chroma. */
export interface FacePatch {
  readonly luma: Float32Array;
  /** Mean of max(R,G,B) - min(R,G,B) over the patch: near 0 for greyscale images. */
  readonly meanChroma: number;
}

/**
 * Resamples the face box to a fixed size and measures luma and chroma. Bilinear, not area
 * averaging: it costs a third as much, and point sampling only adds high-frequency energy where
 * the face has detail, so a blurred face still measures low.
 */
export function facePatch(frame: RgbFrame, box: Box): FacePatch {
  const left = Math.floor(box.x);
  const top = Math.floor(box.y);
  const width = Math.max(1, Math.round(box.width));
  const height = Math.max(1, Math.round(box.height));
  const window = clampedWindow(frame, left, top, width, height);
  const rgb = resizeLinear(window, FACE_LUMA_SIZE, FACE_LUMA_SIZE);
  const luma = new Float32Array(FACE_LUMA_SIZE * FACE_LUMA_SIZE);
  let chroma = 0;
  for (let p = 0, i = 0; p < luma.length; p++, i += 3) {
    const r = rgb[i];
    const g = rgb[i + 1];
    const b = rgb[i + 2];
    luma[p] = 0.299 * r + 0.587 * g + 0.114 * b;
    chroma += (r > g ? Math.max(r, b) : Math.max(g, b)) - (r < g ? Math.min(r, b) : Math.min(g, b));
  }
  return { luma, meanChroma: chroma / luma.length };
}

/** Mean of a luma patch. */
export function meanLuma(luma: Float32Array): number {
  let sum = 0;
  for (const value of luma) sum += value;
  return sum / luma.length;
}

/** Variance of the 4-neighbour Laplacian over the patch interior: low for blurred faces. */
export function laplacianVariance(luma: Float32Array, size: number): number {
  let sum = 0;
  let sumOfSquares = 0;
  let count = 0;
  for (let y = 1; y < size - 1; y++) {
    for (let x = 1; x < size - 1; x++) {
      const p = y * size + x;
      const laplacian = luma[p - 1] + luma[p + 1] + luma[p - size] + luma[p + size] - 4 * luma[p];
      sum += laplacian;
      sumOfSquares += laplacian * laplacian;
      count++;
    }
  }
  const mean = sum / count;
  return sumOfSquares / count - mean * mean;
}
