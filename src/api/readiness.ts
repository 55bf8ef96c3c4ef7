/**
 * What `/readyz` asks besides the models: each dependency a plugin opened registers a check (the
 * ADVANCE.AI result store: can it write?). Checks run when the probe asks, each bounded by its
 * own deadline and shared by concurrent probes; a change of state is logged once (with the
 * cause), not on every probe.
 */
import type { Logger } from 'pino';
import { withDeadline } from '../store/deadline.js';
import { FaceliveError, toFaceliveError } from '../errors/catalogue.js';

/** One dependency's state as `/readyz` reports it. */
export interface DependencyState {
  readonly name: string;
  readonly ready: boolean;
  /** Why it is not ready (the code; the cause goes to the log only). */
  readonly code?: string;
}

interface Check {
  readonly name: string;
  readonly run: () => Promise<void>;
  readonly timeoutMs: number;
  running?: Promise<DependencyState>;
  lastReady?: boolean;
}

/** The registered checks. */
export interface ReadinessChecks {
  /**
   * Registers `run` (resolves when the dependency is usable, throws why not) under `name`.
   *
   * @example
   * readiness.add('resultStore', () => store.checkWritable(), config.store.readinessTimeoutMs);
   */
  add(name: string, run: () => Promise<void>, timeoutMs: number): void;
  /** Runs every check (concurrently; a probe arriving meanwhile shares the run). */
  states(): Promise<DependencyState[]>;
}

/**
 * @example
 * const readiness = createReadinessChecks(app.log);
 */
export function createReadinessChecks(logger: Pick<Logger, 'warn' | 'info'>): ReadinessChecks {
  const checks: Check[] = [];
  const probe = (check: Check): Promise<DependencyState> =>
    (check.running ??= (async () => {
      try {
        const timedOut = () => new FaceliveError('STORE_UNAVAILABLE', { reason: `the ${check.name} readiness check took longer than ${check.timeoutMs} ms` });
        await withDeadline(check.run(), check.timeoutMs, timedOut);
        if (check.lastReady === false) logger.info({ dependency: check.name }, 'dependency ready again');
        check.lastReady = true;
        return { name: check.name, ready: true };
      } catch (thrown) {
        const error = toFaceliveError(thrown);
        if (check.lastReady !== false) logger.warn({ dependency: check.name, err: error, errorCode: error.code }, 'dependency not ready');
        check.lastReady = false;
        return { name: check.name, ready: false, code: error.code };
      } finally {
        check.running = undefined;
      }
    })());
  return {
    add: (name, run, timeoutMs) => void checks.push({ name, run, timeoutMs }),
    states: () => Promise.all(checks.map(probe)),
  };
}
