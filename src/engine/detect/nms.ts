/** A candidate detection before suppression, in detector-input pixels. */
export interface Candidate {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
  readonly score: number;
  readonly landmarks: readonly (readonly [number, number])[];
}

/** IoU of two boxes after truncating them to integers, as OpenCV's `Rect2i` NMS does. */
function integerIou(a: Candidate, b: Candidate): number {
  const ax = Math.trunc(a.x),
    ay = Math.trunc(a.y),
    aw = Math.trunc(a.width),
    ah = Math.trunc(a.height);
  const bx = Math.trunc(b.x),
    by = Math.trunc(b.y),
    bw = Math.trunc(b.width),
    bh = Math.trunc(b.height);
  const iw = Math.min(ax + aw, bx + bw) - Math.max(ax, bx);
  const ih = Math.min(ay + ah, by + bh) - Math.max(ay, by);
  if (iw <= 0 || ih <= 0) return 0;
  const intersection = iw * ih;
  return intersection / (aw * ah + bw * bh - intersection);
}

/**
 * Greedy non-maximum suppression as `cv::dnn::NMSBoxes`: sort by score (stable), keep at most
 * `topK` candidates, then keep a box unless it overlaps a kept one by more than `iouThreshold`.
 */
export function suppressOverlaps(candidates: readonly Candidate[], iouThreshold: number, topK: number): Candidate[] {
  const sorted = [...candidates].sort((a, b) => b.score - a.score).slice(0, topK);
  const kept: Candidate[] = [];
  for (const candidate of sorted) {
    if (kept.every((k) => integerIou(k, candidate) <= iouThreshold)) kept.push(candidate);
  }
  return kept;
}
