/** The `server.advance` config section: accessKey/secretKey pairs and the token lifetimes. */
import { Type } from '@sinclair/typebox';
import { CommonCredentialFields } from '../../config/credential-fields.js';

/** Schema of `server.advance`. */
export const AdvanceConfig = Type.Object(
  {
    credentials: Type.Array(
      Type.Object(
        {
          accessKey: Type.String({ minLength: 1, maxLength: 128, description: 'accessKey (public half, appears in logs and inside access tokens).' }),
          secretKey: Type.String({ minLength: 16, description: 'secretKey: signs token requests and the access tokens issued for this accessKey.' }),
          ...CommonCredentialFields,
        },
        { additionalProperties: false },
      ),
      {
        default: [],
        description:
          'accessKey/secretKey pairs of the ADVANCE.AI dialect, `{accessKey, secretKey, name?, ratePerSecond?, burst?}`; the rate limit applies to the token API and every token call. With none, the dialect opens no result store.',
      },
    ),
    maxClockSkewSeconds: Type.Integer({
      minimum: 1,
      default: 300,
      description: "Largest difference between a token request's timestamp and the server clock, seconds.",
    }),
    tokenDefaultPeriodSeconds: Type.Integer({
      minimum: 1,
      default: 3600,
      description: 'Lifetime of an access token when the request has no periodSecond, seconds.',
    }),
    tokenMaxPeriodSeconds: Type.Integer({ minimum: 1, default: 86_400, description: 'Largest periodSecond a token request may ask for, seconds.' }),
  },
  { default: {}, additionalProperties: false },
);
