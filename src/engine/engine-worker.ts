/**
 * Worker-thread side of the engine pool: one engine per thread, loaded once on first use.
 * Results and errors cross the thread boundary as plain data; errors keep their catalogue code
 * and the chain of causes (worker-error.ts). The thread receives only the engine's sections of
 * the configuration.
 */
import { workerData } from 'node:worker_threads';
import sharp from 'sharp';
import type { EngineConfig } from '../config/schema.js';
import { toFaceliveError } from '../errors/catalogue.js';
import { createEngine, type AnalyseOptions, type Engine } from './pipeline.js';
import type { LivenessResult } from './types.js';
import { errorToData, type ErrorData } from './worker-error.js';

/** A job for a worker: warm up only, or analyse one image. */
export type WorkerTask = { readonly kind: 'ready' } | { readonly kind: 'analyse'; readonly bytes: Uint8Array; readonly options: AnalyseOptions };

/** What a worker sends back. */
export type WorkerReply = { readonly ok: true; readonly result?: LivenessResult } | { readonly ok: false; readonly error: ErrorData };

/** Data the pool hands every worker at start. */
export interface WorkerData {
  readonly config: EngineConfig;
}

// One libvips thread per worker: the pool already spreads images over the cores.
sharp.concurrency(1);
sharp.cache(false);

let engine: Promise<Engine> | undefined;

/** The worker's engine, created on first use; a failed load is forgotten so the next task retries. */
function workerEngine(config: EngineConfig): Promise<Engine> {
  engine ??= createEngine(config, { intraOpNumThreads: 1 }).catch((error: unknown) => {
    engine = undefined;
    throw error;
  });
  return engine;
}

/** Piscina task handler. */
export default async function handle(task: WorkerTask): Promise<WorkerReply> {
  try {
    const ready = await workerEngine((workerData as WorkerData).config);
    if (task.kind === 'ready') return { ok: true };
    return { ok: true, result: await ready.analyse(task.bytes, task.options) };
  } catch (error) {
    return { ok: false, error: errorToData(toFaceliveError(error)) };
  }
}
