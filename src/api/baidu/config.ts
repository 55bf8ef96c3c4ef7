/** The `server.baidu` config section: API Key / Secret Key pairs, the access-token lifetime and the signature window. */
import { Type } from '@sinclair/typebox';
import { CommonCredentialFields } from '../../config/credential-fields.js';

/**
 * The Node SDK counts a token whose `expires_in` is at most one day as already expired and then
 * calls the API with neither token nor signature (../shared/reference/006, 8.2), so a shorter
 * lifetime would break it.
 */
export const MIN_TOKEN_LIFETIME_SECONDS = 86_401;

/** Schema of `server.baidu`. */
export const BaiduConfig = Type.Object(
  {
    credentials: Type.Array(
      Type.Object(
        {
          apiKey: Type.String({
            minLength: 1,
            maxLength: 128,
            pattern: '^[A-Za-z0-9_-]+$',
            description: 'API Key (client_id; public half, appears in logs and inside access tokens). Letters, digits, `_` and `-`.',
          }),
          secretKey: Type.String({
            minLength: 16,
            description: 'Secret Key (client_secret): exchanged for access tokens, signs them and bce-auth-v1 requests.',
          }),
          ...CommonCredentialFields,
        },
        { additionalProperties: false },
      ),
      {
        default: [],
        description:
          'API Key / Secret Key pairs of the Baidu AI Cloud dialect, `{apiKey, secretKey, name?, ratePerSecond?, burst?}`; the rate limit applies to the token endpoint and every API call.',
      },
    ),
    tokenLifetimeSeconds: Type.Integer({
      minimum: MIN_TOKEN_LIFETIME_SECONDS,
      default: 2_592_000,
      description:
        'Lifetime of an access token from POST /oauth/2.0/token (`expires_in`), seconds; Baidu issues 30 days. More than one day: the Node SDK treats shorter tokens as expired.',
    }),
    maxClockSkewSeconds: Type.Integer({
      minimum: 1,
      default: 300,
      description: 'Clock difference tolerated around the validity window of a bce-auth-v1 signature (`x-bce-date` + expirationSeconds), seconds.',
    }),
  },
  { default: {}, additionalProperties: false },
);
