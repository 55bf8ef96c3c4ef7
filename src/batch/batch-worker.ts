/**
 * A batch worker process: one BullMQ worker feeding the engine pool (one engine per core), so
 * any number of processes on any number of machines share the queue. A process killed mid-job
 * stops renewing its locks; after `batch.lockDurationMs` another worker takes those jobs back
 * (BullMQ's stalled-job check), and the unique result row makes the second run write nothing new.
 */
import { hostname } from 'node:os';
import { Worker, type Job } from 'bullmq';
import type { Logger } from 'pino';
import type { Config } from '../config/schema.js';
import { createEnginePool, type EnginePool } from '../engine/engine-pool.js';
import { FaceliveError, toFaceliveError } from '../errors/catalogue.js';
import { createImageFetcher, type ImageFetcher } from '../net/fetch-image.js';
import { BatchResultStore } from '../store/batch-results.js';
import { errorRecord } from '../cli/check-output.js';
import type { BatchJobData } from './batch-job.js';
import { QUEUE_NAME, queueConnection, withQueueDeadline } from './batch-queue.js';
import { saveRecord, scoreItem, type ScoreItemDeps } from './score-item.js';

/** A started worker. */
export interface RunningBatchWorker {
  /** Engine threads of this process. */
  readonly threads: number;
  /** Jobs this process holds at once. */
  readonly concurrency: number;
  /** Stops taking jobs, finishes those in hand, then releases the pool, store and connections. */
  close(): Promise<void>;
}

/** Opens the result store named by `store.postgresUrl`; the batch commands need PostgreSQL. */
export async function openBatchStore(config: Pick<Config, 'store'>, maxConnections?: number): Promise<BatchResultStore> {
  if (!config.store.postgresUrl) {
    throw new FaceliveError('CONFIG_INVALID', { reason: 'batch results are kept in PostgreSQL: set store.postgresUrl (env FACELIVE_STORE_POSTGRES_URL)' });
  }
  return BatchResultStore.open({ connectionString: config.store.postgresUrl, schema: config.store.postgresSchema, maxConnections });
}

/** Releases whatever was opened, in reverse order, ignoring what fails to close. */
async function closeAll(closers: (() => Promise<unknown>)[]): Promise<void> {
  for (const close of closers.reverse()) await close().catch(() => undefined);
}

/**
 * Starts a worker: loads the engine pool (a model problem fails here with its catalogue error),
 * opens the store and the queue, and processes jobs until {@link RunningBatchWorker.close}.
 *
 * @example
 * const worker = await startBatchWorker(config, logger);
 * process.once('SIGTERM', () => void worker.close());
 */
export async function startBatchWorker(config: Config, logger: Logger): Promise<RunningBatchWorker> {
  const connection = queueConnection(config);
  const closers: (() => Promise<unknown>)[] = [];
  try {
    const pool: EnginePool = await createEnginePool(config);
    closers.push(() => pool.close());
    const concurrency = pool.size * config.batch.jobsPerThread;
    const store = await openBatchStore(config, Math.min(concurrency, 8) + 1);
    closers.push(() => store.close());
    const fetcher: ImageFetcher = createImageFetcher(config.server.urlFetch);
    closers.push(() => fetcher.close());
    const deps: ScoreItemDeps = { pool, fetcher, store, workerName: `${hostname()}:${process.pid}` };

    const worker = new Worker<BatchJobData>(
      QUEUE_NAME,
      async (job: Job<BatchJobData>) => {
        const started = performance.now();
        const outcome = await scoreItem(job.data, { number: job.attemptsMade + 1, of: job.opts.attempts ?? 1 }, deps);
        // Ids only: an input path or URL may name a person.
        logger.debug({ batchId: job.data.batchId, itemId: job.data.itemId, outcome, ms: Math.round(performance.now() - started) }, 'batch item');
        return outcome;
      },
      {
        connection,
        prefix: config.batch.queuePrefix,
        concurrency,
        lockDuration: config.batch.lockDurationMs,
        stalledInterval: config.batch.lockDurationMs,
        maxStalledCount: config.batch.maxStalledCount,
        name: deps.workerName,
        autorun: false,
      },
    );
    closers.push(() => worker.close());
    worker.on('error', (error) => logger.warn({ err: { message: error.message } }, 'batch queue error'));
    worker.on('failed', (job, error) => {
      // A job that failed for good (its tries used up: BullMQ sets finishedOn only then) still
      // gets a result, its error. Retried failures pass here too and are left to the retry.
      if (!job?.finishedOn) return;
      const failure = error instanceof FaceliveError ? error : toFaceliveError(error);
      logger.warn({ batchId: job.data.batchId, itemId: job.data.itemId, code: failure.code }, 'batch item failed for good');
      void saveRecord(job.data, errorRecord(job.data.input, failure.toJSON()), null, job.attemptsMade, deps).catch((saveError: unknown) =>
        logger.error({ batchId: job.data.batchId, itemId: job.data.itemId, code: toFaceliveError(saveError).code }, 'batch item result not saved'),
      );
    });
    await withQueueDeadline(worker.waitUntilReady(), 'connecting the worker');
    void worker.run();
    logger.info({ threads: pool.size, concurrency, queuePrefix: config.batch.queuePrefix, worker: deps.workerName }, 'batch worker ready');
    return { threads: pool.size, concurrency, close: () => closeAll(closers) };
  } catch (error) {
    await closeAll(closers);
    throw error;
  }
}
