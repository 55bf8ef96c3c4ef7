/**
 * The ONNX reader/writer on every real model file: the pack's (PyTorch, Keras-derived and
 * upstream exports) and facelive's conversions decode and re-encode to the same bytes, so a graph
 * can be edited in memory without losing anything; an edited YuNet (fixed input size) loads in
 * onnxruntime with the edit and gives the same outputs as the original.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import * as ort from 'onnxruntime-node';
import { findModel, MODEL_MANIFEST } from '../../src/models/manifest.js';
import { decodeModel, encodeModel, tensorDims } from '../../src/models/onnx/onnx-proto.js';
import { floatValueInfo } from '../../src/models/onnx/onnx-builders.js';
import { CONVERTED_MODELS, convertModel, SHARED_MODELS_DIR } from '../helpers/converted-pack.js';

describe('ONNX round trips', () => {
  for (const entry of MODEL_MANIFEST) {
    test(`${entry.file} (the pack's) re-encodes byte for byte`, () => {
      const bytes = readFileSync(path.join(SHARED_MODELS_DIR, entry.file));
      assert.ok(Buffer.from(encodeModel(decodeModel(bytes, entry.file))).equals(bytes));
    });
  }
  for (const entry of CONVERTED_MODELS) {
    test(`${entry.file} (facelive's conversion) re-encodes byte for byte`, () => {
      const bytes = convertModel(entry);
      assert.deepEqual(encodeModel(decodeModel(bytes, entry.file)), bytes);
    });
  }

  test('an edited YuNet (fixed 480x640 input) loads with the edit and computes the same', async () => {
    const yunet = findModel('detector/yunet-s@2023.1');
    const bytes = readFileSync(path.join(SHARED_MODELS_DIR, yunet.file));
    const model = decodeModel(bytes, yunet.file);
    const input = model.graph!.input![0];
    assert.deepEqual(tensorDims(input).slice(1, 2), [3]);
    model.graph!.input![0] = floatValueInfo(input.name!, [1, 3, 480, 640]);
    const original = await ort.InferenceSession.create(bytes);
    const edited = await ort.InferenceSession.create(encodeModel(model));
    try {
      const meta = edited.inputMetadata[0];
      assert.deepEqual(meta.isTensor && meta.shape, [1, 3, 480, 640]);
      const pixels = Float32Array.from({ length: 3 * 480 * 640 }, (_, i) => (i * 7919) % 256);
      const feeds = { [input.name!]: new ort.Tensor('float32', pixels, [1, 3, 480, 640]) };
      const [a, b] = [await original.run(feeds), await edited.run(feeds)];
      for (const name of original.outputNames) assert.deepEqual(b[name].data, a[name].data, name);
    } finally {
      await Promise.all([original.release(), edited.release()]);
    }
  });
});
