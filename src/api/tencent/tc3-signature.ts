/**
 * Tencent Cloud API 3.0 request signing (TC3-HMAC-SHA256): the canonical request, the string to
 * sign with credential scope `date/service/tc3_request`, and the derived signing key. Both sides
 * live here: `verifyTc3` for the server, `signTc3` for tests and the benchmark client.
 *
 * The host that clients sign differs: the Node SDK signs the host name without the port, other
 * SDKs sign the endpoint as configured (with the port). Both forms are accepted. The service in
 * the scope is `iai`, or the first label of the host, which is what the SDKs derive from a custom
 * endpoint (`127.0.0.1:8080` → `127`).
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { FaceliveError } from '../../errors/catalogue.js';

/** Signature algorithm name of Tencent Cloud API 3.0. */
export const TC3_ALGORITHM = 'TC3-HMAC-SHA256';
/** Service name of the face API in credential scopes. */
export const TENCENT_SERVICE = 'iai';

/** The parts of a request that the signature covers. */
export interface Tc3Request {
  readonly method: string;
  /** Path without the query string. */
  readonly path: string;
  /** Query string without `?` ('' for POST). */
  readonly query: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: Uint8Array;
}

/** A parsed `Authorization` header. */
export interface Tc3Authorization {
  readonly secretId: string;
  readonly date: string;
  readonly service: string;
  readonly signedHeaders: readonly string[];
  readonly signature: string;
}

const AUTHORIZATION =
  /^TC3-HMAC-SHA256\s+Credential=([^/\s,]+)\/(\d{4}-\d{2}-\d{2})\/([^/\s,]+)\/tc3_request\s*,\s*SignedHeaders=([a-z0-9;-]+)\s*,\s*Signature=([0-9a-f]{64})\s*$/i;

function sha256Hex(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

function hmac(key: string | Buffer, data: string): Buffer {
  return createHmac('sha256', key).update(data).digest();
}

/** UTC date (YYYY-MM-DD) of a Unix time in seconds, as the credential scope carries it. */
export function scopeDate(timestampSeconds: number): string {
  return new Date(timestampSeconds * 1000).toISOString().slice(0, 10);
}

/** Parses the header, or throws AUTH_HEADER_MALFORMED. */
export function parseTc3Authorization(header: string): Tc3Authorization {
  const match = AUTHORIZATION.exec(header.trim());
  if (!match) {
    throw new FaceliveError('AUTH_HEADER_MALFORMED', {
      field: 'Authorization',
      expected: 'TC3-HMAC-SHA256 Credential=<SecretId>/<date>/<service>/tc3_request, SignedHeaders=<names>, Signature=<hex>',
    });
  }
  const [, secretId, date, service, signed, signature] = match;
  return { secretId, date, service, signedHeaders: signed.toLowerCase().split(';'), signature: signature.toLowerCase() };
}

function headerValue(headers: IncomingHttpHeaders, name: string): string {
  const value = headers[name];
  return (Array.isArray(value) ? value.join(',') : (value ?? '')).trim().toLowerCase();
}

/** The canonical request; `host` replaces the Host header's value (to try the signed variants). */
export function canonicalRequest(request: Tc3Request, signedHeaders: readonly string[], host?: string): string {
  const canonicalHeaders = signedHeaders
    .map((name) => `${name}:${name === 'host' && host !== undefined ? host : headerValue(request.headers, name)}\n`)
    .join('');
  return [request.method.toUpperCase(), request.path, request.query, canonicalHeaders, signedHeaders.join(';'), sha256Hex(request.body)].join('\n');
}

/** The hex signature of a canonical request. */
export function tc3Signature(secretKey: string, timestampSeconds: number, date: string, service: string, canonical: string): string {
  const stringToSign = [TC3_ALGORITHM, String(timestampSeconds), `${date}/${service}/tc3_request`, sha256Hex(canonical)].join('\n');
  const signingKey = hmac(hmac(hmac(`TC3${secretKey}`, date), service), 'tc3_request');
  return createHmac('sha256', signingKey).update(stringToSign).digest('hex');
}

function hostVariants(host: string): string[] {
  const lowered = host.toLowerCase();
  const withoutPort = lowered.replace(/:\d+$/, '');
  return withoutPort === lowered ? [lowered] : [lowered, withoutPort];
}

/** Services a signature may be scoped to for this host. */
function acceptedServices(host: string): string[] {
  const hostname = host.replace(/:\d+$/, '').replace(/^\[|\]$/g, '');
  return [TENCENT_SERVICE, hostname.split('.')[0]];
}

/** Signs for an unknown SecretId, so that it costs what a known one costs. */
const UNKNOWN_SECRET_KEY = 'facelive-unknown-secret-id-placeholder';

/** What the verifier needs from the credential store and the clock. */
export interface Tc3VerifyOptions {
  /** The SecretKey of a SecretId, or undefined when the id is unknown. */
  readonly secretKeyOf: (secretId: string) => string | undefined;
  readonly nowSeconds: number;
  readonly maxSkewSeconds: number;
}

/**
 * Verifies a signed request and returns the SecretId. Order of checks, each its own error:
 * header present (AUTH_CREDENTIAL_MISSING) and well formed (AUTH_HEADER_MALFORMED), timestamp
 * within the allowed skew (AUTH_SIGNATURE_EXPIRED), scope and signed headers consistent
 * (AUTH_SIGNATURE_INVALID with the reason), then the SecretId known and the signature equal: one
 * answer, AUTH_SIGNATURE_INVALID "the signature does not match the request", for an unknown
 * SecretId and a wrong signature alike (with the same work), so a caller cannot learn which
 * SecretIds exist.
 */
export function verifyTc3(request: Tc3Request, options: Tc3VerifyOptions): string {
  const header = request.headers.authorization;
  if (!header) throw new FaceliveError('AUTH_CREDENTIAL_MISSING', { expected: 'an Authorization header signed with TC3-HMAC-SHA256' });
  const auth = parseTc3Authorization(header);
  const rawTimestamp = headerValue(request.headers, 'x-tc-timestamp');
  if (rawTimestamp === '') throw new FaceliveError('ARGUMENT_MISSING', { field: 'X-TC-Timestamp', expected: 'the Unix time in seconds' });
  if (!/^\d{1,12}$/.test(rawTimestamp)) throw new FaceliveError('AUTH_HEADER_MALFORMED', { field: 'X-TC-Timestamp', expected: 'the Unix time in seconds' });
  const timestamp = Number(rawTimestamp);
  const skewSeconds = Math.abs(options.nowSeconds - timestamp);
  if (skewSeconds > options.maxSkewSeconds) {
    throw new FaceliveError('AUTH_SIGNATURE_EXPIRED', { timestamp, skewSeconds, maxSkewSeconds: options.maxSkewSeconds });
  }
  if (auth.date !== scopeDate(timestamp)) {
    throw new FaceliveError('AUTH_SIGNATURE_INVALID', { reason: `the credential scope date ${auth.date} is not the UTC date of X-TC-Timestamp` });
  }
  const host = headerValue(request.headers, 'host');
  if (!acceptedServices(host).includes(auth.service)) {
    throw new FaceliveError('AUTH_SIGNATURE_INVALID', { reason: `the credential scope service "${auth.service}" is not ${TENCENT_SERVICE}` });
  }
  if (!auth.signedHeaders.includes('content-type') || !auth.signedHeaders.includes('host')) {
    throw new FaceliveError('AUTH_SIGNATURE_INVALID', { reason: 'SignedHeaders must include content-type and host' });
  }
  const known = options.secretKeyOf(auth.secretId);
  const secretKey = known ?? UNKNOWN_SECRET_KEY;
  const presented = Buffer.from(auth.signature, 'hex');
  const matches = hostVariants(host).map((variant) => {
    const expected = tc3Signature(secretKey, timestamp, auth.date, auth.service, canonicalRequest(request, auth.signedHeaders, variant));
    return timingSafeEqual(Buffer.from(expected, 'hex'), presented);
  });
  if (known === undefined || !matches.includes(true)) throw new FaceliveError('AUTH_SIGNATURE_INVALID', { reason: 'the signature does not match the request' });
  return auth.secretId;
}

/** Input of {@link signTc3}. */
export interface Tc3SignInput {
  readonly secretId: string;
  readonly secretKey: string;
  readonly host: string;
  readonly body: Uint8Array | string;
  readonly timestampSeconds: number;
  readonly contentType?: string;
  readonly service?: string;
}

/**
 * The `Authorization` header for a POST / with `content-type;host` signed, as the SDKs send it.
 *
 * @example
 * const authorization = signTc3({ secretId, secretKey, host: '127.0.0.1', body, timestampSeconds: now });
 */
export function signTc3(input: Tc3SignInput): string {
  const contentType = input.contentType ?? 'application/json';
  const service = input.service ?? TENCENT_SERVICE;
  const date = scopeDate(input.timestampSeconds);
  const body = typeof input.body === 'string' ? Buffer.from(input.body) : input.body;
  const signed = ['content-type', 'host'];
  const canonical = canonicalRequest({ method: 'POST', path: '/', query: '', headers: { 'content-type': contentType, host: input.host }, body }, signed);
  const signature = tc3Signature(input.secretKey, input.timestampSeconds, date, service, canonical);
  return `${TC3_ALGORITHM} Credential=${input.secretId}/${date}/${service}/tc3_request, SignedHeaders=${signed.join(';')}, Signature=${signature}`;
}
