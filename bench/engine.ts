/**
 * `npm run bench:engine`: per-stage milliseconds and images/s of the engine on 640x480 JPEGs of
 * the dev set, sequentially on one thread and on the all-core worker pool, and the floor: the
 * bare decoder and model calls alone on as many threads (bench/floor-worker.ts), which no change
 * to the code around the models can beat. Each is measured in several rounds; the report gives
 * the median and the spread (min–max). Not a test: it prints a report and writes it to
 * bench/results/engine-<date>.json (git-ignored).
 *
 * Options (env): FACELIVE_MODELS_DIR (default ./models), FACELIVE_PAD_DEV_DIR (default
 * ../shared/datasets/pad-dev), BENCH_PASSES (default 3 passes over the image list per
 * measurement), BENCH_ROUNDS (default 3), BENCH_WORKERS (default: one per core).
 */
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Piscina } from 'piscina';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import sharp from 'sharp';
import { loadConfig } from '../src/config/load-config.js';
import { createEnginePool, workerCount } from '../src/engine/engine-pool.js';
import { createEngine } from '../src/engine/pipeline.js';
import type { LivenessResult, StageTimings } from '../src/engine/types.js';
import { REPO_ROOT, benchEnvironment } from './environment.js';
import type { FloorReply, FloorTask, FloorWorkerData } from './floor-worker.js';
import { median, percentile, showSpread, spreadOf } from './stats.js';

const padDev = path.resolve(process.env.FACELIVE_PAD_DEV_DIR ?? path.join(REPO_ROOT, '../shared/datasets/pad-dev'));
const passes = Number(process.env.BENCH_PASSES ?? 3);
const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
const config = loadConfig({ workers: process.env.BENCH_WORKERS ? Number(process.env.BENCH_WORKERS) : undefined });

/** The 640x480 JPEG webcam frames of the dev set (NUAA), read into memory once. */
async function loadImages(): Promise<{ name: string; bytes: Buffer }[]> {
  const images: { name: string; bytes: Buffer }[] = [];
  for (const label of ['live', 'spoof']) {
    const dir = path.join(padDev, 'images/nuaa-imironica', label);
    for (const name of readdirSync(dir).sort()) {
      const bytes = readFileSync(path.join(dir, name));
      const meta = await sharp(bytes).metadata();
      if (meta.format === 'jpeg' && meta.width === 640 && meta.height === 480) images.push({ name: `${label}/${name}`, bytes });
    }
  }
  return images;
}

/** Keeps the images that go through every stage (faces of 100 px and more); also warms up. */
async function fullPipelineImages<T extends { bytes: Buffer }>(images: T[]): Promise<T[]> {
  const engine = await createEngine(config, { intraOpNumThreads: 1 });
  try {
    const kept: T[] = [];
    for (const image of images) {
      if (
        await engine.analyse(image.bytes).then(
          () => true,
          () => false,
        )
      )
        kept.push(image);
    }
    return kept;
  } finally {
    await engine.close();
  }
}

async function sequential(images: { bytes: Buffer }[]) {
  const engine = await createEngine(config, { intraOpNumThreads: 1 });
  try {
    for (const image of images.slice(0, 10)) await engine.analyse(image.bytes); // warm-up, excluded
    const timings: StageTimings[] = [];
    const scores: number[] = [];
    const start = performance.now();
    for (let pass = 0; pass < passes; pass++) {
      for (const image of images) {
        const result = await engine.analyse(image.bytes);
        timings.push(result.timings);
        if (pass === 0) scores.push(result.liveProbability);
      }
    }
    const seconds = (performance.now() - start) / 1000;
    const stage = (key: keyof StageTimings) => Number(median(timings.map((t) => t[key])).toFixed(2));
    return {
      images: timings.length,
      imagesPerSecond: Number((timings.length / seconds).toFixed(1)),
      medianMs: {
        decode: stage('decodeMs'),
        detect: stage('detectMs'),
        quality: stage('qualityMs'),
        crop: stage('cropMs'),
        classify: stage('classifyMs'),
        total: stage('totalMs'),
      },
      p99TotalMs: Number(
        percentile(
          timings.map((t) => t.totalMs),
          0.99,
        ).toFixed(2),
      ),
      scores,
    };
  } finally {
    await engine.close();
  }
}

async function allCores(images: { bytes: Buffer }[]) {
  const pool = await createEnginePool(config);
  try {
    await Promise.all(images.slice(0, pool.size * 5).map((image) => pool.analyse(image.bytes))); // warm-up
    const scores: number[] = [];
    const start = performance.now();
    for (let pass = 0; pass < passes; pass++) {
      // A few tasks per worker in flight keeps every core busy without an unbounded queue.
      let next = 0;
      const lane = async () => {
        while (next < images.length) {
          const index = next++;
          const result: LivenessResult = await pool.analyse(images[index].bytes);
          if (pass === 0) scores[index] = result.liveProbability;
        }
      };
      await Promise.all(Array.from({ length: pool.size * 2 }, lane));
    }
    const seconds = (performance.now() - start) / 1000;
    return { workers: pool.size, images: images.length * passes, imagesPerSecond: Number(((images.length * passes) / seconds).toFixed(1)), scores };
  } finally {
    await pool.close();
  }
}

/**
 * The floor: `threads` threads each run the bare calls over every image (bench/floor-worker.ts),
 * released together once all have loaded their models and prepared their inputs.
 */
async function floor(images: { bytes: Buffer }[], threads: number) {
  const workerData: FloorWorkerData = { config, images: images.map((image) => new Uint8Array(image.bytes)), passes };
  const filename = fileURLToPath(new URL('./floor-worker.ts', import.meta.url));
  const piscina = new Piscina<FloorTask, FloorReply | undefined>({
    filename,
    minThreads: threads,
    maxThreads: threads,
    concurrentTasksPerWorker: 1,
    workerData,
  });
  try {
    await Promise.all(Array.from({ length: threads }, () => piscina.run('prepare')));
    const start = performance.now();
    const done = (await Promise.all(Array.from({ length: threads }, () => piscina.run('run')))) as FloorReply[];
    const seconds = (performance.now() - start) / 1000;
    const timed = done.reduce((sum, reply) => sum + reply.images, 0);
    return { threads, imagesPerSecond: Number((timed / seconds).toFixed(1)), medianMs: done[0].medianMs };
  } finally {
    await piscina.destroy();
  }
}

/** Median and spread of one figure over the rounds, with each round's value. */
const spread = (values: number[], digits = 1) => ({ ...spreadOf(values, digits), runs: values });

const candidates = await loadImages();
const images = await fullPipelineImages(candidates);
const threads = workerCount(config);
interface Round {
  readonly sequential: Omit<Awaited<ReturnType<typeof sequential>>, 'scores'>;
  readonly allCores: Omit<Awaited<ReturnType<typeof allCores>>, 'scores'>;
  readonly floorOneThread: Awaited<ReturnType<typeof floor>>;
  readonly floorAllCores: Awaited<ReturnType<typeof floor>>;
}
const measured: Round[] = [];
let identical = true;
for (let round = 0; round < rounds; round++) {
  const seq = await sequential(images);
  const par = await allCores(images);
  const bareOne = await floor(images, 1);
  const bareAll = await floor(images, threads);
  identical &&= seq.scores.every((score, i) => score === par.scores[i]);
  const { scores: _s, ...sequentialFigures } = seq;
  const { scores: _p, ...allCoresFigures } = par;
  measured.push({ sequential: sequentialFigures, allCores: allCoresFigures, floorOneThread: bareOne, floorAllCores: bareAll });
  console.log(
    `round ${round + 1}/${rounds}: sequential ${seq.imagesPerSecond}, all cores ${par.imagesPerSecond}, floor 1 thread ${bareOne.imagesPerSecond}, floor all cores ${bareAll.imagesPerSecond} images/s`,
  );
}
const figure = (pick: (m: Round) => number) => spread(measured.map(pick));
const summary = {
  sequentialImagesPerSecond: figure((m) => m.sequential.imagesPerSecond),
  allCoresImagesPerSecond: figure((m) => m.allCores.imagesPerSecond),
  floorOneThreadImagesPerSecond: figure((m) => m.floorOneThread.imagesPerSecond),
  floorAllCoresImagesPerSecond: figure((m) => m.floorAllCores.imagesPerSecond),
  /** All-core throughput as a share of the floor measured in the same round, 0..1. */
  allCoresShareOfFloor: spread(
    measured.map((m) => Number((m.allCores.imagesPerSecond / m.floorAllCores.imagesPerSecond).toFixed(3))),
    3,
  ),
};
const report = {
  ...benchEnvironment(),
  threads: { intraOpNumThreadsPerEngine: 1, sharpConcurrencyPerWorker: 1, workers: threads },
  modelIds: { detector: config.models.detector, pad: config.models.pad.map((p) => p.id) },
  dataset: `${images.length} distinct 640x480 JPEGs (pad-dev nuaa-imironica; ${candidates.length - images.length} with faces under ${config.quality.minFaceSizePx} px left out), ${passes} passes per measurement, ${rounds} rounds`,
  summary,
  rounds: measured,
  scoresIdenticalSequentialVsPool: identical,
};
mkdirSync(path.join(REPO_ROOT, 'bench/results'), { recursive: true });
const out = path.join(REPO_ROOT, 'bench/results', `engine-${report.date.slice(0, 19).replace(/:/g, '')}.json`);
writeFileSync(out, `${JSON.stringify(report, null, 2)}\n`);

const stages = (key: 'decode' | 'detect' | 'quality' | 'crop' | 'classify' | 'total') => median(measured.map((m) => m.sequential.medianMs[key])).toFixed(2);
const bare = (key: 'decode' | 'detect' | 'classify' | 'total') => median(measured.map((m) => m.floorOneThread.medianMs[key])).toFixed(2);
console.log(`facelive engine benchmark  ${report.date}  commit ${report.commit}  node ${report.node}`);
console.log(`${report.cpu}, ${report.cores} cores; ${report.dataset}`);
console.log(`models: ${report.modelIds.detector} + ${report.modelIds.pad.join(' + ')}`);
console.log('images/s, median of the rounds (min–max):');
console.log(`  sequential (1 thread)        ${showSpread(summary.sequentialImagesPerSecond)}`);
console.log(`  all cores (${threads} workers)        ${showSpread(summary.allCoresImagesPerSecond)}`);
console.log(`  floor, 1 thread              ${showSpread(summary.floorOneThreadImagesPerSecond)}`);
console.log(`  floor, ${threads} threads             ${showSpread(summary.floorAllCoresImagesPerSecond)}`);
console.log(`  all cores / floor            ${showSpread(summary.allCoresShareOfFloor)}`);
console.log(
  `median ms per image, engine on 1 thread: decode ${stages('decode')}, detect ${stages('detect')}, quality ${stages('quality')}, crop ${stages('crop')}, classify ${stages('classify')}, total ${stages('total')}`,
);
console.log(
  `median ms per image, bare calls on 1 thread: decode ${bare('decode')}, detect ${bare('detect')}, classify ${bare('classify')}, total ${bare('total')}`,
);
console.log(`scores identical sequential vs pool: ${identical}`);
console.log(`report written to ${path.relative(REPO_ROOT, out)}`);
if (!identical) process.exitCode = 1;
