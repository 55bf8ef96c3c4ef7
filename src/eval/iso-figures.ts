/**
 * ISO/IEC 30107-3 figures for one group of presentations: APCER per attack type (PAI species)
 * and its maximum, BPCER, ACER, EER, ROC AUC and the fixed-rate operating points, each rate with
 * its 95% Wilson interval, plus how many presentations had no face, an error or a retry.
 *
 * Counting rules (docs/evaluation.md): a presentation is accepted as bona fide only when it has a
 * score at or above the threshold and, under `retry: 'rejected'`, no retry verdict. An attack
 * without a face or with an error is therefore not an accepted attack; a bona fide presentation
 * without a face or with an error is a rejected one.
 */
import { rate, type Rate } from './rate.js';
import { equalErrorRate, pointAtApcer, pointAtBpcer, rocAuc, type EqualErrorRate, type OperatingPoint } from './score-curve.js';

/** What the engine made of one image. `retry`: scored, but the verdict is retry. */
export type Outcome = 'scored' | 'retry' | 'noFace' | 'faceTooSmall' | 'error';

/** One labelled presentation as the metrics see it. */
export interface Presentation {
  readonly bonaFide: boolean;
  /** PAI species (the `attack` column); `none` for bona fide presentations. */
  readonly species: string;
  readonly outcome: Outcome;
  /** Fused raw live probability, null without a score. Curves and AUC are computed on it. */
  readonly liveProbability: number | null;
  /** Calibrated 0..100 score, null without a score. Decisions at thresholds use it. */
  readonly score: number | null;
}

/** How `retry` verdicts count: as rejections (the decision) or not at all (the score decides). */
export type RetryRule = 'rejected' | 'ignored';

/** Presentations per outcome. */
export interface OutcomeCounts {
  readonly total: number;
  readonly scored: number;
  readonly retry: number;
  readonly noFace: number;
  readonly faceTooSmall: number;
  readonly error: number;
}

/** APCER of the worst attack type. */
export interface WorstApcer extends Rate {
  readonly species: string;
}

/** An operating point reached at a fixed APCER or BPCER target. */
export interface FixedRatePoint {
  readonly target: number;
  /**
   * Accept when the fused live probability is >= this. Null with null rates when no threshold
   * reaches the target; null with rates set when only accepting nothing reaches it.
   */
  readonly liveProbability: number | null;
  readonly apcer: Rate | null;
  readonly bpcer: Rate | null;
}

/** Decision figures at one score threshold. */
export interface ThresholdFigures {
  readonly threshold: number;
  /** Why this threshold is listed: `ladder` (Tencent's 5/10/40/70/90), `recommended`, `configured`. */
  readonly documentedAs: readonly string[];
  /** Maximum APCER over attack types (ISO/IEC 30107-3 reports the worst PAI species). */
  readonly apcer: WorstApcer | null;
  /** APCER over all attacks together. */
  readonly apcerPooled: Rate;
  readonly bpcer: Rate;
  /** (max APCER + BPCER) / 2; deprecated by ISO/IEC 30107-3:2023, reported for comparison. */
  readonly acer: number | null;
  readonly byAttack: Readonly<Record<string, Rate>>;
}

/** Threshold-free figures of one attack type against all bona fide presentations of the group. */
export interface AttackCurveFigures {
  readonly auc: number | null;
  readonly eer: EqualErrorRate | null;
  readonly bpcerAtApcer: readonly FixedRatePoint[];
}

/** Every figure of one group. */
export interface Figures {
  readonly retry: RetryRule;
  readonly counts: {
    readonly bonaFide: OutcomeCounts;
    readonly attacks: OutcomeCounts;
    readonly bySpecies: Readonly<Record<string, OutcomeCounts>>;
  };
  /** Threshold-free, on the fused live probability (never-accepted presentations rank lowest). */
  readonly auc: number | null;
  readonly eer: EqualErrorRate | null;
  readonly bpcerAtApcer: readonly FixedRatePoint[];
  readonly apcerAtBpcer: readonly FixedRatePoint[];
  /** Decision figures at the configured threshold (the same as its row in `atThresholds`). */
  readonly threshold: number;
  readonly apcer: WorstApcer | null;
  readonly apcerPooled: Rate;
  readonly bpcer: Rate;
  readonly acer: number | null;
  readonly byAttack: Readonly<Record<string, Rate & AttackCurveFigures>>;
  /** Decision figures at every documented threshold and the configured one, rising. */
  readonly atThresholds: readonly ThresholdFigures[];
}

/** Which thresholds to report and which one is configured. */
export interface FigureOptions {
  readonly retry: RetryRule;
  /** Attack types to list even when the group has none of them (their APCER is then null). */
  readonly species: readonly string[];
  readonly threshold: number;
  readonly thresholds: readonly { readonly threshold: number; readonly documentedAs: readonly string[] }[];
}

/** The fixed APCER targets of the issue (BPCER100, BPCER20, BPCER10 in ISO/IEC 30107-3 terms). */
export const APCER_TARGETS: readonly number[] = [0.01, 0.05, 0.1];
/** The fixed BPCER targets. */
export const BPCER_TARGETS: readonly number[] = [0.01, 0.05];

/** Whether a presentation can be accepted at some threshold under a retry rule. */
export function isEligible(p: Presentation, retry: RetryRule): boolean {
  if (p.score === null || p.liveProbability === null) return false;
  return p.outcome === 'scored' || (p.outcome === 'retry' && retry === 'ignored');
}

/** The value curves rank by: the live probability, or -Infinity when never accepted. */
export function curveValue(p: Presentation, retry: RetryRule): number {
  return isEligible(p, retry) ? (p.liveProbability as number) : -Infinity;
}

function countOutcomes(presentations: readonly Presentation[]): OutcomeCounts {
  const count = (outcome: Outcome) => presentations.filter((p) => p.outcome === outcome).length;
  return {
    total: presentations.length,
    scored: count('scored'),
    retry: count('retry'),
    noFace: count('noFace'),
    faceTooSmall: count('faceTooSmall'),
    error: count('error'),
  };
}

function fixedRatePoint(point: OperatingPoint | null, target: number, nBonaFide: number, nAttacks: number): FixedRatePoint {
  if (!point) return { target, liveProbability: null, apcer: null, bpcer: null };
  return {
    target,
    liveProbability: Number.isFinite(point.threshold) ? point.threshold : null,
    apcer: rate(point.apcerErrors, nAttacks),
    bpcer: rate(point.bpcerErrors, nBonaFide),
  };
}

function worstApcer(byAttack: Readonly<Record<string, Rate>>): WorstApcer | null {
  let worst: WorstApcer | null = null;
  for (const [species, r] of Object.entries(byAttack)) {
    if (r.value === null) continue;
    if (!worst || r.value > (worst.value as number) || (r.value === worst.value && r.total > worst.total)) worst = { species, ...r };
  }
  return worst;
}

function figuresAt(
  threshold: number,
  documentedAs: readonly string[],
  bonaFide: readonly Presentation[],
  attacksBySpecies: ReadonlyMap<string, readonly Presentation[]>,
  retry: RetryRule,
): ThresholdFigures {
  const accepted = (p: Presentation) => isEligible(p, retry) && (p.score as number) >= threshold;
  const byAttack: Record<string, Rate> = {};
  let acceptedAttacks = 0;
  let attacks = 0;
  for (const [species, list] of attacksBySpecies) {
    const n = list.filter(accepted).length;
    byAttack[species] = rate(n, list.length);
    acceptedAttacks += n;
    attacks += list.length;
  }
  const apcer = worstApcer(byAttack);
  const bpcer = rate(bonaFide.filter((p) => !accepted(p)).length, bonaFide.length);
  const acer = apcer && bpcer.value !== null ? ((apcer.value as number) + bpcer.value) / 2 : null;
  return { threshold, documentedAs, apcer, apcerPooled: rate(acceptedAttacks, attacks), bpcer, acer, byAttack };
}

/**
 * All figures of one group of presentations.
 *
 * @example
 * const figures = computeFigures(presentations, { retry: 'rejected', species: ['print'], threshold: 40, thresholds: [] });
 * figures.apcer; // worst attack type at threshold 40
 */
export function computeFigures(presentations: readonly Presentation[], options: FigureOptions): Figures {
  const { retry } = options;
  const bonaFide = presentations.filter((p) => p.bonaFide);
  const attacks = presentations.filter((p) => !p.bonaFide);
  const speciesNames = [...new Set([...options.species, ...attacks.map((p) => p.species)])].sort();
  const attacksBySpecies = new Map(speciesNames.map((s) => [s, attacks.filter((p) => p.species === s)]));

  const liveValues = bonaFide.map((p) => curveValue(p, retry));
  const attackValues = attacks.map((p) => curveValue(p, retry));
  const at = (target: number) => fixedRatePoint(pointAtApcer(liveValues, attackValues, target), target, bonaFide.length, attacks.length);

  const thresholds = [...options.thresholds];
  if (!thresholds.some((t) => t.threshold === options.threshold)) thresholds.push({ threshold: options.threshold, documentedAs: ['configured'] });
  thresholds.sort((a, b) => a.threshold - b.threshold);
  const atThresholds = thresholds.map((t) =>
    figuresAt(
      t.threshold,
      t.threshold === options.threshold && !t.documentedAs.includes('configured') ? [...t.documentedAs, 'configured'] : t.documentedAs,
      bonaFide,
      attacksBySpecies,
      retry,
    ),
  );
  const configured = atThresholds.find((t) => t.threshold === options.threshold) as ThresholdFigures;

  const byAttack: Record<string, Rate & AttackCurveFigures> = {};
  for (const [species, list] of attacksBySpecies) {
    const values = list.map((p) => curveValue(p, retry));
    byAttack[species] = {
      ...configured.byAttack[species],
      auc: rocAuc(liveValues, values),
      eer: equalErrorRate(liveValues, values),
      bpcerAtApcer: APCER_TARGETS.map((target) => fixedRatePoint(pointAtApcer(liveValues, values, target), target, bonaFide.length, list.length)),
    };
  }

  return {
    retry,
    counts: {
      bonaFide: countOutcomes(bonaFide),
      attacks: countOutcomes(attacks),
      bySpecies: Object.fromEntries([...attacksBySpecies].map(([s, list]) => [s, countOutcomes(list)])),
    },
    auc: rocAuc(liveValues, attackValues),
    eer: equalErrorRate(liveValues, attackValues),
    bpcerAtApcer: APCER_TARGETS.map(at),
    apcerAtBpcer: BPCER_TARGETS.map((target) => fixedRatePoint(pointAtBpcer(liveValues, attackValues, target), target, bonaFide.length, attacks.length)),
    threshold: options.threshold,
    apcer: configured.apcer,
    apcerPooled: configured.apcerPooled,
    bpcer: configured.bpcer,
    acer: configured.acer,
    byAttack,
    atThresholds,
  };
}
