/**
 * The credentials of every dialect, from the `server` config section: lookups that do not leak
 * timing about secrets, labels for logs that never contain a secret, and each credential's rate
 * limit. Dialect folders ask this registry; they never read the config's secrets themselves.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { ServerConfig } from '../config/server-schema.js';
import { FaceliveError } from '../errors/catalogue.js';
import type { RateLimit } from './rate-limiter.js';

/** The dialects that authenticate callers (a new dialect adds its name and a list below). */
export type ApiName = 'native' | 'tencent' | 'acedata' | 'advance' | 'accuauth';

/** Display names used in error messages. */
export const API_TITLES: Record<ApiName, string> = { native: 'facelive', tencent: 'Tencent Cloud', acedata: 'Ace Data Cloud', advance: 'ADVANCE.AI', accuauth: 'AccuAuth' };

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

/** An ADVANCE.AI key pair; the secret key signs token requests, the accessKey names it. */
export interface AdvanceSecret {
  readonly principal: Principal;
  readonly secretKey: string;
}

/** An AccuAuth API ID, with the lifetime and call quota its config gives it. */
export interface AccuAuthKey {
  readonly principal: Principal;
  readonly apiId: string;
  /** The configured `expiresAt` as written, and as epoch ms; undefined = never expires. */
  readonly expiresAt?: { readonly text: string; readonly epochMs: number };
  /** Successful calls the key may make; undefined = unlimited. */
  readonly callQuota?: number;
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
  findAdvance(accessKey: string): AdvanceSecret | undefined;
  /** The AccuAuth key whose API ID and secret both match (compared in constant time), or undefined. */
  findAccuAuth(apiId: string, apiSecret: string): AccuAuthKey | undefined;
  /** The dialect an id/secret pair belongs to (a Tencent or ADVANCE.AI key pair, or a bearer secret), if any. */
  ownerOfPair(id: string, secret: string): ApiName | undefined;
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

interface AccuAuthEntry {
  readonly idDigest: Buffer;
  readonly secretDigest: Buffer;
  readonly key: AccuAuthKey;
}

const ISO_INSTANT = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(?:Z|[+-](\d{2}):(\d{2})))?$/;

/** Epoch ms of a config `expiresAt`: a date (00:00 UTC of that day) or a date-time with zone. */
function parseExpiry(text: string, where: string): number {
  const match = ISO_INSTANT.exec(text);
  const [year, month, day, hour = 0, minute = 0, second = 0, offsetHours = 0, offsetMinutes = 0] = (match?.slice(1) ?? []).map((part) =>
    part === undefined ? undefined : Number(part),
  );
  // Date.parse would roll 2027-02-30 over to March 2: the calendar date must exist as written.
  const date = match ? new Date(Date.UTC(year!, month! - 1, day!)) : undefined;
  const valid =
    date !== undefined &&
    date.getUTCFullYear() === year && date.getUTCMonth() === month! - 1 && date.getUTCDate() === day &&
    hour! <= 23 && minute! <= 59 && second! <= 59 && offsetHours! <= 23 && offsetMinutes! <= 59;
  const epochMs = Date.parse(match?.[4] === undefined ? `${text}T00:00:00Z` : text);
  if (!valid || !Number.isFinite(epochMs)) {
    throw new FaceliveError('CONFIG_INVALID', { reason: `${where}: "${text}" is not a valid ISO 8601 date or date-time with zone` });
  }
  return epochMs;
}

function accuAuthEntries(server: ServerConfig, defaults: RateLimit): AccuAuthEntry[] {
  return server.accuauth.credentials.map((c, index) => ({
    idDigest: sha256(c.apiId),
    secretDigest: sha256(c.apiSecret),
    key: {
      apiId: c.apiId,
      principal: { api: 'accuauth', label: c.name ?? c.apiId, bucket: `accuauth:${c.apiId}`, limit: limitOf(c, defaults) },
      ...(c.expiresAt !== undefined && { expiresAt: { text: c.expiresAt, epochMs: parseExpiry(c.expiresAt, `server.accuauth.credentials[${index}].expiresAt`) } }),
      ...(c.callQuota !== undefined && { callQuota: c.callQuota }),
    },
  }));
}

/** Compares the id and the secret of every entry (no early exit), like {@link matchBearer}. */
function matchAccuAuth(entries: readonly AccuAuthEntry[], apiId: string, apiSecret: string): AccuAuthKey | undefined {
  const idDigest = sha256(apiId);
  const secretDigest = sha256(apiSecret);
  let found: AccuAuthKey | undefined;
  for (const entry of entries) {
    const idMatches = timingSafeEqual(entry.idDigest, idDigest);
    const secretMatches = timingSafeEqual(entry.secretDigest, secretDigest);
    if (idMatches && secretMatches && !found) found = entry.key;
  }
  return found;
}

/** Whether `secret` equals `expected`, in time independent of where they differ. */
function sameSecret(expected: string | undefined, secret: string): boolean {
  return expected !== undefined && timingSafeEqual(sha256(expected), sha256(secret));
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
  const advance = new Map<string, AdvanceSecret>(
    server.advance.credentials.map((c) => [
      c.accessKey,
      {
        secretKey: c.secretKey,
        principal: { api: 'advance', label: c.name ?? c.accessKey, bucket: `advance:${c.accessKey}`, limit: limitOf(c, defaults) },
      },
    ]),
  );
  const accuauth = accuAuthEntries(server, defaults);
  const counts: Record<ApiName, number> = {
    native: bearers.native.length,
    acedata: bearers.acedata.length,
    tencent: tencent.size,
    advance: advance.size,
    accuauth: accuauth.length,
  };
  const ownerOfBearer = (token: string) => (Object.keys(bearers) as ('native' | 'acedata')[]).find((api) => matchBearer(bearers[api], token));
  return {
    count: (api) => counts[api],
    findBearer: (api, token) => matchBearer(bearers[api], token),
    ownerOfBearer,
    findTencent: (secretId) => tencent.get(secretId),
    findAdvance: (accessKey) => advance.get(accessKey),
    findAccuAuth: (apiId, apiSecret) => matchAccuAuth(accuauth, apiId, apiSecret),
    ownerOfPair: (id, secret) => {
      if (sameSecret(tencent.get(id)?.secretKey, secret)) return 'tencent';
      if (sameSecret(advance.get(id)?.secretKey, secret)) return 'advance';
      return ownerOfBearer(secret);
    },
  };
}
