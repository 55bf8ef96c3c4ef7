/**
 * Fields every credential entry of every dialect may carry, whatever its secret looks like: a
 * label for logs and a per-credential override of the default rate limit. Dialect config
 * sections spread them into their credential objects.
 */
import { Type } from '@sinclair/typebox';

/** `name`: label used in logs instead of the secret. */
export const CredentialNameField = Type.Optional(
  Type.String({ minLength: 1, description: 'Label used in logs instead of the secret. Default: a short fingerprint of the secret.' }),
);

/** `ratePerSecond` and `burst`: this credential's own rate limit. */
export const CredentialLimitFields = {
  ratePerSecond: Type.Optional(
    Type.Number({ minimum: 0, description: "This credential's sustained requests per second; 0 = no limit. Default: server.rateLimit.ratePerSecond." }),
  ),
  burst: Type.Optional(Type.Integer({ minimum: 1, description: "This credential's bucket size. Default: server.rateLimit.burst." })),
};

/** Both, to spread into a credential object schema. */
export const CommonCredentialFields = { name: CredentialNameField, ...CredentialLimitFields };
