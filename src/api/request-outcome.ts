/**
 * What one HTTP request amounted to, gathered while it runs and written as exactly one log line
 * when the response has been sent: request id, dialect (the surface), credential label, verdict, error code and
 * per-stage milliseconds. Never image bytes, base64, URLs' contents or secrets.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Decision } from '../engine/types.js';
import type { ErrorCode } from '../errors/catalogue.js';
import type { SurfaceName } from './dialects.js';

/** Filled in by the routes; read once by the response hook. */
export interface RequestOutcome {
  surface: SurfaceName;
  /** Label of the credential (config name or fingerprint), never the secret. */
  credential?: string;
  imageSource?: 'base64' | 'url' | 'multipart';
  imageBytes?: number;
  verdict?: Decision;
  score?: number;
  errorCode?: ErrorCode;
  modelIds?: readonly string[];
  /** Milliseconds per stage: input (base64 decode or URL fetch), engine round trip, and the engine's own stages. */
  stageMs?: Record<string, number>;
}

declare module 'fastify' {
  interface FastifyRequest {
    outcome: RequestOutcome;
  }
}

function round(ms: number): number {
  return Math.round(ms * 100) / 100;
}

/**
 * Writes the request's one log line. Health checks and the docs log at debug level so that
 * probes do not drown the request log.
 */
export function writeRequestLine(request: FastifyRequest, reply: FastifyReply): void {
  const outcome = request.outcome ?? { surface: 'server' };
  const line = {
    dialect: outcome.surface,
    method: request.method,
    route: request.routeOptions.url ?? 'unmatched',
    status: reply.statusCode,
    credential: outcome.credential,
    imageSource: outcome.imageSource,
    imageBytes: outcome.imageBytes,
    verdict: outcome.verdict,
    score: outcome.score,
    errorCode: outcome.errorCode,
    models: outcome.modelIds,
    ms: { total: round(reply.elapsedTime), ...outcome.stageMs },
  };
  if (outcome.surface === 'server' && !outcome.errorCode) request.log.debug(line, 'request');
  else request.log.info(line, 'request');
}

/** Decorates requests with an outcome and logs one line per request on response. */
export function registerRequestLog(app: FastifyInstance): void {
  app.decorateRequest('outcome', null as unknown as RequestOutcome);
  app.addHook('onRequest', (request, reply, done) => {
    request.outcome = { surface: 'server' };
    reply.header('x-request-id', request.id);
    done();
  });
  app.addHook('onResponse', (request, reply, done) => {
    writeRequestLine(request, reply);
    done();
  });
}
