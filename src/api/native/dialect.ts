/** The native API as a dialect: `/v1/liveness` and `/v1/models`, Bearer API keys. */
import type { Dialect } from '../dialect.js';
import { NativeConfig } from './config.js';
import { nativeErrors } from './errors.js';

/** Descriptor of the native API (see docs/dialects.md). */
export const nativeDialect: Dialect<'native', typeof NativeConfig> = {
  name: 'native',
  title: 'facelive',
  prefix: '/v1',
  plugin: async () => (await import('./routes.js')).nativeApi,
  errors: nativeErrors,
  config: NativeConfig,
  credentials: { list: 'apiKeys', secretField: 'key', env: { key: 'FACELIVE_API_KEY' } },
  openapi: {
    tag: 'facelive native API (Bearer API key)',
    securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'Native API key' } },
  },
  redactPaths: ['image', '*.image'],
};
