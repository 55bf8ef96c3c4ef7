/**
 * The groups an evaluation reports: every labelled image (`overall`), each source repository,
 * each quality condition, and optionally the set without some sources. Which images a group
 * holds and how it counts `retry` verdicts is decided here, in one place.
 */
import { computeFigures, type Figures, type FigureOptions, type Presentation, type RetryRule } from './iso-figures.js';
import type { ImageRecord } from './image-record.js';

/** Thresholds and attack types shared by every group. */
export type GroupOptions = Omit<FigureOptions, 'retry'>;

/** Group key of images without a `source_repo`. */
export const NO_SOURCE = '(none)';

/** A labelled live or spoof record as a presentation; noface rows are not presentations. */
export function presentationOf(record: ImageRecord): Presentation {
  return {
    bonaFide: record.label === 'live',
    species: record.attack,
    outcome: record.outcome,
    liveProbability: record.liveProbability,
    score: record.score,
  };
}

/** Live and spoof records (noface rows are counted separately). */
export function presentationRecords(records: readonly ImageRecord[]): ImageRecord[] {
  return records.filter((r) => r.label !== 'noface');
}

/** Figures of a subset of records. */
export function figuresOf(records: readonly ImageRecord[], retry: RetryRule, options: GroupOptions): Figures {
  return computeFigures(presentationRecords(records).map(presentationOf), { ...options, retry });
}

/** Records with a face that the quality gate judged to have enough context (contextFraction ≥ quality.minContextFraction). */
export function isScene(record: ImageRecord): boolean {
  return record.quality !== null && record.quality.insufficientContext === false;
}

/**
 * Quality groups. All of them judge images by their score alone (`retry: 'ignored'`): they show
 * how the models fare under each condition, while `overall` shows the product's decisions.
 * - `scene`: a face and enough context around it;
 * - `allScored`: every image with a score, with and without context (the calibration population);
 * - one group per boolean quality flag that is set on at least one image (`insufficientContext`,
 *   `dark`, `blurry`, `monochrome`, …), and `multipleFaces`.
 */
export function qualityGroups(records: readonly ImageRecord[], options: GroupOptions): Record<string, Figures> {
  const scored = records.filter((r) => r.quality !== null);
  const groups: Record<string, Figures> = {
    scene: figuresOf(scored.filter(isScene), 'ignored', options),
    allScored: figuresOf(scored, 'ignored', options),
  };
  const flags = [
    ...new Set(
      scored.flatMap((r) =>
        Object.entries(r.quality ?? {})
          .filter(([, v]) => v === true)
          .map(([k]) => k),
      ),
    ),
  ].sort();
  for (const flag of flags)
    groups[flag] = figuresOf(
      scored.filter((r) => r.quality?.[flag] === true),
      'ignored',
      options,
    );
  const multiple = scored.filter((r) => (r.faces?.length ?? 0) > 1);
  if (multiple.length > 0) groups.multipleFaces = figuresOf(multiple, 'ignored', options);
  return groups;
}

/** Figures per `source_repo` (decisions: retry counts as rejected). Empty when no record has a source. */
export function sourceGroups(records: readonly ImageRecord[], options: GroupOptions): Record<string, Figures> {
  if (records.every((r) => r.source === null)) return {};
  const sources = [...new Set(records.map((r) => r.source ?? NO_SOURCE))].sort();
  return Object.fromEntries(
    sources.map((s) => [
      s,
      figuresOf(
        records.filter((r) => (r.source ?? NO_SOURCE) === s),
        'rejected',
        options,
      ),
    ]),
  );
}

/** What the noface rows produced: a face found there is a false detection. */
export interface NofaceSummary {
  readonly total: number;
  readonly noFace: number;
  readonly faceFound: number;
  readonly error: number;
  /** Files where a face was found (scored or retry). */
  readonly faceFoundFiles: readonly string[];
}

/** Summary of the `noface` rows. */
export function nofaceSummary(records: readonly ImageRecord[]): NofaceSummary {
  const rows = records.filter((r) => r.label === 'noface');
  const found = rows.filter((r) => r.faces !== null || r.outcome === 'faceTooSmall');
  return {
    total: rows.length,
    noFace: rows.filter((r) => r.outcome === 'noFace').length,
    faceFound: found.length,
    error: rows.filter((r) => r.outcome === 'error').length,
    faceFoundFiles: found.map((r) => r.file),
  };
}
