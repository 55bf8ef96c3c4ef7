/**
 * The credentials of every dialect, from the `server` config section: lookups that do not leak
 * timing about secrets, labels for logs that never contain a secret, and each credential's rate
 * limit. Dialect folders ask this registry; they never read the config's secrets themselves.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { ServerConfig } from '../config/server-schema.js';
import type { RateLimit } from './rate-limiter.js';

/** The dialects that authenticate callers (a new dialect adds its name and a list below). */
export type ApiName = 'native' | 'tencent' | 'acedata';

/** Display names used in error messages. */
export const API_TITLES: Record<ApiName, string> = { native: 'facelive', tencent: 'Tencent Cloud', acedata: 'Ace Data Cloud' };

/** An authenticated caller. */
export interface Principal {
  readonly api: ApiName;
  /** Log label: the configured name, the SecretId, or a fingerprint of the secret. */
  readonly label: string;
  /** Key of the caller's rate-limit bucket. */
  readonly bucket: string;
  readonly limit: RateLimit;
}

/** A Tencent Cloud key pair; the secret key signs, the SecretId names it. */
export interface TencentSecret {
  readonly principal: Principal;
  readonly secretKey: string;
}

/** Lookups over every configured credential. */
export interface CredentialRegistry {
  /** Number of credentials configured for a dialect (0 → the dialect refuses every call). */
  count(api: ApiName): number;
  /** The principal owning a bearer token of `api`, or undefined. */
  findBearer(api: 'native' | 'acedata', token: string): Principal | undefined;
  /** The dialect a bearer token belongs to, if any (to tell a mixed-up credential from a wrong one). */
  ownerOfBearer(token: string): ApiName | undefined;
  findTencent(secretId: string): TencentSecret | undefined;
}

interface BearerEntry {
  readonly digest: Buffer;
  readonly principal: Principal;
}

function sha256(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}

/** Eight hex digits of the secret's hash: enough to tell credentials apart in logs, useless to an attacker. */
function fingerprint(secret: string): string {
  return sha256(secret).toString('hex').slice(0, 8);
}

function limitOf(entry: { ratePerSecond?: number; burst?: number }, defaults: RateLimit): RateLimit {
  return { ratePerSecond: entry.ratePerSecond ?? defaults.ratePerSecond, burst: entry.burst ?? defaults.burst };
}

function bearerEntries(api: 'native' | 'acedata', list: readonly { secret: string; name?: string; ratePerSecond?: number; burst?: number }[], defaults: RateLimit): BearerEntry[] {
  return list.map((entry) => {
    const label = entry.name ?? `${api}:${fingerprint(entry.secret)}`;
    return {
      digest: sha256(entry.secret),
      principal: { api, label, bucket: `${api}:${fingerprint(entry.secret)}`, limit: limitOf(entry, defaults) },
    };
  });
}

/** Compares against every entry (no early exit) so the time taken says nothing about which matched. */
function matchBearer(entries: readonly BearerEntry[], token: string): Principal | undefined {
  const digest = sha256(token);
  let found: Principal | undefined;
  for (const entry of entries) if (timingSafeEqual(entry.digest, digest) && !found) found = entry.principal;
  return found;
}

/**
 * Builds the registry from the validated config (environment credentials are already merged in
 * by `loadConfig`).
 *
 * @example
 * const credentials = createCredentialRegistry(config.server);
 * credentials.findBearer('native', token)?.label;
 */
export function createCredentialRegistry(server: ServerConfig): CredentialRegistry {
  const defaults: RateLimit = server.rateLimit;
  const bearers = {
    native: bearerEntries('native', server.native.apiKeys.map((k) => ({ ...k, secret: k.key })), defaults),
    acedata: bearerEntries('acedata', server.acedata.tokens.map((t) => ({ ...t, secret: t.token })), defaults),
  };
  const tencent = new Map<string, TencentSecret>(
    server.tencent.credentials.map((c) => [
      c.secretId,
      {
        secretKey: c.secretKey,
        principal: { api: 'tencent', label: c.name ?? c.secretId, bucket: `tencent:${c.secretId}`, limit: limitOf(c, defaults) },
      },
    ]),
  );
  return {
    count: (api) => (api === 'tencent' ? tencent.size : bearers[api].length),
    findBearer: (api, token) => matchBearer(bearers[api], token),
    ownerOfBearer: (token) => (Object.keys(bearers) as ('native' | 'acedata')[]).find((api) => matchBearer(bearers[api], token)),
    findTencent: (secretId) => tencent.get(secretId),
  };
}
