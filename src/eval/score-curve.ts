/**
 * Threshold sweeps over two score lists (bona fide and attack presentations): operating points,
 * ROC AUC, EER and the fixed-rate operating points of ISO/IEC 30107-3. A presentation is accepted
 * as bona fide at threshold t when its score is >= t; `-Infinity` stands for a presentation that
 * is never accepted (no face, an error, or a `retry` verdict under the counting rule in use).
 */

/** Error counts when accepting scores >= threshold. */
export interface OperatingPoint {
  /** `+Infinity` is the point that accepts nothing. */
  readonly threshold: number;
  /** Attack presentations accepted (APCER numerator). */
  readonly apcerErrors: number;
  /** Bona fide presentations rejected (BPCER numerator). */
  readonly bpcerErrors: number;
}

const ascending = (a: number, b: number): number => a - b;

/**
 * Every distinct operating point, by rising threshold: one per distinct finite score, then
 * `+Infinity`. APCER falls and BPCER rises along the list. O((n + m) log(n + m)).
 */
export function operatingPoints(bonaFide: readonly number[], attacks: readonly number[]): OperatingPoint[] {
  const live = [...bonaFide].sort(ascending);
  const spoof = [...attacks].sort(ascending);
  const thresholds = [...new Set([...live, ...spoof].filter(Number.isFinite))].sort(ascending);
  thresholds.push(Infinity);
  const points: OperatingPoint[] = [];
  let liveBelow = 0;
  let spoofBelow = 0;
  for (const threshold of thresholds) {
    while (liveBelow < live.length && live[liveBelow] < threshold) liveBelow++;
    while (spoofBelow < spoof.length && spoof[spoofBelow] < threshold) spoofBelow++;
    points.push({ threshold, apcerErrors: spoof.length - spoofBelow, bpcerErrors: liveBelow });
  }
  return points;
}

/**
 * ROC AUC: the probability that a random bona fide presentation scores above a random attack,
 * ties counting one half (the Mann–Whitney U statistic with mid-ranks). Null when either list is
 * empty.
 */
export function rocAuc(bonaFide: readonly number[], attacks: readonly number[]): number | null {
  const n = bonaFide.length;
  const m = attacks.length;
  if (n === 0 || m === 0) return null;
  const all = [...bonaFide.map((score) => ({ score, live: true })), ...attacks.map((score) => ({ score, live: false }))];
  all.sort((a, b) => ascending(a.score, b.score));
  let liveRankSum = 0;
  for (let i = 0; i < all.length; ) {
    let j = i;
    while (j < all.length && all[j].score === all[i].score) j++;
    const midRank = (i + 1 + j) / 2; // ranks i+1..j share their mean
    for (let k = i; k < j; k++) if (all[k].live) liveRankSum += midRank;
    i = j;
  }
  return (liveRankSum - (n * (n + 1)) / 2) / (n * m);
}

/** The equal error rate and where it was read. */
export interface EqualErrorRate {
  /** (APCER + BPCER) / 2 at the operating point where they are closest. */
  readonly value: number;
  readonly threshold: number;
  readonly apcer: number;
  readonly bpcer: number;
}

/**
 * EER: (APCER + BPCER) / 2 at the operating point where |APCER − BPCER| is smallest (ties: the
 * smaller mean, then the lower threshold). On finite data the two rates rarely meet exactly; the
 * reported APCER and BPCER show the gap. Null when either list is empty.
 */
export function equalErrorRate(bonaFide: readonly number[], attacks: readonly number[]): EqualErrorRate | null {
  if (bonaFide.length === 0 || attacks.length === 0) return null;
  let best: EqualErrorRate | undefined;
  let bestGap = Infinity;
  for (const point of operatingPoints(bonaFide, attacks)) {
    const apcer = point.apcerErrors / attacks.length;
    const bpcer = point.bpcerErrors / bonaFide.length;
    const gap = Math.abs(apcer - bpcer);
    const value = (apcer + bpcer) / 2;
    if (gap < bestGap || (gap === bestGap && best !== undefined && value < best.value)) {
      best = { value, threshold: point.threshold, apcer, bpcer };
      bestGap = gap;
    }
  }
  return best ?? null;
}

/**
 * The operating point with the lowest BPCER among those whose APCER is at most `apcerTarget`
 * (ISO/IEC 30107-3 "BPCER at APCER = x", read conservatively on finite data: the APCER reached is
 * at most the target, never interpolated above it). Null when there are no attacks.
 */
export function pointAtApcer(bonaFide: readonly number[], attacks: readonly number[], apcerTarget: number): OperatingPoint | null {
  if (attacks.length === 0 || bonaFide.length === 0) return null;
  const allowed = Math.floor(apcerTarget * attacks.length + 1e-9);
  // BPCER only rises with the threshold, so the first point within the target is the best.
  return operatingPoints(bonaFide, attacks).find((p) => p.apcerErrors <= allowed) ?? null;
}

/**
 * The operating point with the lowest APCER among those whose BPCER is at most `bpcerTarget`;
 * null when no threshold gets BPCER that low (when too many bona fide presentations are never
 * accepted) or a list is empty.
 */
export function pointAtBpcer(bonaFide: readonly number[], attacks: readonly number[], bpcerTarget: number): OperatingPoint | null {
  if (attacks.length === 0 || bonaFide.length === 0) return null;
  const allowed = Math.floor(bpcerTarget * bonaFide.length + 1e-9);
  const within = operatingPoints(bonaFide, attacks).filter((p) => p.bpcerErrors <= allowed);
  return within.length > 0 ? within[within.length - 1] : null;
}
