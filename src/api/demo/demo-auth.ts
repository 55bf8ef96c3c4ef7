/**
 * The native check route's second kind of caller: the demo page, with a demo token
 * (demo-tokens.ts) as its bearer credential. Only `POST /v1/liveness` asks this; every other
 * native route knows API keys only, so a token taken from the page opens nothing else.
 */
import type { FastifyRequest } from 'fastify';
import { FaceliveError } from '../../errors/catalogue.js';
import type { ApiContext } from '../api-context.js';
import type { Principal } from '../credentials.js';
import { DEMO_TOKEN_PREFIX } from './demo-tokens.js';

const BEARER = /^Bearer[ \t]+(\S+)[ \t]*$/i;

/**
 * The demo page as a principal when the request carries a demo token and the demo is on;
 * undefined when it carries anything else (the API-key check then runs). A token with the demo
 * prefix that is forged, altered or expired is refused here (AUTH_CREDENTIAL_INVALID or
 * AUTH_CREDENTIAL_EXPIRED), so the page learns to fetch a new one. Demo callers share the
 * server's default rate limit, one bucket per client address.
 *
 * @example
 * const principal = demoPrincipal(request, context) ?? authenticate(request, context);
 */
export function demoPrincipal(request: FastifyRequest, context: ApiContext): Principal | undefined {
  const tokens = context.demoTokens;
  if (!tokens) return undefined;
  const match = BEARER.exec(request.headers.authorization ?? '');
  if (!match?.[1].startsWith(DEMO_TOKEN_PREFIX)) return undefined;
  const checked = tokens.check(match[1]);
  if (!checked.valid) {
    if (checked.expiredAt !== undefined) {
      throw new FaceliveError('AUTH_CREDENTIAL_EXPIRED', { credential: 'demo token', expiresAt: new Date(checked.expiredAt).toISOString() });
    }
    throw new FaceliveError('AUTH_CREDENTIAL_INVALID', { credential: 'demo token', api: 'facelive' });
  }
  return { api: 'native', label: 'demo', bucket: `native:demo:${request.ip}`, limit: context.config.server.rateLimit };
}
