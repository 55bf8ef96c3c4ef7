/**
 * `GET /metrics` in Prometheus text format, optionally behind a bearer token
 * (`server.metrics.bearerToken`), and the hooks that feed the request metrics: one record per
 * finished request from its outcome (dialect, route, outcome code, stages, verdict, score).
 * Scrapes themselves are not counted, so a scrape never moves the request counters.
 */
import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { FaceliveError } from '../errors/catalogue.js';
import type { ServerMetrics } from '../metrics/server-metrics.js';
import type { DialectPluginOptions } from './api-context.js';

/** Where the metrics are served. */
export const METRICS_PATH = '/metrics';

const BEARER = /^Bearer[ \t]+(\S+)[ \t]*$/i;

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

function requireToken(request: FastifyRequest, token: string): void {
  const header = request.headers.authorization;
  if (header === undefined || header.trim() === '')
    throw new FaceliveError('AUTH_CREDENTIAL_MISSING', { expected: 'an Authorization: Bearer <metrics token> header' });
  const match = BEARER.exec(header);
  if (!match) throw new FaceliveError('AUTH_HEADER_MALFORMED', { field: 'Authorization', expected: 'Bearer <metrics token>' });
  if (!sameSecret(match[1], token)) throw new FaceliveError('AUTH_CREDENTIAL_INVALID', { credential: 'metrics token', api: 'metrics' });
}

/** The outcome code of a finished request: `OK`, the catalogue code, or `HTTP_<status>` for a bare failure. */
function outcomeCode(request: FastifyRequest, reply: FastifyReply): string {
  const code = request.outcome?.errorCode;
  if (code) return code;
  return reply.statusCode < 400 ? 'OK' : `HTTP_${reply.statusCode}`;
}

/** Feeds `metrics` from every request of `app` (register before the routes). */
export function recordRequestMetrics(app: FastifyInstance, metrics: ServerMetrics): void {
  app.addHook('onRequest', (request, _reply, done) => {
    if (request.url !== METRICS_PATH) metrics.inFlight.inc();
    done();
  });
  app.addHook('onResponse', (request, reply, done) => {
    if (request.url === METRICS_PATH) return done();
    metrics.inFlight.dec();
    const outcome = request.outcome ?? { surface: 'server' };
    metrics.recordRequest({
      dialect: outcome.surface,
      route: request.routeOptions.url ?? 'unmatched',
      method: request.method,
      code: outcomeCode(request, reply),
      seconds: reply.elapsedTime / 1000,
      verdict: outcome.verdict,
      score: outcome.score,
      stageMs: outcome.stageMs,
    });
    done();
  });
}

/** The `/metrics` route (registered only when `server.metrics.enabled`). */
export const metricsRoutes: FastifyPluginAsync<DialectPluginOptions & { metrics: ServerMetrics }> = async (app, { context, metrics }) => {
  const { bearerToken } = context.config.server.metrics;
  app.get(
    METRICS_PATH,
    {
      schema: {
        summary: 'Prometheus metrics (text exposition format)',
        description:
          'Requests by dialect, route and outcome code, latency and stage histograms, decisions and scores, pool and queue, store and Redis errors, build info, process metrics. Bearer token when server.metrics.bearerToken is set.',
        tags: ['operations'],
        produces: ['text/plain'],
        response: { 200: { type: 'string', description: 'Prometheus text format 0.0.4.' } },
      },
    },
    async (request, reply) => {
      if (bearerToken) requireToken(request, bearerToken);
      return reply.type(metrics.contentType).send(await metrics.render());
    },
  );
};
