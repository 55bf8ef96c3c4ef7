/**
 * Every answer the HTTP suites receive is checked against what the server documents: the
 * response schema that `/docs/json` gives for the route, method and status (or, for a path no
 * route documents, the error envelope of the dialect owning it). The server serialises with
 * JSON.stringify, so this is the one place where the documented schemas meet real answers.
 */
import assert from 'node:assert/strict';
import type { IncomingHttpHeaders } from 'node:http';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { answererOf } from '../../src/api/dialect-scope.js';
import { claimantOfRoot, documentedRootPath } from '../../src/api/dialects.js';

const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;

/** One documented answer: its media types, and the JSON pointer of its JSON schema when it is JSON. */
interface DocumentedAnswer {
  readonly types: readonly string[];
  readonly jsonSchema?: string;
}

interface DocumentedRoute {
  readonly method: string;
  readonly pattern: RegExp;
  readonly path: string;
  /** Status key (`200`, `4XX`, `DEFAULT`) → what it documents. */
  readonly responses: ReadonlyMap<string, DocumentedAnswer>;
}

/** Checks answers against one server's OpenAPI document. */
export interface OpenApiChecker {
  /** Throws an assertion error naming the route, status and schema errors when `response` is not documented. */
  check(method: string, url: string, status: number, contentType: string | undefined, body: string, requestHeaders?: IncomingHttpHeaders): void;
}

function pointer(...parts: string[]): string {
  return `#/${parts.map((part) => part.replace(/~/g, '~0').replace(/\//g, '~1')).join('/')}`;
}

function routesOf(spec: { paths: Record<string, Record<string, { responses?: Record<string, { content?: Record<string, unknown> }> }>> }): DocumentedRoute[] {
  const routes: DocumentedRoute[] = [];
  for (const [path, operations] of Object.entries(spec.paths)) {
    const pattern = new RegExp(`^${path.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{[^}]+\}/g, '[^/]+')}$`);
    for (const [method, operation] of Object.entries(operations)) {
      const responses = new Map<string, DocumentedAnswer>();
      for (const [status, response] of Object.entries(operation.responses ?? {})) {
        const types = Object.keys(response.content ?? {});
        const jsonSchema = types.includes('application/json')
          ? pointer('paths', path, method, 'responses', status, 'content', 'application/json', 'schema')
          : undefined;
        responses.set(status.toUpperCase(), { types, jsonSchema });
      }
      routes.push({ method: method.toUpperCase(), pattern, path, responses });
    }
  }
  return routes;
}

/** Builds a checker from a server's `/docs/json`. */
export function openApiChecker(spec: Record<string, unknown>): OpenApiChecker {
  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats(ajv);
  ajv.addSchema(spec, 'openapi');
  const routes = routesOf(spec as never);
  const compiled = new Map<string, ValidateFunction>();
  const validatorOf = (ref: string) => {
    let validate = compiled.get(ref);
    if (!validate) compiled.set(ref, (validate = ajv.compile({ $ref: `openapi${ref}` })));
    return validate;
  };
  return {
    check(method, url, status, contentType, body, requestHeaders) {
      const path = url.split('?')[0];
      if (path.startsWith('/docs')) return;
      // GET / that no vendor claims is the server's landing page (HTML), not the vendor's GET /.
      if (path === '/' && /^(GET|HEAD)$/i.test(method) && !claimantOfRoot({ method: method.toUpperCase(), url, headers: requestHeaders ?? {} })) return;
      // At `/`, the routes of the root dialect claiming the request (documented under their own path).
      const claimant = path === '/' ? claimantOfRoot({ method, url, headers: requestHeaders ?? {} }) : undefined;
      const documented = claimant ? documentedRootPath(claimant.name) : undefined;
      const route = routes.find(
        (candidate) => candidate.method === method.toUpperCase() && (documented ? candidate.path === documented : candidate.pattern.test(path)),
      );
      const json = contentType?.startsWith('application/json') ?? false;
      let ref: string | undefined;
      let where: string;
      if (route) {
        where = `${route.method} ${route.path} → ${status}`;
        const keys = [String(status), `${String(status)[0]}XX`, 'DEFAULT'];
        const key = keys.find((candidate) => route.responses.has(candidate));
        assert.ok(key !== undefined, `${where}: status not documented (documented: ${[...route.responses.keys()].join(', ')}); body ${body.slice(0, 300)}`);
        const answer = route.responses.get(key)!;
        const type = (contentType ?? '').split(';')[0].trim();
        if (answer.types.length > 0) assert.ok(answer.types.includes(type), `${where}: documented as ${answer.types.join(', ')}, answered ${contentType}`);
        ref = answer.jsonSchema;
        if (ref === undefined) return;
      } else {
        // No documented route: fastify's own pages (static files) pass; a JSON answer is an error envelope.
        if (!json) return;
        const { dialect } = answererOf({ url, method, headers: requestHeaders });
        where = `${method} ${path} (undocumented) → ${status}`;
        ref = pointer('components', 'schemas', `${dialect.name}Error`);
      }
      const validate = validatorOf(ref);
      const value: unknown = JSON.parse(body);
      if (!validate(value))
        assert.fail(`${where}: the answer does not match its schema ${ref}: ${ajv.errorsText(validate.errors)}; body ${body.slice(0, 500)}`);
    },
  };
}

/**
 * Makes `app.inject` check every answer against the app's own OpenAPI document (read once,
 * before any other request).
 *
 * @example
 * await checkAnswersAgainstOpenApi(app);
 * await app.inject({ method: 'POST', url: '/v1/liveness', payload }); // throws when undocumented
 */
export async function checkAnswersAgainstOpenApi(app: FastifyInstance): Promise<void> {
  const inject = app.inject.bind(app) as (options: InjectOptions | string) => Promise<LightMyRequestResponse>;
  const checker = openApiChecker((await inject('/docs/json')).json());
  const checked = async (options: InjectOptions | string): Promise<LightMyRequestResponse> => {
    const response = await inject(options);
    const { method = 'GET', url = '/' } = typeof options === 'string' ? { url: options } : options;
    const target = typeof url === 'string' ? url : `${url.pathname}${url.query ? `?${new URLSearchParams(url.query as Record<string, string>)}` : ''}`;
    const given = typeof options === 'string' ? {} : (options.headers ?? {});
    const requestHeaders: IncomingHttpHeaders = Object.fromEntries(Object.entries(given).map(([name, value]) => [name.toLowerCase(), value as string]));
    checker.check(method, target, response.statusCode, response.headers['content-type'] as string | undefined, response.body, requestHeaders);
    return response;
  };
  Object.defineProperty(app, 'inject', { value: checked, configurable: true, writable: true });
}
