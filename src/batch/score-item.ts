/**
 * Scores one batch image: reads it (a path on the worker's filesystem, or a URL through the SSRF
 * guard), runs the engine pool, and records the `facelive check --json` record as its result.
 * A bad image's catalogue error is its result; a transient failure is thrown for the queue to
 * retry, except on the last try, when it too becomes the result, so no image is left without one.
 */
import { readFile } from 'node:fs/promises';
import { errorRecord, resultRecord, type CheckRecord } from '../cli/check-output.js';
import type { EnginePool } from '../engine/engine-pool.js';
import { FaceliveError, toFaceliveError } from '../errors/catalogue.js';
import type { ImageFetcher } from '../net/fetch-image.js';
import type { BatchResultStore } from '../store/batch-results.js';
import { bytesSha256, type BatchJobData } from './batch-job.js';
import { isTransient } from './transient-errors.js';

/** What scoring needs; the worker opens these once per process. */
export interface ScoreItemDeps {
  readonly pool: EnginePool;
  readonly fetcher: ImageFetcher;
  readonly store: BatchResultStore;
  /** `host:pid`, recorded with each result. */
  readonly workerName: string;
}

/** Which try of how many this is (1-based). */
export interface Attempt {
  readonly number: number;
  readonly of: number;
}

/** What became of an item. */
export type ScoreOutcome = 'saved' | 'already-done';

async function readInput(data: BatchJobData, fetcher: ImageFetcher): Promise<Uint8Array> {
  if (data.kind === 'url') return fetcher.fetch(data.input, 'url');
  try {
    return await readFile(data.input);
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException)?.code ?? 'unreadable';
    throw new FaceliveError('INVALID_ARGUMENT', { field: 'file', expected: 'a readable image file', received: reason }, { cause: error });
  }
}

/** The record and content hash of the item, or the error that stopped it. */
async function analyseInput(data: BatchJobData, deps: ScoreItemDeps): Promise<{ record: CheckRecord; contentSha256: string | null; error?: FaceliveError }> {
  let contentSha256: string | null = null;
  try {
    const bytes = await readInput(data, deps.fetcher);
    contentSha256 = bytesSha256(bytes);
    return { record: resultRecord(data.input, await deps.pool.analyse(bytes)), contentSha256 };
  } catch (caught) {
    const error = toFaceliveError(caught);
    return { record: errorRecord(data.input, error.toJSON()), contentSha256, error };
  }
}

/**
 * Scores `data` unless it already has a result, and writes the result.
 *
 * @example
 * await scoreItem(job.data, { number: job.attemptsMade + 1, of: job.opts.attempts ?? 1 }, deps);
 */
export async function scoreItem(data: BatchJobData, attempt: Attempt, deps: ScoreItemDeps): Promise<ScoreOutcome> {
  if (await deps.store.hasResult(data.batchId, data.itemId)) return 'already-done';
  const { record, contentSha256, error } = await analyseInput(data, deps);
  if (error && isTransient(error) && attempt.number < attempt.of) throw error;
  await saveRecord(data, record, contentSha256, attempt.number, deps);
  return 'saved';
}

/** Writes an item's record (first write wins: a redelivered job's row is already there). */
export async function saveRecord(
  data: BatchJobData,
  record: CheckRecord,
  contentSha256: string | null,
  attempts: number,
  deps: Pick<ScoreItemDeps, 'store' | 'workerName'>,
): Promise<void> {
  await deps.store.saveResult({
    batchId: data.batchId,
    itemId: data.itemId,
    input: data.input,
    contentSha256,
    decision: record.decision,
    score: record.score,
    liveProbability: record.liveProbability,
    errorCode: record.error?.code ?? null,
    errorMessage: record.error?.message ?? null,
    record,
    attempts,
    worker: deps.workerName,
    finishedAt: new Date(),
  });
}
