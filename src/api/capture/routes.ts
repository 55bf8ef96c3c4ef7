/**
 * The capture page: `GET /capture` serves a self-contained page (web/capture: HTML, vanilla JS,
 * CSS; no network resources) that takes a far and a near photo and submits them to the ADVANCE.AI
 * dialect, as the vendor's H5 capture SDK would. `GET /capture/token` hands the page a short-lived
 * access token of one configured accessKey, so no secret ever reaches the browser; but anyone who
 * can reach `/capture` can submit with that key (local testing and demos). Off by default; when
 * off, no route exists and both paths answer 404.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsync } from 'fastify';
import type { Config } from '../../config/schema.js';
import { FaceliveError } from '../../errors/catalogue.js';
import { advanceDialect } from '../advance/dialect.js';
import { createAdvanceTokenIssuer } from '../advance/services.js';
import type { DialectPluginOptions } from '../api-context.js';
import { enforceRateLimit } from '../rate-limiter.js';

/**
 * The page's files: `web/capture/` at the package root. This module sits three levels below the
 * root both as `src/api/capture/routes.ts` (tsx) and as `dist/api/capture/routes.js` (build), and
 * `web` ships in the package's `files`.
 */
export const CAPTURE_WEB_DIR = fileURLToPath(new URL('../../../web/capture/', import.meta.url));

/** Route → file and content type; a fixed table, so no request path ever reaches the file system. */
const ASSETS: readonly { readonly route: string; readonly file: string; readonly contentType: string }[] = [
  { route: '/capture', file: 'index.html', contentType: 'text/html; charset=utf-8' },
  { route: '/capture/capture.js', file: 'capture.js', contentType: 'text/javascript; charset=utf-8' },
  { route: '/capture/capture.css', file: 'capture.css', contentType: 'text/css; charset=utf-8' },
];

/**
 * The page may load only its own script and style, show its own and blob: images, use the camera
 * stream, and talk to this origin: a stray reference to a CDN fails loudly instead of leaking.
 */
const PAGE_HEADERS: Readonly<Record<string, string>> = {
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

const CaptureToken = Type.Object({
  token: Type.String({ description: 'ADVANCE.AI access token, sent as X-ACCESS-TOKEN.' }),
  expiredTime: Type.Integer({ description: 'Expiry, epoch milliseconds.' }),
});

/**
 * The accessKey the page's tokens belong to: `server.capture.accessKey`, or the first credential.
 * Checked at start-up, so that a misconfigured page fails `facelive serve` rather than every visit.
 */
export function captureAccessKey(config: Config): string {
  const { capture, advance } = config.server;
  const configured = advance.credentials.map((credential) => credential.accessKey);
  const accessKey = capture.accessKey || configured[0];
  if (!accessKey) {
    throw new FaceliveError('CONFIG_INVALID', {
      reason: `server.capture.enabled is true but no ADVANCE.AI credential is configured (server.advance.credentials or ${Object.values(advanceDialect.credentials.env).join(' + ')})`,
    });
  }
  if (!configured.includes(accessKey)) {
    throw new FaceliveError('CONFIG_INVALID', { reason: `server.capture.accessKey "${accessKey}" is not one of server.advance.credentials` });
  }
  if (capture.tokenPeriodSeconds > advance.tokenMaxPeriodSeconds) {
    throw new FaceliveError('CONFIG_INVALID', {
      reason: `server.capture.tokenPeriodSeconds (${capture.tokenPeriodSeconds}) exceeds server.advance.tokenMaxPeriodSeconds (${advance.tokenMaxPeriodSeconds})`,
    });
  }
  return accessKey;
}

function readAssets(): { route: string; contentType: string; body: Buffer }[] {
  return ASSETS.map(({ route, file, contentType }) => {
    const location = path.join(CAPTURE_WEB_DIR, file);
    try {
      return { route, contentType, body: readFileSync(location) };
    } catch (error) {
      throw new FaceliveError('CONFIG_INVALID', { reason: `server.capture.enabled is true but the page file ${location} cannot be read` }, { cause: error });
    }
  });
}

/**
 * Capture page and token routes; registers nothing unless `server.capture.enabled`. The page is
 * read once, at registration. Its tokens come from an issuer of its own: ADVANCE.AI tokens are
 * stateless, so the dialect verifies them like its own.
 *
 * @example
 * await app.register(captureRoutes, { context });
 */
export const captureRoutes: FastifyPluginAsync<DialectPluginOptions> = async (app, { context }) => {
  const { capture } = context.config.server;
  if (!capture.enabled) return;
  const accessKey = captureAccessKey(context.config);
  const tokens = createAdvanceTokenIssuer(context.config, context.now);
  const principal = context.credentials.findById('advance', accessKey)?.principal;
  const label = principal?.label ?? accessKey;
  for (const { route, contentType, body } of readAssets()) {
    app.get(route, { schema: { hide: true } }, async (_request, reply) => reply.headers(PAGE_HEADERS).type(contentType).send(body));
  }
  app.get(
    '/capture/token',
    {
      schema: {
        summary: 'A short-lived ADVANCE.AI access token for the capture page (server.capture.accessKey)',
        tags: ['advance'],
        response: { 200: CaptureToken },
      },
    },
    async (request, reply) => {
      // Logged at info as an ADVANCE.AI call of that key: handing out a token is using the key.
      request.outcome.surface = 'advance';
      request.outcome.credential = label;
      // Handing out a token is a call of the key: its rate limit applies (the page's visitors share it).
      if (principal) await enforceRateLimit(context.rateLimiter, principal);
      reply.header('cache-control', 'no-store');
      const { token, expiredTime } = tokens.issue(accessKey, capture.tokenPeriodSeconds);
      return { token, expiredTime };
    },
  );
};
