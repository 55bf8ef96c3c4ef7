/**
 * The HTTP server: one fastify instance with every surface of `DIALECTS` (the native API and the
 * vendor dialects), probes, the capture page and the OpenAPI docs. Built from the frozen config
 * and explicit dependencies, so tests build as many servers as they like around one engine pool.
 */
import { randomUUID } from 'node:crypto';
import Fastify, { LogController, type FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { ApiContext } from './api/api-context.js';
import { captureRoutes } from './api/capture/routes.js';
import { answerClientErrors, answerFrameworkErrors } from './api/client-errors.js';
import { createCredentialRegistry } from './api/credentials.js';
import { answerAtRoot, registerDialect, ROOT_CONSTRAINT, rootDialectStrategy } from './api/dialect-scope.js';
import { DIALECTS } from './api/dialects.js';
import { healthRoutes } from './api/health-routes.js';
import { landingPage } from './api/landing-page.js';
import { createEngineGate, createLivenessService } from './api/liveness-service.js';
import { registerDocsUi, registerOpenApi } from './api/openapi.js';
import { createMemoryRateLimiter, type RateLimiter } from './api/rate-limiter.js';
import { registerRequestLog } from './api/request-outcome.js';
import type { Config } from './config/schema.js';
import { readTlsFiles } from './config/tls-files.js';
import type { EnginePool } from './engine/engine-pool.js';
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
  /** Clock, ms since epoch, of access tokens, credential expiry and result retention (Date.now by default). */
  readonly now?: () => number;
}

/**
 * Builds (does not start) the server. Each dialect opens what only it needs when it is
 * registered (the ADVANCE.AI result store, when that dialect has a credential) and closes it with
 * the server; a dialect that cannot open its resources fails the build (STORE_UNAVAILABLE), and
 * whatever was opened before is closed again.
 *
 * @example
 * const app = await buildServer(config, { logger: createLogger(), engine: createEnginePool(config) });
 * await app.listen({ port: config.server.port, host: config.server.host });
 */
export async function buildServer(config: Config, deps: ServerDependencies): Promise<FastifyInstance> {
  const { server } = config;
  const tls = readTlsFiles(server.tls);
  const app = Fastify({
    // HTTPS when server.tls names a certificate and key (a bad pair fails here, at start-up).
    ...(tls && { https: { cert: tls.cert, key: tls.key } }),
    loggerInstance: deps.logger,
    // One line per request comes from our onResponse hook (api/request-outcome.ts); fastify's own
    // request and error lines are off, so no framework default can ever log a request body.
    logController: new LogController({ disableRequestLogging: true }),
    genReqId: () => randomUUID(),
    bodyLimit: server.bodyLimitBytes,
    requestTimeout: server.requestTimeoutMs,
    // Requests arriving while the server closes are answered by answerAtRoot, in the dialect's envelope.
    return503OnClosing: false,
    forceCloseConnections: 'idle',
    clientErrorHandler: answerClientErrors(deps.logger, server.requestTimeoutMs),
    frameworkErrors: answerFrameworkErrors(server.bodyLimitBytes),
    // Vendor RPC dialects share `/`; the router hands each request there to the one claiming it.
    constraints: { [ROOT_CONSTRAINT]: rootDialectStrategy(DIALECTS) },
    ajv: { customOptions: { removeAdditional: false, coerceTypes: false, useDefaults: true, allErrors: false, formats: { binary: true } } },
  }) as unknown as FastifyInstance;
  try {
    await registerAll(app, config, deps);
    await app.ready();
    return app;
  } catch (error) {
    // Plugins registered before the failure may hold resources (a PostgreSQL pool would hold the process).
    await app.close().catch(() => undefined);
    throw error;
  }
}

async function registerAll(app: FastifyInstance, config: Config, deps: ServerDependencies): Promise<void> {
  const { server } = config;
  // Responses are serialised as they are; response schemas document them (OpenAPI), and the
  // test suites check every answer against them.
  app.setSerializerCompiler(() => (data) => JSON.stringify(data));
  registerRequestLog(app);
  answerAtRoot(app, server.bodyLimitBytes);
  await registerOpenApi(app, FACELIVE_VERSION, DIALECTS);

  const fetcher: ImageFetcher | undefined = server.urlFetch.enabled ? createImageFetcher(server.urlFetch, deps.resolveAll) : undefined;
  if (fetcher) app.addHook('onClose', () => fetcher.close());
  const engine = createEngineGate(deps.engine);
  const context: ApiContext = {
    config,
    credentials: createCredentialRegistry(server, DIALECTS),
    rateLimiter: deps.rateLimiter ?? createMemoryRateLimiter(),
    engine,
    liveness: createLivenessService(config, engine, fetcher),
    now: deps.now ?? Date.now,
  };
  await app.register(healthRoutes, { context });
  await app.register(captureRoutes, { context });
  await app.register(landingPage, { context, version: FACELIVE_VERSION });
  for (const dialect of DIALECTS) await registerDialect(app, dialect, context);
  await registerDocsUi(app);
}
