import { performance } from 'node:perf_hooks';
import type { EngineConfig } from '../config/schema.js';
import { FaceliveError } from '../errors/catalogue.js';
import { loadModelSet, type ModelSet } from '../models/model-set.js';
import { decide, fuseProbabilities } from './calibrate/decision.js';
import { loadScoreMap, type ScoreMap } from './calibrate/load-score-map.js';
import { classifyCrops } from './classify/classify.js';
import { cropFaces } from './crop/crop-rules.js';
import { encodeFaceCrop } from './crop/face-crop-jpeg.js';
import { patchSizeOf } from './crop/to-tensor.js';
import { decodeImage } from './decode/decode-image.js';
import { detectFaces } from './detect/detect-faces.js';
import { assessQuality, retryReasonsFor } from './quality/assess-quality.js';
import type { LivenessResult, ModelOpinion, StageTimings } from './types.js';

/** Per-call options; anything not given comes from the engine's configuration. */
export interface AnalyseOptions {
  /** Score threshold 0..100 for this call (score >= threshold → live). */
  readonly threshold?: number;
  /** Also return the primary face's region as JPEG (`LivenessResult.faceCrop`); off by default. */
  readonly returnFaceCrop?: boolean;
}

/** The liveness engine: one instance per thread, holding its own model sessions. */
export interface Engine {
  /** Runs decode → detect → quality → crop → classify → score on one encoded image. */
  analyse(bytes: Uint8Array, options?: AnalyseOptions): Promise<LivenessResult>;
  /** Model ids of the loaded set (detector first). */
  readonly modelIds: { readonly detector: string; readonly classifiers: readonly string[] };
  /** Frees the model sessions; the engine cannot be used afterwards. */
  close(): Promise<void>;
}

/** Threading of one engine; a pool of engines uses one intra-op thread each. */
export interface EngineRuntime {
  readonly intraOpNumThreads: number;
}

function elapsedSince(start: number): number {
  return Number((performance.now() - start).toFixed(2));
}

async function analyseWith(
  models: ModelSet,
  scoreMap: ScoreMap,
  config: EngineConfig,
  bytes: Uint8Array,
  options: AnalyseOptions,
): Promise<LivenessResult> {
  const start = performance.now();
  const timings: StageTimings = { decodeMs: 0, detectMs: 0, qualityMs: 0, cropMs: 0, classifyMs: 0, totalMs: 0 };

  let mark = performance.now();
  const decoded = await decodeImage(bytes, config.limits);
  const { frame } = decoded;
  timings.decodeMs = elapsedSince(mark);

  mark = performance.now();
  const { faces } = await detectFaces(frame, models.detector, config.detection);
  timings.detectMs = elapsedSince(mark);
  if (faces.length === 0) throw new FaceliveError('FACE_NOT_FOUND');
  const primary = faces[0];

  mark = performance.now();
  const quality = assessQuality(frame, faces, config.quality);
  timings.qualityMs = elapsedSince(mark);
  if (quality.faceSizePx < config.quality.minFaceSizePx) {
    throw new FaceliveError('FACE_TOO_SMALL', { faceSizePx: quality.faceSizePx, minFaceSizePx: config.quality.minFaceSizePx });
  }

  mark = performance.now();
  const crops = cropFaces(
    models.pads.map(({ model }) => ({ rule: model.entry.crop, size: patchSizeOf(model.entry.input) })),
    primary.box,
    frame,
  );
  timings.cropMs = elapsedSince(mark);

  mark = performance.now();
  const opinions: ModelOpinion[] = [];
  for (const [i, { model, weight }] of models.pads.entries()) {
    const [liveProbability] = await classifyCrops(model, [crops[i]]);
    opinions.push({ modelId: model.entry.id, liveProbability, weight });
  }
  timings.classifyMs = elapsedSince(mark);

  const liveProbability = fuseProbabilities(opinions);
  const score = scoreMap.score(liveProbability);
  const threshold = options.threshold ?? config.decision.threshold;
  const retryReasons = retryReasonsFor(quality);
  const faceCrop = options.returnFaceCrop ? await encodeFaceCrop(frame, primary.box) : undefined;
  timings.totalMs = elapsedSince(start);
  return {
    score,
    liveProbability,
    decision: decide(score, threshold, retryReasons),
    threshold,
    retryReasons,
    models: opinions,
    faces,
    quality,
    image: { width: frame.width, height: frame.height, format: decoded.format },
    modelIds: { detector: models.detector.entry.id, classifiers: models.pads.map((p) => p.model.entry.id) },
    timings,
    ...(faceCrop && { faceCrop }),
  };
}

/**
 * Loads the configured calibration and model set (verified, checked and warmed) and returns an
 * engine over them. Fails with a catalogue error when any model is missing or does not match the
 * manifest, or when the calibration has no fit for the configured model set (CONFIG_INVALID).
 *
 * @example
 * const engine = await createEngine(loadConfig({ modelsDir: '../shared/models' }));
 * const result = await engine.analyse(await readFile('selfie.jpg'));
 * console.log(result.score, result.decision);
 */
export async function createEngine(config: EngineConfig, runtime: EngineRuntime = { intraOpNumThreads: 1 }): Promise<Engine> {
  // First, so a calibration that does not fit the configured model set fails before any model loads.
  const scoreMap = await loadScoreMap(config);
  const models = await loadModelSet({
    modelsDir: config.modelsDir,
    detectorId: config.models.detector,
    pad: config.models.pad,
    threads: runtime,
  });
  return {
    analyse: (bytes, options = {}) => analyseWith(models, scoreMap, config, bytes, options),
    modelIds: { detector: models.detector.entry.id, classifiers: models.pads.map((p) => p.model.entry.id) },
    close: () => models.release(),
  };
}
