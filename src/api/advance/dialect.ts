/** ADVANCE.AI liveness as a dialect: token API, submission, detection result and stored images under `/openapi`. */
import type { Dialect } from '../dialect.js';
import { AdvanceConfig } from './config.js';
import { advanceErrors } from './errors.js';

/** Descriptor of the ADVANCE.AI dialect (see docs/dialects.md). */
export const advanceDialect: Dialect<'advance', typeof AdvanceConfig> = {
  name: 'advance',
  title: 'ADVANCE.AI',
  prefix: '/openapi',
  plugin: async () => (await import('./routes.js')).advanceApi,
  errors: advanceErrors,
  config: AdvanceConfig,
  credentials: {
    list: 'credentials',
    idField: 'accessKey',
    secretField: 'secretKey',
    env: { accessKey: 'FACELIVE_ADVANCE_ACCESS_KEY', secretKey: 'FACELIVE_ADVANCE_SECRET_KEY' },
  },
  openapi: {
    tag: 'ADVANCE.AI liveness dialect (token API, X-ACCESS-TOKEN)',
    securitySchemes: {
      accessToken: {
        type: 'apiKey',
        in: 'header',
        name: 'X-ACCESS-TOKEN',
        description: 'ADVANCE.AI access token from POST /openapi/auth/ticket/v1/generate-token',
      },
    },
  },
  redactPaths: ['req.headers["x-access-token"]', 'imageFar', 'imageNear', '*.imageFar', '*.imageNear'],
};
