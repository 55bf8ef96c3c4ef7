// Plain words for every error a facelive page can meet: each catalogue code that reaches an HTTP
// client (docs/errors.md), each HTTP status those codes use, the ADVANCE.AI envelope codes the
// capture page reads, and the page's own failures. Each entry says what happened and what to do
// next, for a person who is not a developer. test/unit/plain-errors.test.ts checks that every
// HTTP code of the catalogue and every status it uses is here.

const TRY_ANOTHER = 'Try another photo.';
const TRY_LATER = 'Wait a minute and try again.';
const TELL_ADMIN = 'Tell whoever runs this server; trying again will not help until they fix it.';
const RELOAD = 'Reload the page and try again.';

/** Catalogue code → { text: what happened, next: what to do }. */
export const PLAIN_ERRORS = {
  IMAGE_EMPTY: { text: 'The file is empty.', next: 'Choose the photo again, or take a new one.' },
  IMAGE_SIZE_EXCEEDED: { text: 'The photo file is too large for this server.', next: 'Use a smaller photo file, or let the camera save a smaller one.' },
  IMAGE_FORMAT_UNSUPPORTED: { text: 'This kind of file is not supported.', next: 'Use a JPEG, PNG, WebP or BMP photo.' },
  IMAGE_DECODE_FAILED: { text: 'The photo file is damaged or incomplete and could not be opened.', next: 'Take the photo again, or export it again as JPEG.' },
  IMAGE_RESOLUTION_EXCEEDED: { text: 'The photo has too many pixels for this server.', next: 'Use a smaller photo, or let the camera take a normal-size one.' },
  IMAGE_RESOLUTION_TOO_SMALL: { text: 'The photo is too small to see a face in.', next: 'Use a larger photo (at least a few hundred pixels wide).' },
  FACE_NOT_FOUND: { text: 'No face was found in the photo.', next: 'Face the camera in good light, with your whole face in the picture.' },
  FACE_TOO_SMALL: { text: 'The face is too small in the photo.', next: 'Come closer to the camera so your face fills more of the picture.' },
  INVALID_ARGUMENT: { text: 'The server could not use what was sent.', next: RELOAD },
  MODEL_FILE_MISSING: { text: 'The server is missing its face models.', next: TELL_ADMIN },
  MODEL_CHECKSUM_MISMATCH: { text: 'The server’s face models are damaged.', next: TELL_ADMIN },
  MODEL_METADATA_MISMATCH: { text: 'The server’s face models do not fit its settings.', next: TELL_ADMIN },
  MODEL_LOAD_FAILED: { text: 'The server could not load its face models.', next: TELL_ADMIN },
  REQUEST_MALFORMED: { text: 'The request was garbled on its way to the server.', next: RELOAD },
  REQUEST_CONTENT_TYPE_UNSUPPORTED: { text: 'The photo was sent in a way this server does not accept.', next: RELOAD },
  REQUEST_BODY_TOO_LARGE: { text: 'The upload is too large for this server.', next: 'Use a smaller photo.' },
  REQUEST_HEADERS_TOO_LARGE: { text: 'The browser sent too much extra data with the photo.', next: 'Clear this site’s cookies, then reload the page.' },
  REQUEST_TIMEOUT: { text: 'The upload took too long and was stopped.', next: 'Check your connection and try again, or use a smaller photo.' },
  ARGUMENT_MISSING: { text: 'No photo reached the server.', next: 'Choose the photo again and retry.' },
  IMAGE_BASE64_INVALID: { text: 'The photo was garbled on its way to the server.', next: RELOAD },
  FACE_MODEL_VERSION_UNSUPPORTED: { text: 'The page asked for a face model version this server does not have.', next: RELOAD },
  API_ACTION_UNKNOWN: { text: 'The page asked the server for something it does not offer.', next: RELOAD },
  ROUTE_NOT_FOUND: { text: 'The page asked the server for something it does not offer (perhaps the page is turned off).', next: RELOAD },
  AUTH_NOT_CONFIGURED: { text: 'This server has no access key set up for this page.', next: TELL_ADMIN },
  AUTH_CREDENTIAL_MISSING: { text: 'The page did not get permission to check photos.', next: RELOAD },
  AUTH_HEADER_MALFORMED: { text: 'The page’s permission to check photos was garbled.', next: RELOAD },
  AUTH_CREDENTIAL_INVALID: { text: 'The page’s permission to check photos is not valid any more (the server may have restarted).', next: RELOAD },
  AUTH_SIGNATURE_INVALID: { text: 'The page’s permission to check photos could not be verified.', next: RELOAD },
  AUTH_TOKEN_INVALID: { text: 'The page’s permission to check photos could not be verified.', next: RELOAD },
  AUTH_SIGNATURE_EXPIRED: {
    text: 'Your device’s clock is too far from the server’s.',
    next: 'Set your device’s clock to the right time, then reload the page.',
  },
  RATE_LIMITED: { text: 'Too many photos were checked in a short time.', next: TRY_LATER },
  AUTH_THROTTLED: { text: 'Too many failed sign-ins came from this device.', next: 'Wait a few minutes, then reload the page.' },
  CLIENT_IN_FLIGHT_LIMITED: { text: 'This device is sending too much at once.', next: 'Wait for the photos already sent, then try again.' },
  SERVER_IN_FLIGHT_LIMITED: { text: 'The server is receiving too much at once.', next: 'Wait a few seconds and try again.' },
  SERVER_OVERLOADED: { text: 'The server is busy with other photos.', next: 'Wait a few seconds and try again.' },
  SERVER_NOT_READY: { text: 'The server is still starting up.', next: 'Wait a few seconds and try again.' },
  SERVER_SHUTTING_DOWN: { text: 'The server is restarting.', next: 'Wait a few seconds and try again.' },
  URL_INVALID: { text: 'The photo address is not a valid web address.', next: 'Check the address, or upload the photo instead.' },
  URL_SCHEME_UNSUPPORTED: { text: 'The photo address must start with http:// or https://.', next: 'Check the address, or upload the photo instead.' },
  URL_ADDRESS_REFUSED: { text: 'This server does not fetch photos from that address.', next: 'Upload the photo instead.' },
  URL_REDIRECT_LIMIT: { text: 'The photo address sent the server on too many detours.', next: 'Use the photo’s direct address, or upload it instead.' },
  URL_TIMEOUT: { text: 'Fetching the photo from its address took too long.', next: 'Try again, or upload the photo instead.' },
  URL_TOO_LARGE: { text: 'The photo at that address is too large.', next: 'Use a smaller photo.' },
  URL_HTTP_STATUS: { text: 'The photo address did not give the photo.', next: 'Check the address, or upload the photo instead.' },
  URL_FETCH_FAILED: { text: 'The photo could not be fetched from its address.', next: 'Check the address, or upload the photo instead.' },
  STORE_UNAVAILABLE: { text: 'The server could not save the result.', next: `${TRY_LATER} If it keeps happening, tell whoever runs this server.` },
  LIMITS_STORE_UNAVAILABLE: {
    text: 'The server cannot check its usage limits right now.',
    next: `${TRY_LATER} If it keeps happening, tell whoever runs this server.`,
  },
  AUTH_CREDENTIAL_EXPIRED: { text: 'The page’s permission to check photos has expired.', next: RELOAD },
  CALL_QUOTA_EXCEEDED: { text: 'This server’s allowance of checks is used up.', next: TELL_ADMIN },
  INTERNAL_ERROR: { text: 'Something went wrong on the server.', next: `${TRY_LATER} If it keeps happening, tell whoever runs this server.` },
};

/** HTTP status → plain words, for answers without a code the page knows (a proxy's error page, say). */
export const PLAIN_STATUS = {
  400: { text: 'The server could not use what was sent.', next: RELOAD },
  401: { text: 'The page has no valid permission to check photos.', next: RELOAD },
  403: { text: 'The server refused to check more photos.', next: TELL_ADMIN },
  404: { text: 'The server does not offer what the page asked for (perhaps the page is turned off).', next: RELOAD },
  408: { text: 'The upload took too long and was stopped.', next: 'Check your connection and try again.' },
  413: { text: 'The photo is too large for this server.', next: 'Use a smaller photo.' },
  415: { text: 'This kind of file is not supported.', next: 'Use a JPEG, PNG, WebP or BMP photo.' },
  422: { text: 'No usable face was found in the photo.', next: TRY_ANOTHER },
  429: { text: 'Too many photos were checked in a short time.', next: TRY_LATER },
  431: { text: 'The browser sent too much extra data with the photo.', next: 'Clear this site’s cookies, then reload the page.' },
  500: { text: 'Something went wrong on the server.', next: TRY_LATER },
  502: { text: 'The server could not get the photo from where it was asked to.', next: 'Upload the photo instead.' },
  503: { text: 'The server cannot take photos right now.', next: 'Wait a few seconds and try again.' },
  504: { text: 'The server took too long to answer.', next: TRY_LATER },
};

/** ADVANCE.AI envelope codes (the capture page), for messages that carry no catalogue code. */
export const PLAIN_VENDOR = {
  PARAMETER_ERROR: { text: 'The server could not use the photos.', next: 'Take both photos again.' },
  IAM_FAILED: { text: 'The page’s permission to check photos was refused.', next: RELOAD },
  OVER_QUERY_LIMIT: { text: 'The server is busy or too many photos were checked in a short time.', next: TRY_LATER },
  LIVENESS_ID_NOT_EXISTED: { text: 'The server no longer has this check.', next: 'Take both photos again.' },
  RESULT_NOT_FOUND: { text: 'The result of this check is gone from the server.', next: 'Take both photos again.' },
  ERROR: { text: 'Something went wrong on the server.', next: TRY_LATER },
};

/** Failures of the page itself, before or without an answer from the server. */
export const PLAIN_PAGE = {
  NETWORK_ERROR: { text: 'The server could not be reached.', next: 'Check your connection, then try again.' },
  NOT_JSON: { text: 'The server gave an answer this page cannot read (a proxy in between, perhaps).', next: TRY_LATER },
  IMAGE_UNREADABLE: { text: 'This file is not a photo the browser can open.', next: 'Use a JPEG, PNG or WebP photo.' },
  IMAGE_ENCODE_FAILED: { text: 'The browser could not prepare the photo.', next: 'Try another photo, or another browser.' },
};

/** Two-photo refusals of the capture flow (the reason in INVALID_ARGUMENT's message). */
const PAIR_REASONS = {
  NEAR_FACE_NOT_LARGER: {
    text: 'Your face is not larger in the near photo than in the far photo.',
    next: 'Take the far photo at arm’s length, then bring the camera clearly closer for the near photo.',
  },
  FACE_POSITION_MISMATCH: {
    text: 'Your face moved between the two photos.',
    next: 'Keep your face in the middle of the picture for both photos, and do not move sideways.',
  },
};

/** The photo a field names, in words (the capture flow sends two). */
const FIELD_WORDS = { imageFar: 'far photo', imageNear: 'near photo' };

/** The catalogue code at the start of a vendor message (`FACE_NOT_FOUND: No face…`), if any. */
export function catalogueCodeIn(message) {
  const match = /^([A-Z][A-Z0-9_]+):/.exec(String(message ?? ''));
  return match && Object.hasOwn(PLAIN_ERRORS, match[1]) ? match[1] : undefined;
}

/**
 * Plain words for a failure: `code` (a catalogue, vendor or page code), `status` (HTTP), the
 * server's `message` (kept for the details) and the `field` it concerns. Returns `{text, next}`:
 * what happened, what to do; never empty.
 */
export function plainError({ code, status, message, field } = {}) {
  const pair = Object.keys(PAIR_REASONS).find((reason) => String(message ?? '').includes(reason));
  if (pair) return PAIR_REASONS[pair];
  const catalogue = code && Object.hasOwn(PLAIN_ERRORS, code) ? code : catalogueCodeIn(message);
  const found =
    (catalogue && PLAIN_ERRORS[catalogue]) ||
    (code && Object.hasOwn(PLAIN_VENDOR, code) && PLAIN_VENDOR[code]) ||
    (code && Object.hasOwn(PLAIN_PAGE, code) && PLAIN_PAGE[code]) ||
    (status && Object.hasOwn(PLAIN_STATUS, status) && PLAIN_STATUS[status]) ||
    PLAIN_STATUS[500];
  const photo = FIELD_WORDS[field ?? fieldIn(message)];
  if (!photo) return found;
  return { text: `${found.text.replace(/\.$/, '')} (${photo}).`, next: found.next };
}

/** The field a vendor message names at its end (`… (imageNear)`). */
function fieldIn(message) {
  const match = /\((imageFar|imageNear)\)\s*$/.exec(String(message ?? ''));
  return match ? match[1] : undefined;
}
