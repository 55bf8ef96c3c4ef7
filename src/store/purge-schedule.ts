/**
 * Retention of a running server's result store: a purge at start-up, then one every
 * `purgeIntervalMinutes` on an unref'd timer (it never keeps the process alive). Each purge
 * removes results and images past their expiry and tombstones older than
 * `tombstoneRetentionHours`. A failed purge is logged and retried at the next tick; it never
 * throws into the server.
 */
import type { Logger } from 'pino';
import type { ResultStore } from './result-store.js';

/** The `store` settings that drive purging. */
export interface PurgeSettings {
  readonly tombstoneRetentionHours: number;
  readonly purgeIntervalMinutes: number;
}

/** A running schedule. */
export interface PurgeSchedule {
  /** Resolves when the start-up purge has finished (successfully or not). */
  readonly first: Promise<void>;
  /** Stops the timer and waits for a purge in progress; the store may be closed afterwards. */
  stop(): Promise<void>;
}

const HOUR_MS = 3_600_000;

/**
 * Starts purging `store` with the clock `now` (ms since epoch).
 *
 * @example
 * const purges = schedulePurges(store, config.store, { logger, now: Date.now });
 * await purges.first;
 * // on shutdown:
 * await purges.stop();
 * await store.close();
 */
export function schedulePurges(
  store: ResultStore,
  settings: PurgeSettings,
  options: { readonly logger: Pick<Logger, 'info' | 'debug' | 'error'>; readonly now: () => number },
): PurgeSchedule {
  const { logger, now } = options;
  let running: Promise<void> | undefined;
  let stopped = false;

  const purgeOnce = (): Promise<void> => {
    if (stopped) return Promise.resolve();
    running ??= (async () => {
      const at = now();
      try {
        const report = await store.purge(new Date(at), new Date(at - settings.tombstoneRetentionHours * HOUR_MS));
        const level = report.purged > 0 || report.tombstonesRemoved > 0 ? 'info' : 'debug';
        logger[level]({ purged: report.purged, tombstonesRemoved: report.tombstonesRemoved }, 'result store purged');
      } catch (error) {
        logger.error({ err: error }, 'result store purge failed; retrying at the next interval');
      } finally {
        running = undefined;
      }
    })();
    return running;
  };

  const timer = setInterval(() => void purgeOnce(), settings.purgeIntervalMinutes * 60_000);
  timer.unref();
  const first = purgeOnce();
  return {
    first,
    stop: async () => {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}
