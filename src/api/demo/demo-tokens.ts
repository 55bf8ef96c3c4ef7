/**
 * Demo tokens: short-lived bearer credentials the demo page gets from `GET /demo/token` and sends
 * to `POST /v1/liveness`, so no API key ever reaches the browser. Stateless, like the ADVANCE.AI
 * tokens: `fldemo.` + `base64url(payload) "." base64url(HMAC-SHA256(key, context + payload))` with
 * the payload `{"e": expiry in ms, "n": nonce}`. The prefix tells a demo token from an API key
 * without a lookup, so an expired one is answered as expired instead of as an unknown key.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** Every demo token starts with this; API keys are told apart by it. */
export const DEMO_TOKEN_PREFIX = 'fldemo.';

/** Domain separation: a MAC over this context is never mistaken for another use of the key. */
const MAC_CONTEXT = 'facelive/native-demo-token/v1\n';
const MAX_TOKEN_LENGTH = 256;
const BASE64URL = /^[A-Za-z0-9_-]+$/;

/** A token and when it stops being accepted. */
export interface DemoToken {
  readonly token: string;
  /** ms since epoch */
  readonly expiresAt: number;
}

/** What checking a presented demo token found. */
export type DemoTokenCheck = { readonly valid: true; readonly expiresAt: number } | { readonly valid: false; readonly expiredAt?: number };

/** Issues and checks demo tokens with one key. */
export interface DemoTokens {
  /** A token valid for `periodSeconds` from now. */
  issue(periodSeconds: number): DemoToken;
  /** Whether `token` (with its prefix) is ours, unaltered and unexpired; an expired one says when it expired. */
  check(token: string): DemoTokenCheck;
}

function parsePayload(encoded: string): { e: number } | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(encoded, 'base64url').toString('utf8'));
    if (value === null || typeof value !== 'object') return undefined;
    const { e, n } = value as Record<string, unknown>;
    if (typeof e !== 'number' || !Number.isSafeInteger(e) || typeof n !== 'string') return undefined;
    return { e };
  } catch {
    return undefined;
  }
}

/**
 * Demo tokens under `secret` (empty: a random key of this process), on the clock `now`.
 *
 * @example
 * const tokens = createDemoTokens('', Date.now);
 * const { token } = tokens.issue(600);
 * tokens.check(token).valid; // true
 */
export function createDemoTokens(secret: string, now: () => number): DemoTokens {
  const key = secret === '' ? randomBytes(32) : Buffer.from(secret, 'utf8');
  const mac = (payload: string) => createHmac('sha256', key).update(MAC_CONTEXT).update(payload).digest('base64url');
  return {
    issue: (periodSeconds) => {
      const expiresAt = now() + periodSeconds * 1000;
      const payload = Buffer.from(JSON.stringify({ e: expiresAt, n: randomBytes(9).toString('base64url') })).toString('base64url');
      return { token: `${DEMO_TOKEN_PREFIX}${payload}.${mac(payload)}`, expiresAt };
    },
    check: (token) => {
      if (token.length > MAX_TOKEN_LENGTH || !token.startsWith(DEMO_TOKEN_PREFIX)) return { valid: false };
      const parts = token.slice(DEMO_TOKEN_PREFIX.length).split('.');
      if (parts.length !== 2 || !BASE64URL.test(parts[0]) || !BASE64URL.test(parts[1])) return { valid: false };
      // Compared as text, so that no second spelling of the same MAC bytes is accepted.
      const expected = Buffer.from(mac(parts[0]));
      const presented = Buffer.from(parts[1]);
      if (presented.length !== expected.length || !timingSafeEqual(presented, expected)) return { valid: false };
      const payload = parsePayload(parts[0]);
      if (!payload) return { valid: false };
      if (payload.e <= now()) return { valid: false, expiredAt: payload.e };
      return { valid: true, expiresAt: payload.e };
    },
  };
}
