/**
 * How much of a PAD model's context lies inside the image: the crop window the reference
 * pipeline asks for around a face, taken before it clamps the scale and shifts the window back
 * inside (MODELS.md 3.3). A close portrait selfie keeps most of that window (context above and
 * below the face); a tight face crop keeps only the face.
 */
import { findModel, type CropRule } from '../../models/manifest.js';
import type { Box } from '../types.js';
import { adaptBoxForMiniFasNet } from './crop-rules.js';

/**
 * The window a `minifasnet` rule asks for around a face: the adapted box scaled by the rule's
 * scale around its centre, unclamped (it may extend past the image), as floats.
 *
 * @example
 * miniFasNetWindow({ x: 100, y: 100, width: 100, height: 140 }, { kind: 'minifasnet', scale: 2.7, boxAdapter });
 */
export function miniFasNetWindow(faceBox: Box, rule: Extract<CropRule, { kind: 'minifasnet' }>): Box {
  const adapted = adaptBoxForMiniFasNet(faceBox, rule.boxAdapter);
  const width = adapted.width * rule.scale;
  const height = adapted.height * rule.scale;
  return {
    x: adapted.x + adapted.width / 2 - width / 2,
    y: adapted.y + adapted.height / 2 - height / 2,
    width,
    height,
  };
}

/**
 * The fraction of a window's area inside a `width` x `height` image, 0..1.
 *
 * @example
 * fractionInside({ x: -50, y: 0, width: 100, height: 100 }, 640, 480); // 0.5
 */
export function fractionInside(window: Box, width: number, height: number): number {
  const insideWidth = Math.max(0, Math.min(window.x + window.width, width) - Math.max(window.x, 0));
  const insideHeight = Math.max(0, Math.min(window.y + window.height, height) - Math.max(window.y, 0));
  const area = window.width * window.height;
  // min(1, …): the subtractions above can round a whole window to a hair over its own area.
  return area > 0 ? Math.min(1, (insideWidth * insideHeight) / area) : 0;
}

/**
 * The model whose window measures context: MiniFASNet V2 at scale 2.7, the smaller window of the
 * default pair. One fixed window, so the cut-off keeps its meaning whatever PAD set is configured;
 * the scale-4.0 window's fraction carries the same information (on pad-dev it is about 0.45 of
 * the 2.7 one on face crops; docs/evaluation.md).
 */
export const CONTEXT_WINDOW_MODEL_ID = 'pad/minifasnet-v2-s2.7@1.0';

const CONTEXT_RULE = (() => {
  const entry = findModel(CONTEXT_WINDOW_MODEL_ID);
  if (entry.role !== 'pad' || entry.crop.kind !== 'minifasnet') throw new Error(`${CONTEXT_WINDOW_MODEL_ID} has no minifasnet crop rule`);
  return entry.crop;
})();

/**
 * `QualitySignals.contextFraction` of a face: the fraction of the scale-2.7 MiniFASNet window
 * around it that lies inside the image.
 *
 * @example
 * contextFraction(faces[0].box, frame.width, frame.height); // 0.95 for the live sample, ~0.15 for a tight crop
 */
export function contextFraction(faceBox: Box, width: number, height: number): number {
  return fractionInside(miniFasNetWindow(faceBox, CONTEXT_RULE), width, height);
}
