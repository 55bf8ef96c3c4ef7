/**
 * Photos as phones take them (issue 9), through the real engine with the default configuration:
 * 12, 48 and 50 MP camera photos (upright and stored sideways with EXIF orientation 6) are scored,
 * large ones analysed downscaled with faces reported in the photo's own pixels; close portrait
 * selfies are scored instead of answered with `retry`; every face wide enough is judged, and a
 * second face judged an attack keeps the photo from a clean `live`. Fixtures are made here from
 * the pack's samples (test/fixtures/phone-photos.ts).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { DEFAULT_DECODE_LIMITS } from '../../src/engine/decode/limits.js';
import type { Engine } from '../../src/engine/pipeline.js';
import { RETRY_REASONS } from '../../src/engine/retry-reasons.js';
import type { Box, LivenessResult } from '../../src/engine/types.js';
import { cameraPhoto, cameraPhotoFaceBox, portraitSelfie, withSecondFace, type CameraPhotoOptions, type SampleName } from '../fixtures/phone-photos.js';
import { testConfig, testEngine } from '../helpers/engine.js';
import { PAD_DEV_DIR, requireDir } from '../helpers/paths.js';

let engine: Engine;
before(async () => {
  engine = await testEngine();
});
after(() => engine.close());

/** The largest distance between two boxes' edges, as a fraction of the image width. */
function boxDistance(a: Box, b: Box, imageWidth: number): number {
  const edges = (box: Box) => [box.x, box.y, box.x + box.width, box.y + box.height];
  const [ea, eb] = [edges(a), edges(b)];
  return Math.max(...ea.map((value, i) => Math.abs(value - eb[i]))) / imageWidth;
}

describe('camera photos are scored by default', () => {
  const cases: [string, SampleName, CameraPhotoOptions, 'live' | 'spoof'][] = [
    ['12 MP portrait, 3024x4032', 'image_T1.jpg', { width: 3024, height: 4032 }, 'live'],
    ['12 MP stored 4032x3024 with EXIF orientation 6', 'image_T1.jpg', { width: 3024, height: 4032, sideways: true }, 'live'],
    ['12 MP screen replay', 'image_F2.jpg', { width: 3024, height: 4032 }, 'spoof'],
    ['2080x4624 (tall phone screen format)', 'image_T1.jpg', { width: 2080, height: 4624 }, 'live'],
    ['48 MP stored 8000x6000 with EXIF orientation 6', 'image_T1.jpg', { width: 6000, height: 8000, sideways: true }, 'live'],
    ['50 MP stored 8160x6120 with EXIF orientation 6', 'image_T1.jpg', { width: 6120, height: 8160, sideways: true }, 'live'],
    ['50 MP landscape print attack, 8160x6120', 'image_F1.jpg', { width: 8160, height: 6120 }, 'spoof'],
  ];
  for (const [label, sample, options, expected] of cases) {
    test(`${label}: ${expected}`, async () => {
      const result = await engine.analyse(await cameraPhoto(sample, options));
      assert.equal(result.decision, expected, `score ${result.score}`);
      assert.deepEqual(result.retryReasons, []);
      assert.deepEqual([result.image.width, result.image.height], [options.width, options.height]);
      const analysedPixels = result.image.analysedWidth * result.image.analysedHeight;
      if (options.width * options.height <= DEFAULT_DECODE_LIMITS.maxDecodedPixels) {
        assert.deepEqual([result.image.analysedWidth, result.image.analysedHeight], [options.width, options.height], 'decoded in full');
      } else {
        assert.ok(analysedPixels <= DEFAULT_DECODE_LIMITS.maxDecodedPixels, `analysed at ${result.image.analysedWidth}x${result.image.analysedHeight}`);
        assert.ok(Math.abs(result.image.analysedWidth / result.image.analysedHeight - options.width / options.height) < 0.002, 'aspect kept');
      }
      // Boxes and sizes are in the photo's own pixels, also when it was analysed downscaled.
      const expectedBox = cameraPhotoFaceBox(sample, options);
      assert.ok(boxDistance(result.faces[0].box, expectedBox, options.width) < 0.02, JSON.stringify(result.faces[0].box));
      assert.equal(result.quality.faceSizePx, Math.round(result.faces[0].box.width));
      for (const [x, y] of result.faces[0].landmarks)
        assert.ok(x > expectedBox.x && x < expectedBox.x + expectedBox.width && y > expectedBox.y, `landmark ${x},${y}`);
    });
  }
});

describe('close portrait selfies are scored, not retried', () => {
  for (const [width, height] of [
    [720, 1600],
    [768, 1600],
  ] as const) {
    for (const ratio of [0.7, 0.78, 0.85]) {
      test(`${width}x${height}, face ${ratio} of the width: live sample live, print sample spoof`, async () => {
        const live = await engine.analyse(await portraitSelfie('image_T1.jpg', width, height, ratio));
        assert.equal(live.decision, 'live', `score ${live.score}, context fraction ${live.quality.contextFraction}`);
        assert.ok(live.quality.contextRatio > 0.68, `face width / image width ${live.quality.contextRatio}: the old rule retried these`);
        assert.ok(live.quality.contextFraction >= testConfig().quality.minContextFraction);
        const print = await engine.analyse(await portraitSelfie('image_F1.jpg', width, height, ratio));
        assert.equal(print.decision, 'spoof', `score ${print.score}`);
      });
    }
  }

  test('a tight face crop is still retry, with its hint', async () => {
    const { default: sharp } = await import('sharp');
    const photo = await cameraPhoto('image_T1.jpg', { width: 480, height: 640 });
    const crop = await sharp(photo).extract({ left: 105, top: 100, width: 200, height: 270 }).jpeg().toBuffer();
    const result = await engine.analyse(crop);
    assert.equal(result.decision, 'retry');
    assert.deepEqual(result.retryReasons, ['insufficientContext']);
    assert.deepEqual(result.retryHints, [RETRY_REASONS.insufficientContext.hint]);
    assert.ok(result.quality.contextFraction < testConfig().quality.minContextFraction, String(result.quality.contextFraction));
  });
});

describe('every face wide enough is judged', () => {
  const judged = (result: LivenessResult) => result.faces.filter((f) => f.liveness !== null);

  test('a second live face: live, scored as the less live of the two', async () => {
    const result = await engine.analyse(await withSecondFace('image_T1.jpg'));
    const faces = judged(result);
    assert.equal(faces.length, 2);
    assert.ok(faces.every((f) => f.liveness?.decision === 'live'));
    assert.equal(result.decision, 'live');
    assert.equal(result.score, Math.min(...faces.map((f) => f.liveness!.score100)));
  });

  test('a screen held up beside a live face: spoof by default, scored as the screen face', async () => {
    const result = await engine.analyse(await withSecondFace('image_F2.jpg'));
    const [primary, screen] = judged(result);
    assert.equal(primary.liveness?.decision, 'live', `primary ${primary.liveness?.score100}`);
    assert.equal(screen.liveness?.decision, 'spoof', `screen ${screen.liveness?.score100}`);
    assert.equal(result.decision, 'spoof');
    assert.deepEqual(result.retryReasons, []);
    assert.equal(result.score, screen.liveness?.score100);
    assert.equal(result.liveProbability, screen.liveness?.liveProbability);
    assert.deepEqual(result.models, primary.liveness?.models, 'models[] are the primary face’s');
  });

  test('with decision.secondaryFaceVerdict = retry: retry with multipleFaces and its hint', async () => {
    const base = testConfig();
    const retrying = await testEngine({ decision: { ...base.decision, secondaryFaceVerdict: 'retry' } });
    try {
      const result = await retrying.analyse(await withSecondFace('image_F1.jpg'));
      assert.equal(result.decision, 'retry');
      assert.deepEqual(result.retryReasons, ['multipleFaces']);
      assert.deepEqual(result.retryHints, [RETRY_REASONS.multipleFaces.hint]);
      assert.ok(result.score < result.threshold, 'the score stays that of the attack face, so score-only surfaces reject it too');
    } finally {
      await retrying.close();
    }
  });

  test('a face narrower than quality.minFaceSizePx is listed but not judged', async () => {
    const result = await engine.analyse(await withSecondFace('image_F2.jpg', 0.35));
    assert.ok(result.faces.length >= 2);
    assert.ok(result.faces.slice(1).every((f) => f.liveness === null && f.box.width < testConfig().quality.minFaceSizePx));
    assert.equal(result.decision, 'live');
  });

  test('the primary face is classified alone: its probabilities do not depend on other faces being judged', async () => {
    const photo = await withSecondFace('image_F2.jpg');
    const base = testConfig();
    const primaryOnly = await testEngine({ quality: { ...base.quality, minFaceSizePx: 300 } });
    try {
      const alone = await primaryOnly.analyse(photo);
      const withOthers = await engine.analyse(photo);
      assert.equal(judged(alone).length, 1);
      assert.deepEqual(withOthers.models, alone.models);
    } finally {
      await primaryOnly.close();
    }
  });

  test('pad-dev couple.jpg (two live people): live at the lower of the two face scores', async () => {
    const file = path.join(requireDir(PAD_DEV_DIR, 'pad-dev'), 'images/deepface-tests/live/tests__unit__dataset__couple.jpg');
    const result = await engine.analyse(readFileSync(file));
    const faces = judged(result);
    assert.equal(faces.length, 2);
    assert.equal(result.score, Math.min(...faces.map((f) => f.liveness!.score100)));
    assert.equal(result.decision, result.score >= result.threshold ? 'live' : 'spoof');
  });
});
