/**
 * `GET /`: a small page for a person who opens the server in a browser: the version, which
 * surfaces are enabled (and the variables that enable the others), and links to /docs, /capture
 * (when on) and the probes. `GET /` without a vendor's claim is the server's own (vendor RPC
 * dialects share `/` and take only the requests they claim; see docs/dialects.md).
 */
import type { FastifyPluginAsync } from 'fastify';
import type { DialectPluginOptions } from './api-context.js';
import { routeNotFound } from './dialect-scope.js';
import { claimantOfRoot } from './dialects.js';
import { surfacesOf, type SurfaceSummary } from './surfaces.js';

/** Options of the landing page plugin. */
export interface LandingPageOptions extends DialectPluginOptions {
  /** The version the page shows. */
  readonly version: string;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

function surfaceRow(surface: SurfaceSummary): string {
  const state = surface.enabled
    ? `enabled (${surface.credentials} credential${surface.credentials === 1 ? '' : 's'}${surface.credentials === 0 ? ', auth off' : ''})`
    : `not enabled: set ${surface.env.map((name) => `<code>${escapeHtml(name)}</code>`).join(' + ')}`;
  const paths = surface.paths.map((path) => `<code>${escapeHtml(path)}</code>`).join(', ');
  return `<tr class="${surface.enabled ? 'on' : 'off'}"><td>${escapeHtml(surface.title)}</td><td>${paths}</td><td>${state}</td></tr>`;
}

/** The page's HTML (no script, no external asset). */
export function landingHtml(version: string, surfaces: readonly SurfaceSummary[], captureEnabled: boolean): string {
  const links = [
    '<a href="/docs">/docs</a> (OpenAPI, Try it out)',
    captureEnabled ? '<a href="/capture">/capture</a> (capture page)' : undefined,
    '<a href="/healthz">/healthz</a> (process up)',
    '<a href="/readyz">/readyz</a> (models loaded)',
  ].filter((link) => link !== undefined);
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>facelive ${escapeHtml(version)}</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:52rem;margin:2rem auto;padding:0 1rem;color:#222}table{border-collapse:collapse;width:100%}td,th{text-align:left;padding:.3rem .6rem;border-bottom:1px solid #ddd;vertical-align:top}tr.off td{color:#777}code{font-size:.9em}</style>
</head><body>
<h1>facelive <span id="version">${escapeHtml(version)}</span></h1>
<p>Single-photo face liveness (presentation attack detection).</p>
<h2>Surfaces</h2>
<table id="surfaces"><thead><tr><th>API</th><th>paths</th><th>state</th></tr></thead><tbody>
${surfaces.map(surfaceRow).join('\n')}
</tbody></table>
<h2>Links</h2>
<ul id="links">${links.map((link) => `<li>${link}</li>`).join('')}</ul>
</body></html>
`;
}

/**
 * Registers `GET /` (and HEAD) at the root, unconstrained: it gets the requests to `/` no
 * vendor dialect claims. Hidden from the OpenAPI document (it is a page, not an API).
 *
 * @example
 * await app.register(landingPage, { context, version: FACELIVE_VERSION });
 */
export const landingPage: FastifyPluginAsync<LandingPageOptions> = async (app, { context, version }) => {
  const { server } = context.config;
  // Fixed for the server's life: the config is frozen.
  const html = landingHtml(version, surfacesOf(server), server.capture.enabled);
  app.get('/', { schema: { hide: true } }, async (request, reply) => {
    // A GET a vendor claims but serves no GET for reaches this route too (the router falls back to
    // unconstrained routes): it is that vendor's unknown route, answered in its envelope.
    if (claimantOfRoot({ method: request.method, url: request.url, headers: request.headers })) throw routeNotFound(request);
    return reply.type('text/html; charset=utf-8').header('cache-control', 'no-store').send(html);
  });
};
