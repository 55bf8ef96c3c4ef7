/**
 * The list of HTTP surfaces. A dialect is one folder under `src/api/` exporting a
 * {@link Dialect}, plus one line here; everything else is derived from this list (see
 * docs/dialects.md). Order is the order of registration and of the docs tables.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { accuAuthDialect } from './accuauth/dialect.js';
import { aceDataDialect } from './acedata/dialect.js';
import { advanceDialect } from './advance/dialect.js';
import { alibabaDialect } from './alibaba/dialect.js';
import { baiduDialect } from './baidu/dialect.js';
import type { Dialect, RootRequest } from './dialect.js';
import { nativeDialect } from './native/dialect.js';
import { tencentDialect } from './tencent/dialect.js';

/** Every surface the server answers on. */
export const DIALECTS = [nativeDialect, tencentDialect, aceDataDialect, accuAuthDialect, advanceDialect, alibabaDialect, baiduDialect] as const;

/** Name of a dialect: `native`, `tencent`, … */
export type ApiName = (typeof DIALECTS)[number]['name'];

/** The surface a request was answered by, for logs: a dialect, or `server` (probes, docs, paths no dialect owns). */
export type SurfaceName = ApiName | 'server';

/** Whose envelope the server's own routes and unowned paths answer errors in. */
export const SERVER_ENVELOPE: Dialect = nativeDialect;

/** The path prefixes a dialect answers for; `''` stands for `/` itself. */
function ownedPrefixes(dialect: Dialect): readonly string[] {
  return dialect.owns ?? [dialect.prefix];
}

/**
 * The paths a dialect owns, for people: `/` for the root, the prefixes otherwise.
 *
 * @example
 * ownedPaths(tencentDialect); // ['/']
 */
export function ownedPaths(dialect: Dialect): string[] {
  return ownedPrefixes(dialect).map((prefix) => prefix || '/');
}

/** Whether `path` (no query string) lies under `prefix`; the root prefix `''` holds only `/`. */
function under(prefix: string, path: string): boolean {
  if (prefix === '') return path === '/';
  return path === prefix || path.startsWith(`${prefix}/`);
}

/** The dialects that share `/`, in list order. */
export function rootDialects(dialects: readonly Dialect[] = DIALECTS): Dialect[] {
  return dialects.filter((dialect) => ownedPrefixes(dialect).includes(''));
}

/** What a request to `/` is judged by: its method, headers and URL. */
export interface RequestToRoot {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
}

function rootRequestOf(request: RequestToRoot): RootRequest {
  const query = request.url.indexOf('?');
  return { method: request.method, headers: request.headers, query: new URLSearchParams(query < 0 ? '' : request.url.slice(query + 1)) };
}

/**
 * The root dialect a request to `/` belongs to: the first whose `claims` holds; else, for any
 * method but GET and HEAD, the first root dialect (Tencent Cloud answers an action-less POST
 * with its MissingParameter); else none (a browser's GET / gets the server's own page).
 *
 * @example
 * claimantOfRoot({ method: 'POST', url: '/', headers: { 'x-tc-action': 'DetectLiveFaceAccurate' } })?.name; // 'tencent'
 */
export function claimantOfRoot(request: RequestToRoot, dialects: readonly Dialect[] = DIALECTS): Dialect | undefined {
  const roots = rootDialects(dialects);
  const asSeen = rootRequestOf(request);
  const claimant = roots.find((dialect) => dialect.claims?.(asSeen) ?? false);
  if (claimant || request.method === 'GET' || request.method === 'HEAD') return claimant;
  return roots[0];
}

/**
 * The path under which a root dialect's routes at `/` are documented in OpenAPI, which has one
 * operation per method and path: `/` for the first root dialect (which also answers unclaimed
 * POSTs there), `/#<name>` for the others (the request still goes to `/`; the claim picks the dialect).
 *
 * @example
 * documentedRootPath('tencent'); // '/'
 */
export function documentedRootPath(name: string, dialects: readonly Dialect[] = DIALECTS): string {
  return rootDialects(dialects)[0]?.name === name ? '/' : `/#${name}`;
}

/**
 * The dialect whose owned prefixes hold the request's path (the longest prefix wins:
 * `/face/liveness_anti_hack/x` is AccuAuth's, `/face/x` Ace Data's); for `/`, the root dialect
 * that claims the request, else the first root dialect; undefined for paths no dialect owns.
 * Without headers (a request Node's parser refused), `/` goes to the dialect its query string
 * claims it for, else to the first root dialect.
 *
 * @example
 * dialectOwning({ url: '/openapi/liveness/v3/nope?x=1' })?.name; // 'advance'
 */
export function dialectOwning(
  request: { readonly url: string; readonly method?: string; readonly headers?: IncomingHttpHeaders },
  dialects: readonly Dialect[] = DIALECTS,
): Dialect | undefined {
  const path = request.url.split('?')[0];
  if (path === '/') {
    // Without headers (a request Node's parser refused) a claim can still rest on the query string.
    const claimant = claimantOfRoot({ method: request.method ?? 'GET', url: request.url, headers: request.headers ?? {} }, dialects);
    return claimant ?? rootDialects(dialects)[0];
  }
  let found: { dialect: Dialect; length: number } | undefined;
  for (const dialect of dialects) {
    for (const prefix of ownedPrefixes(dialect)) {
      if (prefix !== '' && under(prefix, path) && (found === undefined || prefix.length > found.length)) found = { dialect, length: prefix.length };
    }
  }
  return found?.dialect;
}
