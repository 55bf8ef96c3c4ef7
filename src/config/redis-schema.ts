import { Type, type Static } from '@sinclair/typebox';

/**
 * The `redis` section: the Redis that several instances share for rate limits and call quotas
 * (and that the batch queue uses). Empty `url`: every limit lives in this process's memory.
 */
export const RedisConfigSchema = Type.Object(
  {
    url: Type.String({
      default: '',
      pattern: '^(rediss?://\\S+)?$',
      description:
        "redis:// or rediss:// URL (user, password and database number may be in it). When set, rate limits and AccuAuth call quotas are kept in Redis, so every instance sharing it enforces one limit and quotas survive restarts; empty: in this process's memory. Env FACELIVE_REDIS_URL.",
    }),
    keyPrefix: Type.String({
      default: 'facelive:',
      minLength: 1,
      description:
        'Prefix of every key facelive writes, so that several deployments (or test runs) share one Redis without meeting. Env FACELIVE_REDIS_KEY_PREFIX.',
    }),
    commandTimeoutMs: Type.Integer({
      minimum: 1,
      default: 500,
      description: 'Longest wait for one Redis command, ms; past it (or at once while the connection is down) the command counts as Redis unreachable.',
    }),
    rateLimitFailOpen: Type.Boolean({
      default: true,
      description:
        'When Redis cannot be reached: true = rate limits fall back to each instance\'s own memory (the service stays up, the shared limit is loosened to one per instance); false = requests are refused with LIMITS_STORE_UNAVAILABLE (each dialect\'s "service busy" answer). Call quotas always refuse then: a quota is never overdrawn.',
    }),
  },
  { default: {}, additionalProperties: false },
);

/** The validated `redis` section. */
export type RedisConfig = Static<typeof RedisConfigSchema>;
