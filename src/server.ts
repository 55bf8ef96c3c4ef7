/**
 * The HTTP server: one fastify instance with the native API, the Tencent Cloud and Ace Data
 * Cloud dialects, probes and the OpenAPI docs. Built from the frozen config and explicit
 * dependencies, so tests build as many servers as they like around one engine pool.
 */
import { randomUUID } from 'node:crypto';
import Fastify, { LogController, type FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { Config } from './config/schema.js';
import type { EnginePool } from './engine/engine-pool.js';
import { aceDataApi } from './api/acedata/routes.js';
import type { ApiContext } from './api/api-context.js';
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
}

/**
 * Builds (does not start) the server. The URL fetcher it creates is closed with the server.
 *
 * @example
 * const app = await buildServer(config, { logger: createLogger(), engine: createEnginePool(config) });
 * await app.listen({ port: config.server.port, host: config.server.host });
 */
export async function buildServer(config: Config, deps: ServerDependencies): Promise<FastifyInstance> {
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
  };
  await app.register(healthRoutes, { context });
  await app.register(nativeApi, { context });
  await app.register(tencentApi, { context });
  await app.register(aceDataApi, { context, prefix: '/face' });
  await registerDocsUi(app);
  return app;
}
