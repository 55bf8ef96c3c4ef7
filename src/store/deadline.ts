/**
 * A deadline on a promise: a dependency that stops answering (a frozen database, a stalled disk)
 * must turn into an error the caller can answer with, not a request that waits forever. The work
 * itself is not cancelled (a promise cannot be); whoever owns it bounds it too (PostgreSQL
 * connections are dropped by their own timeouts).
 */

/**
 * Resolves or rejects as `work` does, or rejects with `onTimeout()` after `ms`.
 *
 * @example
 * await withDeadline(store.save(submission), 10_000, () => new FaceliveError('STORE_UNAVAILABLE', { reason: 'timed out' }));
 */
export function withDeadline<T>(work: Promise<T>, ms: number, onTimeout: () => Error): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(onTimeout()), ms);
  });
  // A late failure of the abandoned work has nobody to report to.
  work.catch(() => undefined);
  return Promise.race([work, deadline]).finally(() => clearTimeout(timer));
}
