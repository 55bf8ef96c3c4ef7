/**
 * The native API's error envelope: `{error: {code, message}, requestId}` with the catalogue's
 * HTTP status. The catalogue is this surface's mapping, so every code is mapped by construction.
 * It is also the envelope of the server's own routes (probes, docs) and of paths no dialect owns.
 */
import { ERROR_CATALOGUE, HTTP_ERROR_CODES, type HttpErrorCode } from '../../errors/catalogue.js';
import type { DialectErrors } from '../dialect.js';
import { clientMessage, retryHeaders } from '../http-errors.js';
import { NativeError } from './schemas.js';

/** HTTP status of each code on the native API. */
export const NATIVE_STATUS = Object.fromEntries(HTTP_ERROR_CODES.map((code) => [code, ERROR_CATALOGUE[code].httpStatus])) as Record<HttpErrorCode, number>;

/** The native error body. */
export interface NativeErrorBody {
  readonly error: { readonly code: HttpErrorCode; readonly message: string };
  readonly requestId: string;
}

/** How the native API answers errors: the status above, Retry-After and WWW-Authenticate where they apply. */
export const nativeErrors: DialectErrors = {
  heading: 'native (HTTP status)',
  mapping: NATIVE_STATUS,
  describe: (code) => String(NATIVE_STATUS[code]),
  render: (error, requestId) => {
    const status = NATIVE_STATUS[error.code];
    const body: NativeErrorBody = { error: { code: error.code, message: clientMessage(error) }, requestId };
    return { status, headers: { ...retryHeaders(error), ...(status === 401 && { 'www-authenticate': 'Bearer realm="facelive"' }) }, body };
  },
  schema: NativeError,
};
