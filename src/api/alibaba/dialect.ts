/** Alibaba Cloud facebody `DetectLivingFace` (2019-12-30) as a dialect: `POST /`, ACS3 or RPC signatures. */
import type { Dialect } from '../dialect.js';
import { AlibabaConfig } from './config.js';
import { alibabaErrors } from './errors.js';

/** Descriptor of the Alibaba Cloud dialect (see docs/dialects.md; its API: docs/http-api.md). */
export const alibabaDialect: Dialect<'alibaba', typeof AlibabaConfig> = {
  name: 'alibaba',
  title: 'Alibaba Cloud',
  prefix: '',
  // RPC style: signature V3 names the action in x-acs-action, the legacy RPC signature in ?Action=.
  // `?Action=` with a SecretId is Tencent's signature v1 (Alibaba's RPC style sends AccessKeyId):
  // the two claims never both hold.
  claims: ({ headers, query }) => headers['x-acs-action'] !== undefined || (query.has('Action') && !query.has('SecretId')),
  plugin: async () => (await import('./routes.js')).alibabaApi,
  errors: alibabaErrors,
  config: AlibabaConfig,
  credentials: {
    list: 'credentials',
    idField: 'accessKeyId',
    secretField: 'accessKeySecret',
    env: { accessKeyId: 'FACELIVE_ALIBABA_ACCESS_KEY_ID', accessKeySecret: 'FACELIVE_ALIBABA_ACCESS_KEY_SECRET' },
  },
  openapi: {
    tag: 'Alibaba Cloud facebody DetectLivingFace 2019-12-30 dialect (ACS3-HMAC-SHA256, RPC HMAC-SHA1)',
    securitySchemes: {
      acs3: { type: 'apiKey', in: 'header', name: 'Authorization', description: 'ACS3-HMAC-SHA256 signature (Alibaba Cloud signature V3)' },
      acsRpc: { type: 'apiKey', in: 'query', name: 'Signature', description: 'Legacy RPC signature: HMAC-SHA1 over the query and form parameters' },
    },
  },
  redactPaths: ['req.headers["x-acs-security-token"]', '["Tasks.1.ImageData"]'],
};
