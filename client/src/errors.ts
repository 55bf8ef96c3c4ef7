/**
 * What a failed call rejects with. Every rejection of the client is a {@link FaceliveClientError};
 * `kind` (or `instanceof` on the subclasses) tells a refusal by facelive, which carries the
 * catalogue code, from a transport failure, a deadline or the caller's own abort.
 */
import type { ErrorCode } from './generated/error-codes.js';

/** Which failure: facelive refused (`api`), answered something unreadable, or was not reached in time. */
export type FaceliveErrorKind = 'api' | 'response' | 'network' | 'timeout' | 'aborted';

/** Base class of every error the client throws. */
export abstract class FaceliveClientError extends Error {
  /** Discriminant of the subclasses. */
  abstract readonly kind: FaceliveErrorKind;
}

/** What {@link FaceliveApiError} is built from: the native error envelope plus the response. */
export interface ApiErrorDetails {
  readonly code: string;
  readonly message: string;
  readonly status: number;
  readonly requestId: string;
  readonly retryAfterMs?: number;
}

/**
 * facelive answered with an error: `code` is the catalogue code (docs/errors.md), `status` the
 * HTTP status, `requestId` the id that locates the call in the server's log.
 *
 * @example
 * try {
 *   await client.check(bytes);
 * } catch (error) {
 *   if (error instanceof FaceliveApiError && error.code === 'FACE_NOT_FOUND') askForAnotherPhoto();
 *   else throw error;
 * }
 */
export class FaceliveApiError extends FaceliveClientError {
  readonly kind = 'api';
  /** Catalogue code; a newer server may send codes this client version does not list. */
  readonly code: ErrorCode | (string & {});
  readonly status: number;
  readonly requestId: string;
  /** The server's `Retry-After`, in ms, when it sent one (overload, not ready, rate limited). */
  readonly retryAfterMs: number | undefined;

  constructor(details: ApiErrorDetails) {
    super(details.message);
    this.name = 'FaceliveApiError';
    this.code = details.code;
    this.status = details.status;
    this.requestId = details.requestId;
    this.retryAfterMs = details.retryAfterMs;
  }
}

/** The server answered, but not in facelive's format (e.g. a proxy's error page, or invalid JSON). */
export class FaceliveResponseError extends FaceliveClientError {
  readonly kind = 'response';
  readonly status: number;

  constructor(message: string, status: number) {
    super(message);
    this.name = 'FaceliveResponseError';
    this.status = status;
  }
}

/** No answer: the connection failed or broke (refused, reset, DNS, CORS in a browser). `cause` has the reason. */
export class FaceliveNetworkError extends FaceliveClientError {
  readonly kind = 'network';

  constructor(message: string, options: { cause: unknown }) {
    super(message, options);
    this.name = 'FaceliveNetworkError';
  }
}

/** The call's `timeoutMs` passed (attempts and waits between them included). */
export class FaceliveTimeoutError extends FaceliveClientError {
  readonly kind = 'timeout';
  readonly timeoutMs: number;

  constructor(timeoutMs: number) {
    super(`The call did not complete within ${timeoutMs} ms.`);
    this.name = 'FaceliveTimeoutError';
    this.timeoutMs = timeoutMs;
  }
}

/** The caller's `signal` aborted the call; `cause` is the signal's reason. */
export class FaceliveAbortError extends FaceliveClientError {
  readonly kind = 'aborted';

  constructor(options: { cause: unknown }) {
    super('The call was aborted by its signal.', options);
    this.name = 'FaceliveAbortError';
  }
}
