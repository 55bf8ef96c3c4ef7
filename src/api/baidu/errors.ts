/**
 * Catalogue codes → Baidu AI Cloud error codes (../shared/reference/006, section 5): gateway and
 * auth codes (2, 3, 6, 14, 18, 19, 100, 110, 111), the generic image codes (216100…216202) and the
 * face codes (222001…222302). Baidu answers errors with HTTP 200 and the code in the body (the
 * SDK never looks at the status), and so does this dialect. `error_msg` is Baidu's text for the
 * code (`param[<field>] is null` names the field); facelive adds `error_detail`,
 * `<catalogue code>: <message>`, which says what exactly was wrong. The token endpoint answers
 * its own refusals in the OAuth shape (`oauth.ts`).
 */
import type { HttpErrorCode } from '../../errors/catalogue.js';
import type { DialectErrors } from '../dialect.js';
import { clientMessage, retryHeaders } from '../http-errors.js';
import { baiduEnvelope, type BaiduEnvelope } from './envelope.js';
import { BaiduErrorResponse } from './schemas.js';

/** A Baidu error: its number and its documented text. */
export interface BaiduError {
  readonly code: number;
  readonly msg: string;
}

const E = {
  unavailable: { code: 2, msg: 'Service temporarily unavailable' },
  unsupportedMethod: { code: 3, msg: 'Unsupported openapi method' },
  noPermission: { code: 6, msg: 'No permission to access data' },
  iam: { code: 14, msg: 'IAM Certification failed' },
  qps: { code: 18, msg: 'Open api qps request limit reached' },
  total: { code: 19, msg: 'Open api total request limit reached' },
  invalidParameter: { code: 100, msg: 'Invalid parameter' },
  tokenInvalid: { code: 110, msg: 'Access token invalid or no longer valid' },
  tokenExpired: { code: 111, msg: 'Access token expired' },
  invalidParam: { code: 216100, msg: 'invalid param' },
  emptyImage: { code: 216200, msg: 'empty image' },
  imageFormat: { code: 216201, msg: 'image format error' },
  imageSize: { code: 216202, msg: 'image size error' },
  paramNull: { code: 222001, msg: 'param[{field}] is null' },
  imageParamFormat: { code: 222013, msg: 'param[image] format error' },
  noFace: { code: 222202, msg: 'pic not has face' },
  imageCheck: { code: 222203, msg: 'image check fail' },
  download: { code: 222204, msg: 'image_url_download_fail' },
  system: { code: 222302, msg: 'system error' },
} as const satisfies Record<string, BaiduError>;

/** Every HTTP code's Baidu error; a new catalogue code of the HTTP scope fails the build until it is added. */
export const BAIDU_ERRORS = {
  IMAGE_EMPTY: E.emptyImage,
  IMAGE_SIZE_EXCEEDED: E.imageSize,
  IMAGE_FORMAT_UNSUPPORTED: E.imageFormat,
  IMAGE_DECODE_FAILED: E.imageCheck,
  IMAGE_RESOLUTION_EXCEEDED: E.imageSize,
  IMAGE_RESOLUTION_TOO_SMALL: E.imageSize,
  FACE_NOT_FOUND: E.noFace,
  // Baidu has no "face too small" for faceverify; the face cannot be judged.
  FACE_TOO_SMALL: E.imageCheck,
  INVALID_ARGUMENT: E.invalidParam,
  MODEL_FILE_MISSING: E.system,
  MODEL_CHECKSUM_MISMATCH: E.system,
  MODEL_METADATA_MISMATCH: E.system,
  MODEL_LOAD_FAILED: E.system,
  REQUEST_MALFORMED: E.invalidParam,
  REQUEST_CONTENT_TYPE_UNSUPPORTED: E.invalidParam,
  REQUEST_BODY_TOO_LARGE: E.imageSize,
  REQUEST_HEADERS_TOO_LARGE: E.invalidParam,
  REQUEST_TIMEOUT: E.invalidParam,
  ARGUMENT_MISSING: E.paramNull,
  IMAGE_BASE64_INVALID: E.imageParamFormat,
  FACE_MODEL_VERSION_UNSUPPORTED: E.invalidParam,
  API_ACTION_UNKNOWN: E.unsupportedMethod,
  ROUTE_NOT_FOUND: E.unsupportedMethod,
  AUTH_NOT_CONFIGURED: E.noPermission,
  AUTH_CREDENTIAL_MISSING: E.invalidParameter,
  AUTH_HEADER_MALFORMED: E.iam,
  AUTH_CREDENTIAL_INVALID: E.tokenInvalid,
  AUTH_SIGNATURE_INVALID: E.iam,
  AUTH_TOKEN_INVALID: E.iam,
  AUTH_SIGNATURE_EXPIRED: E.iam,
  RATE_LIMITED: E.qps,
  AUTH_THROTTLED: E.qps,
  CLIENT_IN_FLIGHT_LIMITED: E.qps,
  SERVER_IN_FLIGHT_LIMITED: E.unavailable,
  SERVER_OVERLOADED: E.unavailable,
  SERVER_NOT_READY: E.unavailable,
  SERVER_SHUTTING_DOWN: E.unavailable,
  // Redis unreachable: the dialect's "service busy" answer, as when the server cannot serve yet.
  LIMITS_STORE_UNAVAILABLE: E.unavailable,
  URL_INVALID: E.imageParamFormat,
  URL_SCHEME_UNSUPPORTED: E.imageParamFormat,
  URL_ADDRESS_REFUSED: E.download,
  URL_REDIRECT_LIMIT: E.download,
  URL_TIMEOUT: E.download,
  URL_TOO_LARGE: E.imageSize,
  URL_HTTP_STATUS: E.download,
  URL_FETCH_FAILED: E.download,
  STORE_UNAVAILABLE: E.system,
  // An access token past its expiry; facelive's Baidu credentials themselves do not expire.
  AUTH_CREDENTIAL_EXPIRED: E.tokenExpired,
  CALL_QUOTA_EXCEEDED: E.total,
  INTERNAL_ERROR: E.system,
} as const satisfies Record<HttpErrorCode, BaiduError>;

/** The error envelope: `result` null, plus facelive's `error_detail`. */
export interface BaiduErrorBody extends BaiduEnvelope<never> {
  readonly error_detail: string;
}

/** `param[{field}] is null` with the field filled (`image` when the error names none). */
function messageOf(error: BaiduError, field: string | undefined): string {
  return error.msg.replace('{field}', field ?? 'image');
}

/** How the Baidu dialect answers errors: HTTP 200 and the envelope with the mapped code. */
export const baiduErrors: DialectErrors = {
  heading: 'Baidu AI Cloud (HTTP 200)',
  mapping: BAIDU_ERRORS,
  describe: (code) => `${BAIDU_ERRORS[code].code} ${messageOf(BAIDU_ERRORS[code], '<field>')}`,
  render: (error, requestId) => {
    const mapped = BAIDU_ERRORS[error.code];
    const body: BaiduErrorBody = {
      ...baiduEnvelope<never>(requestId, Date.now(), mapped.code, messageOf(mapped, error.field), null),
      error_detail: `${error.code}: ${clientMessage(error)}`,
    };
    return { status: 200, headers: retryHeaders(error), body };
  },
  schema: BaiduErrorResponse,
};
