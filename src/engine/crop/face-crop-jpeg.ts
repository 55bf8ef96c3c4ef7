/**
 * The primary face as a picture for the caller (AccuAuth's `image_base64`): the face box widened
 * by a small margin, clamped to the image, encoded as JPEG. Unlike the model crops next to it,
 * this region is never padded: it shows only pixels the caller sent.
 */
import sharp from 'sharp';
import type { Box, FaceCrop, RgbFrame } from '../types.js';

/** Margin added on every side, as a fraction of the face box's width (left/right) and height (top/bottom). */
export const FACE_CROP_MARGIN = 0.1;
/** JPEG quality of the face crop. */
export const FACE_CROP_JPEG_QUALITY = 90;

/**
 * The integer region of a face crop: `box` widened by `margin` on each side, then clamped to the
 * `width` x `height` image (at least 1 x 1 px).
 *
 * @example
 * faceCropRegion({ x: 10, y: -5, width: 100, height: 120 }, 640, 480); // { x: 0, y: 0, width: 120, height: 127 }
 */
export function faceCropRegion(box: Box, width: number, height: number, margin = FACE_CROP_MARGIN): Box {
  const clamp = (value: number, max: number) => Math.min(max, Math.max(0, value));
  const left = clamp(Math.floor(box.x - margin * box.width), width - 1);
  const top = clamp(Math.floor(box.y - margin * box.height), height - 1);
  const right = clamp(Math.ceil(box.x + box.width + margin * box.width), width);
  const bottom = clamp(Math.ceil(box.y + box.height + margin * box.height), height);
  return { x: left, y: top, width: Math.max(1, right - left), height: Math.max(1, bottom - top) };
}

/**
 * Encodes the face region of an oriented RGB frame as JPEG (the frame is already EXIF-oriented,
 * so the crop is upright and carries no metadata).
 *
 * @example
 * const { box, jpeg } = await encodeFaceCrop(frame, faces[0].box);
 */
export async function encodeFaceCrop(frame: RgbFrame, box: Box): Promise<FaceCrop> {
  const region = faceCropRegion(box, frame.width, frame.height);
  const jpeg = await sharp(frame.data, { raw: { width: frame.width, height: frame.height, channels: 3 } })
    .extract({ left: region.x, top: region.y, width: region.width, height: region.height })
    .jpeg({ quality: FACE_CROP_JPEG_QUALITY })
    .toBuffer();
  // A copy of exactly the JPEG's bytes: the result is cloned to the main thread, and a view would
  // carry its whole backing store along.
  return { box: region, jpeg: new Uint8Array(jpeg) };
}
