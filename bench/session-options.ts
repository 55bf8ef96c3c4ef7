/**
 * `npm run bench:session-options`: onnxruntime session options, one change at a time against
 * facelive's settings, timed on the bare model calls of the default set (YuNet fed a 640x480
 * frame, the two MiniFASNet models fed their 80x80 crops) on one thread. The variants take
 * turns by pass: each runs the whole image list, then the next, so a busy moment of the machine
 * hits them all alike while each runs as it would in the engine, its own sessions warm in the
 * cache (turns of one image each favoured the variants that keep the least memory: they measured
 * arena-off 28 % faster, which the engine benchmark did not confirm). The report gives each
 * variant's median ms per image (detector + PAD models) and its ratio to the baseline. Results go to docs/performance.md by hand; the JSON goes to bench/results/
 * (git-ignored). Not a test.
 *
 * Options (env): FACELIVE_MODELS_DIR (default ./models), FACELIVE_PAD_DEV_DIR (default
 * ../shared/datasets/pad-dev), BENCH_IMAGES (default 40), BENCH_PASSES (default 18: twice round the variants).
 */
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import * as ort from 'onnxruntime-node';
import { loadConfig } from '../src/config/load-config.js';
import { cropFaces } from '../src/engine/crop/crop-rules.js';
import { patchSizeOf, writePatchTensor } from '../src/engine/crop/to-tensor.js';
import { decodeImage } from '../src/engine/decode/decode-image.js';
import { detectFaces } from '../src/engine/detect/detect-faces.js';
import { findModel, type DetectorEntry, type PadEntry } from '../src/models/manifest.js';
import { loadModelSet } from '../src/models/model-set.js';
import { decodeModel, encodeModel } from '../src/models/onnx/onnx-proto.js';
import { acceptRgbFrames, RGB_FRAME_INPUT } from '../src/models/onnx/rgb-frame-input.js';
import { REPO_ROOT, benchEnvironment } from './environment.js';
import { median } from './stats.js';

const padDev = path.resolve(process.env.FACELIVE_PAD_DEV_DIR ?? path.join(REPO_ROOT, '../shared/datasets/pad-dev'));
const imageCount = Number(process.env.BENCH_IMAGES ?? 40);
const passes = Number(process.env.BENCH_PASSES ?? 18);
const config = loadConfig({});

/** facelive's settings (src/models/onnx-model.ts). */
const BASELINE: ort.InferenceSession.SessionOptions = {
  intraOpNumThreads: 1,
  interOpNumThreads: 1,
  executionMode: 'sequential',
  graphOptimizationLevel: 'all',
};

/** One change each against the baseline. */
const VARIANTS: Record<string, ort.InferenceSession.SessionOptions> = {
  baseline: BASELINE,
  'graph optimisation: extended': { ...BASELINE, graphOptimizationLevel: 'extended' },
  'graph optimisation: basic': { ...BASELINE, graphOptimizationLevel: 'basic' },
  'graph optimisation: disabled': { ...BASELINE, graphOptimizationLevel: 'disabled' },
  'CPU memory arena off': { ...BASELINE, enableCpuMemArena: false },
  'memory pattern off': { ...BASELINE, enableMemPattern: false },
  'intra-op threads: 2': { ...BASELINE, intraOpNumThreads: 2 },
  'intra-op threads: 2, no spinning': { ...BASELINE, intraOpNumThreads: 2, extra: { session: { intra_op: { allow_spinning: '0' } } } },
  'execution mode: parallel': { ...BASELINE, executionMode: 'parallel' },
};

/** The models of one variant: the detector as facelive edits it, and the PAD models of the set. */
async function sessionsFor(options: ort.InferenceSession.SessionOptions) {
  const detectorEntry = findModel(config.models.detector) as DetectorEntry;
  const detectorBytes = encodeModel(acceptRgbFrames(decodeModel(readFileSync(path.join(config.modelsDir, detectorEntry.file))), detectorEntry));
  const detector = await ort.InferenceSession.create(detectorBytes, options);
  const pads = await Promise.all(
    config.models.pad.map(async ({ id }) => {
      const entry = findModel(id) as PadEntry;
      return { entry, session: await ort.InferenceSession.create(path.join(config.modelsDir, entry.file), options) };
    }),
  );
  return { detector, pads };
}

/** Frames and PAD input tensors of the first images of the dev set that have a face, made once. */
async function inputs() {
  const models = await loadModelSet({
    modelsDir: config.modelsDir,
    detectorId: config.models.detector,
    pad: config.models.pad,
    threads: { intraOpNumThreads: 1 },
  });
  const dir = path.join(padDev, 'images/nuaa-imironica/live');
  const prepared = [];
  for (const name of readdirSync(dir).sort()) {
    if (prepared.length >= imageCount) break;
    const { frame } = await decodeImage(readFileSync(path.join(dir, name)), config.limits);
    const { faces } = await detectFaces(frame, models.detector, config.detection);
    if (faces.length === 0) continue;
    const crops = cropFaces(
      models.pads.map(({ model }) => ({ rule: model.entry.crop, size: patchSizeOf(model.entry.input) })),
      faces[0].box,
      frame,
    );
    const padTensors = models.pads.map(({ model }, m) => {
      const { size } = crops[m];
      const data = new Float32Array(3 * size * size);
      writePatchTensor(crops[m].rgb, size, model.entry.input, data, 0);
      return new ort.Tensor('float32', data, [1, 3, size, size]);
    });
    prepared.push({ frame: new ort.Tensor('uint8', frame.data, [frame.height, frame.width, 3]), padTensors });
  }
  await models.release();
  return prepared;
}

const images = await inputs();
const variants = await Promise.all(Object.entries(VARIANTS).map(async ([name, options]) => ({ name, ...(await sessionsFor(options)), times: [] as number[] })));
for (let pass = -1; pass < passes; pass++) {
  // Each pass starts with another variant, so none always follows the same neighbour.
  const turn = [...variants.slice((pass + 1) % variants.length), ...variants.slice(0, (pass + 1) % variants.length)];
  for (const variant of turn) {
    for (const image of images) {
      const start = performance.now();
      await variant.detector.run({ [RGB_FRAME_INPUT]: image.frame });
      for (const [m, { entry, session }] of variant.pads.entries()) await session.run({ [entry.input.name]: image.padTensors[m] }, [entry.live.output]);
      if (pass >= 0) variant.times.push(performance.now() - start); // pass -1 warms up
    }
  }
}
const baseline = median(variants[0].times);
const rows = variants.map((variant) => ({
  variant: variant.name,
  medianMs: Number(median(variant.times).toFixed(2)),
  ratioToBaseline: Number((median(variant.times) / baseline).toFixed(3)),
}));
await Promise.all(variants.flatMap((variant) => [variant.detector.release(), ...variant.pads.map((p) => p.session.release())]));

const report = { ...benchEnvironment(), models: [config.models.detector, ...config.models.pad.map((p) => p.id)], images: images.length, passes, rows };
mkdirSync(path.join(REPO_ROOT, 'bench/results'), { recursive: true });
const out = path.join(REPO_ROOT, 'bench/results', `session-options-${report.date.slice(0, 19).replace(/:/g, '')}.json`);
writeFileSync(out, `${JSON.stringify(report, null, 2)}\n`);
console.log(`facelive session options  ${report.date}  commit ${report.commit}  ${report.cpu}, ${report.cores} cores`);
console.log(`bare detector + PAD calls per image, ${images.length} images x ${passes} passes, variants taking turns by pass`);
for (const row of rows) console.log(`  ${row.variant.padEnd(36)} ${row.medianMs.toFixed(2).padStart(6)} ms   x${row.ratioToBaseline.toFixed(3)}`);
console.log(`report written to ${path.relative(REPO_ROOT, out)}`);
