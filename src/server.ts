/**
 * The HTTP server: one fastify instance with the native API, the Tencent Cloud, Ace Data
 * Cloud and ADVANCE.AI dialects, probes and the OpenAPI docs. Built from the frozen config and explicit
 * dependencies, so tests build as many servers as they like around one engine pool.
 */
import { randomUUID } from 'node:crypto';
import Fastify, { LogController, type FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { Config } from './config/schema.js';
import type { EnginePool } from './engine/engine-pool.js';
import { ACCUAUTH_PATH, accuAuthApi } from './api/accuauth/routes.js';
import { aceDataApi } from './api/acedata/routes.js';
import { advanceApi } from './api/advance/routes.js';
import { AccessTokenIssuer } from './api/advance/token-issuer.js';
import type { ApiContext } from './api/api-context.js';
import { captureRoutes } from './api/capture/routes.js';
import { createCredentialRegistry } from './api/credentials.js';
import { healthRoutes } from './api/health-routes.js';
import { createEngineGate, createLivenessService } from './api/liveness-service.js';
import { nativeApi, nativeErrorHandler, nativeNotFound } from './api/native/routes.js';
import { registerDocsUi, registerOpenApi } from './api/openapi.js';
import { createMemoryRateLimiter, type RateLimiter } from './api/rate-limiter.js';
import { registerRequestLog } from './api/request-outcome.js';
import { tencentApi } from './api/tencent/routes.js';
import { createImageFetcher, type ImageFetcher } from './net/fetch-image.js';
import type { ResolveAll } from './net/guarded-connector.js';
import { openResultStore } from './store/open-store.js';
import type { ResultStore } from './store/result-store.js';
import { schedulePurges } from './store/purge-schedule.js';

/** Version reported in the OpenAPI description. */
export const FACELIVE_VERSION = '0.1.0';

/** What the server is built around; the caller owns (and closes) the engine pool. */
export interface ServerDependencies {
  readonly logger: Logger;
  /** The pool, or its creation still in progress (requests get SERVER_NOT_READY until it resolves). */
  readonly engine: EnginePool | Promise<EnginePool>;
  /** Rate-limit store; in-memory token buckets by default. */
  readonly rateLimiter?: RateLimiter;
  /** DNS step of URL fetching (the system resolver by default). */
  readonly resolveAll?: ResolveAll;
  /** Clock, ms since epoch, of access tokens and result retention (Date.now by default). */
  readonly now?: () => number;
}

/**
 * Builds (does not start) the server. It opens the result store (`config.store`: SQLite in
 * `dataDir`, or PostgreSQL), purges it once and then every `purgeIntervalMinutes`; the store and
 * the URL fetcher it creates are closed with the server. A store that cannot be opened fails the
 * build with STORE_UNAVAILABLE.
 *
 * @example
 * const app = await buildServer(config, { logger: createLogger(), engine: createEnginePool(config) });
 * await app.listen({ port: config.server.port, host: config.server.host });
 */
export async function buildServer(config: Config, deps: ServerDependencies): Promise<FastifyInstance> {
  const { server } = config;
  const now = deps.now ?? Date.now;
  const advanceTokens = new AccessTokenIssuer(server.advance.credentials, {
    defaultPeriodSeconds: server.advance.tokenDefaultPeriodSeconds,
    maxPeriodSeconds: server.advance.tokenMaxPeriodSeconds,
    now,
  });
  const store = await openResultStore(config.store);
  const purges = schedulePurges(store, config.store, { logger: deps.logger, now });
  let closing: Promise<void> | undefined;
  // The purge in progress finishes, then the store closes; once, whoever asks first.
  const closeStore = () => (closing ??= purges.stop().then(() => store.close()));
  try {
    await purges.first;
    return await buildApp(config, deps, { store, advanceTokens, now, closeStore });
  } catch (error) {
    // A server that fails to build never closes; its store must not stay open (a PostgreSQL pool would hold the process).
    await closeStore();
    throw error;
  }
}

/** What {@link buildServer} opened for the app, and how to close it. */
interface SharedServices {
  readonly store: ResultStore;
  readonly advanceTokens: AccessTokenIssuer;
  readonly now: () => number;
  readonly closeStore: () => Promise<void>;
}

async function buildApp(config: Config, deps: ServerDependencies, { store, advanceTokens, now, closeStore }: SharedServices): Promise<FastifyInstance> {
  const { server } = config;
  const app = Fastify({
    loggerInstance: deps.logger,
    // One line per request comes from our onResponse hook (api/request-outcome.ts); fastify's own
    // request and error lines are off, so no framework default can ever log a request body.
    logController: new LogController({ disableRequestLogging: true }),
    genReqId: () => randomUUID(),
    bodyLimit: server.bodyLimitBytes,
    requestTimeout: server.requestTimeoutMs,
    return503OnClosing: true,
    forceCloseConnections: 'idle',
    ajv: { customOptions: { removeAdditional: false, coerceTypes: false, useDefaults: true, allErrors: false, formats: { binary: true } } },
  }) as unknown as FastifyInstance;
  // Responses are serialised as they are; response schemas only document (OpenAPI).
  app.setSerializerCompiler(() => (data) => JSON.stringify(data));
  // After in-flight requests.
  app.addHook('onClose', closeStore);
  registerRequestLog(app);
  app.setErrorHandler(nativeErrorHandler(server.bodyLimitBytes));
  app.setNotFoundHandler(nativeNotFound);
  await registerOpenApi(app, FACELIVE_VERSION);

  const fetcher: ImageFetcher | undefined = server.urlFetch.enabled ? createImageFetcher(server.urlFetch, deps.resolveAll) : undefined;
  if (fetcher) app.addHook('onClose', () => fetcher.close());
  const engine = createEngineGate(deps.engine);
  const context: ApiContext = {
    config,
    credentials: createCredentialRegistry(server),
    rateLimiter: deps.rateLimiter ?? createMemoryRateLimiter(),
    engine,
    liveness: createLivenessService(config, engine, fetcher),
    store,
    advanceTokens,
    now,
  };
  await app.register(healthRoutes, { context });
  await app.register(nativeApi, { context });
  await app.register(tencentApi, { context });
  await app.register(aceDataApi, { context, prefix: '/face' });
  await app.register(accuAuthApi, { context, prefix: ACCUAUTH_PATH });
  await app.register(advanceApi, { context, prefix: '/openapi' });
  await app.register(captureRoutes, { context });
  await registerDocsUi(app);
  return app;
}
