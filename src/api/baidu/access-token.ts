/**
 * Baidu access tokens, stateless so that a server needs no store to issue them and every
 * instance with the same credentials accepts the others' tokens. A token has Baidu's shape,
 * `24.<32 hex>.<expires_in>.<expiry, Unix s>.<nonce>-<API Key>`, where the 32 hex digits are the
 * first 128 bits of HMAC-SHA256(Secret Key, context + everything after them). Verifying finds the
 * Secret Key by the API Key at the end, compares the MAC in constant time, then checks expiry.
 * Removing a credential or rotating its Secret Key revokes its tokens.
 */
import { createHmac, randomInt, timingSafeEqual } from 'node:crypto';

/** A token as the token endpoint returns it. */
export interface IssuedBaiduToken {
  readonly accessToken: string;
  /** Seconds from issue to expiry (`expires_in`). */
  readonly expiresInSeconds: number;
  /** Unix seconds. */
  readonly expiresAt: number;
}

/** What a presented token turned out to be. */
export type TokenCheck =
  | { readonly status: 'valid'; readonly apiKey: string }
  | { readonly status: 'expired'; readonly apiKey: string; readonly expiresAt: number }
  /** Malformed, forged, or issued for a key that is no longer configured. */
  | { readonly status: 'invalid' };

/** Domain separation: a MAC over this context is never mistaken for another use of the Secret Key. */
const MAC_CONTEXT = 'facelive/baidu-access-token/v1\n';
const TOKEN = /^24\.([0-9a-f]{32})\.(\d{1,10})\.(\d{1,12})\.(\d{1,12})-([A-Za-z0-9_-]{1,128})$/;

function mac(secretKey: string, signed: string): string {
  return createHmac('sha256', secretKey).update(MAC_CONTEXT).update(signed).digest('hex').slice(0, 32);
}

/**
 * A token for `apiKey`, signed with its `secretKey`, valid `lifetimeSeconds` from `nowMs`.
 *
 * @example
 * const { accessToken, expiresInSeconds } = issueBaiduToken('myApiKey', secretKey, 2_592_000, Date.now());
 */
export function issueBaiduToken(apiKey: string, secretKey: string, lifetimeSeconds: number, nowMs: number): IssuedBaiduToken {
  const expiresAt = Math.floor(nowMs / 1000) + lifetimeSeconds;
  const signed = `${lifetimeSeconds}.${expiresAt}.${randomInt(100_000_000, 1_000_000_000)}-${apiKey}`;
  return { accessToken: `24.${mac(secretKey, signed)}.${signed}`, expiresInSeconds: lifetimeSeconds, expiresAt };
}

/**
 * Checks a presented token against the Secret Key of the API Key it names (`secretKeyOf` returns
 * undefined for unknown keys).
 *
 * @example
 * checkBaiduToken(token, (apiKey) => credentials.findById('baidu', apiKey)?.secret, Date.now());
 */
export function checkBaiduToken(token: string, secretKeyOf: (apiKey: string) => string | undefined, nowMs: number): TokenCheck {
  const match = TOKEN.exec(token);
  if (!match) return { status: 'invalid' };
  const [, presented, , expiry, , apiKey] = match;
  const secretKey = secretKeyOf(apiKey);
  if (secretKey === undefined) return { status: 'invalid' };
  const expected = Buffer.from(mac(secretKey, token.slice(36)));
  if (!timingSafeEqual(expected, Buffer.from(presented))) return { status: 'invalid' };
  const expiresAt = Number(expiry);
  if (expiresAt * 1000 <= nowMs) return { status: 'expired', apiKey, expiresAt };
  return { status: 'valid', apiKey };
}
