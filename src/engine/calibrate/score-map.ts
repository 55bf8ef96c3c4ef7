/**
 * The calibrated score: a monotone piecewise-linear map from the fused raw live probability (0..1)
 * to the 0..100 score, through knots fitted by `facelive calibrate`. Pure functions, no I/O.
 */

/** One knot of the map: the raw probability at which the score reaches `score100`. */
export type Knot = [liveProbability: number, score100: number];

/** The identity scale, `100 × liveProbability`: what "uncalibrated" means. */
export const IDENTITY_KNOTS: readonly Knot[] = [
  [0, 0],
  [1, 100],
];

/**
 * Why a knot list is not a valid map, or undefined when it is: it must start at (0, 0), end at
 * (1, 100), and rise strictly in both coordinates (so the map is monotone and invertible).
 */
export function knotProblem(knots: readonly Knot[]): string | undefined {
  if (knots.length < 2) return `expected at least 2 knots, received ${knots.length}`;
  const [first, last] = [knots[0], knots[knots.length - 1]];
  if (first[0] !== 0 || first[1] !== 0) return `the first knot must be [0, 0], received [${first.join(', ')}]`;
  if (last[0] !== 1 || last[1] !== 100) return `the last knot must be [1, 100], received [${last.join(', ')}]`;
  for (let i = 1; i < knots.length; i++) {
    const [p0, s0] = knots[i - 1];
    const [p1, s1] = knots[i];
    if (!(p1 > p0) || !(s1 > s0)) return `knots ${i - 1} and ${i} do not rise strictly: [${p0}, ${s0}] then [${p1}, ${s1}]`;
  }
  return undefined;
}

/**
 * The unrounded score of a raw live probability. A probability equal to a knot's gets exactly
 * that knot's score (each segment is evaluated from its left end), so `score >= knot score`
 * holds exactly when `probability >= knot probability`.
 */
export function mapProbability(knots: readonly Knot[], liveProbability: number): number {
  if (liveProbability <= 0) return 0;
  if (liveProbability >= 1) return 100;
  let i = 0;
  while (i < knots.length - 2 && liveProbability >= knots[i + 1][0]) i++;
  const [p0, s0] = knots[i];
  const [p1, s1] = knots[i + 1];
  return s0 + ((liveProbability - p0) / (p1 - p0)) * (s1 - s0);
}

/**
 * The score facelive reports: the mapped value floored to 2 decimals. Flooring (not rounding)
 * keeps the threshold semantics exact: for a whole-number threshold T (every documented one),
 * `score >= T` exactly when the unrounded score is at least T, hence exactly when the raw
 * probability is at least the probability where the map reaches T.
 */
export function scoreFromKnots(knots: readonly Knot[], liveProbability: number): number {
  return Math.floor(mapProbability(knots, liveProbability) * 100) / 100;
}

/** The raw probability at which the map reaches a score (the inverse map). */
export function probabilityAtScore(knots: readonly Knot[], score100: number): number {
  if (score100 <= 0) return 0;
  if (score100 >= 100) return 1;
  let i = 0;
  while (i < knots.length - 2 && score100 >= knots[i + 1][1]) i++;
  const [p0, s0] = knots[i];
  const [p1, s1] = knots[i + 1];
  return p0 + ((score100 - s0) / (s1 - s0)) * (p1 - p0);
}
