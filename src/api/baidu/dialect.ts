/** Baidu AI Cloud online image liveness v3 (`faceverify`) as a dialect: OAuth token endpoint and `/rest/2.0/face/v3/faceverify`. */
import type { Dialect } from '../dialect.js';
import { BaiduConfig } from './config.js';
import { baiduErrors } from './errors.js';

/** Descriptor of the Baidu AI Cloud dialect (see docs/dialects.md). */
export const baiduDialect: Dialect<'baidu', typeof BaiduConfig> = {
  name: 'baidu',
  title: 'Baidu AI Cloud',
  // Two roots: the token endpoint and the face API; routes are registered with absolute paths.
  prefix: '',
  owns: ['/oauth/2.0', '/rest/2.0/face'],
  plugin: async () => (await import('./routes.js')).baiduApi,
  errors: baiduErrors,
  config: BaiduConfig,
  credentials: {
    list: 'credentials',
    idField: 'apiKey',
    secretField: 'secretKey',
    env: { apiKey: 'FACELIVE_BAIDU_API_KEY', secretKey: 'FACELIVE_BAIDU_SECRET_KEY' },
  },
  openapi: {
    tag: 'Baidu AI Cloud face liveness v3 dialect (OAuth access_token, bce-auth-v1)',
    securitySchemes: {
      baiduAccessToken: {
        type: 'apiKey',
        in: 'query',
        name: 'access_token',
        description: 'Baidu access token from POST /oauth/2.0/token (API Key + Secret Key)',
      },
      bceAuth: {
        type: 'apiKey',
        in: 'header',
        name: 'authorization',
        description: 'bce-auth-v1/<API Key>/<timestamp>/<expirationSeconds>/<signedHeaders>/<signature> (Baidu Cloud AK/SK signature)',
      },
    },
  },
  redactPaths: ['req.query.access_token', 'client_secret', 'image', '*.image'],
};
