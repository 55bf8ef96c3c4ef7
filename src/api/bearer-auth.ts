/**
 * `Authorization: Bearer <secret>` authentication, shared by the dialects that use it (native,
 * Ace Data Cloud). The dialect decides only how the resulting catalogue errors look.
 */
import type { FastifyRequest } from 'fastify';
import { FaceliveError } from '../errors/catalogue.js';
import type { CredentialRegistry, Principal } from './credentials.js';
import type { ApiName } from './dialects.js';

const BEARER = /^Bearer[ \t]+(\S+)[ \t]*$/i;

/**
 * The caller of a bearer-token dialect, or a catalogue error: AUTH_NOT_CONFIGURED when the
 * dialect has no credential, AUTH_CREDENTIAL_MISSING, AUTH_HEADER_MALFORMED,
 * AUTH_CREDENTIAL_INVALID (one answer for an unknown secret and for a credential of another
 * dialect: which API a secret belongs to is not told to whoever presents it).
 *
 * @example
 * const principal = authenticateBearer(request, context.credentials, 'acedata', 'token');
 */
export function authenticateBearer(request: FastifyRequest, credentials: CredentialRegistry, api: ApiName, credentialName: string): Principal {
  credentials.requireConfigured(api);
  const header = request.headers.authorization;
  if (header === undefined || header.trim() === '') {
    throw new FaceliveError('AUTH_CREDENTIAL_MISSING', { expected: `an Authorization: Bearer <${credentialName}> header` });
  }
  const match = BEARER.exec(header);
  if (!match) throw new FaceliveError('AUTH_HEADER_MALFORMED', { field: 'Authorization', expected: `Bearer <${credentialName}>` });
  const found = credentials.findSecret(api, match[1]);
  if (found) return found.principal;
  throw new FaceliveError('AUTH_CREDENTIAL_INVALID', { credential: credentialName, api: credentials.title(api) });
}
