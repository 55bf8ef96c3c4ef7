/**
 * A result store whose every call is counted (operation, ok or error) for `/metrics`; the calls
 * themselves pass through unchanged.
 */
import type { ResultStore } from './result-store.js';

/** Receives one count per store call. */
export type StoreOpListener = (operation: 'save' | 'lookup' | 'imageByToken' | 'purge', ok: boolean) => void;

/**
 * Wraps `store` so that `onOp` sees every call and its outcome.
 *
 * @example
 * const store = countedStore(await openResultStore(config.store), (op, ok) => metrics.recordStoreOp(op, ok));
 */
export function countedStore(store: ResultStore, onOp: StoreOpListener): ResultStore {
  const counted =
    <A extends unknown[], R>(operation: Parameters<StoreOpListener>[0], call: (...args: A) => Promise<R>) =>
    async (...args: A): Promise<R> => {
      try {
        const result = await call(...args);
        onOp(operation, true);
        return result;
      } catch (error) {
        onOp(operation, false);
        throw error;
      }
    };
  return {
    save: counted('save', (submission) => store.save(submission)),
    lookup: counted('lookup', (id, now) => store.lookup(id, now)),
    imageByToken: counted('imageByToken', (token, now) => store.imageByToken(token, now)),
    purge: counted('purge', (now, before) => store.purge(now, before)),
    checkWritable: () => store.checkWritable(),
    close: () => store.close(),
  };
}
