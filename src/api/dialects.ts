/**
 * The list of HTTP surfaces. A dialect is one folder under `src/api/` exporting a
 * {@link Dialect}, plus one line here; everything else is derived from this list (see
 * docs/dialects.md). Order is the order of registration and of the docs tables.
 */
import { accuAuthDialect } from './accuauth/dialect.js';
import { aceDataDialect } from './acedata/dialect.js';
import { advanceDialect } from './advance/dialect.js';
import type { Dialect } from './dialect.js';
import { nativeDialect } from './native/dialect.js';
import { tencentDialect } from './tencent/dialect.js';

/** Every surface the server answers on. */
export const DIALECTS = [nativeDialect, tencentDialect, aceDataDialect, accuAuthDialect, advanceDialect] as const;

/** Name of a dialect: `native`, `tencent`, … */
export type ApiName = (typeof DIALECTS)[number]['name'];

/** The surface a request was answered by, for logs: a dialect, or `server` (probes, docs, paths no dialect owns). */
export type SurfaceName = ApiName | 'server';

/** Whose envelope the server's own routes and unowned paths answer errors in. */
export const SERVER_ENVELOPE: Dialect = nativeDialect;

/** Whether `path` (no query string) lies under the prefix of `dialect`; a root dialect owns only `/`. */
function owns(dialect: Dialect, path: string): boolean {
  if (dialect.prefix === '') return path === '/';
  return path === dialect.prefix || path.startsWith(`${dialect.prefix}/`);
}

/**
 * The dialect whose prefix holds `url` (the longest prefix wins: `/face/liveness_anti_hack/x` is
 * AccuAuth's, `/face/x` Ace Data's), or undefined for paths no dialect owns.
 *
 * @example
 * dialectOwning('/openapi/liveness/v3/nope?x=1')?.name; // 'advance'
 */
export function dialectOwning(url: string, dialects: readonly Dialect[] = DIALECTS): Dialect | undefined {
  const path = url.split('?')[0];
  let found: Dialect | undefined;
  for (const dialect of dialects) {
    if (owns(dialect, path) && (found === undefined || dialect.prefix.length > found.prefix.length)) found = dialect;
  }
  return found;
}
