/**
 * The one error catalogue of facelive. Every error that leaves `src/` is a {@link FaceliveError}
 * carrying one of these codes; API surfaces map codes onto their dialects with a
 * `Record<ErrorCode, …>` checked by `satisfies`, so adding a code here breaks the build until
 * every surface maps it.
 */

/** Static description of one error code. */
export interface ErrorSpec {
  /** Message template; `{name}` placeholders are filled from the error's params. */
  readonly message: string;
  /** HTTP status the native API answers with. */
  readonly httpStatus: number;
  /** Whether the filled message may be shown to API clients (no paths, no internals). */
  readonly clientSafe: boolean;
}

export const ERROR_CATALOGUE = {
  // Input image
  IMAGE_EMPTY: { message: 'The image is empty (0 bytes).', httpStatus: 400, clientSafe: true },
  IMAGE_SIZE_EXCEEDED: {
    message: 'The image is {bytes} bytes; the limit is {maxBytes} bytes.',
    httpStatus: 413,
    clientSafe: true,
  },
  IMAGE_FORMAT_UNSUPPORTED: {
    message: 'Unsupported image format: {format}. Send JPEG, PNG, BMP or WebP.',
    httpStatus: 415,
    clientSafe: true,
  },
  IMAGE_DECODE_FAILED: {
    message: 'The {format} image could not be decoded: {reason}.',
    httpStatus: 400,
    clientSafe: true,
  },
  IMAGE_RESOLUTION_EXCEEDED: {
    message: 'The image is {width}x{height}; the long side may be at most {maxLongSide} px for {format}.',
    httpStatus: 400,
    clientSafe: true,
  },
  IMAGE_RESOLUTION_TOO_SMALL: {
    message: 'The image is {width}x{height}; the short side must be at least {minShortSide} px.',
    httpStatus: 400,
    clientSafe: true,
  },
  // Face
  FACE_NOT_FOUND: { message: 'No face was found in the image.', httpStatus: 422, clientSafe: true },
  FACE_TOO_SMALL: {
    message: 'The face is {faceSizePx} px wide; at least {minFaceSizePx} px is required.',
    httpStatus: 422,
    clientSafe: true,
  },
  // Requests and arguments
  INVALID_ARGUMENT: { message: 'Invalid {field}: expected {expected}, received {received}.', httpStatus: 400, clientSafe: true },
  // Model pack
  MODEL_FILE_MISSING: {
    message: 'Model {modelId} is missing: {file} not found in the models directory {modelsDir}. Run `facelive models fetch --model {modelId}` (see `facelive models fetch --help`).',
    httpStatus: 503,
    clientSafe: false,
  },
  MODEL_CHECKSUM_MISMATCH: {
    message: 'Model {modelId} ({file}) has sha256 {actual}, expected {expected}; the file is corrupt or a different version.',
    httpStatus: 503,
    clientSafe: false,
  },
  MODEL_METADATA_MISMATCH: {
    message: 'Model {modelId} does not match its manifest: {reason}.',
    httpStatus: 503,
    clientSafe: false,
  },
  MODEL_LOAD_FAILED: { message: 'Model {modelId} could not be loaded: {reason}.', httpStatus: 503, clientSafe: false },
  MODEL_PACK_FETCH_FAILED: { message: 'Fetching {file} from {source} failed: {reason}. {remedy}', httpStatus: 502, clientSafe: false },
  CONFIG_INVALID: { message: 'Invalid configuration: {reason}.', httpStatus: 500, clientSafe: false },
  // HTTP requests (server, all dialects)
  REQUEST_MALFORMED: { message: 'The request is malformed: {reason}.', httpStatus: 400, clientSafe: true },
  REQUEST_CONTENT_TYPE_UNSUPPORTED: {
    message: 'Content type {received} is not accepted here; send {expected}.',
    httpStatus: 415,
    clientSafe: true,
  },
  REQUEST_BODY_TOO_LARGE: { message: 'The request body exceeds the limit of {maxBytes} bytes.', httpStatus: 413, clientSafe: true },
  ARGUMENT_MISSING: { message: 'Missing {field}: expected {expected}.', httpStatus: 400, clientSafe: true },
  IMAGE_BASE64_INVALID: { message: 'The {field} field is not valid base64: {reason}.', httpStatus: 400, clientSafe: true },
  FACE_MODEL_VERSION_UNSUPPORTED: {
    message: '{field} "{received}" is not supported; the only supported version is {supported}.',
    httpStatus: 400,
    clientSafe: true,
  },
  API_ACTION_UNKNOWN: {
    message: 'Action "{action}" of version "{version}" does not exist here; this endpoint serves {supported}.',
    httpStatus: 400,
    clientSafe: true,
  },
  ROUTE_NOT_FOUND: { message: 'There is no route {method} {url}.', httpStatus: 404, clientSafe: true },
  // HTTP authentication and admission (server, all dialects)
  AUTH_NOT_CONFIGURED: {
    message: 'No credential is configured for the {api} API, so every call is refused; see docs/http-api.md.',
    httpStatus: 401,
    clientSafe: true,
  },
  AUTH_CREDENTIAL_MISSING: { message: 'No credential was sent: expected {expected}.', httpStatus: 401, clientSafe: true },
  AUTH_HEADER_MALFORMED: { message: 'The {header} header is malformed: expected {expected}.', httpStatus: 401, clientSafe: true },
  AUTH_CREDENTIAL_INVALID: { message: 'The {credential} is not valid for the {api} API.', httpStatus: 401, clientSafe: true },
  AUTH_CREDENTIAL_WRONG_API: {
    message: 'The {credential} belongs to the {owner} API, not to the {api} API.',
    httpStatus: 401,
    clientSafe: true,
  },
  AUTH_SIGNATURE_INVALID: { message: 'The request signature does not match: {reason}.', httpStatus: 401, clientSafe: true },
  AUTH_SIGNATURE_EXPIRED: {
    message: 'The request timestamp {timestamp} is {skewSeconds} s away from the server clock; at most {maxSkewSeconds} s is allowed.',
    httpStatus: 401,
    clientSafe: true,
  },
  RATE_LIMITED: {
    message: 'Too many requests for this credential ({ratePerSecond}/s, burst {burst}); retry after {retryAfterSeconds} s.',
    httpStatus: 429,
    clientSafe: true,
  },
  SERVER_OVERLOADED: {
    message: 'Every inference worker is busy and the queue of {maxQueue} is full; retry shortly.',
    httpStatus: 503,
    clientSafe: true,
  },
  SERVER_NOT_READY: { message: 'The models are still loading; retry shortly.', httpStatus: 503, clientSafe: true },
  // Fetching images by URL
  URL_INVALID: { message: 'The {field} value is not a valid absolute URL: {reason}.', httpStatus: 400, clientSafe: true },
  URL_SCHEME_UNSUPPORTED: { message: 'URL scheme "{scheme}" is not supported; use http or https.', httpStatus: 400, clientSafe: true },
  URL_ADDRESS_REFUSED: {
    message: 'The host {host} resolves to a refused address ({range}); this server does not fetch from such addresses.',
    httpStatus: 400,
    clientSafe: true,
  },
  URL_REDIRECT_LIMIT: { message: 'The image URL redirected more than {maxRedirects} times.', httpStatus: 502, clientSafe: true },
  URL_TIMEOUT: { message: 'Fetching the image URL took longer than {timeoutMs} ms ({phase}).', httpStatus: 504, clientSafe: true },
  URL_TOO_LARGE: { message: 'The image at the URL is larger than {maxBytes} bytes.', httpStatus: 413, clientSafe: true },
  URL_HTTP_STATUS: { message: 'The image URL answered HTTP {status}.', httpStatus: 502, clientSafe: true },
  URL_FETCH_FAILED: { message: 'Fetching the image URL failed: {reason}.', httpStatus: 502, clientSafe: true },
  // Evaluation and calibration tools (CLI only: `facelive eval`, `facelive calibrate`)
  LABELS_INVALID: { message: 'The labels file {file} is invalid: {reason}.', httpStatus: 400, clientSafe: false },
  EVAL_RESULTS_INVALID: { message: 'The evaluation results {file} cannot be used: {reason}.', httpStatus: 400, clientSafe: false },
  CALIBRATION_FIT_FAILED: { message: 'Calibration of {modelSet} failed: {reason}.', httpStatus: 422, clientSafe: false },
  // Result store (submissions of capture flows)
  STORE_UNAVAILABLE: { message: 'The result store is unavailable: {reason}.', httpStatus: 503, clientSafe: false },
  // Credential lifetime and call quota (credentials that carry them in config: AccuAuth API IDs)
  AUTH_CREDENTIAL_EXPIRED: { message: 'The {credential} expired at {expiresAt}.', httpStatus: 401, clientSafe: true },
  CALL_QUOTA_EXCEEDED: { message: 'The {credential} has used its quota of {callQuota} calls.', httpStatus: 403, clientSafe: true },
  // Anything not foreseen
  INTERNAL_ERROR: { message: 'Internal error.', httpStatus: 500, clientSafe: true },
} as const satisfies Record<string, ErrorSpec>;

/** Every stable error code of facelive. */
export type ErrorCode = keyof typeof ERROR_CATALOGUE;

/** All codes, in catalogue order (for documentation and coverage tests). */
export const ERROR_CODES = Object.keys(ERROR_CATALOGUE) as ErrorCode[];

type Params = Record<string, string | number | boolean | undefined>;

function fillTemplate(template: string, params: Params): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) =>
    params[name] === undefined ? whole : String(params[name]),
  );
}

/**
 * The only error type `src/` throws. `params` hold the values of the message template and are
 * machine readable for API surfaces (for example `maxBytes`).
 *
 * @example
 * throw new FaceliveError('IMAGE_SIZE_EXCEEDED', { bytes: 9e6, maxBytes: 3932160 });
 */
export class FaceliveError extends Error {
  readonly code: ErrorCode;
  readonly params: Params;
  readonly httpStatus: number;
  readonly clientSafe: boolean;

  constructor(code: ErrorCode, params: Params = {}, options?: { cause?: unknown }) {
    const spec: ErrorSpec = ERROR_CATALOGUE[code];
    super(fillTemplate(spec.message, params), options);
    this.name = 'FaceliveError';
    this.code = code;
    this.params = params;
    this.httpStatus = spec.httpStatus;
    this.clientSafe = spec.clientSafe;
  }

  /** The `{code, message}` pair that results and API bodies carry. */
  toJSON(): { code: ErrorCode; message: string } {
    return { code: this.code, message: this.message };
  }
}

/** Wraps anything thrown into a FaceliveError; foreign errors become INTERNAL_ERROR with `cause`. */
export function toFaceliveError(error: unknown): FaceliveError {
  if (error instanceof FaceliveError) return error;
  return new FaceliveError('INTERNAL_ERROR', {}, { cause: error });
}

/** True when `value` is a plain `{code, message}` whose code is in the catalogue. */
export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && Object.hasOwn(ERROR_CATALOGUE, value);
}
