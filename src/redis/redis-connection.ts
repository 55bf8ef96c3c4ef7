/**
 * One ioredis connection per process for the shared limits, set up so that a Redis outage costs
 * a request at most `commandTimeoutMs` and never a hang: commands are not queued while the
 * connection is down (they fail at once), each command has a timeout, and ioredis reconnects in
 * the background with a capped backoff, so the service recovers by itself when Redis returns.
 */
import { once } from 'node:events';
import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { RedisConfig } from '../config/redis-schema.js';

/** A Redis client with what the server reports about it. */
export interface RedisConnection {
  readonly client: Redis;
  /** ioredis's connection state: `ready` when commands can be sent. */
  readonly status: string;
  /** Quits (or disconnects, when Redis does not answer) and stops reconnecting. */
  close(): Promise<void>;
}

/** Options of {@link connectRedis}. */
export interface ConnectRedisOptions {
  readonly logger: Logger;
  /** Called for every connection error (the Redis error counter of `/metrics`). */
  readonly onError?: (error: Error) => void;
  /** How long start-up waits for the first connection before going on without it, ms. */
  readonly waitMs?: number;
}

/**
 * Connects to `config.url`. Start-up waits up to `waitMs` for the connection, then goes on:
 * a Redis that is down when the server starts is the same outage as one that stops later
 * (limits answer per `rateLimitFailOpen`, quotas refuse) and ends the same way, by reconnecting.
 *
 * @example
 * const redis = await connectRedis(config.redis, { logger });
 * await redis.client.ping();
 * await redis.close();
 */
export async function connectRedis(config: RedisConfig, options: ConnectRedisOptions): Promise<RedisConnection> {
  const { logger } = options;
  const client = new Redis(config.url, {
    enableOfflineQueue: false,
    commandTimeout: config.commandTimeoutMs,
    connectTimeout: Math.max(1000, config.commandTimeoutMs * 4),
    maxRetriesPerRequest: 0,
    retryStrategy: (attempt) => Math.min(attempt * 100, 2000),
    // The URL may carry a password; ioredis names the connection in its errors, so give it none.
    connectionName: 'facelive',
  });
  // One log line per outage, not one per reconnection attempt.
  let down = false;
  client.on('error', (error: Error) => {
    options.onError?.(error);
    if (!down) logger.warn({ err: { message: error.message, code: (error as NodeJS.ErrnoException).code } }, 'redis unreachable; retrying in the background');
    down = true;
  });
  client.on('ready', () => {
    if (down) logger.info('redis reachable again');
    down = false;
  });
  const wait = options.waitMs ?? 2000;
  const stopWaiting = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([
    once(client, 'ready', { signal: stopWaiting.signal }).catch(() => undefined),
    new Promise((resolve) => (timer = setTimeout(resolve, wait))),
  ]);
  clearTimeout(timer);
  stopWaiting.abort();
  if (client.status !== 'ready') logger.warn({ waitedMs: wait }, 'redis not reachable at start-up; shared limits unavailable until it is');
  return {
    client,
    get status() {
      return client.status;
    },
    close: async () => {
      if (client.status === 'ready') await client.quit().catch(() => client.disconnect());
      else client.disconnect();
    },
  };
}
