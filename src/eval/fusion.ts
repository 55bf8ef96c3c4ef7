/**
 * Model sets evaluated offline: the candidate fusions of the model-selection table and the
 * `--models` option, and the fused probability of a record for any set whose models the engine
 * pass ran. The fusion is the engine's own (`fuseProbabilities`), so offline figures are what the
 * engine would report with that set configured.
 */
import { fuseProbabilities } from '../engine/calibrate/decision.js';
import { FaceliveError } from '../errors/catalogue.js';
import { MODEL_MANIFEST } from '../models/manifest.js';
import type { ImageRecord } from './image-record.js';

/** PAD model ids of the pack. */
export const PAD = {
  v2: 'pad/minifasnet-v2-s2.7@1.0',
  v1se: 'pad/minifasnet-v1se-s4.0@1.0',
  celeba: 'pad/celeba-minifasv2se-128@98.20',
  hyperfas: 'pad/hyperfas-mbv050-224@1.0',
} as const;

/** A PAD model and its fusion weight. */
export interface WeightedModel {
  readonly id: string;
  readonly weight: number;
}

/** A named model set. */
export interface NamedFusion {
  readonly name: string;
  readonly models: readonly WeightedModel[];
  /** Caveats a user must know before choosing it. */
  readonly caveats: readonly string[];
}

const CELEBA_CAVEAT = 'CelebA-Spoof training data: non-commercial research only (MODELS.md 4.1)';
const HYPERFAS_CAVEAT = 'experimental; training data unstated, names NUAA among related sets (MODELS.md 9.1)';

/**
 * The fusions compared when choosing the default set (docs/evaluation.md), and the sets the
 * shipped calibration covers. Weights follow the engine's weighted mean: `pair+celeba` is
 * mean(mean(V2, V1SE), CelebA), the ensemble MODELS.md section 1 describes.
 */
export const CANDIDATE_FUSIONS: readonly NamedFusion[] = [
  { name: 'v2', models: [{ id: PAD.v2, weight: 1 }], caveats: [] },
  { name: 'v1se', models: [{ id: PAD.v1se, weight: 1 }], caveats: [] },
  {
    name: 'pair',
    models: [
      { id: PAD.v2, weight: 1 },
      { id: PAD.v1se, weight: 1 },
    ],
    caveats: [],
  },
  {
    name: 'pair-v2x2',
    models: [
      { id: PAD.v2, weight: 2 },
      { id: PAD.v1se, weight: 1 },
    ],
    caveats: [],
  },
  { name: 'celeba', models: [{ id: PAD.celeba, weight: 1 }], caveats: [CELEBA_CAVEAT] },
  { name: 'hyperfas', models: [{ id: PAD.hyperfas, weight: 1 }], caveats: [HYPERFAS_CAVEAT] },
  {
    name: 'pair+celeba',
    models: [
      { id: PAD.v2, weight: 0.5 },
      { id: PAD.v1se, weight: 0.5 },
      { id: PAD.celeba, weight: 1 },
    ],
    caveats: [CELEBA_CAVEAT],
  },
  {
    name: 'v2+v1se+celeba',
    models: [
      { id: PAD.v2, weight: 1 },
      { id: PAD.v1se, weight: 1 },
      { id: PAD.celeba, weight: 1 },
    ],
    caveats: [CELEBA_CAVEAT],
  },
  {
    name: 'pair+hyperfas',
    models: [
      { id: PAD.v2, weight: 0.5 },
      { id: PAD.v1se, weight: 0.5 },
      { id: PAD.hyperfas, weight: 1 },
    ],
    caveats: [HYPERFAS_CAVEAT],
  },
  {
    name: 'v2+v1se+hyperfas',
    models: [
      { id: PAD.v2, weight: 1 },
      { id: PAD.v1se, weight: 1 },
      { id: PAD.hyperfas, weight: 1 },
    ],
    caveats: [HYPERFAS_CAVEAT],
  },
  {
    name: 'all',
    models: [
      { id: PAD.v2, weight: 1 },
      { id: PAD.v1se, weight: 1 },
      { id: PAD.celeba, weight: 1 },
      { id: PAD.hyperfas, weight: 1 },
    ],
    caveats: [CELEBA_CAVEAT, HYPERFAS_CAVEAT],
  },
];

function parseWeight(raw: string, part: string): number {
  const weight = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(weight) || weight <= 0) {
    throw new FaceliveError('INVALID_ARGUMENT', { field: '--models', expected: 'id=weight with a positive weight', received: part });
  }
  return weight;
}

/**
 * Parses `--models`: a candidate name (`pair`, `pair+celeba`, …) or a comma-separated list of
 * PAD model ids, each optionally `=weight` (default 1).
 *
 * @example
 * parseModelsOption('pair+celeba');
 * parseModelsOption('pad/minifasnet-v2-s2.7@1.0=2,pad/minifasnet-v1se-s4.0@1.0');
 */
export function parseModelsOption(value: string): { readonly name: string | null; readonly models: readonly WeightedModel[] } {
  const candidate = CANDIDATE_FUSIONS.find((c) => c.name === value.trim());
  if (candidate) return { name: candidate.name, models: candidate.models };
  const expected = `a candidate (${CANDIDATE_FUSIONS.map((c) => c.name).join(', ')}) or PAD model ids with optional =weight`;
  const models = value.split(',').map((part) => {
    const [id, weight] = part.trim().split('=');
    if (!MODEL_MANIFEST.some((m) => m.id === id && m.role === 'pad')) {
      throw new FaceliveError('INVALID_ARGUMENT', { field: '--models', expected, received: id });
    }
    return { id, weight: weight === undefined ? 1 : parseWeight(weight, part) };
  });
  if (new Set(models.map((m) => m.id)).size !== models.length) {
    throw new FaceliveError('INVALID_ARGUMENT', { field: '--models', expected: 'each model once', received: value });
  }
  return { name: null, models };
}

/** Models of a set that the engine pass did not run. */
export function missingModels(models: readonly WeightedModel[], passModels: readonly string[]): string[] {
  return models.map((m) => m.id).filter((id) => !passModels.includes(id));
}

function fuseRecorded(record: ImageRecord, probabilities: Readonly<Record<string, number>>, models: readonly WeightedModel[]): number {
  return fuseProbabilities(
    models.map((m) => {
      const liveProbability = probabilities[m.id];
      if (liveProbability === undefined) {
        throw new FaceliveError('EVAL_RESULTS_INVALID', { file: record.file, reason: `no probability of ${m.id} in this image's record` });
      }
      return { liveProbability, weight: m.weight };
    }),
  );
}

/**
 * The fused live probability of every face the engine judged in a record, primary face first;
 * null when the image has no score. Records written before faces were judged one by one hold the
 * primary face only.
 */
export function judgedFaceProbabilities(record: ImageRecord, models: readonly WeightedModel[]): number[] | null {
  if (!record.probabilities) return null;
  const others = (record.faces ?? []).slice(1).flatMap((face) => (face.probabilities ? [fuseRecorded(record, face.probabilities, models)] : []));
  return [fuseRecorded(record, record.probabilities, models), ...others];
}

/**
 * The fused live probability of a record for a model set, as the engine scores an image: that of
 * its least live judged face. Null when the image has no score.
 */
export function fusedProbability(record: ImageRecord, models: readonly WeightedModel[]): number | null {
  const faces = judgedFaceProbabilities(record, models);
  return faces ? Math.min(...faces) : null;
}
