/**
 * ADVANCE.AI access tokens (`X-ACCESS-TOKEN`), stateless so that any number of facelive
 * instances with the same credentials accept each other's tokens and a restart invalidates
 * nothing: a token is `base64url(payload) "." base64url(HMAC-SHA256(secretKey, context + payload))`
 * where the payload is `{"k": accessKey, "e": expiry in ms, "n": nonce}`. Verifying looks the
 * secretKey up by the payload's accessKey, compares the MAC in constant time and checks expiry.
 * Removing a credential from the config revokes its tokens; rotating its secretKey does too.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { FaceliveError } from '../../errors/catalogue.js';

/** A token and when it stops being accepted. */
export interface IssuedToken {
  token: string;
  /** ms since epoch */
  expiredTime: number;
}

/** Lifetimes and clock of an issuer. */
export interface AccessTokenIssuerOptions {
  /** Largest lifetime a caller may ask for, seconds (default 86400). */
  maxPeriodSeconds?: number;
  /** Lifetime when none is asked for, seconds (default 3600). */
  defaultPeriodSeconds?: number;
  /** Clock, ms since epoch (default Date.now). */
  now?: () => number;
}

/** Domain separation: a MAC over this context can never be mistaken for another use of the secret. */
const MAC_CONTEXT = 'facelive/advance-access-token/v1\n';
/** Longer strings are not tokens of ours (accessKey ≤ 128 characters). */
const MAX_TOKEN_LENGTH = 512;
const BASE64URL = /^[A-Za-z0-9_-]+$/;

interface TokenPayload {
  readonly k: string;
  readonly e: number;
  readonly n: string;
}

function mac(secretKey: string, payload: string): Buffer {
  return createHmac('sha256', secretKey).update(MAC_CONTEXT).update(payload).digest();
}

function parsePayload(encoded: string): TokenPayload | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(encoded, 'base64url').toString('utf8'));
    if (value === null || typeof value !== 'object') return undefined;
    const { k, e, n } = value as Record<string, unknown>;
    if (typeof k !== 'string' || typeof n !== 'string' || typeof e !== 'number' || !Number.isSafeInteger(e)) return undefined;
    return { k, e, n };
  } catch {
    return undefined;
  }
}

/**
 * Issues and verifies access tokens for the configured accessKey/secretKey pairs.
 *
 * @example
 * const issuer = new AccessTokenIssuer(config.server.advance.credentials, { maxPeriodSeconds: 86400 });
 * const { token, expiredTime } = issuer.issue('my-access-key', 600);
 * issuer.verify(token); // { accessKey: 'my-access-key' }
 */
export class AccessTokenIssuer {
  private readonly secrets = new Map<string, string>();
  private readonly maxPeriodSeconds: number;
  private readonly defaultPeriodSeconds: number;
  private readonly now: () => number;

  constructor(credentials: readonly { accessKey: string; secretKey: string }[], options: AccessTokenIssuerOptions = {}) {
    for (const { accessKey, secretKey } of credentials) {
      if (this.secrets.has(accessKey)) throw new FaceliveError('CONFIG_INVALID', { reason: `ADVANCE.AI accessKey "${accessKey}" is configured twice` });
      this.secrets.set(accessKey, secretKey);
    }
    this.maxPeriodSeconds = options.maxPeriodSeconds ?? 86_400;
    this.defaultPeriodSeconds = options.defaultPeriodSeconds ?? 3_600;
    this.now = options.now ?? Date.now;
    if (!(Number.isInteger(this.maxPeriodSeconds) && this.maxPeriodSeconds >= 1 && Number.isInteger(this.defaultPeriodSeconds))) {
      throw new FaceliveError('CONFIG_INVALID', { reason: 'ADVANCE.AI token periods must be whole seconds, at least 1' });
    }
    if (this.defaultPeriodSeconds < 1 || this.defaultPeriodSeconds > this.maxPeriodSeconds) {
      throw new FaceliveError('CONFIG_INVALID', {
        reason: `the default ADVANCE.AI token period (${this.defaultPeriodSeconds} s) must be between 1 and the maximum (${this.maxPeriodSeconds} s)`,
      });
    }
  }

  /**
   * A token for `accessKey`, valid `periodSeconds` (default: the issuer's default). Throws
   * AUTH_CREDENTIAL_INVALID for an unknown accessKey and INVALID_ARGUMENT (field `periodSecond`)
   * for a period that is not a whole number of seconds from 1 to the maximum.
   */
  issue(accessKey: string, periodSeconds?: number): IssuedToken {
    const secretKey = this.secrets.get(accessKey);
    if (secretKey === undefined) throw new FaceliveError('AUTH_CREDENTIAL_INVALID', { credential: 'accessKey', api: 'ADVANCE.AI' });
    const period = periodSeconds ?? this.defaultPeriodSeconds;
    if (!Number.isInteger(period) || period < 1 || period > this.maxPeriodSeconds) {
      throw new FaceliveError('INVALID_ARGUMENT', {
        field: 'periodSecond',
        expected: `whole seconds from 1 to ${this.maxPeriodSeconds}`,
        received: String(period),
      });
    }
    const expiredTime = this.now() + period * 1000;
    const payload: TokenPayload = { k: accessKey, e: expiredTime, n: randomBytes(9).toString('base64url') };
    const encoded = Buffer.from(JSON.stringify(payload)).toString('base64url');
    return { token: `${encoded}.${mac(secretKey, encoded).toString('base64url')}`, expiredTime };
  }

  /** The accessKey a token was issued for, or undefined when it is malformed, forged, expired or its key is gone. */
  verify(token: string): { accessKey: string } | undefined {
    if (typeof token !== 'string' || token.length > MAX_TOKEN_LENGTH) return undefined;
    const parts = token.split('.');
    if (parts.length !== 2 || !BASE64URL.test(parts[0]) || !BASE64URL.test(parts[1])) return undefined;
    const payload = parsePayload(parts[0]);
    if (!payload) return undefined;
    const secretKey = this.secrets.get(payload.k);
    if (secretKey === undefined) return undefined;
    // Compared as text, so that no second spelling of the same MAC bytes is accepted.
    const expected = Buffer.from(mac(secretKey, parts[0]).toString('base64url'));
    const presented = Buffer.from(parts[1]);
    if (presented.length !== expected.length || !timingSafeEqual(presented, expected)) return undefined;
    if (payload.e <= this.now()) return undefined;
    return { accessKey: payload.k };
  }
}
