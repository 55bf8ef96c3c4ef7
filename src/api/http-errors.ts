/**
 * Errors at the HTTP boundary: whatever fastify, its plugins or a route threw becomes one
 * catalogue error, which each dialect then renders in its own envelope. Unknown errors become
 * INTERNAL_ERROR (the cause is logged, never sent).
 */
import type { FastifyRequest } from 'fastify';
import { FaceliveError, toFaceliveError } from '../errors/catalogue.js';

interface FrameworkError {
  code?: string;
  statusCode?: number;
  message?: string;
  validation?: readonly { instancePath?: string; keyword?: string; message?: string; params?: Record<string, unknown> }[];
}

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
    return new FaceliveError('INVALID_ARGUMENT', {
      field: String(params.additionalProperty),
      expected: 'no such field (see /docs)',
      received: 'a value',
    });
  }
  return new FaceliveError('INVALID_ARGUMENT', {
    field: path || 'body',
    expected: `a value that ${first?.message ?? 'matches the schema'}`,
    received: 'data' in (first ?? {}) ? describeValue((first as { data?: unknown }).data) : 'something else',
  });
}

/**
 * Converts anything thrown while handling `request` into a catalogue error.
 *
 * @example
 * app.setErrorHandler((error, request, reply) => sendNative(reply, toApiError(error, request, limit)));
 */
export function toApiError(error: unknown, request: FastifyRequest, bodyLimitBytes: number): FaceliveError {
  if (error instanceof FaceliveError) return error;
  const framework = (error ?? {}) as FrameworkError;
  const contentType = request.headers['content-type'] ?? 'none';
  switch (framework.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
    case 'FST_REQ_FILE_TOO_LARGE':
      return new FaceliveError('REQUEST_BODY_TOO_LARGE', { maxBytes: bodyLimitBytes }, { cause: error });
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
    case 'FST_INVALID_MULTIPART_CONTENT_TYPE':
      return new FaceliveError('REQUEST_CONTENT_TYPE_UNSUPPORTED', { received: describeValue(contentType), expected: 'application/json' }, { cause: error });
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return new FaceliveError('REQUEST_MALFORMED', { reason: 'the JSON body is empty' }, { cause: error });
    case 'FST_ERR_VALIDATION':
      return fromValidation(framework);
    default:
  }
  if (framework.validation) return fromValidation(framework);
  if (error instanceof SyntaxError && framework.statusCode === 400) {
    return new FaceliveError('REQUEST_MALFORMED', { reason: 'the body is not valid JSON' }, { cause: error });
  }
  const status = framework.statusCode ?? 500;
  if (status === 413) return new FaceliveError('REQUEST_BODY_TOO_LARGE', { maxBytes: bodyLimitBytes }, { cause: error });
  if (status === 415) return new FaceliveError('REQUEST_CONTENT_TYPE_UNSUPPORTED', { received: describeValue(contentType), expected: 'application/json' }, { cause: error });
  if (status >= 400 && status < 500) {
    return new FaceliveError('REQUEST_MALFORMED', { reason: framework.code ?? 'unreadable request' }, { cause: error });
  }
  return toFaceliveError(error);
}

/** The message a client may see: the filled template when safe, the bare catalogue text otherwise. */
export function clientMessage(error: FaceliveError): string {
  return error.clientSafe ? error.message : 'The server cannot serve this request now; the request id locates the details in its log.';
}

/** Seconds a client should wait before retrying, for errors that invite a retry. */
export function retryAfterSeconds(error: FaceliveError): number | undefined {
  if (error.code === 'RATE_LIMITED') return Number(error.params.retryAfterSeconds) || 1;
  if (error.code === 'SERVER_OVERLOADED' || error.code === 'SERVER_NOT_READY') return 1;
  return undefined;
}

/**
 * Records the error on the request's outcome and logs it with its cause when it is ours to fix
 * (internal errors and model or configuration faults). Dialects call this before rendering.
 */
export function noteError(request: FastifyRequest, error: FaceliveError): void {
  request.outcome.errorCode = error.code;
  if (!error.clientSafe || error.code === 'INTERNAL_ERROR') request.log.error({ err: error, cause: error.cause }, 'request failed');
}
