/**
 * Per-credential call quotas behind an interface, so that a shared store (PostgreSQL, Redis) can
 * replace the in-memory counters when several instances serve one set of credentials. A quota
 * counts successful calls: a call takes one unit before the engine runs and gives it back when
 * it fails, so concurrent calls can never overdraw the quota and failed calls cost nothing.
 */
import { FaceliveError } from '../errors/catalogue.js';

/** Counters of calls per key; async so that a networked store fits the same interface. */
export interface CallQuotaStore {
  /** Calls counted so far for `key`. */
  used(key: string): Promise<number>;
  /**
   * Counts one call for `key` when fewer than `quota` are counted, atomically (a shared store
   * does `UPDATE … SET used = used + 1 WHERE used < $quota`); false when the quota is used up.
   */
  take(key: string, quota: number): Promise<boolean>;
  /** Gives back one call taken by {@link take} whose request then failed. */
  giveBack(key: string): Promise<void>;
}

/**
 * Counters in this process's memory: they start at 0 with every process, so a restart renews
 * every quota (a persistent store keeps them).
 *
 * @example
 * const quota = createMemoryCallQuota();
 * await quota.take('accuauth:my-app', 1000); // true
 */
export function createMemoryCallQuota(): CallQuotaStore {
  const counts = new Map<string, number>();
  return {
    used: async (key) => counts.get(key) ?? 0,
    take: async (key, quota) => {
      const used = counts.get(key) ?? 0;
      if (used >= quota) return false;
      counts.set(key, used + 1);
      return true;
    },
    giveBack: async (key) => {
      const used = counts.get(key) ?? 0;
      if (used > 0) counts.set(key, used - 1);
    },
  };
}

/** A credential's quota: its counter key, its allowance and its name for messages. */
export interface CallQuota {
  readonly key: string;
  readonly quota: number;
  /** How the credential is named in the error message (never a secret). */
  readonly credential: string;
}

function exhausted(limit: CallQuota): FaceliveError {
  return new FaceliveError('CALL_QUOTA_EXCEEDED', { credential: limit.credential, callQuota: limit.quota });
}

/** Throws CALL_QUOTA_EXCEEDED when the quota is already used up (a cheap check before the body is read). */
export async function checkCallQuota(store: CallQuotaStore, limit: CallQuota): Promise<void> {
  if ((await store.used(limit.key)) >= limit.quota) throw exhausted(limit);
}

/**
 * Runs `call` as one counted call: takes a unit first (CALL_QUOTA_EXCEEDED when none is left)
 * and gives it back when `call` throws.
 *
 * @example
 * const result = await countedCall(store, { key: 'accuauth:app', quota: 1000, credential: 'API ID app' }, () => liveness.analyse(request, input));
 */
export async function countedCall<T>(store: CallQuotaStore, limit: CallQuota, call: () => Promise<T>): Promise<T> {
  if (!(await store.take(limit.key, limit.quota))) throw exhausted(limit);
  try {
    return await call();
  } catch (error) {
    await store.giveBack(limit.key);
    throw error;
  }
}
