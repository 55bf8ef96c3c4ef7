/**
 * Errors at the HTTP boundary: whatever fastify, its plugins or a route threw becomes one
 * catalogue error of the HTTP scope, which each dialect then renders in its own envelope. Unknown
 * errors and codes only the command line raises become INTERNAL_ERROR (the cause is logged,
 * never sent); no framework code (`FST_…`) ever reaches a client.
 */
import type { FastifyRequest } from 'fastify';
import { FaceliveError, isHttpErrorCode, toFaceliveError, type HttpErrorCode } from '../errors/catalogue.js';

interface FrameworkError {
  code?: string;
  statusCode?: number;
  validation?: readonly { instancePath?: string; keyword?: string; message?: string; params?: Record<string, unknown> }[];
}

/** A catalogue error a client may receive. */
export type HttpError = FaceliveError<HttpErrorCode>;

/** A short, safe description of a received value: no long strings (base64!) are echoed. */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (typeof value === 'string') return value.length > 40 ? `a string of ${value.length} characters` : JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return `an array of ${value.length} items`;
  return `a ${typeof value}`;
}

function fromValidation(error: FrameworkError): FaceliveError {
  const [first] = error.validation ?? [];
  const params = first?.params ?? {};
  const path = (first?.instancePath ?? '').replace(/^\//, '').replace(/\//g, '.');
  if (first?.keyword === 'required') {
    return new FaceliveError('ARGUMENT_MISSING', { field: String(params.missingProperty), expected: 'a value' });
  }
  if (first?.keyword === 'additionalProperties') {
    return new FaceliveError('INVALID_ARGUMENT', { field: String(params.additionalProperty), expected: 'no such field (see /docs)', received: 'a value' });
  }
  return new FaceliveError('INVALID_ARGUMENT', {
    field: path || 'body',
    expected: `a value that ${first?.message ?? 'matches the schema'}`,
    received: 'data' in (first ?? {}) ? describeValue((first as { data?: unknown }).data) : 'something else',
  });
}

/** Framework error codes that mean "the request cannot be read", with the reason a client is told. */
const MALFORMED: Readonly<Record<string, string>> = {
  FST_ERR_CTP_EMPTY_JSON_BODY: 'the JSON body is empty',
  FST_ERR_CTP_INVALID_JSON_BODY: 'the body is not valid JSON',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'the body length does not match Content-Length',
  FST_ERR_BAD_URL: 'the URL path cannot be decoded',
  FST_MP_PREMATURE_CLOSE: 'the multipart/form-data body ended before it was complete',
  FST_PROTO_VIOLATION: 'a form field name is not allowed',
};

function contentTypeUnsupported(request: FastifyRequest, error: unknown): FaceliveError {
  const received = describeValue(request.headers['content-type'] ?? 'none');
  return new FaceliveError('REQUEST_CONTENT_TYPE_UNSUPPORTED', { received, expected: 'application/json' }, { cause: error });
}

/**
 * Converts anything thrown while handling `request` into a catalogue error.
 *
 * @example
 * const error = toApiError(thrown, request, config.server.bodyLimitBytes);
 */
export function toApiError(error: unknown, request: FastifyRequest, bodyLimitBytes: number): FaceliveError {
  if (error instanceof FaceliveError) return error;
  const framework = (error ?? {}) as FrameworkError;
  const code = framework.code ?? '';
  // A route may have a smaller limit than the server's (routes read before authentication).
  bodyLimitBytes = request.routeOptions?.bodyLimit ?? bodyLimitBytes;
  if (Object.hasOwn(MALFORMED, code)) return new FaceliveError('REQUEST_MALFORMED', { reason: MALFORMED[code] }, { cause: error });
  switch (code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
    case 'FST_REQ_FILE_TOO_LARGE':
      return new FaceliveError('REQUEST_BODY_TOO_LARGE', { maxBytes: bodyLimitBytes }, { cause: error });
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
    case 'FST_INVALID_MULTIPART_CONTENT_TYPE':
      return contentTypeUnsupported(request, error);
    case 'FST_ERR_VALIDATION':
      return fromValidation(framework);
    default:
  }
  if (framework.validation) return fromValidation(framework);
  const status = framework.statusCode ?? 500;
  if (status === 413) return new FaceliveError('REQUEST_BODY_TOO_LARGE', { maxBytes: bodyLimitBytes }, { cause: error });
  if (status === 415) return contentTypeUnsupported(request, error);
  // Any other client error of the framework: its code and message stay in the log.
  if (status >= 400 && status < 500) return new FaceliveError('REQUEST_MALFORMED', { reason: 'the request cannot be read' }, { cause: error });
  return toFaceliveError(error);
}

/** An error a client may receive: codes only the command line raises become INTERNAL_ERROR (cause kept for the log). */
export function toHttpError(error: FaceliveError): HttpError {
  if (isHttpErrorCode(error.code)) return error as HttpError;
  return new FaceliveError('INTERNAL_ERROR', {}, { cause: error });
}

/** The message a client may see: the filled template when safe, a generic text otherwise. */
export function clientMessage(error: FaceliveError): string {
  return error.clientSafe ? error.message : 'The server cannot serve this request now; the request id locates the details in its log.';
}

/**
 * `error.field` when the client-facing message does not already name it, for dialects that
 * report which request field an error concerns (AccuAuth's prefix, ADVANCE.AI's suffix).
 */
export function fieldNotInMessage(error: FaceliveError): string | undefined {
  const { field } = error;
  return field !== undefined && error.clientSafe && !clientMessage(error).includes(field) ? field : undefined;
}

/** Seconds a client should wait before retrying, for errors that invite a retry. */
export function retryAfterSeconds(error: FaceliveError): number | undefined {
  if (error.code === 'RATE_LIMITED' || error.code === 'AUTH_THROTTLED') return Number(error.params.retryAfterSeconds) || 1;
  const busy = [
    'SERVER_OVERLOADED',
    'SERVER_IN_FLIGHT_LIMITED',
    'CLIENT_IN_FLIGHT_LIMITED',
    'SERVER_NOT_READY',
    'SERVER_SHUTTING_DOWN',
    'LIMITS_STORE_UNAVAILABLE',
  ];
  if (busy.includes(error.code)) return 1;
  return undefined;
}

/** `Retry-After` for errors that invite a retry, as a header record for a rendered error. */
export function retryHeaders(error: FaceliveError): Record<string, string> {
  const seconds = retryAfterSeconds(error);
  return seconds === undefined ? {} : { 'retry-after': String(seconds) };
}

/**
 * Records the error on the request's outcome and logs it with its cause when it is ours to fix
 * (internal errors and model or configuration faults).
 */
export function noteError(request: FastifyRequest, error: FaceliveError): void {
  if (request.outcome) request.outcome.errorCode = error.code;
  // pino's err serializer writes the chain of causes ("caused by: …") with their stacks.
  if (!error.clientSafe || error.code === 'INTERNAL_ERROR') request.log.error({ err: error }, 'request failed');
}
