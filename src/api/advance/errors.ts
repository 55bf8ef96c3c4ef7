/**
 * The ADVANCE.AI envelope `{code, message, data, extra, transactionId, pricingStrategy}` and the
 * catalogue codes → ADVANCE.AI codes. The liveness document gives no HTTP statuses and shows
 * every outcome, errors included, as a body with a `code`; facelive answers HTTP 200 with the
 * code in the body, as Tencent Cloud does (a missing stored image is the one 404). Codes from the
 * document: `SUCCESS`, `PARAMETER_ERROR`, `LIVENESS_ID_NOT_EXISTED`, `RESULT_NOT_FOUND`, `ERROR`;
 * facelive adds `IAM_FAILED` (no, malformed, forged or expired credentials; a bad token-request
 * signature or timestamp) and `OVER_QUERY_LIMIT` (rate limit, full queue) for what the document
 * leaves out. Every error message starts with the catalogue code.
 */
import type { HttpErrorCode } from '../../errors/catalogue.js';
import type { DialectErrors } from '../dialect.js';
import { clientMessage, fieldNotInMessage, retryHeaders } from '../http-errors.js';
import { AdvanceErrorResponse } from './schemas.js';

/** The codes this dialect answers with. */
export type AdvanceCode = 'SUCCESS' | 'PARAMETER_ERROR' | 'LIVENESS_ID_NOT_EXISTED' | 'RESULT_NOT_FOUND' | 'ERROR' | 'IAM_FAILED' | 'OVER_QUERY_LIMIT';

/** Codes of the liveness document (../shared/reference/004). */
export const ADVANCE_DOCUMENT_CODES: readonly AdvanceCode[] = ['SUCCESS', 'PARAMETER_ERROR', 'LIVENESS_ID_NOT_EXISTED', 'RESULT_NOT_FOUND', 'ERROR'];
/** facelive's additions for cases the document does not cover (docs/http-api.md). */
export const ADVANCE_EXTENSION_CODES: readonly AdvanceCode[] = ['IAM_FAILED', 'OVER_QUERY_LIMIT'];

/** Messages of the outcomes that are answers rather than errors, as the document words them. */
export const ADVANCE_MESSAGES = {
  SUCCESS: 'OK',
  LIVENESS_ID_NOT_EXISTED: 'Liveness id does not exist',
  RESULT_NOT_FOUND: 'The requested resource was not found or has been deleted',
} as const;

/** Every HTTP code's ADVANCE.AI code; a new catalogue code of the HTTP scope fails the build until it is added. */
export const ADVANCE_ERRORS = {
  IMAGE_EMPTY: 'PARAMETER_ERROR',
  IMAGE_SIZE_EXCEEDED: 'PARAMETER_ERROR',
  IMAGE_FORMAT_UNSUPPORTED: 'PARAMETER_ERROR',
  IMAGE_DECODE_FAILED: 'PARAMETER_ERROR',
  IMAGE_RESOLUTION_EXCEEDED: 'PARAMETER_ERROR',
  IMAGE_RESOLUTION_TOO_SMALL: 'PARAMETER_ERROR',
  FACE_NOT_FOUND: 'PARAMETER_ERROR',
  FACE_TOO_SMALL: 'PARAMETER_ERROR',
  INVALID_ARGUMENT: 'PARAMETER_ERROR',
  MODEL_FILE_MISSING: 'ERROR',
  MODEL_CHECKSUM_MISMATCH: 'ERROR',
  MODEL_METADATA_MISMATCH: 'ERROR',
  MODEL_LOAD_FAILED: 'ERROR',
  REQUEST_MALFORMED: 'PARAMETER_ERROR',
  REQUEST_CONTENT_TYPE_UNSUPPORTED: 'PARAMETER_ERROR',
  REQUEST_BODY_TOO_LARGE: 'PARAMETER_ERROR',
  REQUEST_HEADERS_TOO_LARGE: 'PARAMETER_ERROR',
  REQUEST_TIMEOUT: 'PARAMETER_ERROR',
  ARGUMENT_MISSING: 'PARAMETER_ERROR',
  IMAGE_BASE64_INVALID: 'PARAMETER_ERROR',
  FACE_MODEL_VERSION_UNSUPPORTED: 'PARAMETER_ERROR',
  API_ACTION_UNKNOWN: 'PARAMETER_ERROR',
  ROUTE_NOT_FOUND: 'PARAMETER_ERROR',
  AUTH_NOT_CONFIGURED: 'IAM_FAILED',
  AUTH_CREDENTIAL_MISSING: 'IAM_FAILED',
  AUTH_HEADER_MALFORMED: 'IAM_FAILED',
  AUTH_CREDENTIAL_INVALID: 'IAM_FAILED',
  AUTH_SIGNATURE_INVALID: 'IAM_FAILED',
  AUTH_SIGNATURE_EXPIRED: 'IAM_FAILED',
  AUTH_TOKEN_INVALID: 'IAM_FAILED',
  RATE_LIMITED: 'OVER_QUERY_LIMIT',
  SERVER_OVERLOADED: 'OVER_QUERY_LIMIT',
  SERVER_IN_FLIGHT_LIMITED: 'OVER_QUERY_LIMIT',
  CLIENT_IN_FLIGHT_LIMITED: 'OVER_QUERY_LIMIT',
  AUTH_THROTTLED: 'OVER_QUERY_LIMIT',
  SERVER_NOT_READY: 'ERROR',
  SERVER_SHUTTING_DOWN: 'ERROR',
  // Redis unreachable: the dialect's "service busy" answer, as when the server cannot serve yet.
  LIMITS_STORE_UNAVAILABLE: 'ERROR',
  // This dialect takes no image URLs; mapped for completeness.
  URL_INVALID: 'PARAMETER_ERROR',
  URL_SCHEME_UNSUPPORTED: 'PARAMETER_ERROR',
  URL_ADDRESS_REFUSED: 'PARAMETER_ERROR',
  URL_REDIRECT_LIMIT: 'ERROR',
  URL_TIMEOUT: 'ERROR',
  URL_TOO_LARGE: 'PARAMETER_ERROR',
  URL_HTTP_STATUS: 'ERROR',
  URL_FETCH_FAILED: 'ERROR',
  STORE_UNAVAILABLE: 'ERROR',
  AUTH_CREDENTIAL_EXPIRED: 'IAM_FAILED',
  CALL_QUOTA_EXCEEDED: 'OVER_QUERY_LIMIT',
  INTERNAL_ERROR: 'ERROR',
} as const satisfies Record<HttpErrorCode, AdvanceCode>;

/** The envelope of every answer. */
export interface AdvanceBody<Data> {
  readonly code: AdvanceCode;
  readonly message: string;
  readonly data: Data | null;
  readonly extra: null;
  /** The request id (also `x-request-id`). */
  readonly transactionId: string;
  /** Always FREE: facelive does not bill. */
  readonly pricingStrategy: 'FREE';
}

/** An envelope with `code`, `message` and `data` for the request `requestId`. */
export function advanceBody<Data>(requestId: string, code: AdvanceCode, message: string, data: Data | null): AdvanceBody<Data> {
  return { code, message, data, extra: null, transactionId: requestId, pricingStrategy: 'FREE' };
}

/**
 * How the ADVANCE.AI dialect answers errors: HTTP 200 and the envelope; the message is
 * `<catalogue code>: <message>`, and names the field the error concerns when the message does
 * not (`FACE_NOT_FOUND: No face was found in the image. (imageNear)`).
 */
export const advanceErrors: DialectErrors = {
  heading: 'ADVANCE.AI (HTTP 200)',
  mapping: ADVANCE_ERRORS,
  describe: (code) => ADVANCE_ERRORS[code],
  render: (error, requestId) => {
    const field = fieldNotInMessage(error);
    const message = `${error.code}: ${clientMessage(error)}${field === undefined ? '' : ` (${field})`}`;
    return { status: 200, headers: retryHeaders(error), body: advanceBody(requestId, ADVANCE_ERRORS[error.code], message, null) };
  },
  schema: AdvanceErrorResponse,
};
