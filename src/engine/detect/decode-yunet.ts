import type { Candidate } from './nms.js';

/** The 12 YuNet outputs, by name (`cls_8`, `obj_8`, `bbox_8`, `kps_8`, … for strides 8/16/32). */
export type YunetOutputs = Readonly<Record<string, { readonly data: ArrayLike<number> }>>;

function clamp01(value: number): number {
  return value < 0 ? 0 : Math.min(value, 1);
}

/**
 * Decodes YuNet's per-stride outputs into candidates (MODELS.md 2.3, after OpenCV
 * `face_detect.cpp` postProcess): score = sqrt(cls × obj), box centre and size from the anchor
 * grid, five landmarks. Coordinates are in detector-input pixels.
 */
export function decodeYunet(outputs: YunetOutputs, paddedWidth: number, paddedHeight: number, strides: readonly number[], scoreThreshold: number): Candidate[] {
  const candidates: Candidate[] = [];
  for (const stride of strides) {
    const cols = paddedWidth / stride;
    const rows = paddedHeight / stride;
    const cls = outputs[`cls_${stride}`].data;
    const obj = outputs[`obj_${stride}`].data;
    const bbox = outputs[`bbox_${stride}`].data;
    const kps = outputs[`kps_${stride}`].data;
    for (let r = 0; r < rows; r++) {
      for (let c = 0; c < cols; c++) {
        const i = r * cols + c;
        const score = Math.sqrt(clamp01(cls[i]) * clamp01(obj[i]));
        if (score < scoreThreshold) continue;
        const cx = (c + bbox[i * 4]) * stride;
        const cy = (r + bbox[i * 4 + 1]) * stride;
        const width = Math.exp(bbox[i * 4 + 2]) * stride;
        const height = Math.exp(bbox[i * 4 + 3]) * stride;
        const landmarks: [number, number][] = [];
        for (let n = 0; n < 5; n++) {
          landmarks.push([(kps[i * 10 + 2 * n] + c) * stride, (kps[i * 10 + 2 * n + 1] + r) * stride]);
        }
        candidates.push({ x: cx - width / 2, y: cy - height / 2, width, height, score, landmarks });
      }
    }
  }
  return candidates;
}
