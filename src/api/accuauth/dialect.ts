/** AccuAuth `liveness_anti_hack` as a dialect: `POST /face/liveness_anti_hack`, API ID and secret headers. */
import type { Dialect } from '../dialect.js';
import { AccuAuthConfig } from './config.js';
import { accuAuthErrors } from './errors.js';

/** Descriptor of the AccuAuth dialect (see docs/dialects.md). */
export const accuAuthDialect: Dialect<'accuauth', typeof AccuAuthConfig> = {
  name: 'accuauth',
  title: 'AccuAuth',
  prefix: '/face/liveness_anti_hack',
  plugin: async () => (await import('./routes.js')).accuAuthApi,
  errors: accuAuthErrors,
  config: AccuAuthConfig,
  credentials: {
    list: 'credentials',
    idField: 'apiId',
    secretField: 'apiSecret',
    env: { apiId: 'FACELIVE_ACCUAUTH_API_ID', apiSecret: 'FACELIVE_ACCUAUTH_API_SECRET' },
  },
  openapi: {
    tag: 'AccuAuth liveness anti-hack dialect (X-DF-API-ID and X-DF-API-SECRET)',
    securitySchemes: {
      accuauthApiId: { type: 'apiKey', in: 'header', name: 'X-DF-API-ID', description: 'AccuAuth API ID' },
      accuauthApiSecret: { type: 'apiKey', in: 'header', name: 'X-DF-API-SECRET', description: 'AccuAuth API secret' },
    },
  },
  redactPaths: ['req.headers["x-df-api-secret"]', 'liveness_data_file', '*.liveness_data_file'],
};
