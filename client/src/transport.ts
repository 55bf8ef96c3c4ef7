/**
 * One call to facelive: attempts with fetch under the call's deadline, each answer read as a
 * result or as the native error envelope, and retries as {@link isRetryable} allows, waiting
 * {@link retryDelayMs} between them. Nothing here knows about routes or bodies.
 */
import { startDeadline, sleep } from './deadline.js';
import { FaceliveApiError, FaceliveNetworkError, FaceliveResponseError, type FaceliveClientError } from './errors.js';
import type { RequestBody } from './image-body.js';
import { isRetryable, parseRetryAfterMs, retryDelayMs, type BackoffSettings } from './retry-policy.js';
import type { ErrorBody } from './types.js';

/** Reported before each retry, e.g. to log it. */
export interface RetryEvent {
  /** 1 for the first retry. */
  readonly retry: number;
  /** How long the client waits before it. */
  readonly delayMs: number;
  /** Why the previous attempt failed. */
  readonly error: FaceliveClientError;
  readonly method: string;
  readonly url: string;
}

/** Per-call options every method accepts. */
export interface CallOptions {
  /** Aborts the call (attempts and waits); it then rejects with FaceliveAbortError. */
  readonly signal?: AbortSignal;
  /** Overrides the client's `timeoutMs` for this call. */
  readonly timeoutMs?: number;
  /** Overrides the client's `retries` for this call. */
  readonly retries?: number;
}

/** The client's resolved settings. */
export interface TransportSettings {
  /** Absolute, ending with `/`. */
  readonly baseUrl: string;
  readonly apiKey: string | undefined;
  readonly fetch: typeof fetch;
  readonly timeoutMs: number;
  readonly retries: number;
  readonly backoff: BackoffSettings;
  readonly onRetry: ((event: RetryEvent) => void) | undefined;
}

/** What to send. */
export interface Call {
  readonly method: 'GET' | 'POST';
  /** Relative to the base URL, without a leading slash. */
  readonly path: string;
  readonly body?: RequestBody;
  /** Safe to send again after a network failure. */
  readonly idempotent: boolean;
  /** Sends the API key. */
  readonly authenticated: boolean;
  /** Error statuses whose body is still the answer (e.g. 503 of /readyz while loading). */
  readonly answerStatuses?: readonly number[];
}

function isErrorBody(value: unknown): value is ErrorBody {
  const error = (value as Partial<ErrorBody> | null)?.error;
  return typeof error?.code === 'string' && typeof error.message === 'string';
}

function causeText(cause: unknown): string {
  const inner = (cause as { cause?: { code?: unknown; message?: unknown } } | null)?.cause;
  const detail = inner?.code ?? inner?.message;
  return `${cause instanceof Error ? cause.message : String(cause)}${detail ? ` (${String(detail)})` : ''}`;
}

async function readAnswer(response: Response, call: Call, url: string): Promise<unknown> {
  const text = await response.text();
  let json: unknown;
  try {
    json = text === '' ? undefined : JSON.parse(text);
  } catch {
    json = undefined;
  }
  const { status } = response;
  if (response.ok || call.answerStatuses?.includes(status)) {
    if (json === undefined) throw new FaceliveResponseError(`${call.method} ${url} answered HTTP ${status} without a JSON body.`, status);
    return json;
  }
  if (isErrorBody(json)) {
    const retryAfterMs = parseRetryAfterMs(response.headers.get('retry-after'));
    throw new FaceliveApiError({ code: json.error.code, message: json.error.message, status, requestId: String(json.requestId ?? ''), retryAfterMs });
  }
  const type = response.headers.get('content-type') ?? 'no content type';
  throw new FaceliveResponseError(`${call.method} ${url} answered HTTP ${status} (${type}), which is not a facelive error body.`, status);
}

async function attempt(settings: TransportSettings, call: Call, url: string, signal: AbortSignal): Promise<unknown> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (call.body?.contentType) headers['content-type'] = call.body.contentType;
  if (call.authenticated && settings.apiKey !== undefined) headers.authorization = `Bearer ${settings.apiKey}`;
  try {
    const response = await settings.fetch(url, { method: call.method, headers, body: call.body?.body, signal });
    return await readAnswer(response, call, url);
  } catch (error) {
    // An abort is the deadline's to explain; our own errors pass; anything else is the network.
    if (signal.aborted || error instanceof FaceliveApiError || error instanceof FaceliveResponseError) throw error;
    throw new FaceliveNetworkError(`${call.method} ${url} failed: ${causeText(error)}`, { cause: error });
  }
}

/**
 * Sends `call` and resolves to the parsed JSON answer, retrying refusals that invite it. Gives up
 * with the last attempt's error once the retries are spent or the next wait would pass the deadline.
 */
export async function send<T>(settings: TransportSettings, call: Call, options: CallOptions = {}): Promise<T> {
  const url = settings.baseUrl + call.path;
  const retries = options.retries ?? settings.retries;
  const deadline = startDeadline(options.timeoutMs ?? settings.timeoutMs, options.signal);
  try {
    for (let retry = 0; ; retry += 1) {
      let error: unknown;
      try {
        return (await attempt(settings, call, url, deadline.signal)) as T;
      } catch (caught) {
        error = deadline.explain(caught);
      }
      if (retry >= retries || !isRetryable(error, call.idempotent)) throw error;
      const delayMs = retryDelayMs(retry, (error as Partial<FaceliveApiError>).retryAfterMs, settings.backoff);
      if (delayMs >= deadline.remainingMs()) throw error;
      settings.onRetry?.({ retry: retry + 1, delayMs, error: error as FaceliveClientError, method: call.method, url });
      try {
        await sleep(delayMs, deadline.signal);
      } catch (caught) {
        throw deadline.explain(caught);
      }
    }
  } finally {
    deadline.dispose();
  }
}
