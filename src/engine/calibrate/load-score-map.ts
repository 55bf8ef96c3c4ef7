import type { EngineConfig } from '../../config/schema.js';
import { FaceliveError } from '../../errors/catalogue.js';
import { readCalibrationFile, requireFit, SHIPPED_CALIBRATION_FILE } from './calibration-file.js';
import { IDENTITY_KNOTS, scoreFromKnots, type Knot } from './score-map.js';

/** The raw → score map one engine uses. */
export interface ScoreMap {
  readonly knots: readonly Knot[];
  /** `<file>#<fit name>`, or `uncalibrated` for the identity scale. */
  readonly source: string;
  /** The 0..100 score of a fused live probability. */
  score(liveProbability: number): number;
}

/** The calibration file a configuration names: `calibration.file`, or the shipped one when empty. */
export function calibrationFileOf(config: EngineConfig): string {
  return config.calibration.file || SHIPPED_CALIBRATION_FILE;
}

function scoreMapOf(knots: readonly Knot[], source: string): ScoreMap {
  return {
    knots,
    source,
    score: (liveProbability) => {
      // A NaN would otherwise become a score; a fault must stay an error.
      if (!Number.isFinite(liveProbability)) throw new FaceliveError('INTERNAL_ERROR');
      return scoreFromKnots(knots, liveProbability);
    },
  };
}

/** The uncalibrated map, `100 × liveProbability` floored to 2 decimals. */
export const UNCALIBRATED_SCORE_MAP: ScoreMap = scoreMapOf(IDENTITY_KNOTS, 'uncalibrated');

/**
 * Loads the configured calibration and picks the fit for the configured detector and PAD set;
 * with `calibration.enabled: false` the score is the uncalibrated `100 × p`. Called at engine
 * start, so a missing, invalid or mismatched calibration is a CONFIG_INVALID start-up error.
 *
 * @example
 * const scoreMap = await loadScoreMap(config);
 * scoreMap.score(0.93); // e.g. 71.52
 */
export async function loadScoreMap(config: EngineConfig): Promise<ScoreMap> {
  if (!config.calibration.enabled) return UNCALIBRATED_SCORE_MAP;
  const file = calibrationFileOf(config);
  const fit = requireFit(await readCalibrationFile(file), file, { detector: config.models.detector, pad: config.models.pad });
  return scoreMapOf(fit.knots, `${file}#${fit.name}`);
}
