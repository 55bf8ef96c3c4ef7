/**
 * `Authorization: Bearer <secret>` authentication, shared by the dialects that use it (native,
 * Ace Data Cloud). The dialect decides only how the resulting catalogue errors look.
 */
import type { FastifyRequest } from 'fastify';
import { FaceliveError } from '../errors/catalogue.js';
import { API_TITLES, type CredentialRegistry, type Principal } from './credentials.js';

const BEARER = /^Bearer[ \t]+(\S+)[ \t]*$/i;

/**
 * The caller of a bearer-token dialect, or a catalogue error: AUTH_NOT_CONFIGURED when the
 * dialect has no credential, AUTH_CREDENTIAL_MISSING, AUTH_HEADER_MALFORMED,
 * AUTH_CREDENTIAL_WRONG_API (a valid credential of another dialect), AUTH_CREDENTIAL_INVALID.
 */
export function authenticateBearer(request: FastifyRequest, credentials: CredentialRegistry, api: 'native' | 'acedata', credentialName: string): Principal {
  if (credentials.count(api) === 0) throw new FaceliveError('AUTH_NOT_CONFIGURED', { api: API_TITLES[api] });
  const header = request.headers.authorization;
  if (header === undefined || header.trim() === '') {
    throw new FaceliveError('AUTH_CREDENTIAL_MISSING', { expected: `an Authorization: Bearer <${credentialName}> header` });
  }
  const match = BEARER.exec(header);
  if (!match) throw new FaceliveError('AUTH_HEADER_MALFORMED', { header: 'Authorization', expected: `Bearer <${credentialName}>` });
  const principal = credentials.findBearer(api, match[1]);
  if (principal) return principal;
  const owner = credentials.ownerOfBearer(match[1]);
  if (owner) throw new FaceliveError('AUTH_CREDENTIAL_WRONG_API', { credential: credentialName, owner: API_TITLES[owner], api: API_TITLES[api] });
  throw new FaceliveError('AUTH_CREDENTIAL_INVALID', { credential: credentialName, api: API_TITLES[api] });
}
