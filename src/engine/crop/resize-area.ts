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
  const srcColOffset = Int32Array.from(x.src, (s) => cols[s] * 3);
  const rowBuffer = new Float64Array(dstWidth * 3);
  const accumulator = new Float64Array(dstWidth * dstHeight * 3);

  // Horizontal pass one source row at a time, folded straight into every destination row that
  // this source row feeds (y taps are sorted by source row within each destination row).
  const tapsBySourceRow: number[][] = Array.from({ length: rows.length }, () => []);
  for (let k = 0; k < y.src.length; k++) tapsBySourceRow[y.src[k]].push(k);

  for (let j = 0; j < rows.length; j++) {
    const feeds = tapsBySourceRow[j];
    if (feeds.length === 0) continue;
    rowBuffer.fill(0);
    const rowStart = rows[j] * stride;
    for (let k = 0; k < x.src.length; k++) {
      const s = rowStart + srcColOffset[k];
      const d = x.dst[k] * 3;
      const w = x.weight[k];
      rowBuffer[d] += src[s] * w;
      rowBuffer[d + 1] += src[s + 1] * w;
      rowBuffer[d + 2] += src[s + 2] * w;
    }
    for (const k of feeds) {
      const base = y.dst[k] * dstWidth * 3;
      const w = y.weight[k];
      for (let i = 0; i < rowBuffer.length; i++) accumulator[base + i] += rowBuffer[i] * w;
    }
  }
  const out = new Uint8Array(accumulator.length);
  for (let i = 0; i < out.length; i++) out[i] = Math.min(255, Math.max(0, Math.round(accumulator[i])));
  return out;
}
