/**
 * The signature nonces seen within the clock window, so that a captured signed request cannot be
 * replayed while its date is still accepted (Alibaba Cloud's SignatureNonceUsed). In memory, per
 * process: a replay across instances behind a load balancer is not caught. Bounded: past
 * `maxEntries` the oldest nonces are forgotten first.
 */

/** Remembers nonces per AccessKey ID for `windowMs`. */
export interface NonceMemory {
  /** Records the nonce; false when it was already used within the window. */
  firstUseOf(accessKeyId: string, nonce: string, nowMs: number): boolean;
  readonly size: number;
}

/**
 * @example
 * const nonces = createNonceMemory(2 * 900_000);
 * nonces.firstUseOf('LTAI…', 'a1b2…', Date.now()); // true, then false for the same pair
 */
export function createNonceMemory(windowMs: number, maxEntries = 100_000): NonceMemory {
  // Insertion order is time order, so expiry and eviction both take from the front.
  const seen = new Map<string, number>();
  const forgetOld = (nowMs: number) => {
    for (const [key, at] of seen) {
      if (at > nowMs - windowMs && seen.size < maxEntries) break;
      seen.delete(key);
    }
  };
  return {
    firstUseOf(accessKeyId, nonce, nowMs) {
      forgetOld(nowMs);
      const key = `${accessKeyId}\n${nonce}`;
      if (seen.has(key)) return false;
      seen.set(key, nowMs);
      return true;
    },
    get size() {
      return seen.size;
    },
  };
}
