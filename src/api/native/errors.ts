/**
 * The native API's error envelope: `{error: {code, message}, requestId}` with the catalogue's
 * HTTP status. The catalogue is this surface's mapping, so every code is mapped by construction.
 */
import type { FastifyReply } from 'fastify';
import { ERROR_CATALOGUE, type ErrorCode, type FaceliveError } from '../../errors/catalogue.js';
import { clientMessage, retryAfterSeconds } from '../http-errors.js';

/** HTTP status of each code on the native API. */
export const NATIVE_STATUS = Object.fromEntries(
  Object.entries(ERROR_CATALOGUE).map(([code, spec]) => [code, spec.httpStatus]),
) as Record<ErrorCode, number>;

/** The native error body. */
export interface NativeErrorBody {
  readonly error: { readonly code: ErrorCode; readonly message: string };
  readonly requestId: string;
}

/** Sends `error` in the native envelope, with Retry-After and WWW-Authenticate where they apply. */
export function sendNativeError(reply: FastifyReply, error: FaceliveError): FastifyReply {
  const status = NATIVE_STATUS[error.code];
  const retryAfter = retryAfterSeconds(error);
  if (retryAfter !== undefined) reply.header('retry-after', String(retryAfter));
  if (status === 401) reply.header('www-authenticate', 'Bearer realm="facelive"');
  const body: NativeErrorBody = { error: { code: error.code, message: clientMessage(error) }, requestId: reply.request.id };
  return reply.code(status).send(body);
}
