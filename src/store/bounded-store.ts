/**
 * One deadline over every operation of a result store (`store.operationTimeoutMs`), whatever the
 * backend: the PostgreSQL store bounds each step, this bounds the whole (a save of several
 * statements, a purge, a disk that stops answering under the SQLite store), so that a caller
 * always gets STORE_UNAVAILABLE in time and can answer its client.
 */
import { FaceliveError } from '../errors/catalogue.js';
import { withDeadline } from './deadline.js';
import type { ResultStore } from './result-store.js';

/**
 * `store` with every call bounded by `operationTimeoutMs`.
 *
 * @example
 * const store = boundedStore(await PostgresResultStore.open(options), 10_000);
 */
export function boundedStore(store: ResultStore, operationTimeoutMs: number): ResultStore {
  const bound = <T>(operation: string, work: Promise<T>): Promise<T> =>
    withDeadline(
      work,
      operationTimeoutMs,
      () => new FaceliveError('STORE_UNAVAILABLE', { reason: `${operation} did not finish within ${operationTimeoutMs} ms (store.operationTimeoutMs)` }),
    );
  return {
    save: (submission) => bound('saving a submission', store.save(submission)),
    lookup: (id, now) => bound('looking up a submission', store.lookup(id, now)),
    imageByToken: (token, now) => bound('reading a stored image', store.imageByToken(token, now)),
    purge: (now, before) => bound('purging expired results', store.purge(now, before)),
    checkWritable: () => bound('checking that the store can write', store.checkWritable()),
    // Closing is bounded too; a store that cannot close in time is abandoned (the process is ending).
    close: () => bound('closing the store', store.close()).catch(() => undefined),
  };
}
