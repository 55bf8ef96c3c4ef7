/**
 * One call's deadline: its timeout and the caller's signal folded into one AbortSignal, which
 * every attempt and every wait between attempts uses, and the translation of an abort into the
 * client's error. Written without AbortSignal.any/timeout so that older browsers work too.
 */
import { FaceliveAbortError, FaceliveClientError, FaceliveTimeoutError } from './errors.js';

/** The signal of a call and what to make of its abort. */
export interface Deadline {
  readonly signal: AbortSignal;
  /** Milliseconds left before the timeout. */
  remainingMs(): number;
  /** `error` as the call should reject: a timeout or abort error once the signal fired, else as is. */
  explain(error: unknown): unknown;
  /** Clears the timer and the listener on the caller's signal. */
  dispose(): void;
}

/** Starts the clock of a call that may take `timeoutMs` in all and that `callerSignal` may abort. */
export function startDeadline(timeoutMs: number, callerSignal?: AbortSignal): Deadline {
  const controller = new AbortController();
  const endsAt = Date.now() + timeoutMs;
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, timeoutMs);
  const onCallerAbort = () => controller.abort(callerSignal?.reason);
  if (callerSignal?.aborted) onCallerAbort();
  else callerSignal?.addEventListener('abort', onCallerAbort, { once: true });
  return {
    signal: controller.signal,
    remainingMs: () => Math.max(0, endsAt - Date.now()),
    explain(error) {
      if (error instanceof FaceliveClientError || !controller.signal.aborted) return error;
      return timedOut ? new FaceliveTimeoutError(timeoutMs) : new FaceliveAbortError({ cause: callerSignal?.reason });
    },
    dispose() {
      clearTimeout(timer);
      callerSignal?.removeEventListener('abort', onCallerAbort);
    },
  };
}

/** Waits `ms`, or rejects as soon as `signal` aborts. */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
