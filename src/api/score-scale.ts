/**
 * One map for every vendor number that has a cut-off: the calibrated 0..100 score is rescaled
 * linearly on each side of the decision threshold so that the vendor's documented cut-off sits
 * exactly on the threshold. A client that applies the vendor's own rule to the number ("≥ 50
 * passes", "below 0.98 is a real person") then gets facelive's decision. The vendor constants
 * live in each vendor folder; this module knows no vendor.
 *
 * Values are computed in units of the reported precision (10^-decimals), rounded down, except
 * on the failing side of a decreasing scale, which is rounded up, so that rounding never moves a
 * value across the cut-off. A guard of 10^-6 units absorbs binary floating-point error, so that
 * a value whose exact decimal result is a whole number of units is reported as that number.
 */
import { FaceliveError } from '../errors/catalogue.js';

/** A vendor's number, described by three points and its reading rule. */
export interface ThresholdScale {
  /** Value at score 0. */
  readonly atZero: number;
  /** The vendor's documented cut-off, placed on the decision threshold. */
  readonly cutOff: number;
  /** Value at score 100. */
  readonly atHundred: number;
  /** Decimals the vendor reports. */
  readonly decimals: number;
  /**
   * How the vendor reads the number: `atOrAbove` passes values ≥ the cut-off (an increasing
   * scale); `below` passes values strictly under it (a decreasing scale), so a passing score maps
   * to at most the cut-off minus one unit.
   */
  readonly pass: 'atOrAbove' | 'below';
}

/** Floating-point guard, in units of the reported precision. */
const GUARD = 1e-6;

function checkRange(value: number, field: string): void {
  if (!(value >= 0 && value <= 100)) {
    throw new FaceliveError('INVALID_ARGUMENT', { field, expected: 'a number in [0, 100]', received: String(value) });
  }
}

/**
 * The vendor's number for a calibrated `score100` at decision `threshold`: at or above the
 * threshold it runs linearly from the first passing value (the cut-off, or one unit beside it)
 * to `atHundred`; below, from `atZero` towards the cut-off, never reaching it.
 *
 * @example
 * const ADVANCE = { atZero: 0, cutOff: 50, atHundred: 100, decimals: 2, pass: 'atOrAbove' } as const;
 * rescaleAtThreshold(40, 40, ADVANCE); // 50
 * rescaleAtThreshold(70, 40, ADVANCE); // 75
 */
export function rescaleAtThreshold(score100: number, threshold: number, scale: ThresholdScale): number {
  checkRange(score100, 'score100');
  checkRange(threshold, 'threshold');
  const units = 10 ** scale.decimals;
  const zero = Math.round(scale.atZero * units);
  const cut = Math.round(scale.cutOff * units);
  const hundred = Math.round(scale.atHundred * units);
  const increasing = scale.pass === 'atOrAbove';
  if (score100 >= threshold) {
    const first = increasing ? cut : cut - 1;
    if (threshold === 100) return hundred / units;
    const value = first + ((hundred - first) * (score100 - threshold)) / (100 - threshold);
    return Math.floor(value + GUARD) / units;
  }
  const value = zero + ((cut - zero) * score100) / threshold;
  // Below the threshold the value must stay on the failing side of the cut-off.
  return (increasing ? Math.min(Math.floor(value + GUARD), cut - 1) : Math.max(Math.ceil(value - GUARD), cut)) / units;
}
