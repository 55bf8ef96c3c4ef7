import type { SourceWindow } from './source-window.js';

/** Per-axis sampling table: for each destination index, the lower source index and its weight. */
interface LinearTaps {
  readonly index0: Int32Array;
  readonly index1: Int32Array;
  readonly weight1: Float32Array;
}

/**
 * OpenCV `INTER_LINEAR` taps: half-pixel centres, `sx = (dx + 0.5) * src/dst - 0.5`, clamped at
 * both edges exactly as `cv::resize` clamps (weight 0 on the clamped side), no antialiasing.
 */
function linearTaps(srcLength: number, dstLength: number): LinearTaps {
  const scale = srcLength / dstLength;
  const index0 = new Int32Array(dstLength);
  const index1 = new Int32Array(dstLength);
  const weight1 = new Float32Array(dstLength);
  for (let d = 0; d < dstLength; d++) {
    const position = (d + 0.5) * scale - 0.5;
    let s = Math.floor(position);
    let f = position - s;
    if (s < 0) {
      s = 0;
      f = 0;
    }
    if (s >= srcLength - 1) {
      s = srcLength - 1;
      f = 0;
    }
    index0[d] = s;
    index1[d] = Math.min(s + 1, srcLength - 1);
    weight1[d] = f;
  }
  return { index0, index1, weight1 };
}

/**
 * Resizes a window to `dstWidth x dstHeight` RGB with OpenCV `INTER_LINEAR` semantics, rounding
 * each channel to uint8 as `cv::resize` on an 8-bit image does. Computed in floating point: the
 * result differs from OpenCV's fixed-point arithmetic by at most one grey level.
 */
export function resizeLinear(window: SourceWindow, dstWidth: number, dstHeight: number): Uint8Array {
  const { frame, cols, rows } = window;
  const x = linearTaps(cols.length, dstWidth);
  const y = linearTaps(rows.length, dstHeight);
  const src = frame.data;
  const stride = frame.width * 3;
  const out = new Uint8Array(dstWidth * dstHeight * 3);
  const colOffset0 = new Int32Array(dstWidth);
  const colOffset1 = new Int32Array(dstWidth);
  for (let dx = 0; dx < dstWidth; dx++) {
    colOffset0[dx] = cols[x.index0[dx]] * 3;
    colOffset1[dx] = cols[x.index1[dx]] * 3;
  }
  let o = 0;
  for (let dy = 0; dy < dstHeight; dy++) {
    const row0 = rows[y.index0[dy]] * stride;
    const row1 = rows[y.index1[dy]] * stride;
    const fy = y.weight1[dy];
    for (let dx = 0; dx < dstWidth; dx++) {
      const fx = x.weight1[dx];
      const a = row0 + colOffset0[dx];
      const b = row0 + colOffset1[dx];
      const c = row1 + colOffset0[dx];
      const d = row1 + colOffset1[dx];
      for (let ch = 0; ch < 3; ch++) {
        const top = src[a + ch] + (src[b + ch] - src[a + ch]) * fx;
        const bottom = src[c + ch] + (src[d + ch] - src[c + ch]) * fx;
        out[o++] = Math.round(top + (bottom - top) * fy);
      }
    }
  }
  return out;
}
