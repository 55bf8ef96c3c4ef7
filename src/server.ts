/**
 * The HTTP server: one fastify instance with every surface of `DIALECTS` (the native API and the
 * vendor dialects), probes, the capture and demo pages and the OpenAPI docs. Built from the frozen config
 * and explicit dependencies, so tests build as many servers as they like around one engine pool.
 */
import { randomUUID } from 'node:crypto';
import Fastify, { LogController, type FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { registerAdmission } from './api/admission.js';
import type { ApiContext } from './api/api-context.js';
import { registerAuthThrottle } from './api/auth-throttle.js';
import { captureRoutes } from './api/capture/routes.js';
import { answerClientErrors, answerFrameworkErrors, requestsInFlight } from './api/client-errors.js';
import { createCredentialRegistry } from './api/credentials.js';
import { createDemoTokens } from './api/demo/demo-tokens.js';
import { demoRoutes } from './api/demo/routes.js';
import { answerAtRoot, registerDialect, ROOT_CONSTRAINT, rootDialectStrategy } from './api/dialect-scope.js';
import { DIALECTS } from './api/dialects.js';
import { healthRoutes } from './api/health-routes.js';
import { landingPage } from './api/landing-page.js';
import { createEngineGate, createLivenessService } from './api/liveness-service.js';
import { registerInFlightLimits } from './api/in-flight-bytes.js';
import { registerJsonBodyParser } from './api/json-body.js';
import { registerDocsUi, registerOpenApi } from './api/openapi.js';
import { metricsRoutes, recordRequestMetrics } from './api/metrics-routes.js';
import type { RateLimiter } from './api/rate-limiter.js';
import { createReadinessChecks } from './api/readiness.js';
import { deadlineServerOptions } from './api/request-deadline.js';
import { registerRequestLog } from './api/request-outcome.js';
import { openSharedLimits } from './api/shared-limits.js';
import type { Config } from './config/schema.js';
import { readTlsFiles } from './config/tls-files.js';
import type { EnginePool } from './engine/engine-pool.js';
import { createServerMetrics, type ServerMetrics } from './metrics/server-metrics.js';
import { createImageFetcher, type ImageFetcher } from './net/fetch-image.js';
import type { ResolveAll } from './net/guarded-connector.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** Turns `/readyz` to 503 `draining` while every other route keeps serving (first step of a graceful shutdown). */
    startDraining(): void;
  }
}

/** Version reported in the OpenAPI description. */
export const FACELIVE_VERSION = '0.1.0';

/** What the server is built around; the caller owns (and closes) the engine pool. */
export interface ServerDependencies {
  readonly logger: Logger;
  /** The pool, or its creation still in progress (requests get SERVER_NOT_READY until it resolves). */
  readonly engine: EnginePool | Promise<EnginePool>;
  /** Rate-limit store; by default per config: Redis when `redis.url` is set, else in-memory token buckets. */
  readonly rateLimiter?: RateLimiter;
  /** DNS step of URL fetching (the system resolver by default). */
  readonly resolveAll?: ResolveAll;
  /** Clock, ms since epoch, of access tokens, credential expiry and result retention (Date.now by default). */
  readonly now?: () => number;
  /** The server's Prometheus metrics; a registry of its own by default. */
  readonly metrics?: ServerMetrics;
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
  const inFlight = requestsInFlight();
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
    // Node enforces the deadline only when given at creation, and checks it every 30 s by default.
    http: deadlineServerOptions(server.requestTimeoutMs),
    // Requests arriving while the server closes are answered by answerAtRoot, in the dialect's envelope.
    return503OnClosing: false,
    forceCloseConnections: 'idle',
    clientErrorHandler: answerClientErrors(deps.logger, server.requestTimeoutMs, inFlight),
    frameworkErrors: answerFrameworkErrors(server.bodyLimitBytes),
    // Vendor RPC dialects share `/`; the router hands each request there to the one claiming it.
    routerOptions: { constraints: { [ROOT_CONSTRAINT]: rootDialectStrategy(DIALECTS) } },
    ajv: { customOptions: { removeAdditional: false, coerceTypes: false, useDefaults: true, allErrors: false, formats: { binary: true } } },
  }) as unknown as FastifyInstance;
  app.addHook('onRequest', async (request) => inFlight.note(request.raw));
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
  const metrics = deps.metrics ?? createServerMetrics(config, FACELIVE_VERSION);
  recordRequestMetrics(app, metrics);
  registerJsonBodyParser(app, server.maxJsonDepth);
  registerInFlightLimits(app, { ...server.inFlight, bodyLimitBytes: server.bodyLimitBytes });
  registerAuthThrottle(app, server.authThrottle);
  answerAtRoot(app, server.bodyLimitBytes);
  await registerOpenApi(app, FACELIVE_VERSION, DIALECTS);

  const fetcher: ImageFetcher | undefined = server.urlFetch.enabled ? createImageFetcher(server.urlFetch, deps.resolveAll) : undefined;
  if (fetcher) app.addHook('onClose', () => fetcher.close());
  const engine = createEngineGate(deps.engine);
  const now = deps.now ?? Date.now;
  metrics.observePool(() => engine.pool);
  const lifecycle = { draining: false };
  app.decorate('startDraining', () => {
    lifecycle.draining = true;
  });
  const limits = await openSharedLimits(config, deps.logger, () => metrics.recordRedisError());
  app.addHook('onClose', () => limits.close());
  const admission = registerAdmission(app, engine, server.admission);
  metrics.observeWaitingRoom(() => admission.waiting);
  const context: ApiContext = {
    config,
    credentials: createCredentialRegistry(server, DIALECTS),
    rateLimiter: deps.rateLimiter ?? limits.rateLimiter,
    callQuota: limits.callQuota,
    redis: limits.redis,
    metrics,
    lifecycle,
    engine,
    liveness: createLivenessService(config, engine, fetcher),
    readiness: createReadinessChecks(app.log),
    now,
    ...(server.demo.enabled && { demoTokens: createDemoTokens(server.demo.tokenSecret, now) }),
  };
  await app.register(healthRoutes, { context });
  if (server.metrics.enabled) await app.register(metricsRoutes, { context, metrics });
  await app.register(captureRoutes, { context });
  await app.register(demoRoutes, { context });
  await app.register(landingPage, { context, version: FACELIVE_VERSION });
  for (const dialect of DIALECTS) await registerDialect(app, dialect, context);
  await registerDocsUi(app);
}
