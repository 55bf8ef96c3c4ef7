/**
 * Far/near pairs, as a capture flow takes them: one photo at arm's length, one closer. Each photo
 * is judged by the engine on its own; this module decides whether the two make a plausible pair
 * and how their two verdicts become one. Pure: no I/O, no dialect.
 *
 * Plausibility (geometry of each photo's primary face, relative to its own frame, so that the two
 * photos may differ in resolution):
 * - the near face must be at least {@link PairRules.minNearToFarSize} times as large as the far
 *   face (linear size: the square root of the face box area over the frame area). A pair whose
 *   near face is not larger was not taken closer: the same photo twice, swapped fields, or a
 *   replayed picture;
 * - the face centres, each in frame-relative coordinates (0..1 on both axes), may be at most
 *   {@link PairRules.maxCentreShift} apart: a capture flow keeps the face in its guide oval.
 *
 * Combination (the stricter photo wins): the pair's score is the lower of the two scores, its
 * retry reasons are both photos' reasons prefixed `far:`/`near:`, and its decision follows from
 * those as for one image: `retry` when either photo is `retry`, else `spoof` when either is below
 * the threshold, else `live`. An attacker must therefore pass on both photos.
 *
 * The pair does not prove that both photos show the same person: facelive has no face
 * recognition model.
 */
import { FaceliveError } from '../errors/catalogue.js';
import { decide } from './calibrate/decision.js';
import type { Decision, LivenessResult } from './types.js';

/** Plausibility limits of a pair. */
export interface PairRules {
  /** Smallest near/far ratio of the faces' frame-relative linear sizes. */
  readonly minNearToFarSize: number;
  /** Largest distance between the frame-relative face centres (Euclidean, units of the frame). */
  readonly maxCentreShift: number;
}

/** The rules facelive applies: near at least 10 % larger, centres at most 0.3 of the frame apart. */
export const DEFAULT_PAIR_RULES: PairRules = { minNearToFarSize: 1.1, maxCentreShift: 0.3 };

/** Why a pair was refused. */
export type PairRejectionReason = 'NEAR_FACE_NOT_LARGER' | 'FACE_POSITION_MISMATCH';

/** What was measured on a pair. */
export interface PairGeometry {
  /** Far face linear size relative to its frame, 0..1. */
  readonly farFaceSize: number;
  readonly nearFaceSize: number;
  /** nearFaceSize / farFaceSize. */
  readonly sizeRatio: number;
  /** Distance between the frame-relative face centres. */
  readonly centreShift: number;
}

/** The pair's combined verdict. */
export interface PairVerdict {
  /** The lower of the two scores, 0..100. */
  readonly score: number;
  readonly decision: Decision;
  readonly threshold: number;
  /** Both photos' retry reasons, prefixed `far:` or `near:`. */
  readonly retryReasons: readonly string[];
  /** The hint of each retry reason, in the same order, prefixed `Far photo: ` or `Near photo: `. */
  readonly retryHints: readonly string[];
  /** The photo whose score is the pair's (the far one on a tie). */
  readonly scoredBy: 'far' | 'near';
  readonly geometry: PairGeometry;
}

/** A pair is accepted with a verdict, or rejected with a reason and readable expected/received texts. */
export type PairOutcome =
  | { readonly accepted: true; readonly verdict: PairVerdict }
  | {
      readonly accepted: false;
      readonly reason: PairRejectionReason;
      readonly expected: string;
      readonly received: string;
      readonly geometry: PairGeometry;
    };

const round = (value: number, digits: number): number => Number(value.toFixed(digits));

function faceSize(result: LivenessResult): number {
  const { box } = result.faces[0];
  return Math.sqrt((box.width * box.height) / (result.image.width * result.image.height));
}

function faceCentre(result: LivenessResult): readonly [number, number] {
  const { box } = result.faces[0];
  return [(box.x + box.width / 2) / result.image.width, (box.y + box.height / 2) / result.image.height];
}

/** Measures the two primary faces. */
export function measurePair(far: LivenessResult, near: LivenessResult): PairGeometry {
  const farFaceSize = faceSize(far);
  const nearFaceSize = faceSize(near);
  const [fx, fy] = faceCentre(far);
  const [nx, ny] = faceCentre(near);
  return {
    farFaceSize: round(farFaceSize, 4),
    nearFaceSize: round(nearFaceSize, 4),
    sizeRatio: round(nearFaceSize / farFaceSize, 3),
    centreShift: round(Math.hypot(nx - fx, ny - fy), 3),
  };
}

/**
 * Judges a far/near pair from the engine's results for each photo (made at the same threshold).
 *
 * @example
 * const outcome = judgePair(await pool.analyse(farBytes), await pool.analyse(nearBytes));
 * if (outcome.accepted) console.log(outcome.verdict.score, outcome.verdict.decision);
 * else console.log(outcome.reason); // 'NEAR_FACE_NOT_LARGER'
 */
export function judgePair(far: LivenessResult, near: LivenessResult, rules: PairRules = DEFAULT_PAIR_RULES): PairOutcome {
  if (far.threshold !== near.threshold) {
    throw new FaceliveError('INVALID_ARGUMENT', {
      field: 'threshold',
      expected: 'the same threshold for both photos',
      received: `${far.threshold} and ${near.threshold}`,
    });
  }
  if (far.faces.length === 0 || near.faces.length === 0) {
    throw new FaceliveError('INVALID_ARGUMENT', { field: 'faces', expected: 'a face in each photo', received: 'a result without faces' });
  }
  const geometry = measurePair(far, near);
  if (!(geometry.sizeRatio >= rules.minNearToFarSize)) {
    return {
      accepted: false,
      reason: 'NEAR_FACE_NOT_LARGER',
      expected: `the near photo's face at least ${rules.minNearToFarSize}x as large as the far photo's (relative to each frame)`,
      received: `${geometry.sizeRatio}x`,
      geometry,
    };
  }
  if (!(geometry.centreShift <= rules.maxCentreShift)) {
    return {
      accepted: false,
      reason: 'FACE_POSITION_MISMATCH',
      expected: `the face centres at most ${rules.maxCentreShift} of the frame apart`,
      received: `${geometry.centreShift} apart`,
      geometry,
    };
  }
  const scoredBy = near.score < far.score ? 'near' : 'far';
  const score = Math.min(far.score, near.score);
  const retryReasons = [...far.retryReasons.map((r) => `far:${r}`), ...near.retryReasons.map((r) => `near:${r}`)];
  const retryHints = [...far.retryHints.map((h) => `Far photo: ${h}`), ...near.retryHints.map((h) => `Near photo: ${h}`)];
  return {
    accepted: true,
    verdict: { score, decision: decide(score, far.threshold, retryReasons), threshold: far.threshold, retryReasons, retryHints, scoredBy, geometry },
  };
}
