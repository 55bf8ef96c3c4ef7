/**
 * Which failures of a batch image are worth another try. A bad image (undecodable, no face, a
 * refused URL, a missing file) fails the same way every time: its catalogue error is its result
 * at once. A store or network outage, an engine thread that died, or a flaky filesystem may
 * pass: those are retried with backoff, and recorded as the result only after the last try.
 */
import type { FaceliveError } from '../errors/catalogue.js';

/** Codes that may succeed on another try. */
const TRANSIENT_CODES = new Set(['STORE_UNAVAILABLE', 'INTERNAL_ERROR', 'SERVER_OVERLOADED', 'URL_TIMEOUT', 'URL_FETCH_FAILED']);

/** Filesystem errors that may pass (network filesystems, descriptor exhaustion). */
const TRANSIENT_ERRNO = new Set(['EIO', 'EAGAIN', 'EBUSY', 'EMFILE', 'ENFILE', 'ETIMEDOUT', 'ESTALE', 'ECONNRESET']);

function errnoOf(error: unknown): string | undefined {
  for (let current = error, depth = 0; current && depth < 8; current = (current as { cause?: unknown }).cause, depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && /^E[A-Z]+$/.test(code)) return code;
  }
  return undefined;
}

/**
 * True when `error` may not happen on another try.
 *
 * @example
 * isTransient(new FaceliveError('URL_HTTP_STATUS', { status: 503 })); // true
 * isTransient(new FaceliveError('FACE_NOT_FOUND')); // false
 */
export function isTransient(error: FaceliveError): boolean {
  if (TRANSIENT_CODES.has(error.code)) return true;
  if (error.code === 'URL_HTTP_STATUS') {
    const status = Number(error.params.status);
    return status === 408 || status === 429 || status >= 500;
  }
  if (error.code === 'INVALID_ARGUMENT' && error.field === 'file') {
    const errno = errnoOf(error.cause);
    return errno !== undefined && TRANSIENT_ERRNO.has(errno);
  }
  return false;
}
