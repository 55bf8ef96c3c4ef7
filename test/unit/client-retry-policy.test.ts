/**
 * The client's retry rules (client/src/retry-policy.ts): which failures are retried for which
 * calls, how Retry-After is read, and the bounds of the jittered backoff.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FaceliveApiError, FaceliveNetworkError, FaceliveResponseError, FaceliveTimeoutError } from '../../client/src/errors.js';
import { isRetryable, parseRetryAfterMs, retryDelayMs } from '../../client/src/retry-policy.js';

const apiError = (code: string, status: number) => new FaceliveApiError({ code, message: code, status, requestId: 'r' });

test('refusals before any work are retried for every call; other refusals never', () => {
  for (const idempotent of [true, false]) {
    assert.equal(isRetryable(apiError('SERVER_OVERLOADED', 503), idempotent), true);
    assert.equal(isRetryable(apiError('SERVER_NOT_READY', 503), idempotent), true);
    assert.equal(isRetryable(apiError('RATE_LIMITED', 429), idempotent), true);
    assert.equal(isRetryable(apiError('FACE_NOT_FOUND', 422), idempotent), false);
    assert.equal(isRetryable(apiError('INTERNAL_ERROR', 500), idempotent), false);
    assert.equal(isRetryable(new FaceliveTimeoutError(10), idempotent), false);
    assert.equal(isRetryable(new TypeError('bad'), idempotent), false);
  }
});

test('network failures and gateway answers are retried for idempotent calls only', () => {
  const network = new FaceliveNetworkError('refused', { cause: new Error('ECONNREFUSED') });
  assert.equal(isRetryable(network, true), true);
  assert.equal(isRetryable(network, false), false);
  assert.equal(isRetryable(new FaceliveResponseError('proxy page', 502), true), true);
  assert.equal(isRetryable(new FaceliveResponseError('proxy page', 502), false), false);
  assert.equal(isRetryable(new FaceliveResponseError('not json', 200), true), false);
});

test('Retry-After: delay-seconds or an HTTP date; absent or unreadable is undefined', () => {
  assert.equal(parseRetryAfterMs('1'), 1000);
  assert.equal(parseRetryAfterMs(' 120 '), 120_000);
  const now = Date.parse('2026-01-01T00:00:00Z');
  assert.equal(parseRetryAfterMs('Thu, 01 Jan 2026 00:00:03 GMT', now), 3000);
  assert.equal(parseRetryAfterMs('Wed, 31 Dec 2025 23:59:00 GMT', now), 0, 'a date in the past means now');
  assert.equal(parseRetryAfterMs(null), undefined);
  assert.equal(parseRetryAfterMs(''), undefined);
  assert.equal(parseRetryAfterMs('soon'), undefined);
  assert.equal(parseRetryAfterMs('-1'), undefined);
});

test('backoff doubles up to its cap, half fixed and half random, on top of Retry-After', () => {
  const backoff = { initialDelayMs: 100, maxDelayMs: 1000 };
  const low = () => 0;
  const high = () => 1;
  assert.deepEqual(
    [0, 1, 2, 3, 4, 8].map((n) => retryDelayMs(n, undefined, backoff, low)),
    [50, 100, 200, 400, 500, 500],
  );
  assert.deepEqual(
    [0, 1, 2, 3, 4, 8].map((n) => retryDelayMs(n, undefined, backoff, high)),
    [100, 200, 400, 800, 1000, 1000],
  );
  assert.equal(retryDelayMs(0, 1000, backoff, low), 1050);
  assert.equal(retryDelayMs(2, 1000, backoff, high), 1400);
  const spread = new Set(Array.from({ length: 50 }, () => retryDelayMs(3, 1000, backoff)));
  assert.ok(spread.size > 10, 'clients refused together do not come back at the same instant');
  for (const delay of spread) assert.ok(delay >= 1400 && delay <= 1800, String(delay));
});
