/**
 * The one path from a request's image to an engine result, shared by every dialect: input bytes
 * (base64 decode or URL fetch), then the engine pool, with the readiness check and the timings
 * that the request's log line reports. Dialects translate before and after; nothing here knows
 * about envelopes.
 */
import { performance } from 'node:perf_hooks';
import type { FastifyRequest } from 'fastify';
import type { Config } from '../config/schema.js';
import type { EnginePool } from '../engine/engine-pool.js';
import type { AnalyseOptions } from '../engine/pipeline.js';
import type { LivenessResult } from '../engine/types.js';
import { FaceliveError, toFaceliveError } from '../errors/catalogue.js';
import type { ImageFetcher } from '../net/fetch-image.js';
import { decodeBase64Image, type ImageInput } from './image-input.js';

/** The engine pool as the server sees it while the models load. */
export interface EngineGate {
  readonly state: 'loading' | 'ready' | 'failed';
  /** The pool, once ready. */
  readonly pool: EnginePool | undefined;
  /** Why loading failed, when it did. */
  readonly failure: FaceliveError | undefined;
}

/**
 * Watches a pool that is being created: requests before it resolves get SERVER_NOT_READY, and
 * `/readyz` reports ready only once every worker has loaded and warmed its models.
 */
export function createEngineGate(pool: EnginePool | Promise<EnginePool>): EngineGate {
  const gate: { state: EngineGate['state']; pool?: EnginePool; failure?: FaceliveError } = { state: 'loading' };
  if ('analyse' in pool) {
    gate.state = 'ready';
    gate.pool = pool;
  } else {
    pool.then(
      (ready) => {
        gate.state = 'ready';
        gate.pool = ready;
      },
      (error: unknown) => {
        gate.state = 'failed';
        gate.failure = toFaceliveError(error);
      },
    );
  }
  return {
    get state() {
      return gate.state;
    },
    get pool() {
      return gate.pool;
    },
    get failure() {
      return gate.failure;
    },
  };
}

/** Runs one request's image through the engine. */
export interface LivenessService {
  analyse(request: FastifyRequest, input: ImageInput, options?: AnalyseOptions): Promise<LivenessResult>;
}

function ms(start: number): number {
  return Math.round((performance.now() - start) * 100) / 100;
}

/**
 * @param fetcher undefined when URL fetching is disabled in config.
 *
 * @example
 * const result = await liveness.analyse(request, { kind: 'base64', field: 'image', value: body.image });
 */
export function createLivenessService(config: Config, gate: EngineGate, fetcher: ImageFetcher | undefined): LivenessService {
  async function bytesOf(input: ImageInput): Promise<Uint8Array> {
    switch (input.kind) {
      case 'bytes':
        return input.bytes;
      case 'base64':
        return decodeBase64Image(input.value, input.field, config.limits.maxEncodedBytes);
      case 'url':
        if (!fetcher) {
          throw new FaceliveError('INVALID_ARGUMENT', {
            field: input.field,
            expected: 'an inline image (URL fetching is disabled on this server)',
            received: 'a URL',
          });
        }
        return fetcher.fetch(input.url, input.field);
    }
  }

  return {
    async analyse(request, input, options = {}) {
      const outcome = request.outcome;
      const stageMs: Record<string, number> = {};
      outcome.stageMs = stageMs;
      outcome.imageSource = input.kind === 'bytes' ? 'multipart' : input.kind;
      const pool = gate.pool;
      if (!pool) throw gate.failure ?? new FaceliveError('SERVER_NOT_READY');

      let mark = performance.now();
      const bytes = await bytesOf(input);
      stageMs[input.kind === 'url' ? 'fetchMs' : 'inputMs'] = ms(mark);
      outcome.imageBytes = bytes.length;

      mark = performance.now();
      const result = await pool.analyse(bytes, options);
      stageMs.engineMs = ms(mark);
      const { totalMs, ...stages } = result.timings;
      Object.assign(stageMs, stages, { engineTotalMs: totalMs });
      outcome.verdict = result.decision;
      outcome.score = result.score;
      outcome.modelIds = [result.modelIds.detector, ...result.modelIds.classifiers];
      return result;
    },
  };
}
