/** Tencent Cloud IAI `DetectLiveFaceAccurate` (2020-03-03) as a dialect: `POST /` and `GET /`, TC3-HMAC-SHA256 or signature v1. */
import type { Dialect } from '../dialect.js';
import { TencentConfig } from './config.js';
import { tencentErrors } from './errors.js';

/** Descriptor of the Tencent Cloud dialect (see docs/dialects.md). */
export const tencentDialect: Dialect<'tencent', typeof TencentConfig> = {
  name: 'tencent',
  title: 'Tencent Cloud',
  prefix: '',
  // API 3.0 names the action in X-TC-Action. Being the first root dialect, Tencent also gets any
  // other POST to `/` that no dialect claims, and answers it with MissingParameter.
  // Signature v1 names it in the parameters: a GET's query has Action and SecretId (a v1 POST
  // carries them in its form body, which a claim cannot read: it reaches Tencent as unclaimed).
  claims: ({ headers, query }) => headers['x-tc-action'] !== undefined || (query.has('Action') && query.has('SecretId')),
  // Tencent answers `application/json` without a charset, and its Python SDK reads an error body
  // only under exactly that header.
  contentType: 'application/json',
  plugin: async () => (await import('./routes.js')).tencentApi,
  errors: tencentErrors,
  config: TencentConfig,
  credentials: {
    list: 'credentials',
    idField: 'secretId',
    secretField: 'secretKey',
    env: { secretId: 'FACELIVE_TENCENT_SECRET_ID', secretKey: 'FACELIVE_TENCENT_SECRET_KEY' },
  },
  openapi: {
    tag: 'Tencent Cloud IAI 2020-03-03 dialect (TC3-HMAC-SHA256)',
    securitySchemes: { tc3: { type: 'apiKey', in: 'header', name: 'Authorization', description: 'TC3-HMAC-SHA256 signature (Tencent Cloud API 3.0)' } },
  },
  redactPaths: ['req.headers["x-tc-token"]', 'Image', '*.Image'],
};
