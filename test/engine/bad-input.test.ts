/**
 * The engine's bad-input table: every decode fixture through the whole pipeline (each refusal
 * keeps its code; a decodable image without a face is FACE_NOT_FOUND), and face-bearing variants
 * of the live sample in every accepted colour model and container (CMYK, greyscale, alpha, 16-bit,
 * BMP, WebP, EXIF-rotated), which must find the same face and nearly the same score as the
 * original. Nothing may escape as anything but a catalogue error.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import sharp, { type Sharp } from 'sharp';
import type { Engine } from '../../src/engine/pipeline.js';
import type { Box, LivenessResult } from '../../src/engine/types.js';
import { FaceliveError } from '../../src/errors/catalogue.js';
import { DECODE_EXPECTATIONS, FIXTURE_NAMES, encodeBmp, makeFixtures } from '../fixtures/make-fixtures.js';
import { testEngine } from '../helpers/engine.js';
import { SAMPLES_DIR } from '../helpers/paths.js';

/** Score difference allowed between the original live sample and a re-encoded variant of it. */
const VARIANT_SCORE_ATOL = 6;
/** Minimum IoU with the original face box after a re-encode that keeps colour. */
const VARIANT_MIN_IOU = 0.97;
/** Greyscale changes what the detector sees (no colour), so its box may move further. */
const GREYSCALE_MIN_IOU = 0.85;

function iou(a: Box, b: Box): number {
  const w = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x);
  const h = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y);
  const inter = w > 0 && h > 0 ? w * h : 0;
  return inter / (a.width * a.height + b.width * b.height - inter);
}

async function analyseOrCode(engine: Engine, bytes: Uint8Array): Promise<LivenessResult | string> {
  try {
    return await engine.analyse(bytes);
  } catch (error) {
    assert.ok(error instanceof FaceliveError, `non-catalogue error escaped: ${String(error)}`);
    return error.code;
  }
}

describe('bad and unusual input through the whole engine', () => {
  let engine: Engine;
  /** The live sample's upright pixels as a lossless PNG (the JPEG is stored sideways with EXIF orientation 6). */
  let live: Buffer;
  let reference: LivenessResult;
  before(async () => {
    engine = await testEngine();
    const original = readFileSync(path.join(SAMPLES_DIR, 'image_T1.jpg'));
    live = await sharp(original).rotate().png().toBuffer();
    reference = await engine.analyse(original);
  });
  after(() => engine?.close());

  test('every decode fixture keeps its code; faceless images are FACE_NOT_FOUND', async () => {
    const fixtures = await makeFixtures();
    for (const name of FIXTURE_NAMES) {
      const expectation = DECODE_EXPECTATIONS[name];
      const outcome = await analyseOrCode(engine, fixtures[name]);
      const wanted = expectation.ok ? 'FACE_NOT_FOUND' : expectation.code;
      assert.equal(typeof outcome === 'string' ? outcome : 'result', wanted, name);
    }
  });

  const variants: Record<string, (image: Sharp) => Promise<Uint8Array>> = {
    'CMYK JPEG': (img) => img.toColourspace('cmyk').jpeg({ quality: 95 }).toBuffer(),
    'greyscale JPEG': (img) => img.toColourspace('b-w').jpeg({ quality: 95 }).toBuffer(),
    'PNG with alpha': (img) => img.ensureAlpha(0.5).png().toBuffer(),
    '16-bit PNG': (img) => img.toColourspace('rgb16').png().toBuffer(),
    'lossless WebP': (img) => img.webp({ lossless: true }).toBuffer(),
    'BMP 24-bit': async (img) => {
      const { data, info } = await img.raw().toBuffer({ resolveWithObject: true });
      return encodeBmp({ width: info.width, height: info.height, data }, { bitsPerPixel: 24 });
    },
    // Pixels stored turned 90° anticlockwise, with EXIF orientation 6 telling the decoder to turn them back.
    'EXIF-rotated JPEG': (img) => img.rotate(-90).withMetadata({ orientation: 6 }).jpeg({ quality: 95 }).toBuffer(),
  };

  for (const [name, encode] of Object.entries(variants)) {
    test(`live sample as ${name}: same face; near-same score, or retry when monochrome`, async () => {
      const bytes = await encode(sharp(live));
      const outcome = await analyseOrCode(engine, bytes);
      assert.ok(typeof outcome !== 'string', `${name} failed with ${outcome}`);
      assert.deepEqual([outcome.image.width, outcome.image.height], [reference.image.width, reference.image.height]);
      assert.equal(outcome.faces.length, 1);
      const overlap = iou(outcome.faces[0].box, reference.faces[0].box);
      const minIou = name.startsWith('greyscale') ? GREYSCALE_MIN_IOU : VARIANT_MIN_IOU;
      assert.ok(overlap >= minIou, `${name} face box IoU ${overlap.toFixed(3)} < ${minIou}`);
      if (name.startsWith('greyscale')) {
        assert.equal(outcome.quality.monochrome, true);
        assert.equal(outcome.decision, 'retry', 'no colour: the PAD models cannot judge it');
      } else {
        assert.equal(outcome.quality.monochrome, false);
        assert.ok(Math.abs(outcome.score - reference.score) <= VARIANT_SCORE_ATOL, `${name} score ${outcome.score} vs ${reference.score}`);
      }
    });
  }

  test('two faces side by side: both found, the larger is primary', async () => {
    const small = await sharp(readFileSync(path.join(SAMPLES_DIR, 'image_F1.jpg')))
      .rotate()
      .resize(240, 320)
      .toBuffer();
    const bytes = await sharp(live)
      .extend({ right: 300, background: { r: 255, g: 255, b: 255 } })
      .composite([{ input: small, left: 500, top: 160 }])
      .jpeg({ quality: 95 })
      .toBuffer();
    const outcome = await analyseOrCode(engine, bytes);
    assert.ok(typeof outcome !== 'string', `failed with ${outcome}`);
    assert.equal(outcome.quality.faceCount, 2);
    assert.ok(outcome.faces[0].box.x < 480, 'the primary face is the large one on the left');
    assert.ok(outcome.faces[0].box.width > outcome.faces[1].box.width);
  });

  test('a face below the size minimum is FACE_TOO_SMALL', async () => {
    const bytes = await sharp(live).resize(240, 320).extend({ right: 400, bottom: 160, background: '#808080' }).jpeg().toBuffer();
    assert.equal(await analyseOrCode(engine, bytes), 'FACE_TOO_SMALL');
  });

  test('a face that fills the frame is retry with insufficientContext', async () => {
    const face = reference.faces[0].box;
    const bytes = await sharp(live)
      .extract({ left: Math.round(face.x), top: Math.round(face.y), width: Math.round(face.width), height: Math.round(face.height) })
      .resize(300)
      .jpeg({ quality: 95 })
      .toBuffer();
    const outcome = await analyseOrCode(engine, bytes);
    assert.ok(typeof outcome !== 'string', `failed with ${outcome}`);
    assert.equal(outcome.quality.insufficientContext, true);
    assert.equal(outcome.decision, 'retry');
    assert.deepEqual(outcome.retryReasons, ['insufficientContext']);
  });
});
