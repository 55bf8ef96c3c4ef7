/** The `server.tencent` config section: key pairs (with the token of a temporary one) and the allowed clock skew. */
import { Type } from '@sinclair/typebox';
import { CommonCredentialFields } from '../../config/credential-fields.js';

/** Schema of `server.tencent`. */
export const TencentConfig = Type.Object(
  {
    credentials: Type.Array(
      Type.Object(
        {
          secretId: Type.String({ minLength: 1, description: 'SecretId (public half, appears in logs).' }),
          secretKey: Type.String({ minLength: 16, description: 'SecretKey (signing secret).' }),
          token: Type.Optional(
            Type.String({
              minLength: 1,
              description:
                'Session token of a temporary credential: calls with this SecretId must carry it (X-TC-Token, or Token in signature v1); without it, they must carry none.',
            }),
          ),
          ...CommonCredentialFields,
        },
        { additionalProperties: false },
      ),
      {
        default: [],
        description:
          'TC3-HMAC-SHA256 key pairs of the Tencent Cloud dialect (TC3-HMAC-SHA256 and signature v1), `{secretId, secretKey, token?, name?, ratePerSecond?, burst?}`.',
      },
    ),
    maxClockSkewSeconds: Type.Integer({
      minimum: 1,
      default: 300,
      description: 'Largest difference between X-TC-Timestamp and the server clock, seconds (Tencent Cloud uses 300).',
    }),
  },
  { default: {}, additionalProperties: false },
);
