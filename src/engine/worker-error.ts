/**
 * Errors crossing the worker-thread boundary as plain data: the catalogue code and params, and
 * the chain of causes with each one's name, message, stack and code, so that a failure inside a
 * worker (an onnxruntime or sharp error) stays diagnosable in the main thread's log. Causes are
 * for logs only; API surfaces never send them.
 */
import { reviveError, type ErrorCode, type FaceliveError, type ParamValue } from '../errors/catalogue.js';

/** One cause as data. */
export interface CauseData {
  readonly name: string;
  readonly message: string;
  readonly stack?: string;
  /** Node-style error code (`ERR_…`, `ENOENT`), when the cause has one. */
  readonly code?: string;
  readonly cause?: CauseData;
}

/** A catalogue error as data. */
export interface ErrorData {
  readonly code: ErrorCode;
  readonly params: Readonly<Record<string, ParamValue>>;
  readonly cause?: CauseData;
}

/** Causes followed at most; a longer (or circular) chain is cut. */
const MAX_DEPTH = 8;

function causeToData(cause: unknown, depth: number): CauseData | undefined {
  if (cause === undefined || cause === null || depth >= MAX_DEPTH) return undefined;
  if (!(cause instanceof Error)) return { name: typeof cause, message: String(cause) };
  const { code } = cause as { code?: unknown };
  return {
    name: cause.name,
    message: cause.message,
    ...(cause.stack !== undefined && { stack: cause.stack }),
    ...(typeof code === 'string' && { code }),
    ...(cause.cause !== undefined && { cause: causeToData(cause.cause, depth + 1) }),
  };
}

function causeFromData(data: CauseData | undefined): Error | undefined {
  if (data === undefined) return undefined;
  const error = new Error(data.message, { cause: causeFromData(data.cause) });
  error.name = data.name;
  // The worker's own stack, so the log points at the frame that failed, not at this function.
  error.stack = data.stack ?? `${data.name}: ${data.message}`;
  if (data.code !== undefined) Object.assign(error, { code: data.code });
  return error;
}

/**
 * `error` as structured-clone-safe data.
 *
 * @example
 * postMessage({ ok: false, error: errorToData(toFaceliveError(thrown)) });
 */
export function errorToData(error: FaceliveError): ErrorData {
  const cause = causeToData(error.cause, 0);
  return { code: error.code, params: { ...error.params }, ...(cause && { cause }) };
}

/** The catalogue error again, with its causes rebuilt as Errors (name, message, stack, code). */
export function errorFromData(data: ErrorData): FaceliveError {
  const cause = causeFromData(data.cause);
  return reviveError(data.code, data.params, cause === undefined ? undefined : { cause });
}
