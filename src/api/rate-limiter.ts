/**
 * Per-credential rate limiting behind an interface, so that a shared store (Redis) can replace
 * the in-memory token buckets when several instances serve one set of credentials.
 */
import { FaceliveError } from '../errors/catalogue.js';
import type { Principal } from './credentials.js';

/** A credential's allowance: `ratePerSecond` tokens refill a bucket of `burst`; 0 = unlimited. */
export interface RateLimit {
  readonly ratePerSecond: number;
  readonly burst: number;
}

/** Outcome of taking one token. */
export type RateDecision = { readonly allowed: true } | { readonly allowed: false; readonly retryAfterMs: number };

/** Takes one token from a bucket; async so that a networked store fits the same interface. */
export interface RateLimiter {
  take(bucket: string, limit: RateLimit): Promise<RateDecision>;
}

interface Bucket {
  tokens: number;
  updatedMs: number;
}

/** Buckets kept before idle, full ones are swept (bounds memory under many anonymous clients). */
const SWEEP_ABOVE = 10_000;

/**
 * Token buckets in this process's memory. `now` is injectable for tests.
 *
 * @example
 * const limiter = createMemoryRateLimiter();
 * await limiter.take('native:ab12cd34', { ratePerSecond: 5, burst: 10 }); // { allowed: true }
 */
export function createMemoryRateLimiter(now: () => number = () => performance.now()): RateLimiter {
  const buckets = new Map<string, Bucket>();
  const refill = (bucket: Bucket, limit: RateLimit, at: number) => {
    bucket.tokens = Math.min(limit.burst, bucket.tokens + ((at - bucket.updatedMs) / 1000) * limit.ratePerSecond);
    bucket.updatedMs = at;
  };
  const sweep = (at: number, limitFor: RateLimit) => {
    for (const [key, bucket] of buckets) {
      refill(bucket, limitFor, at);
      if (bucket.tokens >= limitFor.burst) buckets.delete(key);
    }
  };
  return {
    take: async (key, limit) => {
      if (limit.ratePerSecond <= 0) return { allowed: true };
      const at = now();
      if (buckets.size > SWEEP_ABOVE) sweep(at, limit);
      let bucket = buckets.get(key);
      if (!bucket) buckets.set(key, (bucket = { tokens: limit.burst, updatedMs: at }));
      refill(bucket, limit, at);
      if (bucket.tokens >= 1) {
        bucket.tokens -= 1;
        return { allowed: true };
      }
      return { allowed: false, retryAfterMs: ((1 - bucket.tokens) / limit.ratePerSecond) * 1000 };
    },
  };
}

/** Takes a token for `principal` or throws RATE_LIMITED with the wait in seconds. */
export async function enforceRateLimit(limiter: RateLimiter, principal: Principal): Promise<void> {
  const decision = await limiter.take(principal.bucket, principal.limit);
  if (!decision.allowed) {
    throw new FaceliveError('RATE_LIMITED', {
      ratePerSecond: principal.limit.ratePerSecond,
      burst: principal.limit.burst,
      retryAfterSeconds: Math.max(1, Math.ceil(decision.retryAfterMs / 1000)),
    });
  }
}
