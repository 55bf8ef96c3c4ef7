/**
 * What every dialect plugin receives from the server: the frozen config and the services every
 * dialect shares. Passed explicitly as plugin options; no dialect reaches for module state, and
 * what only one dialect needs (ADVANCE.AI's result store and token issuer) it opens itself.
 */
import type { Config } from '../config/schema.js';
import type { CredentialRegistry } from './credentials.js';
import type { DemoTokens } from './demo/demo-tokens.js';
import type { EngineGate, LivenessService } from './liveness-service.js';
import type { ServerMetrics } from '../metrics/server-metrics.js';
import type { RedisConnection } from '../redis/redis-connection.js';
import type { CallQuotaStore } from './call-quota.js';
import type { RateLimiter } from './rate-limiter.js';
import type { ReadinessChecks } from './readiness.js';

/** Shared services of the dialects. */
export interface ApiContext {
  readonly config: Config;
  readonly credentials: CredentialRegistry;
  readonly rateLimiter: RateLimiter;
  /** Call counters of credentials with a quota (AccuAuth API IDs): Redis or memory, per config. */
  readonly callQuota: CallQuotaStore;
  /** The Redis connection of the shared limits, when `redis.url` is set. */
  readonly redis: RedisConnection | undefined;
  /** The server's Prometheus metrics (dialect-owned services count their store calls there). */
  readonly metrics: ServerMetrics;
  /** Set when a shutdown has begun: `/readyz` answers 503 so the load balancer stops routing here. */
  readonly lifecycle: { readonly draining: boolean };
  readonly engine: EngineGate;
  readonly liveness: LivenessService;
  /** Dependencies `/readyz` checks; a plugin that opens one (a result store) registers it here. */
  readonly readiness: ReadinessChecks;
  /** Clock, ms since epoch, of token expiry, credential expiry and result retention (tests move it). */
  readonly now: () => number;
  /** Issuer of the demo page's tokens, which the native check route accepts; only with `server.demo.enabled`. */
  readonly demoTokens?: DemoTokens;
}

/** Options of a dialect plugin. */
export interface DialectPluginOptions {
  readonly context: ApiContext;
}
