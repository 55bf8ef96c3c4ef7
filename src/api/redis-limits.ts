/**
 * Rate limits and call quotas kept in Redis through rate-limiter-flexible, so that every instance
 * sharing one Redis enforces one limit per credential and quotas survive restarts. What happens
 * while Redis cannot be reached is a choice documented in the `redis` config section: rate
 * limits fall back to this instance's memory (`rateLimitFailOpen`, the default) or refuse; call
 * quotas always refuse with LIMITS_STORE_UNAVAILABLE, so a quota is never overdrawn.
 */
import type { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import type { RedisConfig } from '../config/redis-schema.js';
import { FaceliveError } from '../errors/catalogue.js';
import type { CallQuotaStore } from './call-quota.js';
import type { RateDecision, RateLimit, RateLimiter } from './rate-limiter.js';

/** Called with every failed Redis command (the Redis error counter of `/metrics`). */
export type RedisErrorListener = (error: unknown) => void;

function unavailable(error: unknown): FaceliveError {
  return new FaceliveError('LIMITS_STORE_UNAVAILABLE', {}, { cause: error });
}

/**
 * The window of a token bucket in rate-limiter-flexible's terms (a fixed window of whole
 * seconds): `ceil(burst / ratePerSecond)` seconds holding `max(burst, ratePerSecond × window)`
 * requests, the same sustained rate and at most the same burst.
 */
export function windowOf(limit: RateLimit): { points: number; durationSeconds: number } {
  const durationSeconds = Math.max(1, Math.ceil(limit.burst / limit.ratePerSecond));
  return { points: Math.max(limit.burst, Math.floor(limit.ratePerSecond * durationSeconds)), durationSeconds };
}

/**
 * Rate limits in Redis. Limiters are made per distinct limit (credentials may carry their own),
 * each under its own key prefix.
 *
 * @example
 * const limiter = createRedisRateLimiter(redis.client, config.redis);
 * await limiter.take('native:ab12cd34', { ratePerSecond: 5, burst: 10 });
 */
export function createRedisRateLimiter(client: Redis, config: RedisConfig, onError: RedisErrorListener = () => undefined): RateLimiter {
  const limiters = new Map<string, { shared: RateLimiterRedis; local: RateLimiterMemory }>();
  const limiterFor = (limit: RateLimit) => {
    const { points, durationSeconds } = windowOf(limit);
    const id = `${points}/${durationSeconds}`;
    let pair = limiters.get(id);
    if (!pair) {
      const keyPrefix = `${config.keyPrefix}rate:${id}`;
      pair = {
        shared: new RateLimiterRedis({ storeClient: client, keyPrefix, points, duration: durationSeconds, rejectIfRedisNotReady: true }),
        local: new RateLimiterMemory({ keyPrefix, points, duration: durationSeconds }),
      };
      limiters.set(id, pair);
    }
    return pair;
  };
  const decide = async (limiter: RateLimiterRedis | RateLimiterMemory, key: string): Promise<RateDecision> => {
    try {
      await limiter.consume(key);
      return { allowed: true };
    } catch (refusal) {
      if (refusal instanceof RateLimiterRes) return { allowed: false, retryAfterMs: refusal.msBeforeNext };
      throw refusal;
    }
  };
  return {
    take: async (key, limit) => {
      if (limit.ratePerSecond <= 0) return { allowed: true };
      const { shared, local } = limiterFor(limit);
      try {
        return await decide(shared, key);
      } catch (error) {
        onError(error);
        if (!config.rateLimitFailOpen) throw unavailable(error);
        return decide(local, key);
      }
    },
  };
}

/**
 * Call quotas in Redis: counters without expiry under `<keyPrefix>quota:`. A call reserves a
 * unit with one atomic INCRBY (rate-limiter-flexible's consume); a reservation past the quota is
 * refused and handed back at once, and a call that fails hands its unit back, so the counter
 * never stays above the quota and exactly `quota` calls succeed however many instances race.
 *
 * @example
 * const quota = createRedisCallQuota(redis.client, config.redis);
 * await quota.take('accuauth:my-app', 1000); // true while fewer than 1000 calls are counted
 */
export function createRedisCallQuota(client: Redis, config: RedisConfig, onError: RedisErrorListener = () => undefined): CallQuotaStore {
  // One limiter per quota size (points are part of the limiter); the counter key is the same for all.
  const limiters = new Map<number, RateLimiterRedis>();
  const keyPrefix = `${config.keyPrefix}quota`;
  const limiterFor = (quota: number) => {
    let limiter = limiters.get(quota);
    if (!limiter)
      limiters.set(
        quota,
        (limiter = new RateLimiterRedis({ storeClient: client, keyPrefix, points: Math.max(quota, 1), duration: 0, rejectIfRedisNotReady: true })),
      );
    return limiter;
  };
  const guarded = async <T>(command: () => Promise<T>): Promise<T> => {
    try {
      return await command();
    } catch (error) {
      if (error instanceof RateLimiterRes) throw error;
      onError(error);
      throw unavailable(error);
    }
  };
  return {
    used: (key) => guarded(async () => (await limiterFor(1).get(key))?.consumedPoints ?? 0),
    take: (key, quota) =>
      guarded(async () => {
        if (quota <= 0) return false;
        const limiter = limiterFor(quota);
        try {
          await limiter.consume(key);
          return true;
        } catch (refusal) {
          if (!(refusal instanceof RateLimiterRes)) throw refusal;
          // The refused reservation was counted by INCRBY; give it back so the counter reads the quota.
          await limiter.reward(key, 1);
          return false;
        }
      }),
    giveBack: (key) =>
      guarded(async () => {
        await limiterFor(1).reward(key, 1);
      }),
  };
}
