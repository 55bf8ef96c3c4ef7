/**
 * Worker-thread side of the engine pool: one engine per thread, loaded once on first use.
 * Results and errors cross the thread boundary as plain data; errors keep their catalogue code.
 */
import { workerData } from 'node:worker_threads';
import sharp from 'sharp';
import type { Config } from '../config/schema.js';
import { toFaceliveError, type ErrorCode } from '../errors/catalogue.js';
import { createEngine, type AnalyseOptions, type Engine } from './pipeline.js';
import type { LivenessResult } from './types.js';

/** A job for a worker: warm up only, or analyse one image. */
export type WorkerTask =
  | { readonly kind: 'ready' }
  | { readonly kind: 'analyse'; readonly bytes: Uint8Array; readonly options: AnalyseOptions };

/** What a worker sends back. */
export type WorkerReply =
  | { readonly ok: true; readonly result?: LivenessResult }
  | { readonly ok: false; readonly error: { readonly code: ErrorCode; readonly params: Record<string, unknown>; readonly message: string } };

/** Data the pool hands every worker at start. */
export interface WorkerData {
  readonly config: Config;
}

// One libvips thread per worker: the pool already spreads images over the cores.
sharp.concurrency(1);
sharp.cache(false);

let engine: Promise<Engine> | undefined;

/** The worker's engine, created on first use; a failed load is forgotten so the next task retries. */
function workerEngine(config: Config): Promise<Engine> {
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
    const wrapped = toFaceliveError(error);
    return { ok: false, error: { code: wrapped.code, params: { ...wrapped.params }, message: wrapped.message } };
  }
}
