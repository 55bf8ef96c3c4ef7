/**
 * Which HTTP surfaces a configuration serves, for people: the landing page (`GET /`), the
 * start-up log and `facelive serve --help`. Derived from `DIALECTS` (paths, credential variables)
 * and the config (credentials configured): a surface without a credential answers every call
 * with AUTH_NOT_CONFIGURED, so it is listed as not enabled, with the variables that enable it.
 */
import type { ServerConfig } from '../config/server-schema.js';
import type { Dialect } from './dialect.js';
import { DIALECTS, ownedPaths } from './dialects.js';

/** One surface as people are told about it. */
export interface SurfaceSummary {
  readonly name: string;
  readonly title: string;
  /** The paths it answers on: `/` for the root, the prefixes otherwise. */
  readonly paths: readonly string[];
  /** Number of credentials configured (file and environment). */
  readonly credentials: number;
  /** Whether calls can succeed: a credential exists (or, for the native API, auth is off). */
  readonly enabled: boolean;
  /** The environment variables that add one credential (all of them together). */
  readonly env: readonly string[];
}

function credentialCount(dialect: Dialect, server: ServerConfig): number {
  const section = (server as unknown as Record<string, Record<string, unknown> | undefined>)[dialect.name];
  const list = section?.[dialect.credentials.list];
  return Array.isArray(list) ? list.length : 0;
}

/** Whether `dialect` serves calls without any credential (the native API with auth off). */
function openWithoutCredential(dialect: Dialect, server: ServerConfig): boolean {
  return dialect.name === 'native' && !server.native.auth.enabled;
}

/**
 * Every surface of `dialects` under `server`.
 *
 * @example
 * surfacesOf(config.server).filter((surface) => surface.enabled).map((surface) => surface.title);
 */
export function surfacesOf(server: ServerConfig, dialects: readonly Dialect[] = DIALECTS): SurfaceSummary[] {
  return dialects.map((dialect) => {
    const credentials = credentialCount(dialect, server);
    return {
      name: dialect.name,
      title: dialect.title,
      paths: ownedPaths(dialect),
      credentials,
      enabled: credentials > 0 || openWithoutCredential(dialect, server),
      env: Object.values(dialect.credentials.env),
    };
  });
}

/**
 * The text `facelive serve --help` ends with: every surface, its paths and the variables that
 * give it a credential.
 */
export function surfacesHelp(dialects: readonly Dialect[] = DIALECTS): string {
  const lines = dialects.map((dialect) => `  ${dialect.title} (${ownedPaths(dialect).join(', ')}): ${Object.values(dialect.credentials.env).join(' + ')}`);
  return [
    '',
    'Surfaces and the environment variables that give each one a credential (a surface without one',
    'refuses every call with AUTH_NOT_CONFIGURED; the config file may list several per surface):',
    ...lines,
  ].join('\n');
}
