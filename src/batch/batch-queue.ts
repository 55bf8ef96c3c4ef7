/**
 * The batch queue: one BullMQ queue on the Redis of `redis.url`, its keys under
 * `batch.queuePrefix`. Retries of transient failures use BullMQ's exponential backoff; finished
 * jobs are dropped from Redis at once (their results live in PostgreSQL).
 */
import { Queue, type ConnectionOptions, type JobsOptions } from 'bullmq';
import type { Config } from '../config/schema.js';
import { FaceliveError } from '../errors/catalogue.js';
import { jobIdOf, type BatchJobData } from './batch-job.js';

/** Name of the queue under the prefix. */
export const QUEUE_NAME = 'batch';

/** Jobs added to Redis per round trip when submitting. */
const ADD_CHUNK = 500;

/** How long a command waits for Redis before QUEUE_UNAVAILABLE, ms. */
const READY_TIMEOUT_MS = 10_000;

/** The Redis connection of the queue; CONFIG_INVALID when `redis.url` is empty. */
export function queueConnection(config: Pick<Config, 'redis'>): ConnectionOptions {
  if (!config.redis.url) {
    throw new FaceliveError('CONFIG_INVALID', { reason: 'the batch queue needs redis.url (env FACELIVE_REDIS_URL)' });
  }
  // BullMQ's blocking commands need ioredis to retry without a per-request limit.
  return { url: config.redis.url, maxRetriesPerRequest: null };
}

/** Job options: tries, backoff, and what Redis keeps of finished jobs. */
export function jobOptions(config: Pick<Config, 'batch'>): JobsOptions {
  return {
    attempts: config.batch.attempts,
    backoff: { type: 'exponential', delay: config.batch.backoffMs },
    removeOnComplete: true,
    // Kept a week for inspection; their error is also recorded as the image's result.
    removeOnFail: { age: 7 * 24 * 3600 },
  };
}

/** Resolves with `promise`, or rejects with QUEUE_UNAVAILABLE after `timeoutMs`. */
export async function withQueueDeadline<T>(promise: Promise<T>, what: string, timeoutMs = READY_TIMEOUT_MS): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new FaceliveError('QUEUE_UNAVAILABLE', { reason: `Redis did not answer within ${timeoutMs} ms (${what})` })), timeoutMs);
  });
  try {
    return await Promise.race([promise, deadline]);
  } catch (error) {
    if (error instanceof FaceliveError) throw error;
    throw new FaceliveError('QUEUE_UNAVAILABLE', { reason: `${what} failed` }, { cause: error });
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Opens the queue for adding jobs, once Redis answers.
 *
 * @example
 * const queue = await openBatchQueue(config);
 * await enqueueJobs(queue, jobs, config);
 * await queue.close();
 */
export async function openBatchQueue(config: Pick<Config, 'redis' | 'batch'>): Promise<Queue<BatchJobData>> {
  const queue = new Queue<BatchJobData>(QUEUE_NAME, { connection: queueConnection(config), prefix: config.batch.queuePrefix });
  // An unreachable Redis is reported by the deadline below, not as an unhandled 'error' event.
  queue.on('error', () => undefined);
  try {
    await withQueueDeadline(queue.waitUntilReady(), 'connecting');
  } catch (error) {
    await queue.close().catch(() => undefined);
    throw error;
  }
  return queue;
}

/**
 * Adds the jobs in chunks. A job whose id BullMQ still holds (waiting, active, delayed or
 * failed) is not added again, which makes a repeated submit harmless.
 */
export async function enqueueJobs(queue: Queue<BatchJobData>, jobs: readonly BatchJobData[], config: Pick<Config, 'batch'>): Promise<void> {
  const opts = jobOptions(config);
  for (let start = 0; start < jobs.length; start += ADD_CHUNK) {
    const chunk = jobs.slice(start, start + ADD_CHUNK).map((data) => ({ name: 'score', data, opts: { ...opts, jobId: jobIdOf(data) } }));
    await withQueueDeadline(queue.addBulk(chunk), 'adding jobs');
  }
}
