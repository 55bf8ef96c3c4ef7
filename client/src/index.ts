/**
 * @facelive/client: a typed client of facelive's native HTTP API for Node.js 20+ and browsers.
 *
 * @example
 * import { FaceliveClient, FaceliveApiError } from '@facelive/client';
 * const client = new FaceliveClient({ baseUrl: 'http://127.0.0.1:8080', apiKey: 'my-key' });
 * const { decision, score } = await client.check(jpegBytes);
 */
export { FaceliveClient, type CheckOptions, type FaceliveClientOptions, type HealthReport } from './client.js';
export {
  FaceliveAbortError,
  FaceliveApiError,
  FaceliveClientError,
  FaceliveNetworkError,
  FaceliveResponseError,
  FaceliveTimeoutError,
  type FaceliveErrorKind,
} from './errors.js';
export type { ErrorCode } from './generated/error-codes.js';
export type { paths } from './generated/openapi.js';
export { RETRYABLE_CODES } from './retry-policy.js';
export type { CallOptions, RetryEvent } from './transport.js';
export type { ErrorBody, ImageInput, LivenessResult, LivenessSettings, ModelSet, ProcessHealth, Readiness } from './types.js';
