/**
 * The detector graph edited to take uint8 HWC RGB frames (src/models/onnx/rgb-frame-input.ts)
 * must give exactly the outputs of the pack's graph fed the NCHW float32 BGR tensor that MODELS.md
 * 2.2 specifies, written here in plain JavaScript as the reference. Exact equality, not a
 * tolerance: the edit moves the preparation, it must not change a value.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import * as ort from 'onnxruntime-node';
import sharp from 'sharp';
import type { RgbFrame } from '../../src/engine/types.js';
import { findModel, type DetectorEntry } from '../../src/models/manifest.js';
import { loadDetector } from '../../src/models/model-set.js';
import type { LoadedModel } from '../../src/models/onnx-model.js';
import { RGB_FRAME_INPUT } from '../../src/models/onnx/rgb-frame-input.js';
import { PAD_DEV_DIR, requireDir, SHARED_DIR } from '../helpers/paths.js';

/** The shared pack: it has the fixed-size YuNet too, which a pack built from upstream does not. */
const MODELS_DIR = path.join(SHARED_DIR, 'models');

const THREADS = { intraOpNumThreads: 1 };

/** MODELS.md 2.2: BGR planes of raw 0..255 values, zero-padded bottom/right to the alignment. */
function referenceTensor(frame: RgbFrame, align: number): ort.Tensor {
  const paddedWidth = Math.ceil(frame.width / align) * align;
  const paddedHeight = Math.ceil(frame.height / align) * align;
  const plane = paddedWidth * paddedHeight;
  const data = new Float32Array(3 * plane);
  for (let y = 0; y < frame.height; y++) {
    for (let x = 0; x < frame.width; x++) {
      const i = (y * frame.width + x) * 3;
      const p = y * paddedWidth + x;
      data[p] = frame.data[i + 2];
      data[plane + p] = frame.data[i + 1];
      data[2 * plane + p] = frame.data[i];
    }
  }
  return new ort.Tensor('float32', data, [1, 3, paddedHeight, paddedWidth]);
}

/** Frames of several sizes, aligned and not, from dev-set photos (cropped so the sizes vary). */
async function frames(): Promise<RgbFrame[]> {
  const dir = path.join(requireDir(PAD_DEV_DIR, 'pad-dev'), 'images/nuaa-imironica/live');
  const files = readdirSync(dir).sort().slice(0, 3);
  const sizes = [
    [640, 480],
    [613, 457],
    [333, 500],
  ];
  return Promise.all(
    files.map(async (file, i) => {
      const [width, height] = sizes[i];
      const { data, info } = await sharp(readFileSync(path.join(dir, file)))
        .resize(width, height, { fit: 'fill' })
        .removeAlpha()
        .raw()
        .toBuffer({ resolveWithObject: true });
      return { width: info.width, height: info.height, data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength) };
    }),
  );
}

for (const id of ['detector/yunet-s@2023.1', 'detector/yunet-2023mar-640@2023.3']) {
  describe(`${id} fed frames`, () => {
    const entry = findModel(id) as DetectorEntry;
    let edited: LoadedModel<DetectorEntry>;
    let pack: ort.InferenceSession;
    before(async () => {
      edited = await loadDetector(entry, MODELS_DIR, THREADS);
      pack = await ort.InferenceSession.create(path.join(MODELS_DIR, entry.file), { intraOpNumThreads: 1, graphOptimizationLevel: 'all' });
    });
    after(async () => {
      await edited?.session.release();
      await pack?.release();
    });

    test('gives exactly the outputs of the pack graph on the reference tensor', async () => {
      for (const frame of await frames()) {
        const expected = await pack.run({ [entry.input.name]: referenceTensor(frame, entry.inputAlignment) });
        const actual = await edited.session.run({ [RGB_FRAME_INPUT]: new ort.Tensor('uint8', frame.data, [frame.height, frame.width, 3]) });
        for (const output of entry.outputs) {
          assert.deepEqual(actual[output.name].dims, expected[output.name].dims, `${frame.width}x${frame.height} ${output.name} dims`);
          assert.deepEqual(actual[output.name].data, expected[output.name].data, `${frame.width}x${frame.height} ${output.name} values`);
        }
      }
    });

    test('keeps the file on disk as the manifest has it: the edit is made in memory', () => {
      assert.equal(readFileSync(path.join(MODELS_DIR, entry.file)).byteLength, entry.sizeBytes);
      assert.deepEqual(edited.session.inputNames, [RGB_FRAME_INPUT]);
    });
  });
}
