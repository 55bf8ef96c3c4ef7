/**
 * Where the server keeps rate limits and call quotas: in Redis when `redis.url` is set (shared by
 * every instance, kept across restarts), in this process's memory otherwise. Opened once per
 * server and closed with it.
 */
import type { Logger } from 'pino';
import type { Config } from '../config/schema.js';
import { connectRedis, type RedisConnection } from '../redis/redis-connection.js';
import { createMemoryCallQuota, type CallQuotaStore } from './call-quota.js';
import { createMemoryRateLimiter, type RateLimiter } from './rate-limiter.js';
import { createRedisCallQuota, createRedisRateLimiter, type RedisErrorListener } from './redis-limits.js';

/** The limit stores of one server. */
export interface SharedLimits {
  readonly rateLimiter: RateLimiter;
  readonly callQuota: CallQuotaStore;
  /** The Redis connection, when limits live in Redis (`/readyz` reports its state). */
  readonly redis: RedisConnection | undefined;
  close(): Promise<void>;
}

/**
 * Opens the limit stores `config` asks for.
 *
 * @example
 * const limits = await openSharedLimits(config, logger);
 * await limits.callQuota.take('accuauth:app', 50);
 * await limits.close();
 */
export async function openSharedLimits(config: Config, logger: Logger, onRedisError: RedisErrorListener = () => undefined): Promise<SharedLimits> {
  if (!config.redis.url) {
    return { rateLimiter: createMemoryRateLimiter(), callQuota: createMemoryCallQuota(), redis: undefined, close: async () => undefined };
  }
  const redis = await connectRedis(config.redis, { logger, onError: onRedisError });
  return {
    rateLimiter: createRedisRateLimiter(redis.client, config.redis, onRedisError),
    callQuota: createRedisCallQuota(redis.client, config.redis, onRedisError),
    redis,
    close: () => redis.close(),
  };
}
