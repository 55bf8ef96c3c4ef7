/**
 * The ONNX writer and reader on a graph built here (no model files): the bytes are stable, decode
 * gives back what was written, onnxruntime runs it, and an edited decoded model re-encodes to a
 * model that onnxruntime runs with the edit. Round trips of the real model files are in
 * test/engine/onnx-roundtrip.test.ts.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import * as ort from 'onnxruntime-node';
import { attribute, floatTensor, floatValueInfo, int64Tensor, node } from '../../src/models/onnx/onnx-builders.js';
import { decodeModel, encodeModel, int64ToNumber, tensorDims, TensorDataType, type ModelProto } from '../../src/models/onnx/onnx-proto.js';

/** y = softmax(x · 2 + b, axis 1) for x [N, 3]. */
function tinyModel(): ModelProto {
  return {
    irVersion: 7,
    producerName: 'facelive-test',
    graph: {
      name: 'tiny',
      node: [
        node('Mul', 'scale', ['x', 'two'], ['scaled']),
        node('Add', 'shift', ['scaled', 'b'], ['logits']),
        node('Softmax', 'softmax', ['logits'], ['probs'], [attribute.int('axis', 1)]),
      ],
      initializer: [floatTensor('two', [], [2]), floatTensor('b', [3], [0.5, -1, 0.25]), int64Tensor('unused_shape', [2], [-1, 3])],
      input: [floatValueInfo('x', ['N', 3])],
      output: [floatValueInfo('logits', ['N', 3]), floatValueInfo('probs', ['N', 3])],
    },
    opsetImport: [{ version: 13 }],
  };
}

describe('ONNX reader/writer', () => {
  test('the same model always encodes to the same bytes, and decodes to what was written', () => {
    const bytes = encodeModel(tinyModel());
    assert.deepEqual(encodeModel(tinyModel()), bytes);
    const decoded = decodeModel(bytes);
    assert.equal(int64ToNumber(decoded.irVersion), 7);
    assert.equal(decoded.producerName, 'facelive-test');
    assert.deepEqual(
      decoded.graph?.node?.map((n) => n.opType),
      ['Mul', 'Add', 'Softmax'],
    );
    const b = decoded.graph?.initializer?.find((t) => t.name === 'b');
    assert.equal(b?.dataType, TensorDataType.FLOAT);
    assert.deepEqual(Array.from(new Float32Array(Uint8Array.from(b?.rawData ?? []).buffer)), [0.5, -1, 0.25]);
    assert.deepEqual(tensorDims(decoded.graph!.input![0]), ['N', 3]);
    assert.deepEqual(encodeModel(decoded), bytes, 'decode → encode is the identity');
  });

  test('onnxruntime runs the written model, and an edited copy', async () => {
    const x = new ort.Tensor('float32', Float32Array.from([0, 1, 2, 3, 3, 3]), [2, 3]);
    const session = await ort.InferenceSession.create(encodeModel(tinyModel()));
    const { logits } = await session.run({ x });
    assert.deepEqual(Array.from(logits.data as Float32Array), [0.5, 1, 4.25, 6.5, 5, 6.25]);
    await session.release();

    const edited = decodeModel(encodeModel(tinyModel()));
    edited.graph!.initializer![0] = floatTensor('two', [], [10]);
    edited.graph!.input![0] = floatValueInfo('x', [2, 3]);
    const again = await ort.InferenceSession.create(encodeModel(edited));
    assert.deepEqual(again.inputMetadata[0].isTensor && again.inputMetadata[0].shape, [2, 3]);
    const { logits: scaled } = await again.run({ x });
    assert.deepEqual(Array.from(scaled.data as Float32Array), [0.5, 9, 20.25, 30.5, 29, 30.25]);
    await again.release();
  });

  test('bytes that are not a model are MODEL_LOAD_FAILED', () => {
    assert.throws(
      () => decodeModel(Buffer.from('not a protobuf at all, just text'), 'notes.txt'),
      /MODEL_LOAD_FAILED|could not be loaded: not an ONNX ModelProto/,
    );
  });
});
