import { performance } from 'node:perf_hooks';
import type { EngineConfig } from '../config/schema.js';
import { FaceliveError } from '../errors/catalogue.js';
import { loadModelSet, type ModelSet } from '../models/model-set.js';
import { fuseProbabilities, judgeImage } from './calibrate/decision.js';
import { loadScoreMap, type ScoreMap } from './calibrate/load-score-map.js';
import { classifyFaces } from './classify/classify.js';
import { contextFraction } from './crop/context-window.js';
import { cropFaces } from './crop/crop-rules.js';
import { encodeFaceCrop } from './crop/face-crop-jpeg.js';
import { patchSizeOf } from './crop/to-tensor.js';
import { decodeImage } from './decode/decode-image.js';
import { detectFaces } from './detect/detect-faces.js';
import { assessQuality, retryReasonsFor } from './quality/assess-quality.js';
import { retryHintsFor } from './retry-reasons.js';
import type { AnalysedFace, Box, Face, FaceLiveness, LivenessResult, ModelOpinion, StageTimings } from './types.js';

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

/** Frame pixels → pixels of the oriented original image (the identity unless the frame was downscaled). */
interface FrameToImage {
  readonly x: number;
  readonly y: number;
}

function boxInImage(box: Box, scale: FrameToImage): Box {
  if (scale.x === 1 && scale.y === 1) return box;
  return { x: box.x * scale.x, y: box.y * scale.y, width: box.width * scale.x, height: box.height * scale.y };
}

/** A region in whole pixels (a face crop's region stays whole once mapped back from a downscaled frame). */
function wholePixels(box: Box): Box {
  return { x: Math.round(box.x), y: Math.round(box.y), width: Math.round(box.width), height: Math.round(box.height) };
}

function faceInImage(face: Face, scale: FrameToImage, liveness: FaceLiveness | null): AnalysedFace {
  if (scale.x === 1 && scale.y === 1) return { ...face, liveness };
  const landmarks = face.landmarks.map(([x, y]) => [x * scale.x, y * scale.y] as const);
  return { box: boxInImage(face.box, scale), landmarks, score: face.score, liveness };
}

async function analyseWith(models: ModelSet, scoreMap: ScoreMap, config: EngineConfig, bytes: Uint8Array, options: AnalyseOptions): Promise<LivenessResult> {
  const start = performance.now();
  const timings: StageTimings = { decodeMs: 0, detectMs: 0, qualityMs: 0, cropMs: 0, classifyMs: 0, totalMs: 0 };

  let mark = performance.now();
  const decoded = await decodeImage(bytes, config.limits);
  const { frame, original } = decoded;
  const toImage: FrameToImage = { x: original.width / frame.width, y: original.height / frame.height };
  timings.decodeMs = elapsedSince(mark);

  mark = performance.now();
  const { faces } = await detectFaces(frame, models.detector, config.detection);
  timings.detectMs = elapsedSince(mark);
  if (faces.length === 0) throw new FaceliveError('FACE_NOT_FOUND');
  const primary = faces[0];

  mark = performance.now();
  const geometry = { faceWidthPx: primary.box.width * toImage.x, contextFraction: contextFraction(primary.box, frame.width, frame.height) };
  const quality = assessQuality(frame, faces, geometry, config.quality);
  timings.qualityMs = elapsedSince(mark);
  const { minFaceSizePx } = config.quality;
  if (quality.faceSizePx < minFaceSizePx) {
    throw new FaceliveError('FACE_TOO_SMALL', { faceSizePx: quality.faceSizePx, minFaceSizePx });
  }
  // Every face wide enough to be judged is judged: another face may be a print or a screen.
  const judged = faces.filter((face, i) => i === 0 || face.box.width * toImage.x >= minFaceSizePx);

  mark = performance.now();
  const padInputs = models.pads.map(({ model }) => ({ rule: model.entry.crop, size: patchSizeOf(model.entry.input) }));
  const cropsPerFace = judged.map((face) => cropFaces(padInputs, face.box, frame));
  timings.cropMs = elapsedSince(mark);

  mark = performance.now();
  const opinionsPerFace: ModelOpinion[][] = judged.map(() => []);
  for (const [m, { model, weight }] of models.pads.entries()) {
    const probabilities = await classifyFaces(
      model,
      cropsPerFace.map((crops) => crops[m]),
    );
    probabilities.forEach((liveProbability, f) => opinionsPerFace[f].push({ modelId: model.entry.id, liveProbability, weight }));
  }
  timings.classifyMs = elapsedSince(mark);

  const threshold = options.threshold ?? config.decision.threshold;
  const livenessPerFace = opinionsPerFace.map((opinions): FaceLiveness => {
    const liveProbability = fuseProbabilities(opinions);
    const score100 = scoreMap.score(liveProbability);
    return { score100, liveProbability, decision: score100 >= threshold ? 'live' : 'spoof', models: opinions };
  });
  const verdict = judgeImage({
    faces: livenessPerFace.map((l) => ({ liveProbability: l.liveProbability, score: l.score100 })),
    threshold,
    qualityReasons: retryReasonsFor(quality),
    secondaryFaceVerdict: config.decision.secondaryFaceVerdict,
  });
  const faceCrop = options.returnFaceCrop ? await encodeFaceCrop(frame, primary.box) : undefined;
  timings.totalMs = elapsedSince(start);
  return {
    score: verdict.score,
    liveProbability: verdict.liveProbability,
    decision: verdict.decision,
    threshold,
    retryReasons: verdict.retryReasons,
    retryHints: retryHintsFor(verdict.retryReasons),
    models: opinionsPerFace[0],
    faces: faces.map((face) => faceInImage(face, toImage, livenessPerFace[judged.indexOf(face)] ?? null)),
    quality,
    image: { width: original.width, height: original.height, format: decoded.format, analysedWidth: frame.width, analysedHeight: frame.height },
    modelIds: { detector: models.detector.entry.id, classifiers: models.pads.map((p) => p.model.entry.id) },
    timings,
    ...(faceCrop && { faceCrop: { ...faceCrop, box: wholePixels(boxInImage(faceCrop.box, toImage)) } }),
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
