/**
 * Tencent Cloud API signature v1 (`HmacSHA1` / `HmacSHA256`), which the SDKs still send when
 * `ClientProfile.signMethod` names it: every parameter, the common ones included (`Action`,
 * `Version`, `SecretId`, `Timestamp`, `Nonce`, `SignatureMethod`, `Region`, `Token`…), travels
 * form-encoded in the body (POST) or the query (GET), and `Signature` is the base64 HMAC of
 * `<METHOD><host><path>?<k=v sorted by key, joined by &>` (values unencoded, `_` in keys read as
 * `.`). As with TC3, the host may be signed with or without the port.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { FaceliveError } from '../../errors/catalogue.js';

/** The two v1 methods; the SDKs default to HmacSHA1 when `SignatureMethod` is absent. */
export const V1_METHODS = { HmacSHA1: 'sha1', HmacSHA256: 'sha256' } as const;
/** A v1 signature method name. */
export type V1Method = keyof typeof V1_METHODS;

/** The parts of a request a v1 signature covers. */
export interface V1Request {
  readonly method: string;
  /** The Host header as received. */
  readonly host: string;
  /** Path without the query string. */
  readonly path: string;
  /** Every parameter, form-decoded (the last value of a repeated key). */
  readonly params: ReadonlyMap<string, string>;
}

/** What the verifier needs from the credential store and the clock. */
export interface V1VerifyOptions {
  readonly secretKeyOf: (secretId: string) => string | undefined;
  readonly nowSeconds: number;
  readonly maxSkewSeconds: number;
}

/** The string a v1 signature signs, for `host` (one of the variants of the Host header). */
export function v1StringToSign(request: Omit<V1Request, 'host'>, host: string): string {
  const pairs = [...request.params]
    .filter(([key]) => key !== 'Signature')
    .map(([key, value]) => [key.replaceAll('_', '.'), value] as const)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `${request.method.toUpperCase()}${host}${request.path}?${pairs.map(([key, value]) => `${key}=${value}`).join('&')}`;
}

/** The base64 v1 signature of `stringToSign`. */
export function v1Signature(secretKey: string, method: V1Method, stringToSign: string): string {
  return createHmac(V1_METHODS[method], secretKey).update(stringToSign).digest('base64');
}

function required(params: ReadonlyMap<string, string>, field: string, expected: string): string {
  const value = params.get(field);
  if (value === undefined || value === '') throw new FaceliveError('ARGUMENT_MISSING', { field, expected });
  return value;
}

function methodOf(params: ReadonlyMap<string, string>): V1Method {
  const method = params.get('SignatureMethod') ?? 'HmacSHA1';
  if (!Object.hasOwn(V1_METHODS, method)) {
    throw new FaceliveError('AUTH_HEADER_MALFORMED', {
      field: 'SignatureMethod',
      expected: 'HmacSHA1 or HmacSHA256 (or TC3-HMAC-SHA256 in the Authorization header)',
    });
  }
  return method as V1Method;
}

/**
 * Verifies a v1-signed request and returns the SecretId. Checks, each its own error: SecretId and
 * Signature present (AUTH_CREDENTIAL_MISSING), SignatureMethod known (AUTH_HEADER_MALFORMED),
 * Timestamp and Nonce present (ARGUMENT_MISSING) and the timestamp within the skew
 * (AUTH_SIGNATURE_EXPIRED), SecretId known and signature equal (one answer for both,
 * AUTH_SIGNATURE_INVALID).
 */
export function verifyV1(request: V1Request, options: V1VerifyOptions): string {
  const secretId = request.params.get('SecretId');
  const presented = request.params.get('Signature');
  if (!secretId || !presented) {
    throw new FaceliveError('AUTH_CREDENTIAL_MISSING', {
      expected: 'SecretId and Signature parameters (signature v1), or an Authorization header signed with TC3-HMAC-SHA256',
    });
  }
  const method = methodOf(request.params);
  const rawTimestamp = required(request.params, 'Timestamp', 'the Unix time in seconds');
  required(request.params, 'Nonce', 'a random positive integer');
  if (!/^\d{1,12}$/.test(rawTimestamp)) throw new FaceliveError('AUTH_HEADER_MALFORMED', { field: 'Timestamp', expected: 'the Unix time in seconds' });
  const timestamp = Number(rawTimestamp);
  const skewSeconds = Math.abs(options.nowSeconds - timestamp);
  if (skewSeconds > options.maxSkewSeconds)
    throw new FaceliveError('AUTH_SIGNATURE_EXPIRED', { timestamp, skewSeconds, maxSkewSeconds: options.maxSkewSeconds });
  const secretKey = options.secretKeyOf(secretId);
  // An unknown SecretId gets the wrong signature's answer: a caller cannot learn which SecretIds exist.
  if (secretKey === undefined) throw new FaceliveError('AUTH_SIGNATURE_INVALID', { reason: 'the signature does not match the request' });
  const given = Buffer.from(presented, 'base64');
  const host = request.host.toLowerCase();
  const hosts = host.replace(/:\d+$/, '') === host ? [host] : [host, host.replace(/:\d+$/, '')];
  const matches = hosts.map((variant) => {
    const expected = Buffer.from(v1Signature(secretKey, method, v1StringToSign(request, variant)), 'base64');
    return expected.length === given.length && timingSafeEqual(expected, given);
  });
  if (!matches.includes(true)) throw new FaceliveError('AUTH_SIGNATURE_INVALID', { reason: 'the signature does not match the request' });
  return secretId;
}
