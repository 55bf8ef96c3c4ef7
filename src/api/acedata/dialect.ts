/** Ace Data Cloud face static liveness detection as a dialect: `POST /face/detect-live`, Bearer token. */
import type { Dialect } from '../dialect.js';
import { AceDataConfig } from './config.js';
import { aceDataErrors } from './errors.js';

/** Descriptor of the Ace Data Cloud dialect (see docs/dialects.md). */
export const aceDataDialect: Dialect<'acedata', typeof AceDataConfig> = {
  name: 'acedata',
  title: 'Ace Data Cloud',
  prefix: '/face',
  plugin: async () => (await import('./routes.js')).aceDataApi,
  errors: aceDataErrors,
  config: AceDataConfig,
  credentials: { list: 'tokens', secretField: 'token', env: { token: 'FACELIVE_ACEDATA_TOKEN' } },
  openapi: {
    tag: 'Ace Data Cloud dialect (Bearer token)',
    securitySchemes: { acedataToken: { type: 'http', scheme: 'bearer', description: 'Ace Data Cloud token' } },
  },
  redactPaths: ['image_base64', '*.image_base64'],
};
