/**
 * The evaluation report: the stable JSON that `facelive eval --json` writes and `--from` reads
 * back (schema in docs/evaluation.md). Building it from per-image records is pure, so a report
 * recomputed from saved records equals the original.
 */
import { judgeImage, type SecondaryFaceVerdict } from '../engine/calibrate/decision.js';
import { RECOMMENDED_THRESHOLD, SCORE_LADDER } from '../engine/calibrate/score-ladder.js';
import { scoreFromKnots, type Knot } from '../engine/calibrate/score-map.js';
import { figuresOf, isScene, NO_SOURCE, nofaceSummary, qualityGroups, sourceGroups, type GroupOptions, type NofaceSummary } from './breakdowns.js';
import type { EnginePassInfo } from './engine-pass.js';
import { retryReasonsFor } from '../engine/quality/assess-quality.js';
import { judgedFaceProbabilities, type WeightedModel } from './fusion.js';
import type { ImageRecord } from './image-record.js';
import type { Figures } from './iso-figures.js';
import { contextCutOffSweep, type ContextCutOffRow } from './context-sweep.js';
import { summariseMultipleFaces, type MultiFaceSummary } from './multi-face-summary.js';
import { modelSelection, type ModelSelection } from './model-selection.js';

/** Version of the JSON layout; bumped on any incompatible change. */
export const EVAL_SCHEMA_VERSION = 1;

/** The labelled set an evaluation ran on. */
export interface DatasetInfo {
  readonly dir: string;
  readonly labelsSha256: string;
  readonly images: number;
  readonly counts: { readonly live: number; readonly spoof: number; readonly noface: number };
  /** Spoof images per attack type. */
  readonly attacks: Readonly<Record<string, number>>;
  /** Images per source_repo (empty without the column). */
  readonly sources: Readonly<Record<string, number>>;
}

/** The model set the figures are for, and the score scale. */
export interface FusionInfo {
  /** Candidate name (`pair`, `pair+celeba`, …) when the set is one, else null. */
  readonly name: string | null;
  readonly detector: string;
  readonly models: readonly WeightedModel[];
  /** `<file>#<fit>` of the calibration used, or `uncalibrated`. */
  readonly calibration: string;
  readonly knots: readonly Knot[];
}

/** The complete report. */
export interface EvalReport {
  readonly schemaVersion: typeof EVAL_SCHEMA_VERSION;
  readonly about: string;
  readonly createdAt: string;
  readonly dataset: DatasetInfo;
  readonly run: EnginePassInfo;
  readonly fusion: FusionInfo;
  readonly thresholds: {
    /** `calibrated` when the calibration has a fit for the evaluated set; else scores are 100 × p. */
    readonly scale: 'calibrated' | 'uncalibrated';
    readonly ladder: readonly number[];
    readonly recommended: number;
    readonly configured: number;
  };
  readonly overall: Figures;
  readonly bySource: Readonly<Record<string, Figures>>;
  readonly byQuality: Readonly<Record<string, Figures>>;
  readonly withoutSources: { readonly sources: readonly string[]; readonly overall: Figures; readonly scene: Figures } | null;
  readonly noface: NofaceSummary;
  readonly modelSelection: ModelSelection;
  /** Scored images on each side of candidate `quality.minContextFraction` cut-offs. */
  readonly contextCutOffs: readonly ContextCutOffRow[];
  /** What judging every face did: images with several faces and their decisions. */
  readonly multipleFaces: MultiFaceSummary;
  readonly images: readonly ImageRecord[];
}

/** Everything a report is built from. */
export interface ReportInput {
  readonly records: readonly ImageRecord[];
  readonly dataset: Pick<DatasetInfo, 'dir' | 'labelsSha256'>;
  readonly run: EnginePassInfo;
  readonly fusion: Omit<FusionInfo, 'calibration' | 'knots'>;
  readonly scoreMap: { readonly knots: readonly Knot[]; readonly source: string; readonly calibrated: boolean };
  readonly threshold: number;
  /** `decision.secondaryFaceVerdict` of the configuration. */
  readonly secondaryFaceVerdict: SecondaryFaceVerdict;
  readonly withoutSources: readonly string[];
  readonly createdAt?: string;
}

function tally(values: readonly string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const v of [...values].sort()) counts[v] = (counts[v] ?? 0) + 1;
  return counts;
}

/** How records are scored and decided for the evaluated set: its knots and the configured decision. */
export interface RecordScoring {
  readonly knots: readonly Knot[];
  readonly threshold: number;
  readonly secondaryFaceVerdict: SecondaryFaceVerdict;
}

/** The records with liveProbability, score and decision filled in for the evaluated set, as the engine decides them. */
export function scoreRecords(records: readonly ImageRecord[], models: readonly WeightedModel[], scoring: RecordScoring): ImageRecord[] {
  return records.map((r) => {
    const faces = judgedFaceProbabilities(r, models);
    if (faces === null) return { ...r, liveProbability: null, score: null, decision: null };
    const verdict = judgeImage({
      faces: faces.map((liveProbability) => ({ liveProbability, score: scoreFromKnots(scoring.knots, liveProbability) })),
      threshold: scoring.threshold,
      qualityReasons: retryReasonsFor({ insufficientContext: r.quality?.insufficientContext === true, monochrome: r.quality?.monochrome === true }),
      secondaryFaceVerdict: scoring.secondaryFaceVerdict,
    });
    return { ...r, liveProbability: verdict.liveProbability, score: verdict.score, decision: verdict.decision };
  });
}

/** The thresholds every group reports: Tencent's ladder (40 recommended); the configured one is added. */
export function ladderThresholds(): GroupOptions['thresholds'] {
  return SCORE_LADDER.map((threshold) => ({
    threshold,
    documentedAs: threshold === RECOMMENDED_THRESHOLD ? ['ladder', 'recommended'] : ['ladder'],
  }));
}

/**
 * Builds the full report.
 *
 * @example
 * const report = buildEvalReport({ records, dataset, run, fusion, scoreMap, threshold: 40, secondaryFaceVerdict: 'spoof', withoutSources: [] });
 * report.overall.bpcerAtApcer[0]; // BPCER at APCER = 1%
 */
export function buildEvalReport(input: ReportInput): EvalReport {
  const scoring = { knots: input.scoreMap.knots, threshold: input.threshold, secondaryFaceVerdict: input.secondaryFaceVerdict };
  const records = scoreRecords(input.records, input.fusion.models, scoring);
  const spoof = records.filter((r) => r.label === 'spoof');
  const options: GroupOptions = {
    species: [...new Set(spoof.map((r) => r.attack))].sort(),
    threshold: input.threshold,
    thresholds: ladderThresholds(),
  };
  const without = input.withoutSources;
  const kept = records.filter((r) => !without.includes(r.source ?? ''));
  return {
    schemaVersion: EVAL_SCHEMA_VERSION,
    about: 'facelive eval results; layout and definitions in docs/evaluation.md',
    createdAt: input.createdAt ?? new Date().toISOString(),
    dataset: {
      ...input.dataset,
      images: records.length,
      counts: {
        live: records.filter((r) => r.label === 'live').length,
        spoof: spoof.length,
        noface: records.filter((r) => r.label === 'noface').length,
      },
      attacks: tally(spoof.map((r) => r.attack)),
      sources: records.some((r) => r.source !== null) ? tally(records.map((r) => r.source ?? NO_SOURCE)) : {},
    },
    run: input.run,
    fusion: { ...input.fusion, calibration: input.scoreMap.source, knots: input.scoreMap.knots },
    thresholds: {
      scale: input.scoreMap.calibrated ? 'calibrated' : 'uncalibrated',
      ladder: SCORE_LADDER,
      recommended: RECOMMENDED_THRESHOLD,
      configured: input.threshold,
    },
    overall: figuresOf(records, 'rejected', options),
    bySource: sourceGroups(records, options),
    byQuality: qualityGroups(records, options),
    withoutSources:
      without.length > 0
        ? {
            sources: without,
            overall: figuresOf(kept, 'rejected', options),
            scene: figuresOf(kept.filter(isScene), 'ignored', options),
          }
        : null,
    noface: nofaceSummary(records),
    modelSelection: modelSelection(records, input.run.padModels, input.fusion, without, options),
    contextCutOffs: contextCutOffSweep(records, input.threshold, input.run.settings.quality.minContextFraction),
    multipleFaces: summariseMultipleFaces(records, input.fusion.models, input.scoreMap.knots, input.threshold),
    images: records,
  };
}
