/**
 * Fitting the calibrated score. The map is piecewise linear in the fused raw live probability,
 * through (0, 0), one knot per ladder threshold, and (1, 100). Each ladder threshold gets the
 * knot at which the pooled APCER on the calibration data reaches its target:
 *
 * | score | 5   | 10  | 40 (recommended) | 70 | 90 |
 * |-------|-----|-----|------------------|----|----|
 * | APCER | 20% | 10% | 5%               | 2% | 1% |
 *
 * i.e. the ISO/IEC 30107-3 operating points BPCER5, BPCER10, BPCER20, BPCER50 and BPCER100. A
 * knot sits in the middle of the gap between the attack score that must be rejected and the next
 * higher score of either class, so the fitted thresholds separate the data exactly as the
 * conservative operating point does, with a margin on both sides.
 */
import type { CalibrationFile, CalibrationFit, LadderPoint } from '../engine/calibrate/calibration-file.js';
import { knotProblem, type Knot } from '../engine/calibrate/score-map.js';
import { FaceliveError } from '../errors/catalogue.js';
import { isScene } from './breakdowns.js';
import { fusedProbability, type WeightedModel } from './fusion.js';
import type { ImageRecord } from './image-record.js';
import { rate } from './rate.js';

/** A ladder threshold and the APCER its knot is placed at. */
export interface ApcerTarget {
  readonly score100: number;
  readonly apcerTarget: number;
}

/** The targets facelive's calibration uses (see the module comment). */
export const LADDER_APCER_TARGETS: readonly ApcerTarget[] = [
  { score100: 5, apcerTarget: 0.2 },
  { score100: 10, apcerTarget: 0.1 },
  { score100: 40, apcerTarget: 0.05 },
  { score100: 70, apcerTarget: 0.02 },
  { score100: 90, apcerTarget: 0.01 },
];

/** The calibration population, in words (recorded in every fit). */
export const CALIBRATION_POPULATION =
  'every live or spoof image the engine scored (a face of at least quality.minFaceSizePx), retry verdicts ignored: the score is reported for them too';

/** A model set to fit. */
export interface FitRequest {
  readonly name: string;
  readonly detector: string;
  readonly models: readonly WeightedModel[];
}

const descending = (a: number, b: number): number => b - a;

/** The smallest value of a sorted list (or 1) strictly above `value`. */
function nextAbove(sortedValues: readonly number[], value: number): number {
  return sortedValues.find((v) => v > value) ?? 1;
}

/**
 * Knots for the targets from bona fide and attack probabilities. Knots are made strictly rising:
 * when two targets fall in the same gap of the data (too few attacks to tell them apart), the
 * higher one moves halfway into the rest of that gap, with a warning. Fails when an attack that
 * must be rejected has probability 1 (no threshold can reject it).
 */
export function fitKnots(
  bonaFide: readonly number[],
  attacks: readonly number[],
  targets: readonly ApcerTarget[],
  modelSet: string,
): { readonly knots: Knot[]; readonly warnings: string[] } {
  if (attacks.length === 0 || bonaFide.length === 0) {
    throw new FaceliveError('CALIBRATION_FIT_FAILED', {
      modelSet,
      reason: `it needs scored live and spoof images, found ${bonaFide.length} and ${attacks.length}`,
    });
  }
  const sortedAttacks = [...attacks].sort(descending);
  const values = [...new Set([...bonaFide, ...attacks])].sort((a, b) => a - b);
  const knots: Knot[] = [[0, 0]];
  const warnings: string[] = [];
  for (const { score100, apcerTarget } of [...targets].sort((a, b) => a.score100 - b.score100)) {
    const allowed = Math.floor(apcerTarget * attacks.length + 1e-9);
    if (allowed >= attacks.length) {
      throw new FaceliveError('CALIBRATION_FIT_FAILED', { modelSet, reason: `APCER target ${apcerTarget} for score ${score100} rejects no attack` });
    }
    if (allowed === 0 && apcerTarget * attacks.length < 1) {
      warnings.push(
        `score ${score100}: APCER ${apcerTarget} needs at least ${Math.ceil(1 / apcerTarget)} attacks, there are ${attacks.length}; the knot rejects every attack`,
      );
    }
    const mustReject = sortedAttacks[allowed];
    if (mustReject >= 1) {
      throw new FaceliveError('CALIBRATION_FIT_FAILED', {
        modelSet,
        reason: `APCER ${apcerTarget} (score ${score100}) needs rejecting ${allowed + 1} attacks, but ${allowed + 1} score a live probability of 1`,
      });
    }
    let threshold = (mustReject + nextAbove(values, mustReject)) / 2;
    const previous = knots[knots.length - 1][0];
    if (threshold <= previous) {
      threshold = (previous + nextAbove(values, previous)) / 2;
      warnings.push(`score ${score100}: falls in the same gap of the data as the knot below it (too few attacks to separate APCER targets)`);
    }
    knots.push([threshold, score100]);
  }
  knots.push([1, 100]);
  const problem = knotProblem(knots);
  if (problem) throw new FaceliveError('CALIBRATION_FIT_FAILED', { modelSet, reason: problem });
  return { knots, warnings };
}

function ratesAt(
  liveProbability: number,
  population: readonly { p: number; live: boolean }[],
): { apcer: LadderPoint['calibration']['apcer']; bpcer: LadderPoint['calibration']['bpcer'] } {
  const live = population.filter((x) => x.live);
  const attacks = population.filter((x) => !x.live);
  return {
    apcer: rate(attacks.filter((x) => x.p >= liveProbability).length, attacks.length),
    bpcer: rate(live.filter((x) => x.p < liveProbability).length, live.length),
  };
}

/**
 * Fits one model set on evaluation records (live and spoof rows with a score) and documents the
 * APCER and BPCER each ladder threshold gives, on the calibration population and on its scene
 * images.
 */
export function fitCalibration(records: readonly ImageRecord[], request: FitRequest, targets = LADDER_APCER_TARGETS): CalibrationFit {
  const scored = records.filter((r) => r.label !== 'noface' && r.quality !== null);
  const population = scored.map((r) => ({ p: fusedProbability(r, request.models) as number, live: r.label === 'live', scene: isScene(r) }));
  const { knots, warnings } = fitKnots(
    population.filter((x) => x.live).map((x) => x.p),
    population.filter((x) => !x.live).map((x) => x.p),
    targets,
    request.name,
  );
  const scene = population.filter((x) => x.scene);
  const ladder = knots.slice(1, -1).map(([liveProbability, score100]): LadderPoint => {
    const target = targets.find((t) => t.score100 === score100) as ApcerTarget;
    return {
      score100,
      apcerTarget: target.apcerTarget,
      liveProbability,
      calibration: ratesAt(liveProbability, population),
      scene: ratesAt(liveProbability, scene),
    };
  });
  return {
    name: request.name,
    detector: request.detector,
    models: request.models.map((m) => ({ ...m })),
    knots,
    population: {
      bonaFide: population.filter((x) => x.live).length,
      attacks: population.filter((x) => !x.live).length,
      description: CALIBRATION_POPULATION,
    },
    ladder,
    warnings,
  };
}

/** The calibration file for a set of fits. */
export function buildCalibrationFile(fits: readonly CalibrationFit[], dataset: CalibrationFile['dataset'], targets = LADDER_APCER_TARGETS): CalibrationFile {
  return {
    schemaVersion: 1,
    about:
      'facelive score calibration: per model set, knots of a monotone piecewise-linear map from the fused raw live probability to the 0..100 score. Written by `facelive calibrate`; scheme and figures in docs/evaluation.md.',
    createdAt: new Date().toISOString(),
    tool: 'facelive calibrate',
    dataset,
    scheme: {
      kind: 'apcer-knots-piecewise-linear',
      description: `Knot of each ladder score at the raw live probability where the pooled APCER on the calibration data reaches its target (mid-gap); (0,0) and (1,100) fixed; linear in between. Population: ${CALIBRATION_POPULATION}.`,
      apcerTargets: targets.map((t) => ({ ...t })),
    },
    fits: [...fits],
  };
}
