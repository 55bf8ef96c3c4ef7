/** The `server.acedata` config section: the Ace Data Cloud dialect's bearer tokens. */
import { Type } from '@sinclair/typebox';
import { CommonCredentialFields } from '../../config/credential-fields.js';

/** Schema of `server.acedata`. */
export const AceDataConfig = Type.Object(
  {
    tokens: Type.Array(
      Type.Object({ token: Type.String({ minLength: 16, description: 'Bearer token.' }), ...CommonCredentialFields }, { additionalProperties: false }),
      { default: [], description: 'Bearer tokens of the Ace Data Cloud dialect, `{token, name?, ratePerSecond?, burst?}`.' },
    ),
  },
  { default: {}, additionalProperties: false },
);
