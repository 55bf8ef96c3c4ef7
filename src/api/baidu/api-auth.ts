/**
 * Who calls `/rest/2.0/face/v3/faceverify`: an `access_token` in the query (Baidu's documented
 * way), or a bce-auth-v1 `authorization` header (the SDK's fallback). The token is cut at a second
 * `?`: the Node SDK sends `?aipSdk=node&access_token=<token>?aipSdk=node`, and a standard parser
 * reads the token as `<token>?aipSdk=node`. Missing token → 100, unknown or altered → 110,
 * expired → 111, bad signature → 14 (errors.ts).
 */
import type { FastifyRequest } from 'fastify';
import { FaceliveError } from '../../errors/catalogue.js';
import type { ApiContext } from '../api-context.js';
import type { Credential } from '../credentials.js';
import { checkBaiduToken } from './access-token.js';
import { hasBceAuthorization, verifyBceAuth } from './bce-auth.js';

/** The `access_token` of a raw URL, cut at a second `?`; undefined when absent or empty. */
export function accessTokenOf(url: string): string | undefined {
  const at = url.indexOf('?');
  if (at < 0) return undefined;
  const value = new URLSearchParams(url.slice(at + 1)).get('access_token');
  const token = value?.split('?')[0].trim();
  return token ? token : undefined;
}

/**
 * The credential of a faceverify call, or the catalogue error that refuses it.
 *
 * @example
 * const credential = authenticateCall(request, context);
 */
export function authenticateCall(request: FastifyRequest, context: ApiContext): Credential {
  const secretKeyOf = (apiKey: string) => context.credentials.findById('baidu', apiKey)?.secret;
  const token = accessTokenOf(request.url);
  let apiKey: string;
  if (token === undefined && hasBceAuthorization(request.headers)) {
    const at = request.url.indexOf('?');
    apiKey = verifyBceAuth(
      {
        method: request.method,
        path: at < 0 ? request.url : request.url.slice(0, at),
        query: at < 0 ? '' : request.url.slice(at + 1),
        headers: request.headers,
      },
      { secretKeyOf, nowMs: context.now(), maxSkewSeconds: context.config.server.baidu.maxClockSkewSeconds },
    );
  } else {
    if (token === undefined) {
      throw new FaceliveError('AUTH_CREDENTIAL_MISSING', {
        expected: 'access_token in the query (from POST /oauth/2.0/token) or a bce-auth-v1 authorization header',
      });
    }
    const checked = checkBaiduToken(token, secretKeyOf, context.now());
    if (checked.status === 'invalid') {
      throw new FaceliveError('AUTH_CREDENTIAL_INVALID', {
        credential: 'access_token (unknown, altered, or of a removed API Key)',
        api: context.credentials.title('baidu'),
      });
    }
    if (checked.status === 'expired') {
      throw new FaceliveError('AUTH_CREDENTIAL_EXPIRED', { credential: 'access_token', expiresAt: new Date(checked.expiresAt * 1000).toISOString() });
    }
    apiKey = checked.apiKey;
  }
  return context.credentials.findById('baidu', apiKey)!;
}
