import type { SourceWindow } from './source-window.js';

/** Sparse weights of one axis: destination `dst[k]` takes `weight[k]` of source `src[k]`. */
interface AreaTaps {
  readonly dst: Int32Array;
  readonly src: Int32Array;
  readonly weight: Float64Array;
}

/**
 * OpenCV `computeResizeAreaTab`: each destination cell covers `scale` source pixels, and a source
 * pixel partly inside the cell contributes its overlapping fraction. Weights of a cell sum to 1.
 */
function areaTaps(srcLength: number, dstLength: number): AreaTaps {
  const scale = srcLength / dstLength;
  const dst: number[] = [];
  const src: number[] = [];
  const weight: number[] = [];
  const push = (d: number, s: number, w: number): void => {
    dst.push(d);
    src.push(s);
    weight.push(w);
  };
  for (let d = 0; d < dstLength; d++) {
    const start = d * scale;
    const end = start + scale;
    const cellWidth = Math.min(scale, srcLength - start);
    const first = Math.ceil(start);
    const last = Math.floor(end);
    if (first - start > 1e-3) push(d, first - 1, (first - start) / cellWidth);
    for (let s = first; s < last; s++) push(d, s, 1 / cellWidth);
    if (end - last > 1e-3 && last < srcLength) push(d, last, Math.min(Math.min(end - last, 1), cellWidth) / cellWidth);
  }
  return { dst: Int32Array.from(dst), src: Int32Array.from(src), weight: Float64Array.from(weight) };
}

/**
 * Downscales a window with OpenCV `INTER_AREA` semantics (area-weighted average, separable),
 * rounding to uint8. Use only for shrinking: OpenCV's INTER_AREA upscaling is a different filter.
 */
export function resizeArea(window: SourceWindow, dstWidth: number, dstHeight: number): Uint8Array {
  const { frame, cols, rows } = window;
  const x = areaTaps(cols.length, dstWidth);
  const y = areaTaps(rows.length, dstHeight);
  const src = frame.data;
  const stride = frame.width * 3;
  const rowLength = dstWidth * 3;
  const xCount = x.src.length;
  const xSrcOffset = Int32Array.from(x.src, (s) => cols[s] * 3);
  const xDstOffset = Int32Array.from(x.dst, (d) => d * 3);
  const xWeight = x.weight;

  // Pass 1: every source row shrunk horizontally, one after another in a single buffer.
  // float32 as in OpenCV's resizeArea for 8-bit images (and half the memory traffic of float64).
  const shrunkRows = new Float32Array(rows.length * rowLength);
  for (let j = 0; j < rows.length; j++) {
    const rowStart = rows[j] * stride;
    const outStart = j * rowLength;
    for (let k = 0; k < xCount; k++) {
      const s = rowStart + xSrcOffset[k];
      const d = outStart + xDstOffset[k];
      const w = xWeight[k];
      shrunkRows[d] += src[s] * w;
      shrunkRows[d + 1] += src[s + 1] * w;
      shrunkRows[d + 2] += src[s + 2] * w;
    }
  }

  // Pass 2: vertical weights per destination row, rounded to uint8 at the end.
  const accumulator = new Float32Array(dstHeight * rowLength);
  for (let k = 0; k < y.src.length; k++) {
    const from = y.src[k] * rowLength;
    const to = y.dst[k] * rowLength;
    const w = y.weight[k];
    for (let i = 0; i < rowLength; i++) accumulator[to + i] += shrunkRows[from + i] * w;
  }
  const out = new Uint8Array(accumulator.length);
  for (let i = 0; i < out.length; i++) out[i] = Math.min(255, Math.max(0, Math.round(accumulator[i])));
  return out;
}
