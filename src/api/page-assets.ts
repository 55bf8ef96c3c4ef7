/**
 * The static pages facelive serves (`/capture`, `/demo`): files under `web/` read once at
 * registration and answered from a fixed route table, so no request path ever reaches the file
 * system, with headers that keep each page to its own origin.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import { FaceliveError } from '../errors/catalogue.js';

/**
 * `web/` at the package root. This module sits two levels below the root both as
 * `src/api/page-assets.ts` (tsx) and as `dist/api/page-assets.js` (build), and `web` ships in
 * the package's `files`.
 */
export const WEB_DIR = fileURLToPath(new URL('../../web/', import.meta.url));

/** One file of a page: its route, its path under `web/`, its content type. */
export interface PageAsset {
  readonly route: string;
  /** Relative to {@link WEB_DIR}, e.g. `demo/index.html`. */
  readonly file: string;
  readonly contentType: string;
}

/** Content types of the page files. */
export const CONTENT_TYPES = {
  html: 'text/html; charset=utf-8',
  js: 'text/javascript; charset=utf-8',
  css: 'text/css; charset=utf-8',
} as const;

/**
 * A page may load only its own scripts and styles, show its own, blob: and data: images, use the
 * camera stream, and talk to this origin: a stray reference to a CDN fails loudly instead of leaking.
 */
export const PAGE_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy': [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' blob: data:",
    "media-src 'self' blob: mediastream:",
    "connect-src 'self'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; '),
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'permissions-policy': 'camera=(self), microphone=()',
  'cache-control': 'no-cache',
};

/**
 * Reads every asset now and answers each route with it. A file that cannot be read fails
 * start-up (CONFIG_INVALID naming `setting`, the switch that turned the page on).
 *
 * @example
 * registerPageAssets(app, [{ route: '/demo', file: 'demo/index.html', contentType: CONTENT_TYPES.html }], 'server.demo.enabled');
 */
export function registerPageAssets(app: FastifyInstance, assets: readonly PageAsset[], setting: string): void {
  const loaded = assets.map(({ route, file, contentType }) => {
    const location = path.join(WEB_DIR, file);
    try {
      return { route, contentType, body: readFileSync(location) };
    } catch (error) {
      throw new FaceliveError('CONFIG_INVALID', { reason: `${setting} is true but the page file ${location} cannot be read` }, { cause: error });
    }
  });
  for (const { route, contentType, body } of loaded) {
    app.get(route, { schema: { hide: true } }, async (_request, reply) => reply.headers(PAGE_HEADERS).type(contentType).send(body));
  }
}
