/**
 * Catalogue codes → Alibaba Cloud error codes and statuses, from the facebody and OpenAPI gateway
 * error tables (../shared/reference/005, section 6). Errors are JSON `{RequestId, HostId, Code,
 * Message, Recommend}` with a 4xx/5xx status, which the SDK turns into an exception carrying
 * `Code`. No face is no error for this API: FACE_NOT_FOUND renders as the vendor's 200 answer
 * with a `block` result.
 */
import type { HttpErrorCode } from '../../errors/catalogue.js';
import type { DialectErrors } from '../dialect.js';
import { clientMessage, retryHeaders } from '../http-errors.js';
import { noFaceElement, taskIdOf } from './response.js';
import { AlibabaErrorResponse } from './schemas.js';

/** The Alibaba Cloud codes this dialect answers with (every one is in the reference notes). */
export type AlibabaErrorCode =
  | 'IllegalUrlParameter'
  | 'IncompleteSignature'
  | 'InternalError'
  | 'InvalidAccessKeyId.Inactive'
  | 'InvalidAccessKeyId.NotFound'
  | 'InvalidApi.NotFound'
  | 'InvalidFile.Content'
  | 'InvalidFile.Decode'
  | 'InvalidImage.Download'
  | 'InvalidImage.Format'
  | 'InvalidImage.Resolution'
  | 'InvalidImage.Size'
  | 'InvalidImage.Timeout'
  | 'InvalidParameter'
  | 'InvalidTimeStamp.Expired'
  | 'MissingTasks'
  | 'SignatureDoesNotMatch'
  | 'Throttling.User';

/** How one catalogue code is answered: a status and code, or (`code: null`) the 200 `block` verdict of no face. */
export interface AlibabaAnswer {
  readonly status: number;
  readonly code: AlibabaErrorCode | null;
}

const e = (status: number, code: AlibabaErrorCode): AlibabaAnswer => ({ status, code });

/** Every HTTP code's Alibaba answer; a new catalogue code of the HTTP scope fails the build until it is added. */
export const ALIBABA_ERRORS = {
  IMAGE_EMPTY: e(400, 'InvalidParameter'),
  IMAGE_SIZE_EXCEEDED: e(400, 'InvalidImage.Size'),
  IMAGE_FORMAT_UNSUPPORTED: e(400, 'InvalidImage.Format'),
  IMAGE_DECODE_FAILED: e(400, 'InvalidFile.Decode'),
  IMAGE_RESOLUTION_EXCEEDED: e(400, 'InvalidImage.Resolution'),
  IMAGE_RESOLUTION_TOO_SMALL: e(400, 'InvalidImage.Resolution'),
  FACE_NOT_FOUND: { status: 200, code: null },
  FACE_TOO_SMALL: e(400, 'InvalidFile.Content'),
  INVALID_ARGUMENT: e(400, 'InvalidParameter'),
  MODEL_FILE_MISSING: e(500, 'InternalError'),
  MODEL_CHECKSUM_MISMATCH: e(500, 'InternalError'),
  MODEL_METADATA_MISMATCH: e(500, 'InternalError'),
  MODEL_LOAD_FAILED: e(500, 'InternalError'),
  REQUEST_MALFORMED: e(400, 'InvalidParameter'),
  REQUEST_CONTENT_TYPE_UNSUPPORTED: e(400, 'InvalidParameter'),
  // A body over the limit is an image too large for the SDK's caller (ImageData is the body).
  REQUEST_BODY_TOO_LARGE: e(400, 'InvalidImage.Size'),
  REQUEST_HEADERS_TOO_LARGE: e(400, 'InvalidParameter'),
  REQUEST_TIMEOUT: e(400, 'InvalidParameter'),
  ARGUMENT_MISSING: e(400, 'MissingTasks'),
  IMAGE_BASE64_INVALID: e(400, 'InvalidParameter'),
  FACE_MODEL_VERSION_UNSUPPORTED: e(400, 'InvalidParameter'),
  API_ACTION_UNKNOWN: e(404, 'InvalidApi.NotFound'),
  ROUTE_NOT_FOUND: e(404, 'InvalidApi.NotFound'),
  AUTH_NOT_CONFIGURED: e(404, 'InvalidAccessKeyId.NotFound'),
  AUTH_CREDENTIAL_MISSING: e(400, 'IncompleteSignature'),
  AUTH_HEADER_MALFORMED: e(400, 'IncompleteSignature'),
  AUTH_CREDENTIAL_INVALID: e(404, 'InvalidAccessKeyId.NotFound'),
  AUTH_SIGNATURE_INVALID: e(400, 'SignatureDoesNotMatch'),
  AUTH_TOKEN_INVALID: e(400, 'SignatureDoesNotMatch'),
  AUTH_SIGNATURE_EXPIRED: e(400, 'InvalidTimeStamp.Expired'),
  RATE_LIMITED: e(400, 'Throttling.User'),
  AUTH_THROTTLED: e(400, 'Throttling.User'),
  CLIENT_IN_FLIGHT_LIMITED: e(400, 'Throttling.User'),
  SERVER_IN_FLIGHT_LIMITED: e(503, 'InternalError'),
  SERVER_OVERLOADED: e(503, 'InternalError'),
  SERVER_NOT_READY: e(503, 'InternalError'),
  SERVER_SHUTTING_DOWN: e(503, 'InternalError'),
  // Redis unreachable: the dialect's "service busy" answer, as when the server cannot serve yet.
  LIMITS_STORE_UNAVAILABLE: e(503, 'InternalError'),
  URL_INVALID: e(400, 'IllegalUrlParameter'),
  URL_SCHEME_UNSUPPORTED: e(400, 'IllegalUrlParameter'),
  URL_ADDRESS_REFUSED: e(400, 'IllegalUrlParameter'),
  URL_REDIRECT_LIMIT: e(400, 'InvalidImage.Download'),
  URL_TIMEOUT: e(400, 'InvalidImage.Timeout'),
  URL_TOO_LARGE: e(400, 'InvalidImage.Size'),
  URL_HTTP_STATUS: e(400, 'InvalidImage.Download'),
  URL_FETCH_FAILED: e(400, 'InvalidImage.Download'),
  STORE_UNAVAILABLE: e(500, 'InternalError'),
  // Only AccuAuth credentials carry an expiry or a quota; mapped for completeness.
  AUTH_CREDENTIAL_EXPIRED: e(400, 'InvalidAccessKeyId.Inactive'),
  CALL_QUOTA_EXCEEDED: e(400, 'Throttling.User'),
  INTERNAL_ERROR: e(500, 'InternalError'),
} as const satisfies Record<HttpErrorCode, AlibabaAnswer>;

/** `HostId` of every error: the vendor puts its endpoint there; facelive names itself. */
export const ALIBABA_HOST_ID = 'facelive';

/** `{RequestId, HostId, Code, Message, Recommend}` */
export interface AlibabaErrorBody {
  readonly RequestId: string;
  readonly HostId: string;
  readonly Code: AlibabaErrorCode;
  readonly Message: string;
  readonly Recommend: string;
}

/** How the Alibaba Cloud dialect answers errors. */
export const alibabaErrors: DialectErrors = {
  heading: 'Alibaba Cloud',
  mapping: ALIBABA_ERRORS,
  describe: (code) => {
    const { status, code: vendorCode } = ALIBABA_ERRORS[code];
    return vendorCode === null ? '200 block result (FaceNumber 0)' : `${status} ${vendorCode}`;
  },
  render: (error, requestId) => {
    const { status, code } = ALIBABA_ERRORS[error.code];
    if (code === null) return { status, headers: {}, body: { RequestId: requestId, Data: { Elements: [noFaceElement(taskIdOf(requestId, 1), '')] } } };
    const body: AlibabaErrorBody = {
      RequestId: requestId,
      HostId: ALIBABA_HOST_ID,
      Code: code,
      Message: clientMessage(error),
      Recommend: `/docs (tag alibaba); docs/errors.md lists ${code}`,
    };
    return { status, headers: retryHeaders(error), body };
  },
  schema: AlibabaErrorResponse,
};
