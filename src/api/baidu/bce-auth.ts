/**
 * `bce-auth-v1` request signatures (Baidu Cloud AK/SK), which `baidu-aip-sdk` falls back to when
 * the token endpoint refuses its keys or grants a token without `brain_all_scope`
 * (../shared/reference/006, sections 8.2 and 9). The API Key is the access key id, the Secret Key
 * signs. The body is not covered; the `Host` header is, as the client sent it (the SDK sends
 * `aip.baidubce.com` to whatever address it was pointed at), so it is read, never routed on.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { FaceliveError } from '../../errors/catalogue.js';

/** The parts of a request the signature covers. */
export interface BceRequest {
  readonly method: string;
  /** Path without the query string, as sent. */
  readonly path: string;
  /** Query string without `?` ('' when none), as sent. */
  readonly query: string;
  readonly headers: IncomingHttpHeaders;
}

/** What the verifier needs from the credential registry and the clock. */
export interface BceVerifyOptions {
  /** The Secret Key of an API Key, or undefined when the key is unknown. */
  readonly secretKeyOf: (apiKey: string) => string | undefined;
  readonly nowMs: number;
  readonly maxSkewSeconds: number;
}

const PREFIX = 'bce-auth-v1';
const AUTHORIZATION = /^bce-auth-v1\/([^/]{1,128})\/(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z)\/(\d{1,9})\/([a-z0-9;_.-]*)\/([0-9a-f]{64})$/;
const EXPECTED = 'bce-auth-v1/<API Key>/<YYYY-MM-DDTHH:mm:ssZ>/<expirationSeconds>/<signedHeaders>/<hex signature>';

/** RFC 3986 percent-encoding, as the BCE canonical forms use it (`!'()*` escaped too). */
export function bceEncode(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

function decode(part: string): string {
  try {
    return decodeURIComponent(part.replace(/\+/g, ' '));
  } catch {
    return part;
  }
}

/** `name=value` pairs, encoded, sorted, joined by `&`, without `authorization`. */
export function canonicalQuery(query: string): string {
  return query
    .split('&')
    .filter((pair) => pair !== '')
    .map((pair) => {
      const at = pair.indexOf('=');
      const [name, value] = at < 0 ? [pair, ''] : [pair.slice(0, at), pair.slice(at + 1)];
      return [decode(name), decode(value)] as const;
    })
    .filter(([name]) => name.toLowerCase() !== 'authorization')
    .map(([name, value]) => `${bceEncode(name)}=${bceEncode(value)}`)
    .sort()
    .join('&');
}

function headerValue(headers: IncomingHttpHeaders, name: string): string {
  const value = headers[name];
  return (Array.isArray(value) ? value.join(',') : (value ?? '')).trim();
}

/** The canonical request over `signedHeaders` (lower-case names). */
export function canonicalBceRequest(request: BceRequest, signedHeaders: readonly string[]): string {
  const uri = request.path
    .split('/')
    .map((segment) => bceEncode(decode(segment)))
    .join('/');
  const headers = signedHeaders
    .map((name) => `${bceEncode(name)}:${bceEncode(headerValue(request.headers, name))}`)
    .sort()
    .join('\n');
  return [request.method.toUpperCase(), uri, canonicalQuery(request.query), headers].join('\n');
}

/**
 * The hex signature: HMAC-SHA256 keyed with the hex signing key, itself HMAC-SHA256(Secret Key,
 * `bce-auth-v1/{apiKey}/{timestamp}/{expirationSeconds}`).
 */
export function bceSignature(secretKey: string, authPrefix: string, canonical: string): string {
  const signingKey = createHmac('sha256', secretKey).update(authPrefix).digest('hex');
  return createHmac('sha256', signingKey).update(canonical).digest('hex');
}

/** Whether the request carries a bce-auth-v1 `authorization` header (else it must carry a token). */
export function hasBceAuthorization(headers: IncomingHttpHeaders): boolean {
  return headerValue(headers, 'authorization').startsWith(`${PREFIX}/`);
}

/**
 * Verifies a signed request and returns the API Key. Checks, in order: header well formed
 * (AUTH_HEADER_MALFORMED), `host` and `x-bce-date` signed and the date the header's timestamp
 * (AUTH_SIGNATURE_INVALID), the time within the signature's window plus the allowed skew
 * (AUTH_SIGNATURE_EXPIRED), the API Key known and the signature equal (AUTH_SIGNATURE_INVALID:
 * Baidu answers both with `14 IAM Certification failed`).
 *
 * @example
 * const apiKey = verifyBceAuth({ method, path, query, headers }, { secretKeyOf, nowMs: Date.now(), maxSkewSeconds: 300 });
 */
export function verifyBceAuth(request: BceRequest, options: BceVerifyOptions): string {
  const match = AUTHORIZATION.exec(headerValue(request.headers, 'authorization'));
  if (!match) throw new FaceliveError('AUTH_HEADER_MALFORMED', { field: 'authorization', expected: EXPECTED });
  const [, apiKey, timestamp, expiration, signed, signature] = match;
  const signedHeaders = signed.split(';').filter(Boolean);
  if (!signedHeaders.includes('host') || !signedHeaders.includes('x-bce-date')) {
    throw new FaceliveError('AUTH_SIGNATURE_INVALID', { reason: 'signedHeaders must include host and x-bce-date' });
  }
  if (headerValue(request.headers, 'x-bce-date') !== timestamp) {
    throw new FaceliveError('AUTH_SIGNATURE_INVALID', { reason: 'x-bce-date is not the timestamp of the authorization header' });
  }
  const signedAtMs = Date.parse(timestamp);
  const lateMs = options.nowMs - (signedAtMs + Number(expiration) * 1000);
  const earlyMs = signedAtMs - options.nowMs;
  if (Number.isNaN(signedAtMs) || lateMs > options.maxSkewSeconds * 1000 || earlyMs > options.maxSkewSeconds * 1000) {
    throw new FaceliveError('AUTH_SIGNATURE_EXPIRED', {
      timestamp,
      skewSeconds: Math.round(Math.max(lateMs, earlyMs) / 1000),
      maxSkewSeconds: options.maxSkewSeconds,
    });
  }
  const secretKey = options.secretKeyOf(apiKey);
  // One answer for an unknown API Key and a wrong signature: a caller cannot learn which keys exist.
  if (secretKey === undefined) throw new FaceliveError('AUTH_SIGNATURE_INVALID', { reason: 'the signature does not match the request' });
  const expected = bceSignature(secretKey, `${PREFIX}/${apiKey}/${timestamp}/${expiration}`, canonicalBceRequest(request, signedHeaders));
  if (!timingSafeEqual(Buffer.from(expected, 'hex'), Buffer.from(signature, 'hex'))) {
    throw new FaceliveError('AUTH_SIGNATURE_INVALID', { reason: 'the signature does not match the request' });
  }
  return apiKey;
}
