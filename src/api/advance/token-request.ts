/**
 * The ADVANCE.AI token request: `accessKey`, `timestamp` (Unix ms) and `signature` = hex SHA-256
 * of `accessKey + secretKey + timestamp`, the timestamp exactly as sent. A timestamp further from
 * the server clock than the allowed skew is refused before the key is looked up, so a captured
 * request can be replayed only within that window (and only to obtain another token).
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { FaceliveError } from '../../errors/catalogue.js';
import type { CredentialRegistry, Principal } from '../credentials.js';
import { describeValue } from '../http-errors.js';
import type { TokenRequestBodyType } from './schemas.js';

const DIGITS = /^\d{1,16}$/;

/**
 * The signature a client sends: hex SHA-256 of accessKey + secretKey + timestamp.
 *
 * @example
 * const timestamp = Date.now();
 * const signature = tokenRequestSignature(accessKey, secretKey, timestamp);
 * await fetch(`${base}/openapi/auth/ticket/v1/generate-token`, { method: 'POST', headers: { 'content-type': 'application/json' },
 *   body: JSON.stringify({ accessKey, timestamp, signature, periodSecond: 600 }) });
 */
export function tokenRequestSignature(accessKey: string, secretKey: string, timestamp: string | number): string {
  return createHash('sha256').update(`${accessKey}${secretKey}${timestamp}`).digest('hex');
}

/** What the check needs besides the body. */
export interface TokenRequestContext {
  readonly credentials: CredentialRegistry;
  readonly nowMs: number;
  readonly maxSkewSeconds: number;
}

/** A verified token request: who asked and for how long. */
export interface TokenRequest {
  readonly accessKey: string;
  readonly principal: Principal;
  /** undefined: the issuer's default. */
  readonly periodSeconds: number | undefined;
}

function requireText(value: unknown, field: string, expected: string): string {
  if (value === undefined || value === null || value === '') throw new FaceliveError('ARGUMENT_MISSING', { field, expected });
  if (typeof value !== 'string') throw new FaceliveError('INVALID_ARGUMENT', { field, expected, received: describeValue(value) });
  return value;
}

function periodOf(value: unknown): number | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && DIGITS.test(value)) return Number(value);
  throw new FaceliveError('INVALID_ARGUMENT', { field: 'periodSecond', expected: 'whole seconds', received: describeValue(value) });
}

/**
 * Checks a token request; errors in order: fields (ARGUMENT_MISSING, INVALID_ARGUMENT), timestamp
 * skew (AUTH_SIGNATURE_EXPIRED), then accessKey and signature together: an unknown accessKey and
 * a wrong signature get the same AUTH_SIGNATURE_INVALID (so a caller cannot learn which
 * accessKeys exist), the signature compared in constant time.
 */
export function verifyTokenRequest(body: Partial<TokenRequestBodyType>, context: TokenRequestContext): TokenRequest {
  const accessKey = requireText(body.accessKey, 'accessKey', 'your ADVANCE.AI accessKey');
  const rawTimestamp = body.timestamp;
  if (rawTimestamp === undefined || rawTimestamp === null || rawTimestamp === '') {
    throw new FaceliveError('ARGUMENT_MISSING', { field: 'timestamp', expected: 'the Unix time in milliseconds' });
  }
  const timestampText = typeof rawTimestamp === 'number' ? String(rawTimestamp) : rawTimestamp;
  if (!(typeof rawTimestamp === 'number' ? Number.isSafeInteger(rawTimestamp) && rawTimestamp >= 0 : DIGITS.test(rawTimestamp))) {
    throw new FaceliveError('INVALID_ARGUMENT', { field: 'timestamp', expected: 'the Unix time in milliseconds', received: describeValue(rawTimestamp) });
  }
  const signature = requireText(body.signature, 'signature', 'the hex SHA-256 of accessKey + secretKey + timestamp');
  const periodSeconds = periodOf(body.periodSecond);

  const timestamp = Number(timestampText);
  const skewSeconds = Math.round(Math.abs(context.nowMs - timestamp) / 1000);
  if (Math.abs(context.nowMs - timestamp) > context.maxSkewSeconds * 1000) {
    throw new FaceliveError('AUTH_SIGNATURE_EXPIRED', { timestamp: timestampText, skewSeconds, maxSkewSeconds: context.maxSkewSeconds });
  }
  const credential = context.credentials.findById('advance', accessKey);
  const expected = Buffer.from(tokenRequestSignature(accessKey, credential?.secret ?? '', timestampText));
  const presented = Buffer.from(signature.toLowerCase());
  if (!credential || presented.length !== expected.length || !timingSafeEqual(presented, expected)) {
    throw new FaceliveError('AUTH_SIGNATURE_INVALID', { reason: 'signature is not the hex SHA-256 of accessKey + secretKey + timestamp' });
  }
  return { accessKey, principal: credential.principal, periodSeconds };
}
