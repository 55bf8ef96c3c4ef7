/**
 * The model-selection table: every candidate fusion whose models the engine pass ran, with its
 * threshold-free figures on scene images (with and without the sources named by
 * `--without-source`) and on every scored image. The default set is chosen from this table by
 * BPCER at APCER = 1% on scene images (docs/evaluation.md has the table and the reasoning).
 */
import { sameModelSet } from '../engine/calibrate/calibration-file.js';
import { figuresOf, isScene, type GroupOptions } from './breakdowns.js';
import { CANDIDATE_FUSIONS, fusedProbability, missingModels, type WeightedModel } from './fusion.js';
import type { FixedRatePoint } from './iso-figures.js';
import type { ImageRecord } from './image-record.js';
import type { EqualErrorRate } from './score-curve.js';

/** Threshold-free figures of one candidate on one population. */
export interface SelectionFigures {
  readonly bonaFide: number;
  readonly attacks: number;
  readonly auc: number | null;
  readonly eer: EqualErrorRate | null;
  readonly bpcerAtApcer: readonly FixedRatePoint[];
  readonly apcerAtBpcer: readonly FixedRatePoint[];
}

/** One row of the table. */
export interface SelectionRow {
  readonly name: string;
  readonly models: readonly WeightedModel[];
  readonly caveats: readonly string[];
  /** True for the evaluated (normally the configured) set. */
  readonly evaluated: boolean;
  readonly scene: SelectionFigures;
  readonly sceneWithout: SelectionFigures | null;
  readonly allScored: SelectionFigures;
}

/** The table and how to read it. */
export interface ModelSelection {
  readonly criterion: string;
  readonly withoutSources: readonly string[];
  readonly rows: readonly SelectionRow[];
}

function withFusion(records: readonly ImageRecord[], models: readonly WeightedModel[]): ImageRecord[] {
  return records.map((r) => {
    const p = fusedProbability(r, models);
    // Only threshold-free figures are read, so the score scale does not matter here.
    return { ...r, liveProbability: p, score: p === null ? null : 100 * p };
  });
}

function selectionFigures(records: readonly ImageRecord[], options: GroupOptions): SelectionFigures {
  const f = figuresOf(records, 'ignored', options);
  return {
    bonaFide: f.counts.bonaFide.total,
    attacks: f.counts.attacks.total,
    auc: f.auc,
    eer: f.eer,
    bpcerAtApcer: f.bpcerAtApcer,
    apcerAtBpcer: f.apcerAtBpcer,
  };
}

/**
 * The table over the candidates the pass can fuse. Scene and all-scored populations judge by the
 * score alone (retry ignored), as the quality groups do.
 */
export function modelSelection(
  records: readonly ImageRecord[],
  passModels: readonly string[],
  evaluated: { readonly detector: string; readonly models: readonly WeightedModel[] },
  withoutSources: readonly string[],
  options: GroupOptions,
): ModelSelection {
  const rows = CANDIDATE_FUSIONS.filter((c) => missingModels(c.models, passModels).length === 0).map((candidate): SelectionRow => {
    const fused = withFusion(
      records.filter((r) => r.quality !== null),
      candidate.models,
    );
    const scene = fused.filter(isScene);
    return {
      name: candidate.name,
      models: candidate.models,
      caveats: candidate.caveats,
      evaluated: sameModelSet({ detector: evaluated.detector, pad: candidate.models }, { detector: evaluated.detector, pad: evaluated.models }),
      scene: selectionFigures(scene, options),
      sceneWithout:
        withoutSources.length > 0
          ? selectionFigures(
              scene.filter((r) => !withoutSources.includes(r.source ?? '')),
              options,
            )
          : null,
      allScored: selectionFigures(fused, options),
    };
  });
  return {
    criterion: 'BPCER at APCER = 1% on scene images (a face with context fraction >= quality.minContextFraction), retry ignored',
    withoutSources,
    rows,
  };
}
