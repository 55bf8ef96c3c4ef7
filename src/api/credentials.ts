/**
 * The credentials of every dialect, read from the `server` config section through each dialect's
 * {@link CredentialSource}: lookups that do not leak timing about secrets, labels for logs that
 * never contain a secret, and each credential's rate limit. Nothing here knows a dialect by name;
 * dialect folders ask this registry and never read the config's secrets themselves.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { ServerConfig } from '../config/server-schema.js';
import { FaceliveError } from '../errors/catalogue.js';
import type { Dialect } from './dialect.js';
import type { ApiName } from './dialects.js';
import type { RateLimit } from './rate-limiter.js';

/** An authenticated caller. */
export interface Principal {
  readonly api: ApiName;
  /** Log label: the configured name, the public id, or a fingerprint of the secret. */
  readonly label: string;
  /** Key of the caller's rate-limit bucket. */
  readonly bucket: string;
  readonly limit: RateLimit;
}

/** One configured credential. */
export interface Credential {
  readonly principal: Principal;
  /** Public half of a pair (SecretId, accessKey, API ID); undefined for bearer secrets. */
  readonly id?: string;
  /** The secret, for dialects whose scheme needs it (signatures). */
  readonly secret: string;
  /** Position in the dialect's credential list, for fields only that dialect reads (AccuAuth's expiry). */
  readonly index: number;
}

/** What a client presented: a secret, with the public id when the scheme has one. */
export interface PresentedCredential {
  readonly id?: string;
  readonly secret: string;
}

/** Lookups over every configured credential. */
export interface CredentialRegistry {
  /** Number of credentials configured for a dialect (0 → the dialect refuses every call). */
  count(api: ApiName): number;
  /** Display name of a dialect, for messages. */
  title(api: ApiName): string;
  /** Throws AUTH_NOT_CONFIGURED when `api` has no credential. */
  requireConfigured(api: ApiName): void;
  /** The credential of `api` whose secret is `secret` (bearer schemes; every entry compared). */
  findSecret(api: ApiName, secret: string): Credential | undefined;
  /** The first credential of `api` with this public id (signature schemes, which need the secret). */
  findById(api: ApiName, id: string): Credential | undefined;
  /** The credential of `api` whose id and secret both match (every entry compared). */
  findPair(api: ApiName, id: string, secret: string): Credential | undefined;
}

interface Entry {
  readonly credential: Credential;
  readonly idDigest?: Buffer;
  readonly secretDigest: Buffer;
}

function sha256(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}

/** Eight hex digits of the secret's hash: enough to tell credentials apart in logs, useless to an attacker. */
function fingerprint(secret: string): string {
  return sha256(secret).toString('hex').slice(0, 8);
}

type ConfigEntry = Readonly<Record<string, unknown>> & { readonly name?: string; readonly ratePerSecond?: number; readonly burst?: number };

function entriesOf(dialect: Dialect, server: ServerConfig, defaults: RateLimit): Entry[] {
  const section = (server as unknown as Record<string, Record<string, unknown>>)[dialect.name];
  const list = (section?.[dialect.credentials.list] ?? []) as readonly ConfigEntry[];
  const { idField, secretField } = dialect.credentials;
  const api = dialect.name as ApiName;
  return list.map((entry, index) => {
    const secret = String(entry[secretField]);
    const id = idField === undefined ? undefined : String(entry[idField]);
    const bucket = `${api}:${id ?? fingerprint(secret)}`;
    const limit = { ratePerSecond: entry.ratePerSecond ?? defaults.ratePerSecond, burst: entry.burst ?? defaults.burst };
    return {
      credential: { principal: { api, label: entry.name ?? id ?? bucket, bucket, limit }, id, secret, index },
      idDigest: id === undefined ? undefined : sha256(id),
      secretDigest: sha256(secret),
    };
  });
}

/**
 * The first entry that `matches`, after testing every entry (no early exit), so the time taken
 * says nothing about which entry matched or where a secret differed.
 */
function scan(entries: readonly Entry[], matches: (entry: Entry) => boolean): Credential | undefined {
  let found: Credential | undefined;
  for (const entry of entries) if (matches(entry) && !found) found = entry.credential;
  return found;
}

/**
 * Builds the registry from the validated config (environment credentials are already merged in
 * by `loadConfig`) and the dialects that read it.
 *
 * @example
 * const credentials = createCredentialRegistry(config.server, DIALECTS);
 * credentials.findSecret('native', token)?.principal.label;
 */
export function createCredentialRegistry(server: ServerConfig, dialects: readonly Dialect[]): CredentialRegistry {
  const defaults: RateLimit = server.rateLimit;
  const byApi = new Map(dialects.map((dialect) => [dialect.name, { dialect, entries: entriesOf(dialect, server, defaults) }]));
  const of = (api: ApiName) => {
    const found = byApi.get(api);
    if (!found) throw new FaceliveError('INTERNAL_ERROR', {}, { cause: new Error(`no dialect named ${api}`) });
    return found;
  };
  const pairMatches = (id: string, secret: string) => {
    const idDigest = sha256(id);
    const secretDigest = sha256(secret);
    return (entry: Entry) => {
      const idMatches = entry.idDigest !== undefined && timingSafeEqual(entry.idDigest, idDigest);
      const secretMatches = timingSafeEqual(entry.secretDigest, secretDigest);
      return idMatches && secretMatches;
    };
  };
  const secretMatches = (secret: string) => {
    const digest = sha256(secret);
    return (entry: Entry) => entry.idDigest === undefined && timingSafeEqual(entry.secretDigest, digest);
  };
  return {
    count: (api) => of(api).entries.length,
    title: (api) => of(api).dialect.title,
    requireConfigured: (api) => {
      const { dialect, entries } = of(api);
      if (entries.length === 0) throw new FaceliveError('AUTH_NOT_CONFIGURED', { api: dialect.title });
    },
    findSecret: (api, secret) => scan(of(api).entries, secretMatches(secret)),
    findById: (api, id) => of(api).entries.find((entry) => entry.credential.id === id)?.credential,
    findPair: (api, id, secret) => scan(of(api).entries, pairMatches(id, secret)),
  };
}
