import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { FaceliveError } from '../errors/catalogue.js';
import type { SurfaceName } from './request-outcome.js';

/** ROUTE_NOT_FOUND for a request no route matched (the path is cut to keep logs and bodies small). */
export function routeNotFound(request: FastifyRequest): FaceliveError {
  return new FaceliveError('ROUTE_NOT_FOUND', { method: request.method, url: request.url.split('?')[0].slice(0, 200) });
}

/**
 * Scopes a dialect's plugin: every request is logged under the dialect's surface, and every
 * error, unknown routes under its prefix included, goes out through the dialect's own handler
 * (its envelope and status rules).
 */
export function scopeDialect(
  app: FastifyInstance,
  surface: SurfaceName,
  handleError: (error: unknown, request: FastifyRequest, reply: FastifyReply) => unknown,
): void {
  app.addHook('onRequest', async (request) => {
    request.outcome.surface = surface;
  });
  app.setErrorHandler(handleError);
  app.setNotFoundHandler((request, reply) => {
    request.outcome.surface = surface;
    handleError(routeNotFound(request), request, reply);
  });
}
