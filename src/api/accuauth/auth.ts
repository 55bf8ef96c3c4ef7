/**
 * AccuAuth credentials: the `X-DF-API-ID` and `X-DF-API-SECRET` headers, checked against the
 * registry (both compared in constant time), then the key's configured expiry.
 */
import type { FastifyRequest } from 'fastify';
import { FaceliveError } from '../../errors/catalogue.js';
import type { CredentialRegistry } from '../credentials.js';
import type { AccuAuthKey, KeyTerms } from './keys.js';

/** Header carrying the API ID. */
export const API_ID_HEADER = 'X-DF-API-ID';
/** Header carrying the API secret. */
export const API_SECRET_HEADER = 'X-DF-API-SECRET';

const CREDENTIAL = `${API_ID_HEADER}/${API_SECRET_HEADER} pair`;

function headerValue(request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name.toLowerCase()];
  const text = Array.isArray(value) ? value.join(',') : value;
  return text === undefined || text.trim() === '' ? undefined : text.trim();
}

/**
 * The AccuAuth key of a request, or a catalogue error: AUTH_NOT_CONFIGURED (no key configured),
 * AUTH_CREDENTIAL_MISSING (a header absent or empty), AUTH_CREDENTIAL_INVALID (unknown ID, wrong
 * secret, or a credential of another facelive API: not told apart), AUTH_CREDENTIAL_EXPIRED
 * (past the key's `expiresAt`).
 *
 * @example
 * const key = authenticateAccuAuth(request, context.credentials, keyTermsOf(config.server.accuauth), Date.now());
 */
export function authenticateAccuAuth(request: FastifyRequest, credentials: CredentialRegistry, terms: readonly KeyTerms[], nowMs: number): AccuAuthKey {
  credentials.requireConfigured('accuauth');
  const api = credentials.title('accuauth');
  const apiId = headerValue(request, API_ID_HEADER);
  const apiSecret = headerValue(request, API_SECRET_HEADER);
  if (apiId === undefined || apiSecret === undefined) {
    const missing = [apiId === undefined && API_ID_HEADER, apiSecret === undefined && API_SECRET_HEADER].filter(Boolean).join(' and ');
    throw new FaceliveError('AUTH_CREDENTIAL_MISSING', { expected: `the ${API_ID_HEADER} and ${API_SECRET_HEADER} headers (${missing} absent)` });
  }
  const credential = credentials.findPair('accuauth', apiId, apiSecret);
  if (!credential) throw new FaceliveError('AUTH_CREDENTIAL_INVALID', { credential: CREDENTIAL, api });
  const key: AccuAuthKey = { principal: credential.principal, apiId, ...terms[credential.index] };
  if (key.expiresAt && nowMs >= key.expiresAt.epochMs) {
    throw new FaceliveError('AUTH_CREDENTIAL_EXPIRED', { credential: `API ID ${key.apiId}`, expiresAt: key.expiresAt.text });
  }
  return key;
}
