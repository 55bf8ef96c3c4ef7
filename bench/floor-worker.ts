/**
 * One thread of the engine benchmark's floor mode (bench/engine.ts): the bare calls the engine
 * cannot avoid, timed in a loop with everything else made beforehand. Per image: the decoder
 * (`decodeImage`), the detector's session on the decoded frame, and each PAD session on its
 * ready-made input tensor. No crop, no tensor writing, no quality checks, no result object: what
 * is left is the time of the models and the decoder, the most any change of the JavaScript around
 * them can reach.
 */
import { workerData } from 'node:worker_threads';
import { performance } from 'node:perf_hooks';
import * as ort from 'onnxruntime-node';
import sharp from 'sharp';
import type { EngineConfig } from '../src/config/schema.js';
import { cropFaces } from '../src/engine/crop/crop-rules.js';
import { patchSizeOf, writePatchTensor } from '../src/engine/crop/to-tensor.js';
import { decodeImage } from '../src/engine/decode/decode-image.js';
import { detectFaces } from '../src/engine/detect/detect-faces.js';
import { loadModelSet } from '../src/models/model-set.js';
import { RGB_FRAME_INPUT } from '../src/models/onnx/rgb-frame-input.js';
import { median } from './stats.js';

/** What the benchmark hands each floor thread (piscina's workerData). */
export interface FloorWorkerData {
  readonly config: EngineConfig;
  readonly images: readonly Uint8Array[];
  readonly passes: number;
}

/** A task: load and prepare (sent once per thread before timing), or run the timed loop. */
export type FloorTask = 'prepare' | 'run';

/** What a timed run answers: the images timed, the seconds, and each bare call's median. */
export interface FloorReply {
  readonly images: number;
  readonly seconds: number;
  readonly medianMs: { readonly decode: number; readonly detect: number; readonly classify: number; readonly total: number };
}

// As in the engine's workers (engine-worker.ts): one libvips thread, no cache.
sharp.concurrency(1);
sharp.cache(false);

/** Everything the bare calls need, made once: the frame tensor and one input tensor per PAD model. */
async function prepare({ config, images }: FloorWorkerData) {
  const models = await loadModelSet({
    modelsDir: config.modelsDir,
    detectorId: config.models.detector,
    pad: config.models.pad,
    threads: { intraOpNumThreads: 1 },
  });
  const inputs = [];
  for (const bytes of images) {
    const { frame } = await decodeImage(bytes, config.limits);
    const { faces } = await detectFaces(frame, models.detector, config.detection);
    const requests = models.pads.map(({ model }) => ({ rule: model.entry.crop, size: patchSizeOf(model.entry.input) }));
    const crops = cropFaces(requests, faces[0].box, frame);
    const padInputs = models.pads.map(({ model }, m) => {
      const { size } = crops[m];
      const data = new Float32Array(3 * size * size);
      writePatchTensor(crops[m].rgb, size, model.entry.input, data, 0);
      return { model, feeds: { [model.entry.input.name]: new ort.Tensor('float32', data, [1, 3, size, size]) } };
    });
    inputs.push({ bytes, frame: new ort.Tensor('uint8', frame.data, [frame.height, frame.width, 3]), padInputs });
  }
  return { models, inputs };
}

let prepared: ReturnType<typeof prepare> | undefined;

async function timedRun({ config, passes }: FloorWorkerData): Promise<FloorReply> {
  const { models, inputs } = await (prepared ??= prepare(workerData as FloorWorkerData));
  const decode: number[] = [];
  const detect: number[] = [];
  const classify: number[] = [];
  const start = performance.now();
  for (let pass = 0; pass < passes; pass++) {
    for (const image of inputs) {
      let mark = performance.now();
      await decodeImage(image.bytes, config.limits);
      decode.push(performance.now() - mark);
      mark = performance.now();
      await models.detector.session.run({ [RGB_FRAME_INPUT]: image.frame });
      detect.push(performance.now() - mark);
      mark = performance.now();
      for (const { model, feeds } of image.padInputs) await model.session.run(feeds, [model.entry.live.output]);
      classify.push(performance.now() - mark);
    }
  }
  const seconds = (performance.now() - start) / 1000;
  const total = decode.map((d, i) => d + detect[i] + classify[i]);
  const round = (ms: number) => Number(ms.toFixed(2));
  return {
    images: decode.length,
    seconds,
    medianMs: { decode: round(median(decode)), detect: round(median(detect)), classify: round(median(classify)), total: round(median(total)) },
  };
}

/** Piscina task handler. */
export default async function handle(task: FloorTask): Promise<FloorReply | undefined> {
  if (task === 'prepare') {
    await (prepared ??= prepare(workerData as FloorWorkerData));
    return undefined;
  }
  return timedRun(workerData as FloorWorkerData);
}
