/**
 * Reads the per-image results of an earlier `facelive eval --json` for `--from`, checking the
 * layout version and every record, so a report is never recomputed from a file it misreads.
 */
import { readFile } from 'node:fs/promises';
import { Type } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { FaceliveError } from '../errors/catalogue.js';
import type { EnginePassInfo } from './engine-pass.js';
import { EVAL_SCHEMA_VERSION, type DatasetInfo } from './eval-report.js';
import { ImageRecordSchema, type ImageRecord } from './image-record.js';

/** The parts of a saved report that recomputing needs. */
const SavedResultsSchema = Type.Object({
  schemaVersion: Type.Literal(EVAL_SCHEMA_VERSION),
  dataset: Type.Object({ dir: Type.String(), labelsSha256: Type.String() }),
  run: Type.Object({
    startedAt: Type.String(),
    detector: Type.String(),
    padModels: Type.Array(Type.String(), { minItems: 1 }),
    configHash: Type.String(),
  }),
  images: Type.Array(ImageRecordSchema, { minItems: 1 }),
});

/** Saved engine-pass results. */
export interface SavedResults {
  readonly dataset: Pick<DatasetInfo, 'dir' | 'labelsSha256'>;
  readonly run: EnginePassInfo;
  readonly records: readonly ImageRecord[];
}

/**
 * Loads `--from <file>`. An unreadable file, another layout version or a malformed record is
 * EVAL_RESULTS_INVALID naming what is wrong (for records: the index and field).
 */
export async function readSavedResults(file: string): Promise<SavedResults> {
  // biome-ignore lint/suspicious/noExplicitAny: untyped JSON, checked field by field below
  let parsed: any;
  try {
    parsed = JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    const why = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw new FaceliveError('EVAL_RESULTS_INVALID', { file, reason: `it cannot be read as JSON (${why})` }, { cause: error });
  }
  if (parsed?.schemaVersion !== EVAL_SCHEMA_VERSION) {
    throw new FaceliveError('EVAL_RESULTS_INVALID', {
      file,
      reason: `schemaVersion is ${JSON.stringify(parsed?.schemaVersion)}, this facelive reads ${EVAL_SCHEMA_VERSION}`,
    });
  }
  const problem = Value.Errors(SavedResultsSchema, parsed).First();
  if (problem) {
    const received = JSON.stringify(problem.value)?.slice(0, 80);
    throw new FaceliveError('EVAL_RESULTS_INVALID', { file, reason: `${problem.path || '/'} ${problem.message}, received ${received}` });
  }
  return { dataset: { dir: parsed.dataset.dir, labelsSha256: parsed.dataset.labelsSha256 }, run: parsed.run as EnginePassInfo, records: parsed.images };
}
