/**
 * Error rates with their 95% Wilson score intervals. Evaluation sets are small (tens of attacks
 * per type), so every rate facelive reports carries its interval.
 */
import { FaceliveError } from '../errors/catalogue.js';

/** A proportion `errors / total` with its 95% Wilson interval; value and interval are null when total is 0. */
export interface Rate {
  readonly value: number | null;
  readonly errors: number;
  readonly total: number;
  readonly ci95: [low: number, high: number] | null;
}

/** Two-sided 95% standard normal quantile. */
const Z95 = 1.959963984540054;

/**
 * Wilson score interval for k successes out of n (Wilson 1927): unlike the normal approximation
 * it stays inside [0, 1] and is not degenerate at k = 0 or k = n.
 */
export function wilsonInterval(k: number, n: number, z = Z95): [low: number, high: number] {
  const p = k / n;
  const z2n = (z * z) / n;
  const centre = (p + z2n / 2) / (1 + z2n);
  const half = (z / (1 + z2n)) * Math.sqrt((p * (1 - p)) / n + z2n / (4 * n));
  return [k === 0 ? 0 : Math.max(0, centre - half), k === n ? 1 : Math.min(1, centre + half)];
}

/**
 * The rate `errors / total` with its interval.
 *
 * @example
 * rate(3, 67); // { value: 0.0448, errors: 3, total: 67, ci95: [0.0153, 0.1235] }
 */
export function rate(errors: number, total: number): Rate {
  if (!Number.isInteger(errors) || !Number.isInteger(total) || errors < 0 || errors > total) {
    throw new FaceliveError('INTERNAL_ERROR', {}, { cause: new RangeError(`rate needs 0 <= errors <= total, received ${errors}/${total}`) });
  }
  if (total === 0) return { value: null, errors, total, ci95: null };
  return { value: errors / total, errors, total, ci95: wilsonInterval(errors, total) };
}
