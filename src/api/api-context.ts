/**
 * What every dialect plugin receives from the server: the frozen config and the shared services.
 * Passed explicitly as plugin options; no dialect reaches for module state.
 */
import type { Config } from '../config/schema.js';
import type { CredentialRegistry } from './credentials.js';
import type { EngineGate, LivenessService } from './liveness-service.js';
import type { RateLimiter } from './rate-limiter.js';

/** Shared services of the dialects. */
export interface ApiContext {
  readonly config: Config;
  readonly credentials: CredentialRegistry;
  readonly rateLimiter: RateLimiter;
  readonly engine: EngineGate;
  readonly liveness: LivenessService;
}

/** Options of a dialect plugin. */
export interface DialectPluginOptions {
  readonly context: ApiContext;
}
