import { availableParallelism } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Piscina } from 'piscina';
import type { Config } from '../config/schema.js';
import { FaceliveError } from '../errors/catalogue.js';
import type { AnalyseOptions } from './pipeline.js';
import type { LivenessResult } from './types.js';
import type { WorkerData, WorkerReply, WorkerTask } from './engine-worker.js';

/** Engines on worker threads, so inference never blocks the caller's event loop. */
export interface EnginePool {
  /** Analyses one image on the next free worker. */
  analyse(bytes: Uint8Array, options?: AnalyseOptions): Promise<LivenessResult>;
  /** Number of worker threads. */
  readonly size: number;
  /** Tasks waiting for a worker. */
  readonly queued: number;
  close(): Promise<void>;
}

/** Pool sizing. `maxQueue` bounds waiting tasks (Infinity for batch tools). */
export interface EnginePoolOptions {
  readonly workers?: number;
  readonly maxQueue?: number;
}

// Same extension as this module: `.ts` under tsx (tests, dev), `.js` from the build.
const WORKER_FILE = fileURLToPath(
  new URL(`./engine-worker${path.extname(fileURLToPath(import.meta.url))}`, import.meta.url),
);

function unwrap(reply: WorkerReply): LivenessResult | undefined {
  if (!reply.ok) throw new FaceliveError(reply.error.code, reply.error.params as Record<string, string | number>);
  return reply.result;
}

/** Number of workers for a config: `runtime.workers`, or one per core when 0. */
export function workerCount(config: Config): number {
  return config.runtime.workers > 0 ? config.runtime.workers : availableParallelism();
}

/**
 * Starts the worker threads and waits until every one has loaded, verified and warmed its
 * models; a model problem surfaces here as its catalogue error, before any image is analysed.
 *
 * @example
 * const pool = await createEnginePool(config);
 * const result = await pool.analyse(bytes);
 * await pool.close();
 */
export async function createEnginePool(config: Config, options: EnginePoolOptions = {}): Promise<EnginePool> {
  const size = options.workers ?? workerCount(config);
  const workerData: WorkerData = { config };
  const piscina = new Piscina<WorkerTask, WorkerReply>({
    filename: WORKER_FILE,
    minThreads: size,
    maxThreads: size,
    maxQueue: options.maxQueue ?? Infinity,
    concurrentTasksPerWorker: 1,
    idleTimeout: Infinity,
    workerData,
  });
  try {
    const replies = await Promise.all(Array.from({ length: size }, () => piscina.run({ kind: 'ready' })));
    replies.forEach(unwrap);
  } catch (error) {
    await piscina.destroy();
    throw error;
  }
  return {
    size,
    get queued() {
      return piscina.queueSize;
    },
    analyse: async (bytes, analyseOptions = {}) => {
      const result = unwrap(await piscina.run({ kind: 'analyse', bytes, options: analyseOptions }));
      if (!result) throw new FaceliveError('INTERNAL_ERROR');
      return result;
    },
    close: () => piscina.destroy(),
  };
}
