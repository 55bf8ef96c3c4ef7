/**
 * Catalogue codes → Tencent Cloud error codes, from the DetectLiveFaceAccurate error table and
 * Tencent Cloud API 3.0's common errors. Tencent answers HTTP 200 with the error in the envelope
 * (its SDKs read the envelope, not the status), and so does this dialect.
 */
import type { HttpErrorCode } from '../../errors/catalogue.js';
import type { DialectErrors } from '../dialect.js';
import { clientMessage } from '../http-errors.js';
import { TencentErrorResponse } from './schemas.js';

/** The Tencent codes this dialect answers with. */
export type TencentErrorCode =
  | 'AuthFailure.InvalidAuthorization'
  | 'AuthFailure.SecretIdNotFound'
  | 'AuthFailure.SignatureExpire'
  | 'AuthFailure.SignatureFailure'
  | 'AuthFailure.TokenFailure'
  | 'FailedOperation.FaceSizeTooSmall'
  | 'FailedOperation.ImageDecodeFailed'
  | 'FailedOperation.ImageDownloadError'
  | 'FailedOperation.ImageResolutionExceed'
  | 'FailedOperation.ImageResolutionTooSmall'
  | 'FailedOperation.ImageSizeExceed'
  | 'FailedOperation.RequestLimitExceeded'
  | 'FailedOperation.ServerError'
  | 'InternalError'
  | 'InvalidAction'
  | 'InvalidParameter.InvalidParameter'
  | 'InvalidParameterValue.FaceModelVersionIllegal'
  | 'InvalidParameterValue.ImageEmpty'
  | 'InvalidParameterValue.NoFaceInPhoto'
  | 'InvalidParameterValue.UrlIllegal'
  | 'MissingParameter.ErrorParameterEmpty'
  | 'RequestLimitExceeded'
  | 'RequestSizeLimitExceeded'
  | 'UnsupportedOperation.UnknowMethod';

/** Every HTTP code's Tencent code; a new catalogue code of the HTTP scope fails the build until it is added. */
export const TENCENT_ERRORS = {
  IMAGE_EMPTY: 'InvalidParameterValue.ImageEmpty',
  IMAGE_SIZE_EXCEEDED: 'FailedOperation.ImageSizeExceed',
  IMAGE_FORMAT_UNSUPPORTED: 'FailedOperation.ImageDecodeFailed',
  IMAGE_DECODE_FAILED: 'FailedOperation.ImageDecodeFailed',
  IMAGE_RESOLUTION_EXCEEDED: 'FailedOperation.ImageResolutionExceed',
  IMAGE_RESOLUTION_TOO_SMALL: 'FailedOperation.ImageResolutionTooSmall',
  FACE_NOT_FOUND: 'InvalidParameterValue.NoFaceInPhoto',
  FACE_TOO_SMALL: 'FailedOperation.FaceSizeTooSmall',
  INVALID_ARGUMENT: 'InvalidParameter.InvalidParameter',
  MODEL_FILE_MISSING: 'FailedOperation.ServerError',
  MODEL_CHECKSUM_MISMATCH: 'FailedOperation.ServerError',
  MODEL_METADATA_MISMATCH: 'FailedOperation.ServerError',
  MODEL_LOAD_FAILED: 'FailedOperation.ServerError',
  REQUEST_MALFORMED: 'InvalidParameter.InvalidParameter',
  REQUEST_CONTENT_TYPE_UNSUPPORTED: 'InvalidParameter.InvalidParameter',
  REQUEST_BODY_TOO_LARGE: 'RequestSizeLimitExceeded',
  REQUEST_HEADERS_TOO_LARGE: 'RequestSizeLimitExceeded',
  REQUEST_TIMEOUT: 'InvalidParameter.InvalidParameter',
  ARGUMENT_MISSING: 'MissingParameter.ErrorParameterEmpty',
  IMAGE_BASE64_INVALID: 'FailedOperation.ImageDecodeFailed',
  FACE_MODEL_VERSION_UNSUPPORTED: 'InvalidParameterValue.FaceModelVersionIllegal',
  API_ACTION_UNKNOWN: 'InvalidAction',
  ROUTE_NOT_FOUND: 'UnsupportedOperation.UnknowMethod',
  AUTH_NOT_CONFIGURED: 'AuthFailure.SecretIdNotFound',
  AUTH_CREDENTIAL_MISSING: 'AuthFailure.InvalidAuthorization',
  AUTH_HEADER_MALFORMED: 'AuthFailure.InvalidAuthorization',
  AUTH_CREDENTIAL_INVALID: 'AuthFailure.SecretIdNotFound',
  AUTH_SIGNATURE_INVALID: 'AuthFailure.SignatureFailure',
  AUTH_SIGNATURE_EXPIRED: 'AuthFailure.SignatureExpire',
  AUTH_TOKEN_INVALID: 'AuthFailure.TokenFailure',
  RATE_LIMITED: 'RequestLimitExceeded',
  SERVER_OVERLOADED: 'FailedOperation.RequestLimitExceeded',
  SERVER_IN_FLIGHT_LIMITED: 'FailedOperation.RequestLimitExceeded',
  CLIENT_IN_FLIGHT_LIMITED: 'RequestLimitExceeded',
  AUTH_THROTTLED: 'RequestLimitExceeded',
  SERVER_NOT_READY: 'FailedOperation.ServerError',
  SERVER_SHUTTING_DOWN: 'FailedOperation.ServerError',
  // Redis unreachable: the dialect's "service busy" answer, as when the server cannot serve yet.
  LIMITS_STORE_UNAVAILABLE: 'FailedOperation.ServerError',
  URL_INVALID: 'InvalidParameterValue.UrlIllegal',
  URL_SCHEME_UNSUPPORTED: 'InvalidParameterValue.UrlIllegal',
  URL_ADDRESS_REFUSED: 'InvalidParameterValue.UrlIllegal',
  URL_REDIRECT_LIMIT: 'FailedOperation.ImageDownloadError',
  URL_TIMEOUT: 'FailedOperation.ImageDownloadError',
  URL_TOO_LARGE: 'FailedOperation.ImageSizeExceed',
  URL_HTTP_STATUS: 'FailedOperation.ImageDownloadError',
  URL_FETCH_FAILED: 'FailedOperation.ImageDownloadError',
  STORE_UNAVAILABLE: 'InternalError',
  // Only AccuAuth credentials carry an expiry or a quota; mapped for completeness.
  AUTH_CREDENTIAL_EXPIRED: 'AuthFailure.SecretIdNotFound',
  CALL_QUOTA_EXCEEDED: 'RequestLimitExceeded',
  INTERNAL_ERROR: 'InternalError',
} as const satisfies Record<HttpErrorCode, TencentErrorCode>;

/** `{"Response": {"Error": {Code, Message}, RequestId}}` */
export interface TencentErrorBody {
  readonly Response: { readonly Error: { readonly Code: TencentErrorCode; readonly Message: string }; readonly RequestId: string };
}

/** How the Tencent dialect answers errors: HTTP 200, the mapped code in the envelope. */
export const tencentErrors: DialectErrors = {
  heading: 'Tencent Cloud (HTTP 200)',
  mapping: TENCENT_ERRORS,
  describe: (code) => TENCENT_ERRORS[code],
  render: (error, requestId) => {
    const body: TencentErrorBody = { Response: { Error: { Code: TENCENT_ERRORS[error.code], Message: clientMessage(error) }, RequestId: requestId } };
    return { status: 200, headers: {}, body };
  },
  schema: TencentErrorResponse,
};
