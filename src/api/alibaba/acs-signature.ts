/**
 * Alibaba Cloud request signatures, as the official SDKs send them (../shared/reference/005,
 * section 8): ACS3-HMAC-SHA256 (signature V3, the SDK's default) in the `Authorization` header,
 * and the legacy RPC signature (HMAC-SHA1 over the query and form parameters, the SDK's
 * `signatureAlgorithm: 'v2'`) in the query string. The signers exist for tests and probes; the
 * verifier is what the dialect runs.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { FaceliveError } from '../../errors/catalogue.js';

/** Algorithm name of signature V3 with HMAC-SHA256. */
export const ACS3_ALGORITHM = 'ACS3-HMAC-SHA256';
/** `SignatureMethod` of the legacy RPC signature. */
export const RPC_SIGNATURE_METHOD = 'HMAC-SHA1';
/** `SignatureVersion` of the legacy RPC signature. */
export const RPC_SIGNATURE_VERSION = '1.0';

/** Headers a V3 signature must cover, whatever else it signs (x-acs-date and the nonce make it unrepeatable). */
const REQUIRED_SIGNED = ['host', 'x-acs-action', 'x-acs-version', 'x-acs-date', 'x-acs-signature-nonce', 'x-acs-content-sha256'];

/** `YYYY-MM-DDTHH:mm:ssZ`, the only date form the SDKs send (x-acs-date and Timestamp). */
const ACS_DATE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;

const AUTHORIZATION = /^(\S+) Credential=([^,\s]+), ?SignedHeaders=([^,\s]+), ?Signature=([0-9a-fA-F]{64})$/;

/** A request as the verifier sees it; `form` holds the decoded body parameters (empty when the body is not a form). */
export interface AcsRequest {
  readonly method: string;
  readonly query: URLSearchParams;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
  readonly form: URLSearchParams;
}

/** What the verifier needs from the credential store, the clock and the nonce memory. */
export interface AcsVerifyOptions {
  /** The secret of an AccessKey ID, or undefined when the ID is unknown. */
  readonly secretOf: (accessKeyId: string) => string | undefined;
  readonly nowMs: number;
  readonly maxSkewSeconds: number;
  /** Records a nonce; false when it was seen within the window (a replay). */
  readonly firstUseOf: (accessKeyId: string, nonce: string) => boolean;
}

/** Percent-encoding of RFC 3986 (unreserved characters kept), as both signatures use it. */
export function percentEncode(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

function sha256Hex(data: Uint8Array | string): string {
  return createHash('sha256').update(data).digest('hex');
}

function headerText(headers: IncomingHttpHeaders, name: string): string {
  const value = headers[name];
  if (value === undefined) return '';
  return Array.isArray(value)
    ? [...value]
        .map((v) => v.trim())
        .sort()
        .join(',')
    : value.trim();
}

function sortedPairs(params: Iterable<[string, string]>): [string, string][] {
  return [...params].sort(([a, av], [b, bv]) => (a < b ? -1 : a > b ? 1 : av < bv ? -1 : av > bv ? 1 : 0));
}

/** V3 canonical query string: decoded parameters re-encoded and sorted (never the raw wire query). */
function canonicalQuery(query: URLSearchParams): string {
  return sortedPairs(query)
    .map(([name, value]) => `${percentEncode(name)}=${percentEncode(value)}`)
    .join('&');
}

/** The V3 canonical request over `signedHeaders` (lower-case names, in the order given). */
export function acs3CanonicalRequest(request: Omit<AcsRequest, 'form'>, signedHeaders: readonly string[]): string {
  const headers = signedHeaders.map((name) => `${name}:${headerText(request.headers, name)}\n`).join('');
  return [request.method.toUpperCase(), '/', canonicalQuery(request.query), headers, signedHeaders.join(';'), sha256Hex(request.body)].join('\n');
}

/** Hex HMAC-SHA256 of the V3 string to sign. */
export function acs3Signature(secret: string, canonical: string): string {
  return createHmac('sha256', secret)
    .update(`${ACS3_ALGORITHM}\n${sha256Hex(canonical)}`)
    .digest('hex');
}

/** The legacy RPC string to sign: every query and form parameter but `Signature`, sorted and encoded. */
export function rpcStringToSign(method: string, params: Iterable<[string, string]>): string {
  const canonical = sortedPairs([...params].filter(([name]) => name !== 'Signature'))
    .map(([name, value]) => `${percentEncode(name)}=${percentEncode(value)}`)
    .join('&');
  return `${method.toUpperCase()}&${percentEncode('/')}&${percentEncode(canonical)}`;
}

/** Base64 HMAC-SHA1 of the legacy RPC string to sign, keyed with `secret&`. */
export function rpcSignature(secret: string, stringToSign: string): string {
  return createHmac('sha1', `${secret}&`).update(stringToSign).digest('base64');
}

function sameText(expected: string, presented: string): boolean {
  const a = Buffer.from(expected);
  const b = Buffer.from(presented);
  return a.length === b.length && timingSafeEqual(a, b);
}

function checkDate(field: string, value: string | null | undefined, options: AcsVerifyOptions): void {
  const text = value ?? '';
  const ms = ACS_DATE.test(text) ? Date.parse(text) : Number.NaN;
  if (Number.isNaN(ms)) throw new FaceliveError('AUTH_HEADER_MALFORMED', { field, expected: 'a UTC date as YYYY-MM-DDTHH:mm:ssZ' });
  const skewSeconds = Math.round(Math.abs(options.nowMs - ms) / 1000);
  if (skewSeconds > options.maxSkewSeconds)
    throw new FaceliveError('AUTH_SIGNATURE_EXPIRED', { timestamp: text, skewSeconds, maxSkewSeconds: options.maxSkewSeconds });
}

function secretOrRefuse(accessKeyId: string, options: AcsVerifyOptions): string {
  const secret = options.secretOf(accessKeyId);
  // An unknown AccessKey ID gets the wrong signature's answer: a caller cannot learn which ids exist.
  if (secret === undefined) throw new FaceliveError('AUTH_SIGNATURE_INVALID', { reason: 'the signature does not match the request' });
  return secret;
}

function checkNonce(accessKeyId: string, nonce: string, options: AcsVerifyOptions): void {
  // Checked after the signature, so that only a genuine signed request can spend a nonce.
  if (!options.firstUseOf(accessKeyId, nonce)) throw new FaceliveError('AUTH_SIGNATURE_INVALID', { reason: 'the signature nonce was already used' });
}

function verifyAcs3(request: AcsRequest, authorization: string, options: AcsVerifyOptions): string {
  const match = AUTHORIZATION.exec(authorization.trim());
  if (!match) {
    throw new FaceliveError('AUTH_HEADER_MALFORMED', {
      field: 'Authorization',
      expected: `${ACS3_ALGORITHM} Credential=<AccessKeyId>,SignedHeaders=<names>,Signature=<hex>`,
    });
  }
  const [, algorithm, accessKeyId, signedList, signature] = match;
  if (algorithm !== ACS3_ALGORITHM)
    throw new FaceliveError('AUTH_SIGNATURE_INVALID', { reason: `the algorithm ${algorithm.slice(0, 32)} is not supported; use ${ACS3_ALGORITHM}` });
  checkDate('x-acs-date', headerText(request.headers, 'x-acs-date'), options);
  const nonce = headerText(request.headers, 'x-acs-signature-nonce');
  if (nonce === '') throw new FaceliveError('AUTH_HEADER_MALFORMED', { field: 'x-acs-signature-nonce', expected: 'a unique value per request' });
  const secret = secretOrRefuse(accessKeyId, options);
  const signedHeaders = signedList.split(';');
  const required = [...REQUIRED_SIGNED, ...(request.body.length > 0 ? ['content-type'] : [])];
  const unsigned = required.filter((name) => !signedHeaders.includes(name));
  if (unsigned.length > 0) throw new FaceliveError('AUTH_SIGNATURE_INVALID', { reason: `SignedHeaders must include ${unsigned.join(', ')}` });
  if (!sameText(sha256Hex(request.body), headerText(request.headers, 'x-acs-content-sha256').toLowerCase())) {
    throw new FaceliveError('AUTH_SIGNATURE_INVALID', { reason: 'x-acs-content-sha256 is not the SHA-256 of the body' });
  }
  const expected = acs3Signature(secret, acs3CanonicalRequest(request, signedHeaders));
  if (!sameText(expected, signature.toLowerCase())) throw new FaceliveError('AUTH_SIGNATURE_INVALID', { reason: 'the signature does not match the request' });
  checkNonce(accessKeyId, nonce, options);
  return accessKeyId;
}

function verifyRpc(request: AcsRequest, options: AcsVerifyOptions): string {
  const { query } = request;
  const method = query.get('SignatureMethod');
  const version = query.get('SignatureVersion');
  if (method !== RPC_SIGNATURE_METHOD || version !== RPC_SIGNATURE_VERSION) {
    throw new FaceliveError('AUTH_SIGNATURE_INVALID', {
      reason: `SignatureMethod ${RPC_SIGNATURE_METHOD} with SignatureVersion ${RPC_SIGNATURE_VERSION} is the only RPC signature supported`,
    });
  }
  checkDate('Timestamp', query.get('Timestamp'), options);
  const nonce = query.get('SignatureNonce') ?? '';
  if (nonce === '') throw new FaceliveError('AUTH_HEADER_MALFORMED', { field: 'SignatureNonce', expected: 'a unique value per request' });
  const accessKeyId = query.get('AccessKeyId') ?? '';
  if (accessKeyId === '') throw new FaceliveError('AUTH_CREDENTIAL_MISSING', { expected: 'the AccessKeyId query parameter of the RPC signature' });
  const secret = secretOrRefuse(accessKeyId, options);
  const expected = rpcSignature(secret, rpcStringToSign(request.method, [...query, ...request.form]));
  if (!sameText(expected, query.get('Signature') ?? ''))
    throw new FaceliveError('AUTH_SIGNATURE_INVALID', { reason: 'the signature does not match the request' });
  checkNonce(accessKeyId, nonce, options);
  return accessKeyId;
}

/**
 * Verifies a signed request and returns its AccessKey ID. The legacy RPC signature when the query
 * carries `Signature`, else signature V3 in `Authorization`. Checks in order, each its own error:
 * a signature present (AUTH_CREDENTIAL_MISSING) and well formed (AUTH_HEADER_MALFORMED), the date
 * within the window (AUTH_SIGNATURE_EXPIRED), the AccessKey ID known and the signature equal (one
 * answer for both, AUTH_SIGNATURE_INVALID), its nonce unused (AUTH_SIGNATURE_INVALID).
 *
 * @example
 * const accessKeyId = verifyAcsSignature(request, { secretOf, nowMs: Date.now(), maxSkewSeconds: 900, firstUseOf });
 */
export function verifyAcsSignature(request: AcsRequest, options: AcsVerifyOptions): string {
  if (request.query.has('Signature')) return verifyRpc(request, options);
  const authorization = headerText(request.headers, 'authorization');
  if (authorization === '') {
    throw new FaceliveError('AUTH_CREDENTIAL_MISSING', {
      expected: `an Authorization header signed with ${ACS3_ALGORITHM}, or the RPC signature in the query string`,
    });
  }
  return verifyAcs3(request, authorization, options);
}

/** What a signer needs: the key pair, the request and the moment. */
export interface AcsSignInput {
  readonly accessKeyId: string;
  readonly accessKeySecret: string;
  /** The Host header as sent (`127.0.0.1:8080`). */
  readonly host: string;
  /** The form body as sent. */
  readonly body: string | Buffer;
  readonly contentType?: string;
  readonly action: string;
  readonly version: string;
  /** `YYYY-MM-DDTHH:mm:ssZ` */
  readonly date: string;
  readonly nonce: string;
}

/**
 * The headers of a V3-signed POST / as the SDK sends them (a test and probe helper).
 *
 * @example
 * const headers = signAcs3({ accessKeyId, accessKeySecret, host: '127.0.0.1:8080', body, action: 'DetectLivingFace', version: '2019-12-30', date, nonce });
 */
export function signAcs3(input: AcsSignInput): Record<string, string> {
  const body = typeof input.body === 'string' ? Buffer.from(input.body) : input.body;
  const headers: Record<string, string> = {
    host: input.host,
    'content-type': input.contentType ?? 'application/x-www-form-urlencoded',
    'x-acs-action': input.action,
    'x-acs-version': input.version,
    'x-acs-date': input.date,
    'x-acs-signature-nonce': input.nonce,
    'x-acs-content-sha256': sha256Hex(body),
  };
  const signed = Object.keys(headers).sort();
  const signature = acs3Signature(input.accessKeySecret, acs3CanonicalRequest({ method: 'POST', query: new URLSearchParams(), headers, body }, signed));
  return { ...headers, authorization: `${ACS3_ALGORITHM} Credential=${input.accessKeyId},SignedHeaders=${signed.join(';')},Signature=${signature}` };
}

/**
 * The query string of a legacy-RPC-signed POST / (`?Action=…&Signature=…`), signed over the
 * form body's parameters too (a test and probe helper).
 *
 * @example
 * const url = `/?${signRpc({ …input })}`;
 */
export function signRpc(input: AcsSignInput): string {
  const query = new URLSearchParams({
    Action: input.action,
    Format: 'json',
    Version: input.version,
    Timestamp: input.date,
    SignatureNonce: input.nonce,
    SignatureMethod: RPC_SIGNATURE_METHOD,
    SignatureVersion: RPC_SIGNATURE_VERSION,
    AccessKeyId: input.accessKeyId,
  });
  const form = new URLSearchParams(typeof input.body === 'string' ? input.body : input.body.toString('utf8'));
  query.set('Signature', rpcSignature(input.accessKeySecret, rpcStringToSign('POST', [...query, ...form])));
  return [...query].map(([name, value]) => `${name}=${percentEncode(value)}`).join('&');
}
