import * as ort from 'onnxruntime-node';
import type { LiveReadout, PadEntry } from '../../models/manifest.js';
import type { LoadedModel } from '../../models/onnx-model.js';
import { writePatchTensor } from '../crop/to-tensor.js';
import type { FaceCrop } from '../crop/crop-rules.js';

function softmaxAt(row: ArrayLike<number>, start: number, length: number, index: number): number {
  let max = -Infinity;
  for (let k = 0; k < length; k++) max = Math.max(max, row[start + k]);
  let sum = 0;
  for (let k = 0; k < length; k++) sum += Math.exp(row[start + k] - max);
  return Math.exp(row[start + index] - max) / sum;
}

function readLiveProbabilities(output: ort.Tensor, readout: LiveReadout, count: number): number[] {
  const data = output.data as Float32Array;
  const classes = output.dims[1];
  return Array.from({ length: count }, (_, n) =>
    readout.kind === 'softmax' ? softmaxAt(data, n * classes, classes, readout.index) : data[n * classes + readout.index],
  );
}

async function runBatch(model: LoadedModel<PadEntry>, crops: readonly FaceCrop[]): Promise<number[]> {
  const { entry, session } = model;
  const size = crops[0].size;
  const perImage = 3 * size * size;
  const batch = new Float32Array(perImage * crops.length);
  crops.forEach((crop, n) => writePatchTensor(crop.rgb, crop.size, entry.input, batch, n * perImage));
  const input = new ort.Tensor('float32', batch, [crops.length, 3, size, size]);
  const outputs = await session.run({ [entry.input.name]: input }, [entry.live.output]);
  return readLiveProbabilities(outputs[entry.live.output], entry.live, crops.length);
}

/**
 * Live probability of each crop under one PAD model, read as the manifest's `live` readout says.
 * One generic classifier for every PAD model: crops go in one batch when the model accepts
 * batches, one call each otherwise.
 */
export async function classifyCrops(model: LoadedModel<PadEntry>, crops: readonly FaceCrop[]): Promise<number[]> {
  if (crops.length === 0) return [];
  if (model.entry.input.batchable || crops.length === 1) return runBatch(model, crops);
  const results: number[] = [];
  for (const crop of crops) results.push(...(await runBatch(model, [crop])));
  return results;
}

/**
 * Live probabilities of several faces under one PAD model, primary face first. The primary
 * face's crop always runs alone, exactly as a single-face image does, so its probability does not
 * depend on how many other faces the image holds; the other faces share one batch.
 */
export async function classifyFaces(model: LoadedModel<PadEntry>, cropPerFace: readonly FaceCrop[]): Promise<number[]> {
  if (cropPerFace.length === 0) return [];
  const [primary, ...others] = cropPerFace;
  return [...(await classifyCrops(model, [primary])), ...(await classifyCrops(model, others))];
}
