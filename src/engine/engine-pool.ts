import { availableParallelism } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Piscina } from 'piscina';
import { engineConfigOf, type EngineConfig } from '../config/schema.js';
import { FaceliveError, toFaceliveError } from '../errors/catalogue.js';
import type { WorkerData, WorkerReply, WorkerTask } from './engine-worker.js';
import type { AnalyseOptions } from './pipeline.js';
import type { LivenessResult } from './types.js';
import { errorFromData } from './worker-error.js';

/** Engines on worker threads, so inference never blocks the caller's event loop. */
export interface EnginePool {
  /** Analyses one image on the next free worker. */
  analyse(bytes: Uint8Array, options?: AnalyseOptions): Promise<LivenessResult>;
  /** Number of worker threads. */
  readonly size: number;
  /** Tasks waiting for a worker. */
  readonly queued: number;
  /** Tasks accepted and not finished (running or waiting). */
  readonly inFlight: number;
  /** Share of the workers' time spent on tasks since the pool started, 0..1 (piscina's utilisation). */
  readonly utilization: number;
  /** Tasks that may wait for a worker; beyond that `analyse` rejects at once with SERVER_OVERLOADED. */
  readonly maxQueue: number;
  close(): Promise<void>;
}

/** Pool sizing. `maxQueue` bounds waiting tasks (Infinity for batch tools). */
export interface EnginePoolOptions {
  readonly workers?: number;
  readonly maxQueue?: number;
}

// Same extension as this module: `.ts` under tsx (tests, dev), `.js` from the build.
const WORKER_FILE = fileURLToPath(new URL(`./engine-worker${path.extname(fileURLToPath(import.meta.url))}`, import.meta.url));

/** Piscina's own refusals when its queue is full (a backstop; the pool counts tasks itself). */
const PISCINA_QUEUE_FULL = new Set(['Task queue is at limit', 'No task queue available and all Workers are busy']);

function unwrap(reply: WorkerReply): LivenessResult | undefined {
  if (!reply.ok) throw errorFromData(reply.error);
  return reply.result;
}

/**
 * The environment of a worker thread: the process's, without facelive's own variables (which
 * carry credentials and the store URL; the engine takes its settings from `workerData`).
 */
export function workerEnv(env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(env).filter(([name]) => !name.startsWith('FACELIVE_')));
}

/** Number of workers for a config: `runtime.workers`, or one per core when 0. */
export function workerCount(config: EngineConfig): number {
  return config.runtime.workers > 0 ? config.runtime.workers : availableParallelism();
}

/**
 * Starts the worker threads and waits until every one has loaded, verified and warmed its
 * models; a model problem surfaces here as its catalogue error, before any image is analysed.
 * The threads receive the engine's sections of `config` only ({@link engineConfigOf}) and an
 * environment without facelive's variables ({@link workerEnv}).
 *
 * @example
 * const pool = await createEnginePool(config);
 * const result = await pool.analyse(bytes);
 * await pool.close();
 */
export async function createEnginePool(config: EngineConfig, options: EnginePoolOptions = {}): Promise<EnginePool> {
  const size = options.workers ?? workerCount(config);
  const maxQueue = options.maxQueue ?? Infinity;
  const workerData: WorkerData = { config: engineConfigOf(config) };
  const piscina = new Piscina<WorkerTask, WorkerReply>({
    filename: WORKER_FILE,
    minThreads: size,
    maxThreads: size,
    maxQueue,
    concurrentTasksPerWorker: 1,
    idleTimeout: Infinity,
    workerData,
    env: workerEnv(),
  });
  try {
    const replies = await Promise.all(Array.from({ length: size }, () => piscina.run({ kind: 'ready' })));
    replies.forEach(unwrap);
  } catch (error) {
    await piscina.destroy();
    throw error;
  }
  // Accepted tasks are counted here rather than read from piscina, whose queue size lags task
  // completion: a server must refuse exactly the tasks beyond `size + maxQueue`, at once.
  const running = new Set<Promise<WorkerReply>>();
  return {
    size,
    maxQueue,
    get queued() {
      return piscina.queueSize;
    },
    get inFlight() {
      return running.size;
    },
    get utilization() {
      return piscina.utilization;
    },
    analyse: async (bytes, analyseOptions = {}) => {
      if (running.size >= size + maxQueue) throw new FaceliveError('SERVER_OVERLOADED', { maxQueue });
      let reply: WorkerReply;
      const task = piscina.run({ kind: 'analyse', bytes, options: analyseOptions });
      running.add(task);
      try {
        reply = await task;
      } catch (error) {
        if (error instanceof Error && PISCINA_QUEUE_FULL.has(error.message)) {
          throw new FaceliveError('SERVER_OVERLOADED', { maxQueue }, { cause: error });
        }
        // A worker that died mid-task (piscina rejects with its error): INTERNAL_ERROR with cause.
        throw toFaceliveError(error);
      } finally {
        running.delete(task);
      }
      const result = unwrap(reply);
      if (!result) throw new FaceliveError('INTERNAL_ERROR');
      return result;
    },
    // Waits for every accepted task first: terminating a worker inside an onnxruntime call aborts
    // the whole process (a server shutting down after clients gave up on their requests still has
    // such tasks), and piscina's own close() does not count tasks still in its queue.
    close: async () => {
      while (running.size > 0) await Promise.allSettled([...running]);
      await piscina.destroy();
    },
  };
}
