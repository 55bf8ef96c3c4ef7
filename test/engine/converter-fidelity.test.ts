/**
 * The proof of the .pth → ONNX converter: facelive's conversion of the upstream MiniFASNet
 * weights gives the same live probabilities as the pack's PyTorch exports on every pad-dev
 * image, both fed facelive's own crops (decode → YuNet → primary face → MiniFASNet crop rule).
 * Required: at least 99.9% of the images with a face within 1e-5 for each model; prints the
 * agreement and the largest difference. Also: the conversion is deterministic and is the file
 * the manifest pins. (golden-samples.test.ts runs the samples on the converted pack too.)
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { classifyCrops } from '../../src/engine/classify/classify.js';
import { cropFaces, type FaceCrop } from '../../src/engine/crop/crop-rules.js';
import { patchSizeOf } from '../../src/engine/crop/to-tensor.js';
import { decodeImage } from '../../src/engine/decode/decode-image.js';
import { detectFaces } from '../../src/engine/detect/detect-faces.js';
import { findModel, type DetectorEntry, type PadEntry } from '../../src/models/manifest.js';
import { loadDetector } from '../../src/models/model-set.js';
import { loadModel, type LoadedModel } from '../../src/models/onnx-model.js';
import { buildConvertedPack, CONVERTED_MODELS, convertModel, SHARED_MODELS_DIR, type ConvertedPack } from '../helpers/converted-pack.js';
import { testConfig } from '../helpers/engine.js';
import { PAD_DEV_DIR, requireDir } from '../helpers/paths.js';

const PROBABILITY_ATOL = 1e-5;
const REQUIRED_AGREEMENT = 0.999;
/** Crops per inference call; the models accept any batch. */
const BATCH = 64;
/** The reference pipeline applied no input limits; neither does this comparison. */
// The reference applied no limits and decoded every image whole (no working-size downscale).
const OPEN_LIMITS = {
  maxEncodedBytes: 64 << 20,
  maxLongSideJpeg: 20_000,
  maxLongSideOther: 20_000,
  minShortSide: 1,
  maxPixelsJpeg: Infinity,
  maxDecodedPixels: Infinity,
};
const THREADS = { intraOpNumThreads: 1 };

describe('converted MiniFASNet models', () => {
  let pack: ConvertedPack;
  before(() => {
    pack = buildConvertedPack();
  });

  test('the conversion is deterministic and is the file the manifest pins', (t) => {
    for (const entry of CONVERTED_MODELS) {
      const again = convertModel(entry);
      assert.deepEqual(again, readFileSync(path.join(pack.dir, entry.file)), `${entry.id}: two conversions, same bytes`);
      assert.equal(again.byteLength, entry.sizeBytes, entry.id);
      assert.equal(createHash('sha256').update(again).digest('hex'), entry.sha256, entry.id);
      t.diagnostic(`${entry.id}: converted in ${pack.convertMs[entry.id].toFixed(0)} ms (first run, JIT warm-up included)`);
    }
  });

  describe("agree with the pack's PyTorch exports on pad-dev", () => {
    let detector: LoadedModel<DetectorEntry>;
    const pairs: { reference: LoadedModel<PadEntry>; converted: LoadedModel<PadEntry> }[] = [];
    before(async () => {
      detector = await loadDetector(findModel(testConfig().models.detector) as DetectorEntry, SHARED_MODELS_DIR, THREADS);
      for (const entry of CONVERTED_MODELS as PadEntry[]) {
        // loadModel checks each file against the manifest: the pack's as the pytorch-export build, ours as the pinned conversion.
        pairs.push({ reference: await loadModel(entry, SHARED_MODELS_DIR, THREADS), converted: await loadModel(entry, pack.dir, THREADS) });
      }
    });
    after(async () => {
      await detector?.session.release();
      for (const { reference, converted } of pairs) await Promise.all([reference.session.release(), converted.session.release()]);
    });

    test(`live probabilities within ${PROBABILITY_ATOL} on >= ${REQUIRED_AGREEMENT * 100}% of the images`, async (t) => {
      const images: { file: string; faces: number }[] = JSON.parse(
        readFileSync(path.join(requireDir(PAD_DEV_DIR, 'pad-dev'), 'reference-scores.json'), 'utf8'),
      ).images;
      assert.equal(images.length, 563);
      const { detection } = testConfig();
      const rules = pairs.map(({ reference }) => ({ rule: reference.entry.crop, size: patchSizeOf(reference.entry.input) }));
      const crops: FaceCrop[][] = pairs.map(() => []);
      const cropped: string[] = [];
      for (const { file } of images) {
        const { frame } = await decodeImage(readFileSync(path.join(PAD_DEV_DIR, file)), OPEN_LIMITS);
        const { faces } = await detectFaces(frame, detector, detection);
        if (faces.length === 0) continue;
        cropFaces(rules, faces[0].box, frame).forEach((crop, i) => crops[i].push(crop));
        cropped.push(file);
      }
      t.diagnostic(`${cropped.length} of ${images.length} images have a face`);
      assert.equal(cropped.length, images.filter((image) => image.faces > 0).length, 'the same images have a face as in reference-scores.json');

      for (const [i, { reference, converted }] of pairs.entries()) {
        let within = 0;
        let maxDiff = 0;
        let worst = '';
        for (let start = 0; start < crops[i].length; start += BATCH) {
          const batch = crops[i].slice(start, start + BATCH);
          const [expected, actual] = await Promise.all([classifyCrops(reference, batch), classifyCrops(converted, batch)]);
          expected.forEach((p, k) => {
            const diff = Math.abs(actual[k] - p);
            if (diff <= PROBABILITY_ATOL) within++;
            if (diff > maxDiff) [maxDiff, worst] = [diff, cropped[start + k]];
          });
        }
        const fraction = within / crops[i].length;
        const id = reference.entry.id;
        t.diagnostic(
          `${id}: ${within}/${crops[i].length} = ${(100 * fraction).toFixed(2)}% within ${PROBABILITY_ATOL}; max |diff| ${maxDiff.toExponential(2)} (${worst})`,
        );
        assert.ok(fraction >= REQUIRED_AGREEMENT, `${id}: only ${(100 * fraction).toFixed(2)}% within ${PROBABILITY_ATOL}`);
      }
    });
  });
});
