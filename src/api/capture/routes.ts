/**
 * The capture page: `GET /capture` serves a self-contained page (web/capture: HTML, vanilla JS,
 * CSS; no network resources) that takes a far and a near photo and submits them to the ADVANCE.AI
 * dialect, as the vendor's H5 capture SDK would. `GET /capture/token` hands the page a short-lived
 * access token of one configured accessKey, so no secret ever reaches the browser; but anyone who
 * can reach `/capture` can submit with that key (local testing and demos). Off by default; when
 * off, no route exists and both paths answer 404.
 */
import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsync } from 'fastify';
import type { Config } from '../../config/schema.js';
import { FaceliveError } from '../../errors/catalogue.js';
import { advanceDialect } from '../advance/dialect.js';
import { createAdvanceTokenIssuer } from '../advance/services.js';
import type { DialectPluginOptions } from '../api-context.js';
import { CONTENT_TYPES, registerPageAssets, type PageAsset } from '../page-assets.js';
import { enforceRateLimit } from '../rate-limiter.js';

/** Route → file under web/; plain-errors.js and photo-prep.js are shared with the demo page. */
const ASSETS: readonly PageAsset[] = [
  { route: '/capture', file: 'capture/index.html', contentType: CONTENT_TYPES.html },
  { route: '/capture/capture.js', file: 'capture/capture.js', contentType: CONTENT_TYPES.js },
  { route: '/capture/capture.css', file: 'capture/capture.css', contentType: CONTENT_TYPES.css },
  { route: '/capture/plain-errors.js', file: 'shared/plain-errors.js', contentType: CONTENT_TYPES.js },
  { route: '/capture/photo-prep.js', file: 'shared/photo-prep.js', contentType: CONTENT_TYPES.js },
];

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
  registerPageAssets(app, ASSETS, 'server.capture.enabled');
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
