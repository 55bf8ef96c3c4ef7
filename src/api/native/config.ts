/** The `server.native` config section: the native API's keys and whether it may run without them. */
import { Type } from '@sinclair/typebox';
import { CommonCredentialFields } from '../../config/credential-fields.js';

/** Schema of `server.native`. */
export const NativeConfig = Type.Object(
  {
    auth: Type.Object(
      {
        enabled: Type.Boolean({
          default: true,
          description: 'false opens the native API without keys, for local use; ignored when any API key is configured (file or environment).',
        }),
      },
      { default: {} },
    ),
    apiKeys: Type.Array(
      Type.Object({ key: Type.String({ minLength: 16, description: 'Bearer API key.' }), ...CommonCredentialFields }, { additionalProperties: false }),
      { default: [], description: 'Bearer keys of the native API, `{key, name?, ratePerSecond?, burst?}`.' },
    ),
  },
  { default: {}, additionalProperties: false },
);
