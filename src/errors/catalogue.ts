/**
 * The one error catalogue of facelive. Every error that leaves `src/` is a {@link FaceliveError}
 * carrying one of these codes. Codes come in two scopes: `http` codes can reach an HTTP client,
 * so every API surface maps them onto its dialect with a `Record<HttpErrorCode, …>` checked by
 * `satisfies` (adding one breaks the build until every surface maps it); `cli` codes are raised
 * only by the command line (model pack tooling, configuration, evaluation) and need no mapping.
 *
 * Parameters are typed from each message template: `{name}` placeholders are required, a
 * code's `details` are optional machine-readable extras, and `field` (the request field or
 * form part an error concerns) is allowed on every code. A missing or misspelt parameter does
 * not compile.
 */

/** A code that can reach an HTTP client: its native status and whether its filled message may be shown. */
interface HttpErrorSpec {
  readonly scope: 'http';
  /** Message template; `{name}` placeholders are filled from the error's params. */
  readonly message: string;
  /** HTTP status the native API answers with. */
  readonly httpStatus: number;
  /** Whether the filled message may be shown to API clients (no paths, no internals). */
  readonly clientSafe: boolean;
  /** Params kept for programs, not shown in the message. */
  readonly details?: readonly string[];
}

/** A code only the command line raises; an HTTP surface that meets one answers INTERNAL_ERROR. */
interface CliErrorSpec {
  readonly scope: 'cli';
  readonly message: string;
  readonly details?: readonly string[];
}

/** Static description of one error code. */
export type ErrorSpec = HttpErrorSpec | CliErrorSpec;

/** Every code with its scope and message template (and, for HTTP codes, native status and client safety), grouped by area. */
export const ERROR_CATALOGUE = {
  // Input image
  IMAGE_EMPTY: { scope: 'http', message: 'The image is empty (0 bytes).', httpStatus: 400, clientSafe: true },
  IMAGE_SIZE_EXCEEDED: { scope: 'http', message: 'The image is {bytes} bytes; the limit is {maxBytes} bytes.', httpStatus: 413, clientSafe: true },
  IMAGE_FORMAT_UNSUPPORTED: { scope: 'http', message: 'Unsupported image format: {format}. Send JPEG, PNG, BMP or WebP.', httpStatus: 415, clientSafe: true },
  IMAGE_DECODE_FAILED: { scope: 'http', message: 'The {format} image could not be decoded: {reason}.', httpStatus: 400, clientSafe: true },
  IMAGE_RESOLUTION_EXCEEDED: {
    scope: 'http',
    message: 'The image is {width}x{height}; {format} images may have at most {maxPixels} pixels and a {maxLongSide} px long side.',
    httpStatus: 400,
    clientSafe: true,
  },
  IMAGE_RESOLUTION_TOO_SMALL: {
    scope: 'http',
    message: 'The image is {width}x{height}; the short side must be at least {minShortSide} px.',
    httpStatus: 400,
    clientSafe: true,
  },
  // Face
  FACE_NOT_FOUND: { scope: 'http', message: 'No face was found in the image.', httpStatus: 422, clientSafe: true },
  FACE_TOO_SMALL: { scope: 'http', message: 'The face is {faceSizePx} px wide; at least {minFaceSizePx} px is required.', httpStatus: 422, clientSafe: true },
  // Requests and arguments
  INVALID_ARGUMENT: { scope: 'http', message: 'Invalid {field}: expected {expected}, received {received}.', httpStatus: 400, clientSafe: true },
  // Model set (a server whose models failed to load answers requests with these)
  MODEL_FILE_MISSING: {
    scope: 'http',
    message:
      'Model {modelId} is missing: {file} not found in the models directory {modelsDir}. Run `facelive models fetch --model {modelId}` (see `facelive models fetch --help`).',
    httpStatus: 503,
    clientSafe: false,
  },
  MODEL_CHECKSUM_MISMATCH: {
    scope: 'http',
    message: 'Model {modelId} ({file}) has sha256 {actual}, expected {expected}; the file is corrupt or a different version.',
    httpStatus: 503,
    clientSafe: false,
    details: ['actualSizeBytes', 'expectedSizeBytes'],
  },
  MODEL_METADATA_MISMATCH: { scope: 'http', message: 'Model {modelId} does not match its manifest: {reason}.', httpStatus: 503, clientSafe: false },
  MODEL_LOAD_FAILED: { scope: 'http', message: 'Model {modelId} could not be loaded: {reason}.', httpStatus: 503, clientSafe: false },
  // Model pack tooling (CLI only: `facelive models fetch`)
  MODEL_PACK_FETCH_FAILED: {
    scope: 'cli',
    message: 'Fetching {file} from {source} failed: {reason}. {remedy}',
    details: ['status', 'actualSizeBytes', 'expectedSizeBytes', 'actualSha256', 'expectedSha256'],
  },
  // Configuration (CLI and start-up only; a request never raises it)
  CONFIG_INVALID: { scope: 'cli', message: 'Invalid configuration: {reason}.' },
  // HTTP requests (server, all dialects)
  REQUEST_MALFORMED: { scope: 'http', message: 'The request is malformed: {reason}.', httpStatus: 400, clientSafe: true },
  REQUEST_CONTENT_TYPE_UNSUPPORTED: {
    scope: 'http',
    message: 'Content type {received} is not accepted here; send {expected}.',
    httpStatus: 415,
    clientSafe: true,
  },
  REQUEST_BODY_TOO_LARGE: { scope: 'http', message: 'The request body exceeds the limit of {maxBytes} bytes.', httpStatus: 413, clientSafe: true },
  REQUEST_HEADERS_TOO_LARGE: {
    scope: 'http',
    message: 'The request headers exceed the limit of {maxBytes} bytes.',
    httpStatus: 431,
    clientSafe: true,
  },
  REQUEST_TIMEOUT: { scope: 'http', message: 'The request was not received completely within {timeoutMs} ms.', httpStatus: 408, clientSafe: true },
  ARGUMENT_MISSING: { scope: 'http', message: 'Missing {field}: expected {expected}.', httpStatus: 400, clientSafe: true },
  IMAGE_BASE64_INVALID: { scope: 'http', message: 'The {field} field is not valid base64: {reason}.', httpStatus: 400, clientSafe: true },
  FACE_MODEL_VERSION_UNSUPPORTED: {
    scope: 'http',
    message: '{field} "{received}" is not supported; the only supported version is {expected}.',
    httpStatus: 400,
    clientSafe: true,
  },
  API_ACTION_UNKNOWN: {
    scope: 'http',
    message: 'Action "{action}" of version "{version}" does not exist here; this endpoint serves {expected}.',
    httpStatus: 400,
    clientSafe: true,
  },
  ROUTE_NOT_FOUND: { scope: 'http', message: 'There is no route {method} {url}.', httpStatus: 404, clientSafe: true },
  // HTTP authentication and admission (server, all dialects)
  AUTH_NOT_CONFIGURED: {
    scope: 'http',
    message: 'No credential is configured for the {api} API, so every call is refused; see docs/http-api.md.',
    httpStatus: 401,
    clientSafe: true,
  },
  AUTH_CREDENTIAL_MISSING: { scope: 'http', message: 'No credential was sent: expected {expected}.', httpStatus: 401, clientSafe: true },
  AUTH_HEADER_MALFORMED: { scope: 'http', message: 'The {field} header is malformed: expected {expected}.', httpStatus: 401, clientSafe: true },
  AUTH_CREDENTIAL_INVALID: { scope: 'http', message: 'The {credential} is not valid for the {api} API.', httpStatus: 401, clientSafe: true },
  AUTH_SIGNATURE_INVALID: { scope: 'http', message: 'The request signature does not match: {reason}.', httpStatus: 401, clientSafe: true },
  AUTH_TOKEN_INVALID: {
    scope: 'http',
    message: 'The session token ({field}) is not the one of this {credential}: a temporary credential needs its token, a permanent one takes none.',
    httpStatus: 401,
    clientSafe: true,
  },
  AUTH_SIGNATURE_EXPIRED: {
    scope: 'http',
    message: 'The request timestamp {timestamp} is {skewSeconds} s away from the server clock; at most {maxSkewSeconds} s is allowed.',
    httpStatus: 401,
    clientSafe: true,
  },
  RATE_LIMITED: {
    scope: 'http',
    message: 'Too many requests for this credential ({ratePerSecond}/s, burst {burst}); retry after {retryAfterSeconds} s.',
    httpStatus: 429,
    clientSafe: true,
  },
  SERVER_OVERLOADED: {
    scope: 'http',
    message: 'Every inference worker is busy and the queue of {maxQueue} is full; retry shortly.',
    httpStatus: 503,
    clientSafe: true,
  },
  SERVER_IN_FLIGHT_LIMITED: {
    scope: 'http',
    message: 'The server is already receiving its limit of {maxBytes} request bytes at once; retry shortly.',
    httpStatus: 503,
    clientSafe: true,
  },
  CLIENT_IN_FLIGHT_LIMITED: {
    scope: 'http',
    message: 'This client address already has its limit of {maxBytes} request bytes in flight; retry once earlier requests have completed.',
    httpStatus: 429,
    clientSafe: true,
  },
  AUTH_THROTTLED: {
    scope: 'http',
    message: 'Too many failed authentications from this client address; retry after {retryAfterSeconds} s.',
    httpStatus: 429,
    clientSafe: true,
  },
  SERVER_NOT_READY: { scope: 'http', message: 'The models are still loading; retry shortly.', httpStatus: 503, clientSafe: true },
  SERVER_SHUTTING_DOWN: {
    scope: 'http',
    message: 'The server is shutting down and takes no new requests; retry, on another instance if there is one.',
    httpStatus: 503,
    clientSafe: true,
  },
  // Shared limits (rate limits and call quotas in Redis, config `redis`)
  LIMITS_STORE_UNAVAILABLE: {
    scope: 'http',
    message: 'The shared store of rate limits and call quotas cannot be reached; retry shortly.',
    httpStatus: 503,
    clientSafe: true,
  },
  // Fetching images by URL
  URL_INVALID: { scope: 'http', message: 'The {field} value is not a valid absolute URL: {reason}.', httpStatus: 400, clientSafe: true },
  URL_SCHEME_UNSUPPORTED: { scope: 'http', message: 'URL scheme "{scheme}" is not supported; use http or https.', httpStatus: 400, clientSafe: true },
  URL_ADDRESS_REFUSED: {
    scope: 'http',
    message:
      'The host {host} resolves to a refused address ({range}); this server does not fetch from such addresses unless server.urlFetch.allowCidrs lists them (e.g. "10.1.2.0/24").',
    httpStatus: 400,
    clientSafe: true,
  },
  URL_REDIRECT_LIMIT: { scope: 'http', message: 'The image URL redirected more than {maxRedirects} times.', httpStatus: 502, clientSafe: true },
  URL_TIMEOUT: { scope: 'http', message: 'Fetching the image URL took longer than {timeoutMs} ms ({phase}).', httpStatus: 504, clientSafe: true },
  URL_TOO_LARGE: { scope: 'http', message: 'The image at the URL is larger than {maxBytes} bytes.', httpStatus: 413, clientSafe: true },
  URL_HTTP_STATUS: { scope: 'http', message: 'The image URL answered HTTP {status}.', httpStatus: 502, clientSafe: true },
  URL_FETCH_FAILED: { scope: 'http', message: 'Fetching the image URL failed: {reason}.', httpStatus: 502, clientSafe: true },
  // Evaluation and calibration tools (CLI only: `facelive eval`, `facelive calibrate`)
  LABELS_INVALID: { scope: 'cli', message: 'The labels file {file} is invalid: {reason}.' },
  EVAL_RESULTS_INVALID: { scope: 'cli', message: 'The evaluation results {file} cannot be used: {reason}.' },
  CALIBRATION_FIT_FAILED: { scope: 'cli', message: 'Calibration of {modelSet} failed: {reason}.' },
  // Result store (submissions of capture flows)
  STORE_UNAVAILABLE: { scope: 'http', message: 'The result store is unavailable: {reason}.', httpStatus: 503, clientSafe: false },
  // Credential lifetime and call quota (credentials that carry them in config: AccuAuth API IDs)
  AUTH_CREDENTIAL_EXPIRED: { scope: 'http', message: 'The {credential} expired at {expiresAt}.', httpStatus: 401, clientSafe: true },
  CALL_QUOTA_EXCEEDED: { scope: 'http', message: 'The {credential} has used its quota of {callQuota} calls.', httpStatus: 403, clientSafe: true },
  // Batch scoring (CLI only: `facelive batch`, `facelive worker`)
  QUEUE_UNAVAILABLE: { scope: 'cli', message: 'The batch queue is unavailable: {reason}.' },
  BATCH_NOT_FOUND: { scope: 'cli', message: 'There is no batch {batchId} in the result store.' },
  // Anything not foreseen
  INTERNAL_ERROR: { scope: 'http', message: 'Internal error.', httpStatus: 500, clientSafe: true },
} as const satisfies Record<string, ErrorSpec>;

type Catalogue = typeof ERROR_CATALOGUE;

/** Every stable error code of facelive. */
export type ErrorCode = keyof Catalogue;

/** The codes an HTTP client can receive; every API surface maps exactly these. */
export type HttpErrorCode = { [C in ErrorCode]: Catalogue[C]['scope'] extends 'http' ? C : never }[ErrorCode];

/** All codes, in catalogue order (for documentation and coverage tests). */
export const ERROR_CODES = Object.keys(ERROR_CATALOGUE) as ErrorCode[];

/** True when `code` can reach an HTTP client. */
export function isHttpErrorCode(code: ErrorCode): code is HttpErrorCode {
  return ERROR_CATALOGUE[code].scope === 'http';
}

/** The HTTP codes, in catalogue order (the rows of every surface's mapping). */
export const HTTP_ERROR_CODES: readonly HttpErrorCode[] = ERROR_CODES.filter(isHttpErrorCode);

/** What a param may hold. */
export type ParamValue = string | number | boolean;

/** The `{name}` placeholders of a template, as a union of names. */
type Placeholders<T extends string> = T extends `${string}{${infer Name}}${infer Rest}` ? Name | Placeholders<Rest> : never;

type DetailsOf<C extends ErrorCode> = Catalogue[C] extends { readonly details: readonly (infer Name extends string)[] } ? Name : never;

/**
 * The params of code `C`: every placeholder of its message (required), its declared details
 * (optional), and `field`, the request field the error concerns (optional unless the message
 * names it).
 */
export type ErrorParams<C extends ErrorCode> = { readonly [N in Placeholders<Catalogue[C]['message']>]: ParamValue } & {
  readonly [N in DetailsOf<C> | 'field']?: ParamValue;
};

/** Options of a {@link FaceliveError}: the error it wraps, if any. */
export interface FaceliveErrorOptions {
  readonly cause?: unknown;
}

/** Constructor arguments after the code: params may be omitted when the template has no placeholder. */
type ParamsArguments<C extends ErrorCode> = [Placeholders<Catalogue[C]['message']>] extends [never]
  ? [params?: ErrorParams<C>, options?: FaceliveErrorOptions]
  : [params: ErrorParams<C>, options?: FaceliveErrorOptions];

function fillTemplate(template: string, params: Readonly<Record<string, ParamValue | undefined>>): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (params[name] === undefined ? whole : String(params[name])));
}

/**
 * The only error type `src/` throws. `params` hold the values of the message template (and the
 * code's details) and are machine readable for API surfaces (for example `maxBytes`).
 *
 * @example
 * throw new FaceliveError('IMAGE_SIZE_EXCEEDED', { bytes: 40e6, maxBytes: 33554432 });
 */
export class FaceliveError<C extends ErrorCode = ErrorCode> extends Error {
  readonly code: C;
  readonly params: Readonly<Record<string, ParamValue>>;
  readonly clientSafe: boolean;

  constructor(code: C, ...[params, options]: ParamsArguments<C>) {
    const spec: ErrorSpec = ERROR_CATALOGUE[code];
    const values: Readonly<Record<string, ParamValue>> = params ?? {};
    super(fillTemplate(spec.message, values), options);
    this.name = 'FaceliveError';
    this.code = code;
    this.params = values;
    this.clientSafe = spec.scope === 'http' && spec.clientSafe;
  }

  /** The request field (or form part, or header) this error concerns, when known. */
  get field(): string | undefined {
    const { field } = this.params;
    return field === undefined ? undefined : String(field);
  }

  /**
   * This error, marked as concerning `field` when it names none yet (the same code, params and
   * message); dialects use it to say which of several inputs failed.
   */
  concerning(field: string): FaceliveError {
    if (this.field !== undefined) return this;
    return reviveError(this.code, { ...this.params, field }, { cause: this.cause ?? this });
  }

  /** The `{code, message}` pair that results and API bodies carry. */
  toJSON(): { code: C; message: string } {
    return { code: this.code, message: this.message };
  }
}

/**
 * Rebuilds an error from data that left the process or thread it was raised in (code and params
 * as they were, so typed checking happened at the original `throw`).
 */
export function reviveError(code: ErrorCode, params: Readonly<Record<string, ParamValue>>, options?: FaceliveErrorOptions): FaceliveError {
  const Untyped = FaceliveError as unknown as new (
    code: ErrorCode,
    params: Readonly<Record<string, ParamValue>>,
    options?: FaceliveErrorOptions,
  ) => FaceliveError;
  return new Untyped(code, params, options);
}

/** Wraps anything thrown into a FaceliveError; foreign errors become INTERNAL_ERROR with `cause`. */
export function toFaceliveError(error: unknown): FaceliveError {
  if (error instanceof FaceliveError) return error;
  return new FaceliveError('INTERNAL_ERROR', {}, { cause: error });
}

/** True when `value` is a code of the catalogue. */
export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && Object.hasOwn(ERROR_CATALOGUE, value);
}
