/** The `server.alibaba` config section: AccessKey pairs and the signature's clock window. */
import { Type } from '@sinclair/typebox';
import { CommonCredentialFields } from '../../config/credential-fields.js';

/** Schema of `server.alibaba`. */
export const AlibabaConfig = Type.Object(
  {
    credentials: Type.Array(
      Type.Object(
        {
          accessKeyId: Type.String({ minLength: 1, description: 'AccessKey ID (public half, appears in logs).' }),
          accessKeySecret: Type.String({ minLength: 16, description: 'AccessKey secret (signing key).' }),
          ...CommonCredentialFields,
        },
        { additionalProperties: false },
      ),
      {
        default: [],
        description:
          'AccessKey pairs of the Alibaba Cloud dialect (ACS3-HMAC-SHA256 or RPC HMAC-SHA1 signatures), `{accessKeyId, accessKeySecret, name?, ratePerSecond?, burst?}`.',
      },
    ),
    maxClockSkewSeconds: Type.Integer({
      minimum: 1,
      default: 900,
      description:
        'Largest difference between x-acs-date (or Timestamp) and the server clock, seconds (Alibaba Cloud uses 15 minutes); signature nonces are remembered this long.',
    }),
  },
  { default: {}, additionalProperties: false },
);
