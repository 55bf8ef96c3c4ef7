/**
 * The demo page: `GET /demo` serves a self-contained page (web/demo: HTML, vanilla JS, CSS; no
 * network resources) where a person drops, pastes or takes photos and sees why each got its
 * verdict, from the native API's full result. `GET /demo/token` hands the page a short-lived demo
 * token, which `POST /v1/liveness` accepts in place of an API key (and no other route does), so
 * no secret reaches the browser; but anyone who can reach `/demo` can check photos. `GET
 * /demo/settings` gives the threshold, the calibrated ladder and the quality limits. Off by
 * default; when off, no route exists and every path answers 404.
 */
import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsync } from 'fastify';
import type { DialectPluginOptions } from '../api-context.js';
import { CONTENT_TYPES, registerPageAssets, type PageAsset } from '../page-assets.js';
import { demoSettings, DemoSettings } from './settings.js';

/** Route → file under web/; plain-errors.js and photo-prep.js are shared with the capture page. */
const ASSETS: readonly PageAsset[] = [
  { route: '/demo', file: 'demo/index.html', contentType: CONTENT_TYPES.html },
  { route: '/demo/demo.js', file: 'demo/demo.js', contentType: CONTENT_TYPES.js },
  { route: '/demo/view.js', file: 'demo/view.js', contentType: CONTENT_TYPES.js },
  { route: '/demo/demo.css', file: 'demo/demo.css', contentType: CONTENT_TYPES.css },
  { route: '/demo/plain-errors.js', file: 'shared/plain-errors.js', contentType: CONTENT_TYPES.js },
  { route: '/demo/photo-prep.js', file: 'shared/photo-prep.js', contentType: CONTENT_TYPES.js },
];

const DemoTokenBody = Type.Object({
  token: Type.String({ description: 'Bearer credential for POST /v1/liveness only.' }),
  expiresAt: Type.Integer({ description: 'Expiry, epoch milliseconds.' }),
});

/**
 * Demo page, settings and token routes; registers nothing unless `server.demo.enabled` (the
 * server then also gives the context its `demoTokens`).
 *
 * @example
 * await app.register(demoRoutes, { context });
 */
export const demoRoutes: FastifyPluginAsync<DialectPluginOptions> = async (app, { context }) => {
  const { demo } = context.config.server;
  const tokens = context.demoTokens;
  if (!demo.enabled || !tokens) return;
  const settings = await demoSettings(context.config);
  registerPageAssets(app, ASSETS, 'server.demo.enabled');
  app.get(
    '/demo/settings',
    {
      schema: {
        summary: 'What the demo page shows besides a result: threshold, calibrated ladder, quality limits',
        tags: ['native'],
        response: { 200: DemoSettings },
      },
    },
    async (request) => {
      request.outcome.surface = 'native';
      return settings;
    },
  );
  app.get(
    '/demo/token',
    {
      schema: {
        summary: 'A short-lived demo token, accepted as a bearer credential by POST /v1/liveness only (server.demo)',
        tags: ['native'],
        response: { 200: DemoTokenBody },
      },
    },
    async (request, reply) => {
      request.outcome.surface = 'native';
      request.outcome.credential = 'demo';
      reply.header('cache-control', 'no-store');
      return tokens.issue(demo.tokenPeriodSeconds);
    },
  );
};
