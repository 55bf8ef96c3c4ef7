/** The `server.accuauth` config section: API ID/secret pairs with their optional expiry and call quota. */
import { Type } from '@sinclair/typebox';
import { CommonCredentialFields } from '../../config/credential-fields.js';

/** Schema of `server.accuauth`. */
export const AccuAuthConfig = Type.Object(
  {
    credentials: Type.Array(
      Type.Object(
        {
          apiId: Type.String({ minLength: 1, maxLength: 128, description: 'API ID, sent as X-DF-API-ID (public half, appears in logs).' }),
          apiSecret: Type.String({ minLength: 16, description: 'API secret, sent as X-DF-API-SECRET.' }),
          expiresAt: Type.Optional(
            Type.String({
              pattern: '^\\d{4}-\\d{2}-\\d{2}(T\\d{2}:\\d{2}(:\\d{2}(\\.\\d{1,9})?)?(Z|[+-]\\d{2}:\\d{2}))?$',
              description:
                'ISO 8601 instant from which the key is refused with KEY_EXPIRED: a date (2027-01-31 = 00:00 UTC of that day) or a date-time with zone (2027-01-31T18:00:00+01:00); an impossible date fails start-up with CONFIG_INVALID. Default: never.',
            }),
          ),
          callQuota: Type.Optional(
            Type.Integer({
              minimum: 0,
              description:
                'Successful calls (answered OK) this key may make; then OUT_OF_QUOTA. Counted per API ID in server memory (restarts reset it). Default: unlimited.',
            }),
          ),
          ...CommonCredentialFields,
        },
        { additionalProperties: false },
      ),
      {
        default: [],
        description: 'X-DF-API-ID/X-DF-API-SECRET pairs of the AccuAuth dialect, `{apiId, apiSecret, name?, expiresAt?, callQuota?, ratePerSecond?, burst?}`.',
      },
    ),
  },
  { default: {}, additionalProperties: false },
);
