/**
 * A credential's token bucket as the fixed window it becomes in Redis (rate-limiter-flexible
 * counts whole seconds): the same sustained rate, and never a larger burst than the bucket where
 * the window holds more than one second.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { windowOf } from '../../src/api/redis-limits.js';

test('windows keep the sustained rate and the burst', () => {
  assert.deepEqual(windowOf({ ratePerSecond: 5, burst: 10 }), { points: 10, durationSeconds: 2 });
  assert.deepEqual(windowOf({ ratePerSecond: 0.2, burst: 1 }), { points: 1, durationSeconds: 5 });
  // A bucket smaller than one second of traffic: a one-second window of the rate.
  assert.deepEqual(windowOf({ ratePerSecond: 100, burst: 20 }), { points: 100, durationSeconds: 1 });
  for (const limit of [
    { ratePerSecond: 3, burst: 7 },
    { ratePerSecond: 0.5, burst: 20 },
    { ratePerSecond: 40, burst: 40 },
  ]) {
    const { points, durationSeconds } = windowOf(limit);
    assert.ok(Number.isInteger(points) && Number.isInteger(durationSeconds));
    assert.ok(points >= limit.burst);
    assert.ok(points / durationSeconds <= limit.ratePerSecond + limit.burst / durationSeconds, JSON.stringify(limit));
    assert.ok(points / durationSeconds >= limit.ratePerSecond * 0.5, JSON.stringify(limit));
  }
});
