import { clampedWindow } from '../crop/source-window.js';
import { resizeArea } from '../crop/resize-area.js';
import { resizeLinear } from '../crop/resize-linear.js';
import type { Box, RgbFrame } from '../types.js';

/** Side of the square luma patch quality is measured on, so figures do not depend on resolution. */
export const FACE_LUMA_SIZE = 128;

/** BT.601 luma (0..255) of the face box resampled to `FACE_LUMA_SIZE` square. */
export function faceLumaPatch(frame: RgbFrame, box: Box): Float32Array {
  const left = Math.floor(box.x);
  const top = Math.floor(box.y);
  const width = Math.max(1, Math.round(box.width));
  const height = Math.max(1, Math.round(box.height));
  const window = clampedWindow(frame, left, top, width, height);
  const shrinking = width > FACE_LUMA_SIZE && height > FACE_LUMA_SIZE;
  const rgb = shrinking ? resizeArea(window, FACE_LUMA_SIZE, FACE_LUMA_SIZE) : resizeLinear(window, FACE_LUMA_SIZE, FACE_LUMA_SIZE);
  const luma = new Float32Array(FACE_LUMA_SIZE * FACE_LUMA_SIZE);
  for (let p = 0, i = 0; p < luma.length; p++, i += 3) luma[p] = 0.299 * rgb[i] + 0.587 * rgb[i + 1] + 0.114 * rgb[i + 2];
  return luma;
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
