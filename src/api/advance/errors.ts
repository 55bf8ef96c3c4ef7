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
import type { FastifyReply } from 'fastify';
import type { ErrorCode, FaceliveError } from '../../errors/catalogue.js';
import { clientMessage, retryAfterSeconds } from '../http-errors.js';

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

/** Every catalogue code's ADVANCE.AI code; a new catalogue code fails the build until it is added. */
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
  MODEL_PACK_FETCH_FAILED: 'ERROR',
  CONFIG_INVALID: 'ERROR',
  REQUEST_MALFORMED: 'PARAMETER_ERROR',
  REQUEST_CONTENT_TYPE_UNSUPPORTED: 'PARAMETER_ERROR',
  REQUEST_BODY_TOO_LARGE: 'PARAMETER_ERROR',
  ARGUMENT_MISSING: 'PARAMETER_ERROR',
  IMAGE_BASE64_INVALID: 'PARAMETER_ERROR',
  FACE_MODEL_VERSION_UNSUPPORTED: 'PARAMETER_ERROR',
  API_ACTION_UNKNOWN: 'PARAMETER_ERROR',
  ROUTE_NOT_FOUND: 'PARAMETER_ERROR',
  AUTH_NOT_CONFIGURED: 'IAM_FAILED',
  AUTH_CREDENTIAL_MISSING: 'IAM_FAILED',
  AUTH_HEADER_MALFORMED: 'IAM_FAILED',
  AUTH_CREDENTIAL_INVALID: 'IAM_FAILED',
  AUTH_CREDENTIAL_WRONG_API: 'IAM_FAILED',
  AUTH_SIGNATURE_INVALID: 'IAM_FAILED',
  AUTH_SIGNATURE_EXPIRED: 'IAM_FAILED',
  RATE_LIMITED: 'OVER_QUERY_LIMIT',
  SERVER_OVERLOADED: 'OVER_QUERY_LIMIT',
  SERVER_NOT_READY: 'ERROR',
  // This dialect takes no image URLs; mapped for completeness.
  URL_INVALID: 'PARAMETER_ERROR',
  URL_SCHEME_UNSUPPORTED: 'PARAMETER_ERROR',
  URL_ADDRESS_REFUSED: 'PARAMETER_ERROR',
  URL_REDIRECT_LIMIT: 'ERROR',
  URL_TIMEOUT: 'ERROR',
  URL_TOO_LARGE: 'PARAMETER_ERROR',
  URL_HTTP_STATUS: 'ERROR',
  URL_FETCH_FAILED: 'ERROR',
  // CLI-only (evaluation tools); never raised by a request.
  LABELS_INVALID: 'ERROR',
  EVAL_RESULTS_INVALID: 'ERROR',
  CALIBRATION_FIT_FAILED: 'ERROR',
  STORE_UNAVAILABLE: 'ERROR',
  AUTH_CREDENTIAL_EXPIRED: 'IAM_FAILED',
  CALL_QUOTA_EXCEEDED: 'OVER_QUERY_LIMIT',
  INTERNAL_ERROR: 'ERROR',
} as const satisfies Record<ErrorCode, AdvanceCode>;

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

/** An envelope with `code`, `message` and `data`. */
export function advanceBody<Data>(reply: FastifyReply, code: AdvanceCode, message: string, data: Data | null): AdvanceBody<Data> {
  return { code, message, data, extra: null, transactionId: reply.request.id, pricingStrategy: 'FREE' };
}

/**
 * Sends `error` in the envelope, HTTP 200. The message is `<catalogue code>: <message>`, and
 * names the image field when the error concerns one photo of a pair (param `imageField`).
 */
export function sendAdvanceError(reply: FastifyReply, error: FaceliveError): FastifyReply {
  const retryAfter = retryAfterSeconds(error);
  if (retryAfter !== undefined) reply.header('retry-after', String(retryAfter));
  const field = typeof error.params.imageField === 'string' && error.clientSafe ? ` (${error.params.imageField})` : '';
  return reply.code(200).send(advanceBody(reply, ADVANCE_ERRORS[error.code], `${error.code}: ${clientMessage(error)}${field}`, null));
}
