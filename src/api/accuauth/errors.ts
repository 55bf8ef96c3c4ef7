/**
 * Catalogue codes → AccuAuth statuses, with the HTTP codes of the document's table (no status of
 * facelive's own is added). Errors are `{status, reason, request_id}`; `reason` starts with the
 * facelive code, then names the request field when the error is about one
 * (`IMAGE_FORMAT_UNSUPPORTED: liveness_data_file: …`).
 */
import type { FaceliveError, HttpErrorCode } from '../../errors/catalogue.js';
import type { DialectErrors } from '../dialect.js';
import { clientMessage, fieldNotInMessage, retryHeaders } from '../http-errors.js';
import { AccuAuthErrorResponse } from './schemas.js';

/** The document's statuses with their HTTP codes. */
export const ACCUAUTH_HTTP_STATUS = {
  INVALID_ARGUMENT: 400,
  DETETION_FAILED: 400,
  DOWNLOAD_ERROR: 400,
  UNAUTHORIZED: 401,
  KEY_EXPIRED: 401,
  OUT_OF_QUOTA: 403,
  RATE_LIMIT_EXCEEDED: 403,
  NOT_FOUND: 404,
  INTERNAL_ERROR: 500,
} as const;

/** A status of the AccuAuth document (its spelling, `DETETION_FAILED` included). */
export type AccuAuthStatus = keyof typeof ACCUAUTH_HTTP_STATUS;

/** Every HTTP code's AccuAuth status; a new catalogue code of the HTTP scope fails the build until it is added. */
export const ACCUAUTH_ERRORS = {
  // Anything that is not a decodable image within the limits is a bad argument.
  IMAGE_EMPTY: 'INVALID_ARGUMENT',
  IMAGE_SIZE_EXCEEDED: 'INVALID_ARGUMENT',
  IMAGE_FORMAT_UNSUPPORTED: 'INVALID_ARGUMENT',
  IMAGE_DECODE_FAILED: 'INVALID_ARGUMENT',
  IMAGE_RESOLUTION_EXCEEDED: 'INVALID_ARGUMENT',
  IMAGE_RESOLUTION_TOO_SMALL: 'INVALID_ARGUMENT',
  // No usable face: "Detect image failed".
  FACE_NOT_FOUND: 'DETETION_FAILED',
  FACE_TOO_SMALL: 'DETETION_FAILED',
  INVALID_ARGUMENT: 'INVALID_ARGUMENT',
  MODEL_FILE_MISSING: 'INTERNAL_ERROR',
  MODEL_CHECKSUM_MISMATCH: 'INTERNAL_ERROR',
  MODEL_METADATA_MISMATCH: 'INTERNAL_ERROR',
  MODEL_LOAD_FAILED: 'INTERNAL_ERROR',
  REQUEST_MALFORMED: 'INVALID_ARGUMENT',
  REQUEST_CONTENT_TYPE_UNSUPPORTED: 'INVALID_ARGUMENT',
  // The document has no 413; the reason names the limit.
  REQUEST_BODY_TOO_LARGE: 'INVALID_ARGUMENT',
  REQUEST_HEADERS_TOO_LARGE: 'INVALID_ARGUMENT',
  REQUEST_TIMEOUT: 'INVALID_ARGUMENT',
  ARGUMENT_MISSING: 'INVALID_ARGUMENT',
  IMAGE_BASE64_INVALID: 'INVALID_ARGUMENT',
  FACE_MODEL_VERSION_UNSUPPORTED: 'INVALID_ARGUMENT',
  API_ACTION_UNKNOWN: 'INVALID_ARGUMENT',
  ROUTE_NOT_FOUND: 'NOT_FOUND',
  AUTH_NOT_CONFIGURED: 'UNAUTHORIZED',
  AUTH_CREDENTIAL_MISSING: 'UNAUTHORIZED',
  AUTH_HEADER_MALFORMED: 'UNAUTHORIZED',
  AUTH_CREDENTIAL_INVALID: 'UNAUTHORIZED',
  // A valid credential of another facelive API: authenticated, but not for this API.
  AUTH_SIGNATURE_INVALID: 'UNAUTHORIZED',
  AUTH_SIGNATURE_EXPIRED: 'UNAUTHORIZED',
  AUTH_TOKEN_INVALID: 'UNAUTHORIZED',
  RATE_LIMITED: 'RATE_LIMIT_EXCEEDED',
  // "The invoke number is out of limitation": the caller should slow down, as with its own limit.
  SERVER_OVERLOADED: 'RATE_LIMIT_EXCEEDED',
  SERVER_IN_FLIGHT_LIMITED: 'RATE_LIMIT_EXCEEDED',
  CLIENT_IN_FLIGHT_LIMITED: 'RATE_LIMIT_EXCEEDED',
  AUTH_THROTTLED: 'RATE_LIMIT_EXCEEDED',
  SERVER_NOT_READY: 'INTERNAL_ERROR',
  SERVER_SHUTTING_DOWN: 'INTERNAL_ERROR',
  // Redis unreachable: the dialect's "service busy" answer, as when the server cannot serve yet.
  LIMITS_STORE_UNAVAILABLE: 'INTERNAL_ERROR',
  // A URL facelive refuses to fetch is a bad argument; a fetch that fails is a download error.
  URL_INVALID: 'INVALID_ARGUMENT',
  URL_SCHEME_UNSUPPORTED: 'INVALID_ARGUMENT',
  URL_ADDRESS_REFUSED: 'INVALID_ARGUMENT',
  URL_REDIRECT_LIMIT: 'DOWNLOAD_ERROR',
  URL_TIMEOUT: 'DOWNLOAD_ERROR',
  URL_TOO_LARGE: 'DOWNLOAD_ERROR',
  URL_HTTP_STATUS: 'DOWNLOAD_ERROR',
  URL_FETCH_FAILED: 'DOWNLOAD_ERROR',
  STORE_UNAVAILABLE: 'INTERNAL_ERROR',
  // Lifetime and quota of an API ID (server.accuauth.credentials[].expiresAt, callQuota).
  AUTH_CREDENTIAL_EXPIRED: 'KEY_EXPIRED',
  CALL_QUOTA_EXCEEDED: 'OUT_OF_QUOTA',
  INTERNAL_ERROR: 'INTERNAL_ERROR',
} as const satisfies Record<HttpErrorCode, AccuAuthStatus>;

/** `{status, reason, request_id}` */
export interface AccuAuthErrorBody {
  readonly status: AccuAuthStatus;
  readonly reason: string;
  readonly request_id: string;
}

/** Added to the reason when a file is not an image format facelive decodes (the vendor SDK sends protobuf). */
const FORMAT_HINT = " facelive takes the face image itself (JPEG, PNG, BMP or WebP), not the liveness SDK's protobuf file.";

/** The reason text: facelive code, the field when the error names one the message does not, the message. */
export function accuAuthReason(error: FaceliveError): string {
  const field = fieldNotInMessage(error);
  const hint = error.code === 'IMAGE_FORMAT_UNSUPPORTED' ? FORMAT_HINT : '';
  return `${error.code}: ${field === undefined ? '' : `${field}: `}${clientMessage(error)}${hint}`;
}

/** How the AccuAuth dialect answers errors: the document's HTTP code and status (Retry-After where it applies). */
export const accuAuthErrors: DialectErrors = {
  heading: 'AccuAuth',
  mapping: ACCUAUTH_ERRORS,
  describe: (code) => `${ACCUAUTH_HTTP_STATUS[ACCUAUTH_ERRORS[code]]} ${ACCUAUTH_ERRORS[code]}`,
  render: (error, requestId) => {
    const status: AccuAuthStatus = ACCUAUTH_ERRORS[error.code];
    const body: AccuAuthErrorBody = { status, reason: accuAuthReason(error), request_id: requestId };
    return { status: ACCUAUTH_HTTP_STATUS[status], headers: retryHeaders(error), body };
  },
  schema: AccuAuthErrorResponse,
};
