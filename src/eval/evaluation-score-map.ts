/**
 * The score scale of an evaluation: the configured calibration's fit for the evaluated model set
 * when it has one. An evaluation may compare sets the calibration does not cover (that is how a
 * new set is chosen before it is calibrated); their scores are then `100 × p`, and the report
 * says so in `thresholds.scale` instead of presenting them as calibrated.
 */
import type { Config } from '../config/schema.js';
import { findFit, readCalibrationFile } from '../engine/calibrate/calibration-file.js';
import { calibrationFileOf } from '../engine/calibrate/load-score-map.js';
import { IDENTITY_KNOTS, type Knot } from '../engine/calibrate/score-map.js';
import type { WeightedModel } from './fusion.js';

/** Knots for an evaluated set, where they come from, and why not calibrated when not. */
export interface EvaluationScoreMap {
  readonly knots: readonly Knot[];
  readonly source: string;
  readonly calibrated: boolean;
  /** Why the scale is uncalibrated, for the CLI to print. */
  readonly note?: string;
}

/**
 * The knots for a set: from `calibration.file` (or the shipped calibration) when it has a fit
 * for the set; identity otherwise. An unreadable or invalid calibration file is still an error.
 */
export async function evaluationScoreMap(
  config: Config,
  set: { readonly detector: string; readonly models: readonly WeightedModel[] },
): Promise<EvaluationScoreMap> {
  const uncalibrated = (note: string): EvaluationScoreMap => ({ knots: IDENTITY_KNOTS, source: 'uncalibrated', calibrated: false, note });
  if (!config.calibration.enabled) return uncalibrated('calibration.enabled is false: scores are 100 × liveProbability');
  const file = calibrationFileOf(config);
  const fit = findFit(await readCalibrationFile(file), { detector: set.detector, pad: set.models });
  if (!fit) return uncalibrated(`${file} has no fit for the evaluated model set: figures at thresholds use 100 × liveProbability`);
  return { knots: fit.knots, source: `${file}#${fit.name}`, calibrated: true };
}
