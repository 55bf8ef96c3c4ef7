/**
 * The client of facelive's native API: `check` (POST /v1/liveness), `models` (GET /v1/models) and
 * `health` (GET /healthz and /readyz). fetch, FormData and Blob only, so the same code runs in
 * Node.js 20+ and in browsers.
 */
import { livenessBody } from './image-body.js';
import { send, type CallOptions, type RetryEvent, type TransportSettings } from './transport.js';
import type { ImageInput, LivenessResult, LivenessSettings, ModelSet, ProcessHealth, Readiness } from './types.js';

/** Settings of a {@link FaceliveClient}. */
export interface FaceliveClientOptions {
  /** Where facelive listens, e.g. `https://facelive.internal:8080`; may include a path prefix. */
  readonly baseUrl: string;
  /** A native API key (`server.native.apiKeys` / `FACELIVE_API_KEY`); omit only for a server with auth disabled. */
  readonly apiKey?: string;
  /** Time a call may take in all, attempts and waits between them included, ms. Default 30000. */
  readonly timeoutMs?: number;
  /** Retries after a refusal that invites one (overload, not ready, rate limited) or, for GETs, a network failure. Default 2. */
  readonly retries?: number;
  /** Wait before the first retry, ms, doubled for each next one (half of it random), besides any `Retry-After`. Default 250. */
  readonly retryDelayMs?: number;
  /** Cap of that backoff, ms. Default 4000. */
  readonly maxRetryDelayMs?: number;
  /** The fetch to use; default `globalThis.fetch`. */
  readonly fetch?: typeof fetch;
  /** Called before each retry (e.g. to log it). */
  readonly onRetry?: (event: RetryEvent) => void;
}

/** Options of {@link FaceliveClient.check}. */
export type CheckOptions = LivenessSettings & CallOptions;

/** Answer of {@link FaceliveClient.health}. */
export interface HealthReport {
  /** `/readyz` says the models are loaded and warmed on every worker: checks are served. */
  readonly ready: boolean;
  /** Body of `/healthz` (the process answers). */
  readonly process: ProcessHealth;
  /** Body of `/readyz` (200 when ready, 503 while loading or after a failed load). */
  readonly readiness: Readiness;
}

function normaliseBaseUrl(baseUrl: string): string {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    throw new TypeError(`baseUrl: expected an absolute http(s) URL, received ${JSON.stringify(baseUrl)}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new TypeError(`baseUrl: expected an http(s) URL, received a ${url.protocol} URL`);
  url.search = '';
  url.hash = '';
  return url.href.endsWith('/') ? url.href : `${url.href}/`;
}

function positive(value: number | undefined, name: string, fallback: number, minimum = 0): number {
  if (value === undefined) return fallback;
  if (!Number.isFinite(value) || value < minimum) throw new RangeError(`${name}: expected a number ≥ ${minimum}, received ${String(value)}`);
  return value;
}

/**
 * A client of one facelive server.
 *
 * @example
 * const client = new FaceliveClient({ baseUrl: 'http://127.0.0.1:8080', apiKey: process.env.FACELIVE_API_KEY });
 * const result = await client.check(await readFile('selfie.jpg'));
 * console.log(result.decision, result.score);
 */
export class FaceliveClient {
  readonly #settings: TransportSettings;

  constructor(options: FaceliveClientOptions) {
    this.#settings = {
      baseUrl: normaliseBaseUrl(options.baseUrl),
      apiKey: options.apiKey,
      fetch: options.fetch ?? globalThis.fetch.bind(globalThis),
      timeoutMs: positive(options.timeoutMs, 'timeoutMs', 30_000, 1),
      retries: Math.floor(positive(options.retries, 'retries', 2)),
      backoff: { initialDelayMs: positive(options.retryDelayMs, 'retryDelayMs', 250), maxDelayMs: positive(options.maxRetryDelayMs, 'maxRetryDelayMs', 4_000) },
      onRetry: options.onRetry,
    };
  }

  /**
   * Judges one face image: `decision` (`live`, `spoof` or `retry`), the calibrated `score`
   * 0..100, per-model probabilities, faces, quality signals and timings. A refusal (no face,
   * undecodable image, bad key, …) rejects with FaceliveApiError carrying its code.
   *
   * @param image The image bytes, or an http(s) URL that facelive fetches itself (subject to its URL rules).
   * @example
   * const byUrl = await client.check('https://images.example.com/selfie.jpg', { threshold: 60 });
   */
  async check(image: ImageInput, options: CheckOptions = {}): Promise<LivenessResult> {
    const body = livenessBody(image, { threshold: options.threshold, returnFaces: options.returnFaces });
    return send<LivenessResult>(this.#settings, { method: 'POST', path: 'v1/liveness', body, idempotent: false, authenticated: true }, options);
  }

  /**
   * The loaded model set (ids, versions, licences, sha256, weights) and the default threshold.
   *
   * @example
   * const { detector, classifiers } = await client.models();
   */
  models(options: CallOptions = {}): Promise<ModelSet> {
    return send<ModelSet>(this.#settings, { method: 'GET', path: 'v1/models', idempotent: true, authenticated: true }, options);
  }

  /**
   * Liveness and readiness probes (no API key needed). Resolves while the server is loading its
   * models too (`ready: false`); rejects only when it does not answer.
   *
   * @example
   * if (!(await client.health()).ready) console.log('facelive is still loading its models');
   */
  async health(options: CallOptions = {}): Promise<HealthReport> {
    const probe = { method: 'GET', idempotent: true, authenticated: false } as const;
    const processHealth = await send<ProcessHealth>(this.#settings, { ...probe, path: 'healthz' }, options);
    const readiness = await send<Readiness>(this.#settings, { ...probe, path: 'readyz', answerStatuses: [503] }, options);
    return { ready: readiness.status === 'ready', process: processHealth, readiness };
  }
}
