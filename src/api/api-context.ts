/**
 * What every dialect plugin receives from the server: the frozen config and the services every
 * dialect shares. Passed explicitly as plugin options; no dialect reaches for module state, and
 * what only one dialect needs (ADVANCE.AI's result store and token issuer) it opens itself.
 */
import type { Config } from '../config/schema.js';
import type { CredentialRegistry } from './credentials.js';
import type { EngineGate, LivenessService } from './liveness-service.js';
import type { RateLimiter } from './rate-limiter.js';
import type { ReadinessChecks } from './readiness.js';

/** Shared services of the dialects. */
export interface ApiContext {
  readonly config: Config;
  readonly credentials: CredentialRegistry;
  readonly rateLimiter: RateLimiter;
  readonly engine: EngineGate;
  readonly liveness: LivenessService;
  /** Dependencies `/readyz` checks; a plugin that opens one (a result store) registers it here. */
  readonly readiness: ReadinessChecks;
  /** Clock, ms since epoch, of token expiry, credential expiry and result retention (tests move it). */
  readonly now: () => number;
}

/** Options of a dialect plugin. */
export interface DialectPluginOptions {
  readonly context: ApiContext;
}
