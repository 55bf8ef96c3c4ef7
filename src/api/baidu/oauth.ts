/**
 * `/oauth/2.0/token`: API Key + Secret Key (`client_id`, `client_secret`, `grant_type =
 * client_credentials`, in the query and/or a form or JSON body, by GET or POST) → an access token
 * (access-token.ts). Refusals are OAuth answers, `{error, error_description}` with Baidu's texts
 * (../shared/reference/006, 2.3), not the API's `error_code` envelope: the SDK tells them apart by
 * the `error` field (and then signs its calls with bce-auth-v1).
 */
import type { HttpErrorCode } from '../../errors/catalogue.js';
import type { Credential, CredentialRegistry } from '../credentials.js';
import type { TokenParamsType } from './schemas.js';

/** The grant type Baidu issues tokens for. */
export const GRANT_TYPE = 'client_credentials';

/**
 * The scope the SDK needs to use the token (`brain_all_scope`; without it the SDK signs with
 * bce-auth-v1), and the face-liveness scope names Baidu grants.
 */
export const TOKEN_SCOPE = 'public brain_all_scope vis-faceverify_faceverify_h5-face-liveness brain_face_liveness';

/** A refusal of the token endpoint: its HTTP status, the OAuth body, and the catalogue code for the log line. */
export interface OAuthRefusal {
  readonly status: 400 | 401;
  readonly body: { readonly error: string; readonly error_description: string };
  readonly code: HttpErrorCode;
}

const UNKNOWN_CLIENT: OAuthRefusal = {
  status: 401,
  body: { error: 'invalid_client', error_description: 'unknown client id' },
  code: 'AUTH_CREDENTIAL_INVALID',
};
const BAD_SECRET: OAuthRefusal = {
  status: 401,
  body: { error: 'invalid_client', error_description: 'Client authentication failed' },
  code: 'AUTH_SIGNATURE_INVALID',
};

/** The fields of a token request, from the query and the body (a body value wins). */
export function tokenParams(query: URLSearchParams, body: Readonly<Record<string, unknown>>): TokenParamsType {
  const pick = (name: keyof TokenParamsType): string | undefined => {
    const fromBody = body[name];
    return typeof fromBody === 'string' ? fromBody : (query.get(name) ?? undefined);
  };
  return { grant_type: pick('grant_type'), client_id: pick('client_id'), client_secret: pick('client_secret') };
}

/**
 * The credential a token request authenticates, or its refusal: wrong grant type, then unknown
 * API Key (also when it is missing, or when no credential is configured), then wrong Secret Key
 * (compared in constant time).
 *
 * @example
 * const outcome = authenticateTokenRequest(tokenParams(query, form), context.credentials);
 */
export function authenticateTokenRequest(params: TokenParamsType, credentials: CredentialRegistry): Credential | OAuthRefusal {
  if (params.grant_type !== GRANT_TYPE) {
    return {
      status: 400,
      body: { error: 'unsupported_grant_type', error_description: `grant_type must be ${GRANT_TYPE}` },
      code: params.grant_type ? 'INVALID_ARGUMENT' : 'ARGUMENT_MISSING',
    };
  }
  // An unknown client id gets the wrong secret's answer: a caller cannot learn which ids exist.
  if (!params.client_id) return UNKNOWN_CLIENT;
  return credentials.findPair('baidu', params.client_id, params.client_secret ?? '') ?? BAD_SECRET;
}

/** Whether the outcome is a refusal. */
export function isRefusal(outcome: Credential | OAuthRefusal): outcome is OAuthRefusal {
  return !('principal' in outcome);
}
