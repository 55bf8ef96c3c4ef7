/**
 * When a failed attempt is tried again, and after how long. facelive refuses work it has not
 * started when it is overloaded, still loading its models or rate-limiting the key, and says so
 * with a code and `Retry-After`: those refusals are retried for every call. A network failure is
 * retried only for idempotent calls, since a POST may have reached the server before the
 * connection broke.
 */
import { FaceliveApiError, FaceliveNetworkError, FaceliveResponseError } from './errors.js';
import type { ErrorCode } from './generated/error-codes.js';

/** Codes of refusals that come before any work, so that the same request may simply be sent again. */
export const RETRYABLE_CODES: ReadonlySet<string> = new Set([
  'SERVER_OVERLOADED',
  'SERVER_NOT_READY',
  'RATE_LIMITED',
  'LIMITS_STORE_UNAVAILABLE',
] satisfies ErrorCode[]);

/** Gateway statuses (a proxy in front of facelive) retried for idempotent calls. */
const GATEWAY_STATUSES = new Set([502, 503, 504]);

/** Backoff settings; the n-th retry (0-based) waits about `initialDelayMs × 2^n`, at most `maxDelayMs`. */
export interface BackoffSettings {
  readonly initialDelayMs: number;
  readonly maxDelayMs: number;
}

/** Whether `error` from an attempt of a call (idempotent or not) is worth another attempt. */
export function isRetryable(error: unknown, idempotent: boolean): boolean {
  if (error instanceof FaceliveApiError) return RETRYABLE_CODES.has(error.code);
  if (error instanceof FaceliveNetworkError) return idempotent;
  if (error instanceof FaceliveResponseError) return idempotent && GATEWAY_STATUSES.has(error.status);
  return false;
}

/**
 * The wait before retry number `retryIndex` (0-based): the server's `Retry-After` when it sent
 * one, plus an exponential backoff with "equal jitter" (half fixed, half random), so that clients
 * refused together do not all come back at the same instant.
 *
 * @example
 * retryDelayMs(0, undefined, { initialDelayMs: 250, maxDelayMs: 4000 }); // 125..250
 */
export function retryDelayMs(retryIndex: number, retryAfterMs: number | undefined, backoff: BackoffSettings, random: () => number = Math.random): number {
  const ceiling = Math.min(backoff.maxDelayMs, backoff.initialDelayMs * 2 ** retryIndex);
  const jittered = ceiling / 2 + random() * (ceiling / 2);
  return Math.round((retryAfterMs ?? 0) + jittered);
}

/**
 * A `Retry-After` header in ms: delay-seconds or an HTTP date; undefined when absent or unreadable.
 *
 * @example
 * parseRetryAfterMs('2'); // 2000
 */
export function parseRetryAfterMs(header: string | null, now: number = Date.now()): number | undefined {
  if (header === null || header.trim() === '') return undefined;
  if (/^\s*\d+\s*$/.test(header)) return Number(header) * 1000;
  // An HTTP date names its day and month ("Wed, 21 Oct 2015 07:28:00 GMT"); Date.parse alone would take "-1" for a year.
  const date = /[a-z]{3}/i.test(header) ? Date.parse(header) : Number.NaN;
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
