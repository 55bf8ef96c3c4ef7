/**
 * Where an evaluation's per-image results come from: a fresh engine pass over a labelled folder
 * (labels validated first, so a malformed labels.csv stops everything before any image is
 * analysed), or the saved results of an earlier `--json` (`--from`).
 */
import type { Config } from '../config/schema.js';
import { FaceliveError } from '../errors/catalogue.js';
import { runEnginePass, type EnginePassInfo, type PassProgress } from './engine-pass.js';
import type { DatasetInfo } from './eval-report.js';
import { missingModels, type WeightedModel } from './fusion.js';
import type { ImageRecord } from './image-record.js';
import { readLabels } from './labels-file.js';
import { readSavedResults } from './read-results.js';

/** Per-image results with where they came from. */
export interface EvaluationResults {
  readonly dataset: Pick<DatasetInfo, 'dir' | 'labelsSha256'>;
  readonly run: EnginePassInfo;
  readonly records: readonly ImageRecord[];
}

/** Folder or saved results; exactly one. */
export interface ResultsSource {
  readonly dir?: string;
  readonly from?: string;
}

/**
 * Runs the engine pass on `dir` or reads `from`; then checks that every model the caller will
 * fuse was part of the pass.
 */
export async function obtainResults(
  source: ResultsSource,
  config: Config,
  needed: readonly (readonly WeightedModel[])[],
  progress?: PassProgress,
): Promise<EvaluationResults> {
  if ((source.dir === undefined) === (source.from === undefined)) {
    throw new FaceliveError('INVALID_ARGUMENT', {
      field: 'input',
      expected: 'either a labelled folder or --from <results.json>',
      received: source.dir === undefined ? 'neither' : 'both',
    });
  }
  let results: EvaluationResults;
  if (source.from !== undefined) {
    results = await readSavedResults(source.from);
  } else {
    const labels = await readLabels(source.dir as string);
    const { records, run } = await runEnginePass(labels, config, progress);
    results = { dataset: { dir: source.dir as string, labelsSha256: labels.sha256 }, run, records };
  }
  for (const models of needed) {
    const missing = missingModels(models, results.run.padModels);
    if (missing.length > 0) {
      throw new FaceliveError('INVALID_ARGUMENT', {
        field: '--models',
        expected: `models of the engine pass (${results.run.padModels.join(', ')})`,
        received: missing.join(', '),
      });
    }
  }
  return results;
}
