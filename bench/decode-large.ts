/**
 * `npm run bench:decode-large`: what camera photos cost and whether the working size changes a
 * score. Not a test: it prints two tables and writes them to bench/results/decode-large-<date>.json
 * (git-ignored).
 *
 * 1. Decode time and peak RSS per photo size (12 MP upright and sideways, 2080x4624, 48 MP
 *    landscape, 48 and 50 MP stored sideways with EXIF orientation 6), decoded at the working size (`limits.maxDecodedPixels`,
 *    the default) and in full. Each decode runs alone in a fresh child process, as an engine worker
 *    runs it (sharp with one thread and no cache), BENCH_REPEATS times (medians); peak RSS is the
 *    child's high-water mark (VmHWM on Linux), reported with that of a child that only loads the
 *    same modules, and the difference.
 * 2. Score change from analysing at a working size instead of in full: 12 MP photos (the pack's
 *    three samples upscaled, and the dev set's 12.6 MP photo `img49.jpg` when present) at working
 *    sizes of 2, 4, 8 and 16 Mi pixels, and 48 MP photos at the default working size.
 *
 * Photos are made from the pack's samples (test/fixtures/phone-photos.ts). Options (env):
 * FACELIVE_MODELS_DIR (default ./models), BENCH_REPEATS (children per measurement; default 3).
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import sharp from 'sharp';
import { loadConfig } from '../src/config/load-config.js';
import type { Config } from '../src/config/schema.js';
import { decodeImage } from '../src/engine/decode/decode-image.js';
import { DEFAULT_DECODE_LIMITS } from '../src/engine/decode/limits.js';
import { createEngine } from '../src/engine/pipeline.js';
import { cameraPhoto, type CameraPhotoOptions, type SampleName } from '../test/fixtures/phone-photos.js';
import { REPO_ROOT, benchEnvironment } from './environment.js';
import { median } from './stats.js';

const repeats = Number(process.env.BENCH_REPEATS ?? 3);
const MiB = 1024 * 1024;
/** A working size larger than any accepted image: decode in full. */
const FULL = Number.MAX_SAFE_INTEGER;

interface ChildReport {
  readonly decodeMs: number;
  readonly maxRssMiB: number;
  readonly frame: string;
}

/** Child mode: decode one file once (or nothing, for the baseline) and report time and peak RSS. */
async function child(file: string, maxDecodedPixels: number): Promise<void> {
  sharp.concurrency(1);
  sharp.cache(false);
  const bytes = readFileSync(file);
  let decodeMs = 0;
  let frame = '';
  if (maxDecodedPixels > 0) {
    const start = performance.now();
    const decoded = await decodeImage(bytes, { ...DEFAULT_DECODE_LIMITS, maxDecodedPixels });
    decodeMs = performance.now() - start;
    frame = `${decoded.frame.width}x${decoded.frame.height}`;
  }
  const report: ChildReport = { decodeMs, maxRssMiB: peakRssMiB(), frame };
  process.stdout.write(JSON.stringify(report));
}

/**
 * This process's peak RSS. On Linux from VmHWM, the high-water mark of the process's own memory
 * map: `getrusage`'s maxRSS survives exec, so a child forked from a large parent would report the
 * parent's size.
 */
function peakRssMiB(): number {
  try {
    const match = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync('/proc/self/status', 'utf8'));
    if (match) return Number(match[1]) / 1024;
  } catch {
    // Not Linux: fall back below.
  }
  return process.resourceUsage().maxRSS / 1024;
}

/** Runs `repeats` fresh children on a file and returns the median time and median peak RSS. */
function runChild(file: string, maxDecodedPixels: number): ChildReport {
  const runs = Array.from({ length: repeats }, () => {
    const out = execFileSync(process.execPath, ['--import', 'tsx', import.meta.filename, '--child', file, String(maxDecodedPixels)], { encoding: 'utf8' });
    return JSON.parse(out) as ChildReport;
  });
  return { decodeMs: Math.round(median(runs.map((r) => r.decodeMs))), maxRssMiB: Math.round(median(runs.map((r) => r.maxRssMiB))), frame: runs[0].frame };
}

const PHOTOS: readonly { readonly label: string; readonly sample: SampleName; readonly options: CameraPhotoOptions }[] = [
  { label: '12 MP 3024x4032', sample: 'image_T1.jpg', options: { width: 3024, height: 4032 } },
  { label: '12 MP 4032x3024 + EXIF 6', sample: 'image_T1.jpg', options: { width: 3024, height: 4032, sideways: true } },
  { label: '2080x4624', sample: 'image_T1.jpg', options: { width: 2080, height: 4624 } },
  { label: '48 MP 8000x6000 landscape', sample: 'image_T1.jpg', options: { width: 8000, height: 6000 } },
  { label: '48 MP 8000x6000 + EXIF 6', sample: 'image_T1.jpg', options: { width: 6000, height: 8000, sideways: true } },
  { label: '50 MP 8160x6120 + EXIF 6', sample: 'image_T1.jpg', options: { width: 6120, height: 8160, sideways: true } },
];

async function decodeCosts(dir: string) {
  const baseline = runChild(path.join(dir, 'none'), 0);
  const rows = [];
  for (const photo of PHOTOS) {
    const file = path.join(dir, `${photo.label.replace(/\W+/g, '-')}.jpg`);
    const bytes = await cameraPhoto(photo.sample, photo.options);
    writeFileSync(file, bytes);
    const working = runChild(file, DEFAULT_DECODE_LIMITS.maxDecodedPixels);
    const full = runChild(file, FULL);
    rows.push({ photo: photo.label, encodedMiB: Number((bytes.length / MiB).toFixed(2)), working, full });
  }
  return { baselineRssMiB: baseline.maxRssMiB, rows };
}

/** Fused live probability and score of a photo analysed at a working size. */
async function analyseAt(config: Config, bytes: Uint8Array, maxDecodedPixels: number) {
  const engine = await createEngine({ ...config, limits: { ...config.limits, maxDecodedPixels } });
  try {
    const result = await engine.analyse(bytes);
    return {
      liveProbability: result.liveProbability,
      score: result.score,
      decision: result.decision,
      analysed: `${result.image.analysedWidth}x${result.image.analysedHeight}`,
    };
  } finally {
    await engine.close();
  }
}

async function scoreChanges() {
  const config = loadConfig();
  const photos: { label: string; bytes: Uint8Array; sizes: number[] }[] = [];
  const twelve = [2 ** 21, 2 ** 22, 2 ** 23, DEFAULT_DECODE_LIMITS.maxDecodedPixels];
  for (const sample of ['image_T1.jpg', 'image_F1.jpg', 'image_F2.jpg'] as const) {
    photos.push({ label: `${sample} as 12 MP`, bytes: await cameraPhoto(sample, { width: 3024, height: 4032 }), sizes: twelve });
  }
  const img49 = path.join(REPO_ROOT, '../shared/datasets/pad-dev/images/deepface-tests/live/tests__unit__dataset__img49.jpg');
  if (existsSync(img49)) photos.push({ label: 'pad-dev img49.jpg (4352x2903 photo)', bytes: readFileSync(img49), sizes: twelve });
  for (const sample of ['image_T1.jpg', 'image_F1.jpg'] as const) {
    photos.push({
      label: `${sample} as 48 MP`,
      bytes: await cameraPhoto(sample, { width: 6000, height: 8000, sideways: true }),
      sizes: [DEFAULT_DECODE_LIMITS.maxDecodedPixels],
    });
  }
  const rows = [];
  for (const photo of photos) {
    const full = await analyseAt(config, photo.bytes, FULL);
    for (const size of photo.sizes) {
      const at = await analyseAt(config, photo.bytes, size);
      rows.push({
        photo: photo.label,
        workingMiPx: size / MiB,
        analysed: at.analysed,
        full: { liveProbability: Number(full.liveProbability.toFixed(4)), score: full.score, decision: full.decision },
        deltaLiveProbability: Number((at.liveProbability - full.liveProbability).toFixed(4)),
        deltaScore: Number((at.score - full.score).toFixed(2)),
        decision: at.decision,
      });
    }
  }
  return rows;
}

async function main(): Promise<void> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'facelive-decode-large-'));
  writeFileSync(path.join(dir, 'none'), '');
  try {
    const costs = await decodeCosts(dir);
    console.log(`DECODE (median of ${repeats} fresh child processes per cell; a child that only loads the modules peaks at ${costs.baselineRssMiB} MiB)`);
    console.table(
      costs.rows.map((r) => ({
        photo: r.photo,
        'JPEG MiB': r.encodedMiB,
        'frame (working size)': r.working.frame,
        'ms (working)': r.working.decodeMs,
        'peak RSS MiB (working)': `${r.working.maxRssMiB} (+${r.working.maxRssMiB - costs.baselineRssMiB})`,
        'ms (full)': r.full.decodeMs,
        'peak RSS MiB (full)': `${r.full.maxRssMiB} (+${r.full.maxRssMiB - costs.baselineRssMiB})`,
      })),
    );
    const changes = await scoreChanges();
    console.log('SCORE at a working size minus score decoded in full (default calibration and threshold)');
    console.table(
      changes.map((c) => ({
        photo: c.photo,
        'working Mi px': c.workingMiPx,
        analysed: c.analysed,
        'full: p / score': `${c.full.liveProbability} / ${c.full.score} ${c.full.decision}`,
        'Δ live p': c.deltaLiveProbability,
        'Δ score': c.deltaScore,
        decision: c.decision,
      })),
    );
    const report = { ...benchEnvironment(), repeats, sharp: { concurrency: 1, cache: false }, decode: costs, scoreChanges: changes };
    mkdirSync(path.join(REPO_ROOT, 'bench/results'), { recursive: true });
    const out = path.join(REPO_ROOT, 'bench/results', `decode-large-${report.date.slice(0, 19).replace(/:/g, '')}.json`);
    writeFileSync(out, `${JSON.stringify(report, null, 2)}\n`);
    console.log(`report: ${path.relative(REPO_ROOT, out)}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[2] === '--child') await child(process.argv[3], Number(process.argv[4]));
else await main();
