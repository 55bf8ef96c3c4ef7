/**
 * `npm run bench:engine`: per-stage milliseconds and images/s of the engine on 640x480 JPEGs of
 * the dev set, sequentially on one thread and on the all-core worker pool. Not a test: it prints
 * a report and writes it to bench/results/engine-<date>.json (git-ignored).
 *
 * Options (env): FACELIVE_MODELS_DIR (default ./models), FACELIVE_PAD_DEV_DIR (default
 * ../shared/datasets/pad-dev), BENCH_PASSES (default 3 passes over the image list), BENCH_WORKERS
 * (default: one per core).
 */
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import sharp from 'sharp';
import { loadConfig } from '../src/config/load-config.js';
import { createEnginePool } from '../src/engine/engine-pool.js';
import { createEngine } from '../src/engine/pipeline.js';
import type { LivenessResult, StageTimings } from '../src/engine/types.js';
import { REPO_ROOT, benchEnvironment } from './environment.js';

const padDev = path.resolve(process.env.FACELIVE_PAD_DEV_DIR ?? path.join(REPO_ROOT, '../shared/datasets/pad-dev'));
const passes = Number(process.env.BENCH_PASSES ?? 3);
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

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};
const percentile = (values: number[], p: number): number => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(p * values.length))];

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

const candidates = await loadImages();
const images = await fullPipelineImages(candidates);
const seq = await sequential(images);
const par = await allCores(images);
const identical = seq.scores.every((score, i) => score === par.scores[i]);
const report = {
  ...benchEnvironment(),
  threads: { intraOpNumThreadsPerEngine: 1, sharpConcurrencyPerWorker: 1, workers: par.workers },
  modelIds: { detector: config.models.detector, pad: config.models.pad.map((p) => p.id) },
  dataset: `${images.length} distinct 640x480 JPEGs (pad-dev nuaa-imironica; ${candidates.length - images.length} with faces under ${config.quality.minFaceSizePx} px left out), ${passes} passes`,
  sequential: { ...seq, scores: undefined },
  allCores: { ...par, scores: undefined },
  scoresIdenticalSequentialVsPool: identical,
};
mkdirSync(path.join(REPO_ROOT, 'bench/results'), { recursive: true });
const out = path.join(REPO_ROOT, 'bench/results', `engine-${report.date.slice(0, 19).replace(/:/g, '')}.json`);
writeFileSync(out, `${JSON.stringify(report, null, 2)}\n`);

const m = seq.medianMs;
console.log(`facelive engine benchmark  ${report.date}  commit ${report.commit}  node ${report.node}`);
console.log(`${report.cpu}, ${report.cores} cores; ${report.dataset}`);
console.log(`models: ${report.modelIds.detector} + ${report.modelIds.pad.join(' + ')}`);
console.log(
  `sequential (1 thread): ${seq.imagesPerSecond} images/s; median ms per stage: decode ${m.decode}, detect ${m.detect}, quality ${m.quality}, crop ${m.crop}, classify ${m.classify}, total ${m.total} (p99 ${seq.p99TotalMs})`,
);
console.log(`all cores (${par.workers} workers): ${par.imagesPerSecond} images/s`);
console.log(`scores identical sequential vs pool: ${identical}`);
console.log(`report written to ${path.relative(REPO_ROOT, out)}`);
if (!identical) process.exitCode = 1;
