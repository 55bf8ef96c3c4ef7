/**
 * Catalogue codes → Ace Data Cloud errors. The document's codes keep its statuses
 * (`invalid_token` 401, `api_not_implemented` 400, `too_many_requests`
 * 429, `api_error` 500); three codes of facelive's own cover what the document leaves out:
 * `invalid_image` 400 (the image cannot be judged), `invalid_request` 400 (bad fields, refused
 * URLs) and `payload_too_large` 413. Every message starts with the catalogue code.
 */
import type { HttpErrorCode } from '../../errors/catalogue.js';
import type { DialectErrors } from '../dialect.js';
import { clientMessage, retryHeaders } from '../http-errors.js';
import { AceDataErrorResponse } from './schemas.js';

/** An Ace Data Cloud error code with its HTTP status. */
export interface AceDataError {
  readonly status: number;
  readonly code: string;
}

const INVALID_TOKEN = { status: 401, code: 'invalid_token' } as const;
const NOT_IMPLEMENTED = { status: 400, code: 'api_not_implemented' } as const;
const TOO_MANY = { status: 429, code: 'too_many_requests' } as const;
const API_ERROR = { status: 500, code: 'api_error' } as const;
const INVALID_IMAGE = { status: 400, code: 'invalid_image' } as const;
const INVALID_REQUEST = { status: 400, code: 'invalid_request' } as const;
const TOO_LARGE = { status: 413, code: 'payload_too_large' } as const;

/** Every HTTP code's Ace Data error; a new catalogue code of the HTTP scope fails the build until it is added. */
export const ACEDATA_ERRORS = {
  IMAGE_EMPTY: INVALID_IMAGE,
  IMAGE_SIZE_EXCEEDED: INVALID_IMAGE,
  IMAGE_FORMAT_UNSUPPORTED: INVALID_IMAGE,
  IMAGE_DECODE_FAILED: INVALID_IMAGE,
  IMAGE_RESOLUTION_EXCEEDED: INVALID_IMAGE,
  IMAGE_RESOLUTION_TOO_SMALL: INVALID_IMAGE,
  FACE_NOT_FOUND: INVALID_IMAGE,
  FACE_TOO_SMALL: INVALID_IMAGE,
  INVALID_ARGUMENT: INVALID_REQUEST,
  MODEL_FILE_MISSING: API_ERROR,
  MODEL_CHECKSUM_MISMATCH: API_ERROR,
  MODEL_METADATA_MISMATCH: API_ERROR,
  MODEL_LOAD_FAILED: API_ERROR,
  REQUEST_MALFORMED: INVALID_REQUEST,
  REQUEST_CONTENT_TYPE_UNSUPPORTED: INVALID_REQUEST,
  REQUEST_BODY_TOO_LARGE: TOO_LARGE,
  REQUEST_HEADERS_TOO_LARGE: INVALID_REQUEST,
  REQUEST_TIMEOUT: INVALID_REQUEST,
  ARGUMENT_MISSING: INVALID_REQUEST,
  IMAGE_BASE64_INVALID: INVALID_IMAGE,
  FACE_MODEL_VERSION_UNSUPPORTED: NOT_IMPLEMENTED,
  API_ACTION_UNKNOWN: NOT_IMPLEMENTED,
  ROUTE_NOT_FOUND: NOT_IMPLEMENTED,
  AUTH_NOT_CONFIGURED: INVALID_TOKEN,
  AUTH_CREDENTIAL_MISSING: INVALID_TOKEN,
  AUTH_HEADER_MALFORMED: INVALID_TOKEN,
  AUTH_CREDENTIAL_INVALID: INVALID_TOKEN,
  AUTH_SIGNATURE_INVALID: INVALID_TOKEN,
  AUTH_SIGNATURE_EXPIRED: INVALID_TOKEN,
  AUTH_TOKEN_INVALID: INVALID_TOKEN,
  RATE_LIMITED: TOO_MANY,
  SERVER_OVERLOADED: TOO_MANY,
  SERVER_IN_FLIGHT_LIMITED: TOO_MANY,
  CLIENT_IN_FLIGHT_LIMITED: TOO_MANY,
  AUTH_THROTTLED: TOO_MANY,
  SERVER_NOT_READY: API_ERROR,
  SERVER_SHUTTING_DOWN: API_ERROR,
  // Redis unreachable: the dialect's "service busy" answer, as when the server cannot serve yet.
  LIMITS_STORE_UNAVAILABLE: API_ERROR,
  URL_INVALID: INVALID_REQUEST,
  URL_SCHEME_UNSUPPORTED: INVALID_REQUEST,
  URL_ADDRESS_REFUSED: INVALID_REQUEST,
  // The vendor answers a failed download with api_error ("fetch failed"); so does this dialect.
  URL_REDIRECT_LIMIT: API_ERROR,
  URL_TIMEOUT: API_ERROR,
  URL_TOO_LARGE: INVALID_IMAGE,
  URL_HTTP_STATUS: API_ERROR,
  URL_FETCH_FAILED: API_ERROR,
  STORE_UNAVAILABLE: API_ERROR,
  // Only AccuAuth credentials carry an expiry or a quota; mapped for completeness.
  AUTH_CREDENTIAL_EXPIRED: INVALID_TOKEN,
  CALL_QUOTA_EXCEEDED: TOO_MANY,
  INTERNAL_ERROR: API_ERROR,
} as const satisfies Record<HttpErrorCode, AceDataError>;

/** `{success: false, error: {code, message}, trace_id}` */
export interface AceDataErrorBody {
  readonly success: false;
  readonly error: { readonly code: string; readonly message: string };
  readonly trace_id: string;
}

/** How the Ace Data dialect answers errors: the mapped status, the catalogue code first in the message. */
export const aceDataErrors: DialectErrors = {
  heading: 'Ace Data Cloud',
  mapping: ACEDATA_ERRORS,
  describe: (code) => `${ACEDATA_ERRORS[code].status} ${ACEDATA_ERRORS[code].code}`,
  render: (error, requestId) => {
    const mapped: AceDataError = ACEDATA_ERRORS[error.code];
    const body: AceDataErrorBody = { success: false, error: { code: mapped.code, message: `${error.code}: ${clientMessage(error)}` }, trace_id: requestId };
    return { status: mapped.status, headers: retryHeaders(error), body };
  },
  schema: AceDataErrorResponse,
};
