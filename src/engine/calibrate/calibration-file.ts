/**
 * The calibration file: what `facelive calibrate` writes and the engine reads at start-up. It
 * holds one fit per model set (detector, PAD models and their relative fusion weights); the
 * engine uses the fit whose set is the configured one and refuses to start when there is none,
 * so a score is never computed with knots fitted for other models.
 */
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { Type, type Static } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { FaceliveError } from '../../errors/catalogue.js';
import { knotProblem } from './score-map.js';

/** The calibration shipped with facelive, fitted on ../shared/datasets/pad-dev. */
export const SHIPPED_CALIBRATION_FILE = fileURLToPath(new URL('../../../calibration/default.json', import.meta.url));

const RateSchema = Type.Object({
  value: Type.Union([Type.Number(), Type.Null()]),
  errors: Type.Integer({ minimum: 0 }),
  total: Type.Integer({ minimum: 0 }),
  ci95: Type.Union([Type.Tuple([Type.Number(), Type.Number()]), Type.Null()]),
});

/** Figures of one ladder threshold on the calibration data (documentation; the engine ignores them). */
const LadderPointSchema = Type.Object({
  score100: Type.Number({ description: 'Ladder threshold on the 0..100 score.' }),
  apcerTarget: Type.Number({ description: 'APCER the knot was placed for (pooled over attack types).' }),
  liveProbability: Type.Number({ description: 'Raw fused live probability of the knot.' }),
  calibration: Type.Object({ apcer: RateSchema, bpcer: RateSchema }, { description: 'On the calibration population.' }),
  scene: Type.Object({ apcer: RateSchema, bpcer: RateSchema }, { description: 'On its scene images (not insufficientContext).' }),
});

const ModelWeightSchema = Type.Object({ id: Type.String(), weight: Type.Number({ exclusiveMinimum: 0 }) });

/** One model set's fit: which set, its knots, and what the ladder means on the calibration data. */
export const CalibrationFitSchema = Type.Object({
  name: Type.String({ description: 'Short name of the model set, e.g. "pair".' }),
  detector: Type.String({ description: 'Face detector id; it decides the box every crop is taken from.' }),
  models: Type.Array(ModelWeightSchema, { minItems: 1, description: 'PAD models and fusion weights (only relative weights matter).' }),
  knots: Type.Array(Type.Tuple([Type.Number(), Type.Number()]), { minItems: 2, description: '[liveProbability, score100], rising.' }),
  population: Type.Object({ bonaFide: Type.Integer(), attacks: Type.Integer(), description: Type.String() }),
  ladder: Type.Array(LadderPointSchema),
  warnings: Type.Array(Type.String()),
});

/** The whole file: provenance (dataset, labels hash, engine pass), the scheme, and the fits. */
export const CalibrationFileSchema = Type.Object({
  schemaVersion: Type.Literal(1),
  about: Type.String(),
  createdAt: Type.String({ description: 'ISO 8601 time of the fit.' }),
  tool: Type.String(),
  dataset: Type.Object({
    name: Type.String(),
    dir: Type.String(),
    labelsSha256: Type.String(),
    images: Type.Integer(),
    engineRunAt: Type.String({ description: 'When the engine pass whose results were fitted ran.' }),
    configHash: Type.String({ description: 'Hash of the engine settings of that pass (detector, detection, quality, limits).' }),
  }),
  scheme: Type.Object({
    kind: Type.Literal('apcer-knots-piecewise-linear'),
    description: Type.String(),
    apcerTargets: Type.Array(Type.Object({ score100: Type.Number(), apcerTarget: Type.Number() })),
  }),
  fits: Type.Array(CalibrationFitSchema, { minItems: 1 }),
});

/** One fit (see {@link CalibrationFitSchema}). */
export type CalibrationFit = Static<typeof CalibrationFitSchema>;
/** A calibration file (see {@link CalibrationFileSchema}). */
export type CalibrationFile = Static<typeof CalibrationFileSchema>;
/** Figures of one ladder threshold. */
export type LadderPoint = Static<typeof LadderPointSchema>;

/** A model set as the configuration states it. */
export interface ModelSetSpec {
  readonly detector: string;
  readonly pad: readonly { readonly id: string; readonly weight: number }[];
}

const WEIGHT_RTOL = 1e-9;

function relativeWeights(pad: ModelSetSpec['pad']): Map<string, number> {
  const total = pad.reduce((sum, m) => sum + m.weight, 0);
  return new Map(pad.map((m) => [m.id, m.weight / total]));
}

/**
 * Whether two model sets fuse identically: same detector, same PAD ids, same weights up to a
 * common factor (the fusion is a weighted mean, so 1:1 and 0.5:0.5 are the same set).
 */
export function sameModelSet(a: ModelSetSpec, b: ModelSetSpec): boolean {
  if (a.detector !== b.detector) return false;
  const [wa, wb] = [relativeWeights(a.pad), relativeWeights(b.pad)];
  if (wa.size !== a.pad.length || wa.size !== wb.size) return false;
  for (const [id, weight] of wa) {
    const other = wb.get(id);
    if (other === undefined || Math.abs(other - weight) > WEIGHT_RTOL * Math.max(weight, other)) return false;
  }
  return true;
}

/** `name (detector; id×w, …)` for messages. */
export function describeModelSet(set: ModelSetSpec): string {
  return `${set.detector}; ${set.pad.map((m) => `${m.id}×${m.weight}`).join(', ')}`;
}

/**
 * Reads and validates a calibration file. Anything wrong (unreadable, not JSON, wrong schema,
 * knots that are not a monotone map from [0, 1] onto [0, 100]) is CONFIG_INVALID naming the file.
 */
export async function readCalibrationFile(file: string): Promise<CalibrationFile> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    const why = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw new FaceliveError('CONFIG_INVALID', { reason: `calibration file ${file} cannot be read as JSON (${why})` }, { cause: error });
  }
  const schemaError = Value.Errors(CalibrationFileSchema, parsed).First();
  if (schemaError) {
    const received = JSON.stringify(schemaError.value)?.slice(0, 80);
    throw new FaceliveError('CONFIG_INVALID', {
      reason: `calibration file ${file}: ${schemaError.path || '/'} ${schemaError.message}, received ${received}`,
    });
  }
  const calibration = parsed as CalibrationFile;
  for (const [i, fit] of calibration.fits.entries()) {
    const problem = knotProblem(fit.knots);
    if (problem) throw new FaceliveError('CONFIG_INVALID', { reason: `calibration file ${file}: /fits/${i} (${fit.name}) knots: ${problem}` });
  }
  return calibration;
}

/** The fit for a model set, or undefined when the file has none for it. */
export function findFit(calibration: CalibrationFile, set: ModelSetSpec): CalibrationFit | undefined {
  return calibration.fits.find((fit) => sameModelSet({ detector: fit.detector, pad: fit.models }, set));
}

/**
 * The fit for a model set; a file without one is a CONFIG_INVALID error that names the set and
 * lists the sets the file does calibrate.
 */
export function requireFit(calibration: CalibrationFile, file: string, set: ModelSetSpec): CalibrationFit {
  const fit = findFit(calibration, set);
  if (fit) return fit;
  const known = calibration.fits.map((f) => `${f.name} (${describeModelSet({ detector: f.detector, pad: f.models })})`).join('; ');
  throw new FaceliveError('CONFIG_INVALID', {
    reason:
      `calibration file ${file} has no fit for the configured model set (${describeModelSet(set)}); it calibrates: ${known}. ` +
      'Configure one of those sets, or fit this one with `facelive calibrate <labelled dir> --models … --out <file>` and set calibration.file',
  });
}
