/**
 * The request styles of Tencent Cloud's SDKs, read into one {@link SignedCall}: TC3-HMAC-SHA256
 * with a JSON body (POST, the default) or the parameters in the query (GET, `reqMethod="GET"`),
 * and signature v1 (`HmacSHA1` / `HmacSHA256`) with every parameter form-encoded in the body
 * (POST) or the query (GET). A session token comes as `X-TC-Token` (TC3) or `Token` (v1).
 */
import type { FastifyRequest } from 'fastify';
import { FaceliveError } from '../../errors/catalogue.js';
import { verifyTc3 } from './tc3-signature.js';
import { verifyV1 } from './v1-signature.js';

/** The one action served, of the one version. */
export const TENCENT_ACTION = 'DetectLiveFaceAccurate';
/** API version of DetectLiveFaceAccurate. */
export const TENCENT_VERSION = '2020-03-03';

/** A verified call: who signed it, the session token it carried, and its action's parameters. */
export interface SignedCall {
  readonly secretId: string;
  /** `X-TC-Token` or `Token`; undefined when absent or empty. */
  readonly token?: string;
  readonly style: 'tc3' | 'v1';
  /** The action's parameters (JSON values for a TC3 POST, strings otherwise); read after the rate limit. */
  readonly params: () => Record<string, unknown>;
}

/** What verification needs from the credential store and the clock. */
export interface VerifyOptions {
  readonly secretKeyOf: (secretId: string) => string | undefined;
  readonly nowSeconds: number;
  readonly maxSkewSeconds: number;
}

function header(request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function checkAction(action: string | undefined, version: string | undefined, field: string): void {
  if (!action) throw new FaceliveError('ARGUMENT_MISSING', { field, expected: TENCENT_ACTION });
  if (action !== TENCENT_ACTION || version !== TENCENT_VERSION) {
    throw new FaceliveError('API_ACTION_UNKNOWN', {
      action: action.slice(0, 64),
      version: (version ?? '').slice(0, 32),
      expected: `${TENCENT_ACTION} of version ${TENCENT_VERSION}`,
    });
  }
}

function parseJsonObject(raw: Buffer): Record<string, unknown> {
  let body: unknown;
  try {
    body = JSON.parse(raw.toString('utf8'));
  } catch (error) {
    throw new FaceliveError('REQUEST_MALFORMED', { reason: 'the body is not valid JSON' }, { cause: error });
  }
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw new FaceliveError('REQUEST_MALFORMED', { reason: 'the body is not a JSON object' });
  }
  return body as Record<string, unknown>;
}

function splitUrl(url: string): { path: string; query: string } {
  const at = url.indexOf('?');
  return at < 0 ? { path: url, query: '' } : { path: url.slice(0, at), query: url.slice(at + 1) };
}

/** The common parameters of signature v1, which are not the action's. */
const V1_COMMON = new Set([
  'Action',
  'Version',
  'Region',
  'Timestamp',
  'Nonce',
  'SecretId',
  'Signature',
  'SignatureMethod',
  'Token',
  'Language',
  'RequestClient',
]);

/**
 * Whether a request uses signature v1: no `X-TC-Action` header, and its parameters are in the
 * query (GET) or a form body. Anything else is read as TC3 (so an unsigned JSON POST is told
 * that X-TC-Action is missing, as Tencent tells it).
 */
export function isV1Request(request: FastifyRequest): boolean {
  if (header(request, 'x-tc-action') !== undefined) return false;
  if (request.method === 'GET' || request.method === 'HEAD') return true;
  return (header(request, 'content-type') ?? '').toLowerCase().startsWith('application/x-www-form-urlencoded');
}

function readTc3(request: FastifyRequest, raw: Buffer, options: VerifyOptions): SignedCall {
  checkAction(header(request, 'x-tc-action'), header(request, 'x-tc-version'), 'X-TC-Action');
  const { path, query } = splitUrl(request.url);
  const bodyless = request.method === 'GET' || request.method === 'HEAD';
  const secretId = verifyTc3({ method: request.method, path, query, headers: request.headers, body: bodyless ? Buffer.alloc(0) : raw }, options);
  const params = () => (bodyless ? Object.fromEntries(new URLSearchParams(query)) : parseJsonObject(raw));
  return { secretId, token: header(request, 'x-tc-token') || undefined, style: 'tc3', params };
}

function readV1(request: FastifyRequest, raw: Buffer, options: VerifyOptions): SignedCall {
  const { path, query } = splitUrl(request.url);
  const bodyless = request.method === 'GET' || request.method === 'HEAD';
  const all = new Map(new URLSearchParams(bodyless ? query : raw.toString('utf8')));
  checkAction(all.get('Action'), all.get('Version'), 'Action');
  const secretId = verifyV1({ method: request.method, host: header(request, 'host') ?? '', path, params: all }, options);
  const params = () => Object.fromEntries([...all].filter(([key]) => !V1_COMMON.has(key)));
  return { secretId, token: all.get('Token') || undefined, style: 'v1', params };
}

/**
 * Reads and verifies a call in whichever style it was sent; throws the catalogue error of the
 * first check that fails (action, then signature; `params()` reads the parameters).
 *
 * @example
 * const call = readSignedCall(request, rawBody, { secretKeyOf, nowSeconds, maxSkewSeconds: 300 });
 */
export function readSignedCall(request: FastifyRequest, raw: Buffer, options: VerifyOptions): SignedCall {
  return isV1Request(request) ? readV1(request, raw, options) : readTc3(request, raw, options);
}
