/**
 * What every dialect plugin receives from the server: the frozen config and the shared services.
 * Passed explicitly as plugin options; no dialect reaches for module state.
 */
import type { Config } from '../config/schema.js';
import type { ResultStore } from '../store/result-store.js';
import type { AccessTokenIssuer } from './advance/token-issuer.js';
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
  /** Stored submissions of the capture flows (ADVANCE.AI submit and detection-result). */
  readonly store: ResultStore;
  /** ADVANCE.AI access tokens (`X-ACCESS-TOKEN`), stateless; the capture page issues them too. */
  readonly advanceTokens: AccessTokenIssuer;
  /** Clock, ms since epoch, of token expiry and result retention (tests move it). */
  readonly now: () => number;
}

/** Options of a dialect plugin. */
export interface DialectPluginOptions {
  readonly context: ApiContext;
}
