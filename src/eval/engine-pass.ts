/**
 * The one engine pass of an evaluation: every labelled image through the engine pool on all
 * cores, with every PAD model of the pack loaded at once, so that any fusion of them can later be
 * recomputed from the per-model probabilities without analysing again. The configured detector,
 * detection, quality gates (face-size minimum included) and image limits apply unchanged.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Config } from '../config/schema.js';
import { createEnginePool, workerCount } from '../engine/engine-pool.js';
import { retryReasonsFor } from '../engine/quality/assess-quality.js';
import type { LivenessResult } from '../engine/types.js';
import { toFaceliveError } from '../errors/catalogue.js';
import { MODEL_MANIFEST } from '../models/manifest.js';
import { outcomeOfError, type ImageRecord } from './image-record.js';
import type { LabelledImage, LabelsFile } from './labels-file.js';

/** What the pass ran with; kept in the results so a `--from` report can state it. */
export interface EnginePassInfo {
  readonly startedAt: string;
  readonly durationMs: number;
  readonly workers: number;
  readonly detector: string;
  /** Every PAD model whose probability each record holds. */
  readonly padModels: readonly string[];
  /** PAD models of the manifest left out because their file is not in the models directory. */
  readonly skippedModels: readonly string[];
  readonly settings: Pick<Config, 'detection' | 'quality' | 'limits'>;
  /** sha256 (first 16 hex digits) of detector, PAD models and settings: equal hashes, comparable runs. */
  readonly configHash: string;
  readonly node: string;
}

/** Progress callbacks (the CLI draws its bar with them). */
export interface PassProgress {
  start(total: number): void;
  tick(): void;
  stop(): void;
}

/** Canonical JSON (sorted keys) so the hash does not depend on key order. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

/** The hash that identifies an engine pass's settings. */
export function engineConfigHash(detector: string, padModels: readonly string[], settings: EnginePassInfo['settings']): string {
  return createHash('sha256')
    .update(canonical({ detector, padModels: [...padModels].sort(), settings }))
    .digest('hex')
    .slice(0, 16);
}

/**
 * The configured PAD models plus every other PAD model of the manifest present in the models
 * directory, each with weight 1 (weights do not matter: the pass keeps per-model probabilities).
 */
export function passModels(config: Config): { readonly ids: string[]; readonly skipped: string[] } {
  const configured = config.models.pad.map((m) => m.id);
  const others = MODEL_MANIFEST.filter((m) => m.role === 'pad' && !configured.includes(m.id));
  const present = others.filter((m) => existsSync(path.join(config.modelsDir, m.file)));
  return { ids: [...configured, ...present.map((m) => m.id)], skipped: others.filter((m) => !present.includes(m)).map((m) => m.id) };
}

/** The labels.csv side of a record: which image it is and what it shows. */
function identityOf(image: LabelledImage): Pick<ImageRecord, 'file' | 'line' | 'label' | 'attack' | 'source'> {
  return { file: image.file, line: image.line, label: image.label, attack: image.attack, source: image.source };
}

const probabilitiesOf = (opinions: LivenessResult['models']) => Object.fromEntries(opinions.map((m) => [m.modelId, m.liveProbability]));

function recordOf(image: LabelledImage, result: LivenessResult): ImageRecord {
  // Only quality's reasons: multipleFaces depends on the evaluated set's scores and is derived
  // with the decision (eval-report.ts), like the scores themselves.
  const retryReasons = retryReasonsFor(result.quality);
  return {
    ...identityOf(image),
    outcome: retryReasons.length > 0 ? 'retry' : 'scored',
    error: null,
    probabilities: probabilitiesOf(result.models),
    retryReasons,
    quality: { ...result.quality },
    faces: result.faces.map((f) => ({
      box: { ...f.box },
      landmarks: f.landmarks.map(([x, y]) => [x, y] as [number, number]),
      score: f.score,
      probabilities: f.liveness ? probabilitiesOf(f.liveness.models) : null,
    })),
    image: { ...result.image },
    liveProbability: null,
    score: null,
    decision: null,
  };
}

function errorRecordOf(image: LabelledImage, error: unknown): ImageRecord {
  const wrapped = toFaceliveError(error);
  return {
    ...identityOf(image),
    outcome: outcomeOfError(wrapped.code),
    error: wrapped.toJSON(),
    probabilities: null,
    retryReasons: null,
    quality: null,
    faces: null,
    image: null,
    liveProbability: null,
    score: null,
    decision: null,
  };
}

/**
 * Analyses every image of a validated labels file and returns one record per image, in file
 * order. Engine errors on an image (no face, face too small, undecodable…) become that image's
 * record; a model or configuration problem fails the whole pass before any image is analysed.
 */
export async function runEnginePass(
  labels: LabelsFile,
  config: Config,
  progress?: PassProgress,
): Promise<{ readonly records: ImageRecord[]; readonly run: EnginePassInfo }> {
  const { ids, skipped } = passModels(config);
  const passConfig: Config = {
    ...config,
    models: { detector: config.models.detector, pad: ids.map((id) => ({ id, weight: 1 })) },
    // The pass keeps raw probabilities; scores are derived afterwards for the evaluated set.
    calibration: { ...config.calibration, enabled: false },
  };
  const startedAt = new Date();
  const images = labels.images;
  const pool = await createEnginePool(passConfig, { workers: Math.max(1, Math.min(workerCount(config), images.length)) });
  const records: ImageRecord[] = new Array(images.length);
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < images.length) {
      const index = next++;
      const image = images[index];
      try {
        const bytes = await readFile(path.resolve(labels.dir, image.file));
        records[index] = recordOf(image, await pool.analyse(bytes));
      } catch (error) {
        records[index] = errorRecordOf(image, error);
      }
      progress?.tick();
    }
  };
  progress?.start(images.length);
  try {
    // Two images in flight per worker keep every worker busy while files are read.
    await Promise.all(Array.from({ length: pool.size * 2 }, lane));
  } finally {
    progress?.stop();
    await pool.close();
  }
  const settings = { detection: config.detection, quality: config.quality, limits: config.limits };
  return {
    records,
    run: {
      startedAt: startedAt.toISOString(),
      durationMs: Date.now() - startedAt.getTime(),
      workers: pool.size,
      detector: config.models.detector,
      padModels: ids,
      skippedModels: skipped,
      settings,
      configHash: engineConfigHash(config.models.detector, ids, settings),
      node: process.version,
    },
  };
}
