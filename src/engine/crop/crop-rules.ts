import { FaceliveError } from '../../errors/catalogue.js';
import type { CropRule } from '../../models/manifest.js';
import type { Box, RgbFrame } from '../types.js';
import { insideWindow, reflectWindow, type SourceWindow } from './source-window.js';
import { resizeArea } from './resize-area.js';
import { resizeLinear } from './resize-linear.js';

/** Integer crop rectangle, right/bottom inclusive as in the upstream code; may extend outside. */
export interface CropRect {
  readonly left: number;
  readonly top: number;
  readonly right: number;
  readonly bottom: number;
}

/** A model's crop: where it came from and the resampled RGB patch (`size x size x 3`). */
export interface FaceCrop {
  readonly rect: CropRect;
  readonly size: number;
  readonly rgb: Uint8Array;
}

/**
 * MODELS.md 3.3 box adapter: YuNet's box → the squarer, lower box of Silent-Face's Caffe
 * detector that the MiniFASNet models were tuned on. Applied to the detector's float box.
 */
export function adaptBoxForMiniFasNet(box: Box, adapter: { widthFactor: number; heightFactor: number; centreYShift: number }): Box {
  const cx = box.x + box.width / 2;
  const cy = box.y + box.height / 2 + adapter.centreYShift * box.height;
  const width = adapter.widthFactor * box.width;
  const height = adapter.heightFactor * box.height;
  return {
    x: Math.trunc(cx - width / 2),
    y: Math.trunc(cy - height / 2),
    width: Math.trunc(width),
    height: Math.trunc(height),
  };
}

/**
 * MODELS.md 3.3 (`CropImage._get_new_box`): scale the integer box around its centre, shrinking
 * the scale for large faces, then shift the rectangle back inside the image (never pad).
 */
export function miniFasNetCropRect(box: Box, imageWidth: number, imageHeight: number, requestedScale: number): CropRect {
  const scale = Math.min((imageHeight - 1) / box.height, (imageWidth - 1) / box.width, requestedScale);
  const newWidth = box.width * scale;
  const newHeight = box.height * scale;
  const cx = box.x + box.width / 2;
  const cy = box.y + box.height / 2;
  let left = cx - newWidth / 2;
  let top = cy - newHeight / 2;
  let right = cx + newWidth / 2;
  let bottom = cy + newHeight / 2;
  if (left < 0) {
    right -= left;
    left = 0;
  }
  if (top < 0) {
    bottom -= top;
    top = 0;
  }
  if (right > imageWidth - 1) {
    left -= right - imageWidth + 1;
    right = imageWidth - 1;
  }
  if (bottom > imageHeight - 1) {
    top -= bottom - imageHeight + 1;
    bottom = imageHeight - 1;
  }
  return { left: Math.trunc(left), top: Math.trunc(top), right: Math.trunc(right), bottom: Math.trunc(bottom) };
}

/**
 * The detector's float box as the upstream Python code holds it: `x1 = int(x)`,
 * `x2 = int(x) + int(w)`, likewise for y (MODELS.md 4.3). This form reproduces the pad-dev
 * reference scores exactly; `samples/expected.json`'s square crops used `int(x + w)` instead,
 * which moves them by a pixel or two (see test/golden/tolerances.json).
 */
function integerCorners(box: Box): { x1: number; y1: number; x2: number; y2: number } {
  const x1 = Math.trunc(box.x);
  const y1 = Math.trunc(box.y);
  return { x1, y1, x2: x1 + Math.trunc(box.width), y2: y1 + Math.trunc(box.height) };
}

/** MODELS.md 4.3: a square of `factor` × the longer side of the integer box, around its centre. */
export function squareCropRect(box: Box, factor: number): CropRect {
  const { x1, y1, x2, y2 } = integerCorners(box);
  const width = x2 - x1;
  const height = y2 - y1;
  const longer = Math.max(width, height);
  const cx = x1 + width / 2;
  const cy = y1 + height / 2;
  const left = Math.trunc(cx - (longer * factor) / 2);
  const top = Math.trunc(cy - (longer * factor) / 2);
  const side = Math.trunc(longer * factor);
  return { left, top, right: left + side - 1, bottom: top + side - 1 };
}

/**
 * MODELS.md 9.3 (HyperFAS demo): a square of half-side `int(factor × longer side)` around the box
 * centre, clipped to `[0, W-2] x [0, H-2]` as the upstream slicing does, never padded.
 */
export function clippedSquareCropRect(box: Box, factor: number, imageWidth: number, imageHeight: number): CropRect {
  const { x1, y1, x2, y2 } = integerCorners(box);
  const half = Math.trunc(factor * Math.max(x2 - x1, y2 - y1));
  const cx = Math.floor((x1 + x2) / 2);
  const cy = Math.floor((y1 + y2) / 2);
  // Python slice image[a:b] excludes b; the rectangle here is inclusive, hence the - 1.
  return {
    left: Math.max(cx - half, 0),
    top: Math.max(cy - half, 0),
    right: Math.min(cx + half, imageWidth - 2) - 1,
    bottom: Math.min(cy + half, imageHeight - 2) - 1,
  };
}

function rectWidth(rect: CropRect): number {
  return rect.right - rect.left + 1;
}

function rectHeight(rect: CropRect): number {
  return rect.bottom - rect.top + 1;
}

/** The integer rectangle a rule takes from the frame for a face box (before resampling). */
export function cropRectFor(rule: CropRule, faceBox: Box, frame: RgbFrame): CropRect {
  switch (rule.kind) {
    case 'minifasnet':
      return miniFasNetCropRect(adaptBoxForMiniFasNet(faceBox, rule.boxAdapter), frame.width, frame.height, rule.scale);
    case 'square-reflect':
      return squareCropRect(faceBox, rule.factor);
    case 'square-clip':
      return clippedSquareCropRect(faceBox, rule.factor, frame.width, frame.height);
  }
}

/**
 * Takes the crop a model's rule asks for and resamples it to `size x size` RGB: bilinear
 * (INTER_LINEAR) for `minifasnet` and `square-clip`; for `square-reflect`, reflect-101 padding
 * and area averaging when shrinking, bilinear when enlarging (as the reference pipeline did).
 */
export function cropFace(rule: CropRule, faceBox: Box, frame: RgbFrame, size: number): FaceCrop {
  const rect = cropRectFor(rule, faceBox, frame);
  const width = rectWidth(rect);
  const height = rectHeight(rect);
  if (width < 1 || height < 1) {
    throw new FaceliveError('INTERNAL_ERROR', {}, { cause: new RangeError(`empty crop ${JSON.stringify(rect)}`) });
  }
  let window: SourceWindow;
  if (rule.kind === 'square-reflect') {
    window = reflectWindow(frame, rect.left, rect.top, width, height);
    const shrinking = width > size;
    return { rect, size, rgb: shrinking ? resizeArea(window, size, size) : resizeLinear(window, size, size) };
  }
  window = insideWindow(frame, rect.left, rect.top, width, height);
  return { rect, size, rgb: resizeLinear(window, size, size) };
}

/**
 * Crops for several models at once. Models whose rule gives the same rectangle and patch size
 * share one resampled patch: for typical selfies both MiniFASNet models clamp to the same crop
 * (MODELS.md 3.3), so this halves the crop stage without changing any pixel.
 */
export function cropFaces(requests: readonly { rule: CropRule; size: number }[], faceBox: Box, frame: RgbFrame): FaceCrop[] {
  const made = new Map<string, FaceCrop>();
  return requests.map(({ rule, size }) => {
    const rect = cropRectFor(rule, faceBox, frame);
    // The resampler depends on the rule kind, so it is part of the key.
    const key = `${rule.kind}:${rect.left},${rect.top},${rect.right},${rect.bottom}:${size}`;
    let crop = made.get(key);
    if (!crop) {
      crop = cropFace(rule, faceBox, frame, size);
      made.set(key, crop);
    }
    return crop;
  });
}
