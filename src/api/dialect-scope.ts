/**
 * How the server hosts its dialects: each one's plugin is registered under its prefix inside a
 * scope that logs the dialect's name and renders every error in the dialect's envelope; at the
 * root, unknown routes and errors outside any route are answered in the envelope of the dialect
 * that owns the path (the server's own envelope elsewhere), and while the server shuts down new
 * requests get SERVER_SHUTTING_DOWN the same way. No framework answer (`FST_…`) reaches a client.
 */
import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import type { FastifyInstance, FastifyReply, FastifyRequest, FastifyServerOptions } from 'fastify';

/** A router constraint strategy, as fastify's options type it. */
type ConstraintStrategy = NonNullable<NonNullable<FastifyServerOptions['routerOptions']>['constraints']>[string];
type RouteHandler = NonNullable<ReturnType<ReturnType<ConstraintStrategy['storage']>['get']>>;
import { FaceliveError } from '../errors/catalogue.js';
import type { ApiContext } from './api-context.js';
import type { Dialect } from './dialect.js';
import { claimantOfRoot, DIALECTS, dialectOwning, rootDialects, SERVER_ENVELOPE, type SurfaceName } from './dialects.js';
import { noteError, toApiError, toHttpError } from './http-errors.js';
import { addErrorExamples } from './openapi-examples.js';

/** ROUTE_NOT_FOUND for a request no route matched (the path is cut to keep logs and bodies small). */
export function routeNotFound(request: FastifyRequest): FaceliveError {
  return new FaceliveError('ROUTE_NOT_FOUND', { method: request.method, url: request.url.split('?')[0].slice(0, 200) });
}

/**
 * The dialect answering for a request (its URL, and for `/` its method and headers: see
 * `dialectOwning`), and the surface name its log line carries.
 */
export function answererOf(
  request: { readonly url: string; readonly method?: string; readonly headers?: IncomingHttpHeaders },
  dialects: readonly Dialect[] = DIALECTS,
): { readonly dialect: Dialect; readonly surface: SurfaceName } {
  const owner = dialectOwning(request, dialects);
  return owner ? { dialect: owner, surface: owner.name as SurfaceName } : { dialect: SERVER_ENVELOPE, surface: 'server' };
}

/**
 * Sends anything thrown while handling `request` in `dialect`'s envelope: converted to an HTTP
 * catalogue error, recorded on the request's outcome (and logged with its cause when it is ours
 * to fix), rendered, sent with the request id.
 */
export function sendDialectError(reply: FastifyReply, dialect: Dialect, surface: SurfaceName, thrown: unknown, bodyLimitBytes: number): FastifyReply {
  const { request } = reply;
  const error = toHttpError(toApiError(thrown, request, bodyLimitBytes));
  if (request.outcome) request.outcome.surface = surface;
  noteError(request, error);
  const rendered = dialect.errors.render(error, request.id);
  return reply.code(rendered.status).headers(rendered.headers).header('x-request-id', request.id).send(rendered.body);
}

/** Name of the route constraint that routes a request to `/` to the root dialect claiming it. */
export const ROOT_CONSTRAINT = 'rootDialect';

/**
 * The router's strategy behind {@link ROOT_CONSTRAINT}: derives, for a request to `/`, the name
 * of the root dialect that claims it (`claimantOfRoot`). A request no dialect claims derives
 * nothing and reaches the unconstrained routes (the server's own page at `GET /`). Derived lazily,
 * only for paths with constrained routes.
 *
 * @example
 * Fastify({ routerOptions: { constraints: { [ROOT_CONSTRAINT]: rootDialectStrategy(DIALECTS) } } });
 */
export function rootDialectStrategy(dialects: readonly Dialect[]): ConstraintStrategy {
  return {
    name: ROOT_CONSTRAINT,
    mustMatchWhenDerived: false,
    storage() {
      const handlers = new Map<unknown, RouteHandler>();
      return { get: (name) => handlers.get(name) ?? null, set: (name, handler) => void handlers.set(name, handler) };
    },
    // No claimant derives undefined, which find-my-way reads as "no value" (only unconstrained
    // routes match); its types ask for a string.
    deriveConstraint(request: IncomingMessage) {
      return claimantOfRoot({ method: request.method ?? 'GET', url: request.url ?? '/', headers: request.headers }, dialects)?.name as string;
    },
    validate(value: unknown) {
      if (typeof value !== 'string' || !dialects.some((dialect) => dialect.name === value))
        throw new Error(`${ROOT_CONSTRAINT}: "${String(value)}" is not a root dialect`);
    },
  };
}

/**
 * Registers `dialect`'s plugin under its prefix, in a scope that names the dialect in the log
 * line, reads JSON bodies only (until the plugin adds parsers), and answers every error in its
 * envelope.
 *
 * @example
 * for (const dialect of DIALECTS) await registerDialect(app, dialect, context);
 */
export async function registerDialect(app: FastifyInstance, dialect: Dialect, context: ApiContext): Promise<void> {
  const plugin = await dialect.plugin();
  const surface = dialect.name as SurfaceName;
  const { bodyLimitBytes } = context.config.server;
  await app.register(
    async (scope, options) => {
      // Bodies are JSON unless the dialect registers more (multipart); fastify's text/plain parser
      // would hand a route a string where it expects an object.
      scope.removeContentTypeParser('text/plain');
      scope.addHook('onRequest', async (request) => {
        request.outcome.surface = surface;
      });
      scope.setErrorHandler((error, _request, reply) => sendDialectError(reply, dialect, surface, error, bodyLimitBytes));
      // Every route documents its error envelopes with examples rendered by the dialect itself.
      scope.addHook('onRoute', (route) => addErrorExamples(dialect, route.schema?.response as Record<string, unknown> | undefined));
      // Root dialects share `/`: each of its routes there only sees the requests the dialect claims.
      if (rootDialects([dialect]).length > 0) {
        scope.addHook('onRoute', (route) => {
          if (route.url === '/') route.constraints = { ...route.constraints, [ROOT_CONSTRAINT]: dialect.name };
        });
      }
      await plugin(scope, options);
    },
    { context, prefix: dialect.prefix },
  );
}

/**
 * At the root: unknown routes, errors outside the dialects' scopes (probes, docs, a body that
 * fails to parse for an unknown route), and SERVER_SHUTTING_DOWN for requests that arrive once
 * `app.close()` has begun, each in the envelope of the dialect owning the path. Call after the
 * request log is registered and before any route.
 */
export function answerAtRoot(app: FastifyInstance, bodyLimitBytes: number, dialects: readonly Dialect[] = DIALECTS): void {
  let closing = false;
  app.addHook('preClose', async () => {
    closing = true;
  });
  app.addHook('onRequest', async () => {
    if (closing) throw new FaceliveError('SERVER_SHUTTING_DOWN');
  });
  // A dialect may need its exact Content-Type (fastify appends `; charset=utf-8` to any JSON type
  // it is given, so the header is set once the body is serialised).
  if (dialects.some((dialect) => dialect.contentType !== undefined)) {
    app.addHook('onSend', async (request, reply, payload) => {
      const { contentType } = answererOf(request, dialects).dialect;
      if (contentType !== undefined && String(reply.getHeader('content-type') ?? '').startsWith('application/json')) reply.header('content-type', contentType);
      return payload;
    });
  }
  app.setErrorHandler((error, request, reply) => {
    const { dialect, surface } = answererOf(request, dialects);
    return sendDialectError(reply, dialect, surface, error, bodyLimitBytes);
  });
  app.setNotFoundHandler((request, reply) => {
    const { dialect, surface } = answererOf(request, dialects);
    return sendDialectError(reply, dialect, surface, routeNotFound(request), bodyLimitBytes);
  });
}
