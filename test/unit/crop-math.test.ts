/** Hand-computed cases for the resamplers and crop rules (MODELS.md sections 3.3 and 4.3). */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { adaptBoxForMiniFasNet, miniFasNetCropRect, squareCropRect } from '../../src/engine/crop/crop-rules.js';
import { resizeArea } from '../../src/engine/crop/resize-area.js';
import { resizeLinear } from '../../src/engine/crop/resize-linear.js';
import { insideWindow, reflect101, reflectWindow } from '../../src/engine/crop/source-window.js';
import type { RgbFrame } from '../../src/engine/types.js';

/** A grey frame whose pixel (x, y) has value `valueAt(x, y)` in all three channels. */
function greyFrame(width: number, height: number, valueAt: (x: number, y: number) => number): RgbFrame {
  const data = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) data.fill(valueAt(x, y), (y * width + x) * 3, (y * width + x) * 3 + 3);
  return { width, height, data };
}

const firstChannel = (rgb: Uint8Array) => Array.from(rgb.filter((_, i) => i % 3 === 0));

describe('reflect101', () => {
  test('mirrors without repeating the edge', () => {
    assert.deepEqual(
      [-3, -2, -1, 0, 4, 5, 6, 7].map((i) => reflect101(i, 5)),
      [3, 2, 1, 0, 4, 3, 2, 1],
    );
  });
  test('far offsets fold repeatedly; length 1 maps to 0', () => {
    assert.equal(reflect101(-9, 5), 1); // -9 → 9 → -1 → 1
    assert.equal(reflect101(12, 1), 0);
  });
});

describe('resizeLinear (INTER_LINEAR)', () => {
  test('2x downscale samples between pixel pairs (half-pixel centres)', () => {
    const frame = greyFrame(4, 1, (x) => [0, 100, 200, 250][x]);
    // sx = (dx + 0.5) * 2 - 0.5 → 0.5 and 2.5: means of (0,100) and (200,250).
    assert.deepEqual(firstChannel(resizeLinear(insideWindow(frame, 0, 0, 4, 1), 2, 1)), [50, 225]);
  });
  test('upscale clamps at both edges', () => {
    const frame = greyFrame(2, 1, (x) => [10, 30][x]);
    // sx = -0.25, 0.25, 0.75, 1.25 → clamp 10, 15, 25, clamp 30.
    assert.deepEqual(firstChannel(resizeLinear(insideWindow(frame, 0, 0, 2, 1), 4, 1)), [10, 15, 25, 30]);
  });
  test('no antialiasing on large downscales', () => {
    const frame = greyFrame(8, 1, (x) => x * 10);
    // sx = (0.5)*8 - 0.5 = 3.5 → mean of pixels 3 and 4 only.
    assert.deepEqual(firstChannel(resizeLinear(insideWindow(frame, 0, 0, 8, 1), 1, 1)), [35]);
  });
});

describe('resizeArea (INTER_AREA)', () => {
  test('integer factor is a block average', () => {
    const frame = greyFrame(4, 2, (x, y) => x * 10 + y * 100);
    // 2x2 blocks: (0,10,100,110)/4 = 55 and (20,30,120,130)/4 = 75.
    assert.deepEqual(firstChannel(resizeArea(insideWindow(frame, 0, 0, 4, 2), 2, 1)), [55, 75]);
  });
  test('fractional factor weights partial pixels', () => {
    const frame = greyFrame(3, 1, (x) => [0, 90, 180][x]);
    // scale 1.5: cell 0 = (1*0 + 0.5*90)/1.5 = 30; cell 1 = (0.5*90 + 1*180)/1.5 = 150.
    assert.deepEqual(firstChannel(resizeArea(insideWindow(frame, 0, 0, 3, 1), 2, 1)), [30, 150]);
  });
  test('reads reflected pixels outside the frame', () => {
    const frame = greyFrame(3, 1, (x) => [0, 60, 120][x]);
    // columns -1..2 reflect to 1,0,1,2 = 60,0,60,120 → 2x average 30, 90.
    assert.deepEqual(firstChannel(resizeArea(reflectWindow(frame, -1, 0, 4, 1), 2, 1)), [30, 90]);
  });
});

describe('MiniFASNet crop rule', () => {
  test('box adapter on image_F1 gives the reference mapped box', () => {
    const box = adaptBoxForMiniFasNet({ x: 187.6, y: 109.6, width: 195.6, height: 239.8 }, { widthFactor: 1.16, heightFactor: 0.86, centreYShift: 0.068 });
    assert.deepEqual(box, { x: 171, y: 142, width: 226, height: 206 });
  });
  test('scale clamps to the image and the rectangle shifts back inside', () => {
    assert.deepEqual(miniFasNetCropRect({ x: 171, y: 142, width: 226, height: 206 }, 480, 640, 2.7), { left: 0, top: 26, right: 479, bottom: 463 });
  });
  test('a small face keeps the full scale and shifts off the left edge', () => {
    // scale 2.7: 54x54 around (15, 50) → l = -12, shifted to 0, r = 54.
    assert.deepEqual(miniFasNetCropRect({ x: 5, y: 40, width: 20, height: 20 }, 200, 200, 2.7), { left: 0, top: 23, right: 54, bottom: 77 });
  });
});

describe('square crop rule', () => {
  test('integer box int(x), int(x) + int(w); 1.5x square around its centre', () => {
    // box 187,109 195x239 → centre (284.5, 228.5), side trunc(358.5) = 358.
    const rect = squareCropRect({ x: 187.6, y: 109.6, width: 195.6, height: 239.8 }, 1.5);
    assert.deepEqual(rect, { left: 105, top: 49, right: 462, bottom: 406 });
  });
});
