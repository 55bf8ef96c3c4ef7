// facelive capture page: a far and a near photo (camera or files) → the ADVANCE.AI-compatible
// submission API → the detection result. Plays the vendor's H5 capture SDK for local testing and
// demos. No secret lives here: the page asks the server for a short-lived access token
// (GET capture/token) right before it submits. Errors are shown in plain words with what to do
// next (../shared/plain-errors.js, served as capture/plain-errors.js); the codes stay in a
// details box for whoever debugs.

import { canvasToJpeg, prepareImage as preparePhoto } from './photo-prep.js';
import { plainError } from './plain-errors.js';

/** Every URL is relative to the page, so facelive may sit behind a path prefix. */
const base = new URL('.', document.baseURI);
const endpoint = (path) => new URL(path, base).href;

/** Photos the server accepts as they are; anything larger or longer is re-encoded smaller first. */
const MAX_UPLOAD_BYTES = 3 * 1024 * 1024;
const MAX_UPLOAD_SIDE = 2000;
/** A cached token is replaced this long before it expires. */
const TOKEN_MARGIN_MS = 30_000;

const $ = (id) => {
  const element = document.getElementById(id);
  if (!element) throw new Error(`capture page: #${id} is missing`);
  return element;
};

const ui = {
  steps: { far: $('step-far'), near: $('step-near'), submit: $('step-submit') },
  instruction: $('instruction'),
  viewfinder: $('viewfinder'),
  video: $('video'),
  guide: $('guide'),
  cameraMessage: $('camera-message'),
  httpsNote: $('camera-https-note'),
  cameraStart: $('camera-start'),
  cameraShoot: $('camera-shoot'),
  cameraStop: $('camera-stop'),
  submit: $('submit'),
  reset: $('reset'),
  status: $('status'),
  error: $('error'),
  errorPlain: $('error-plain'),
  errorNext: $('error-next'),
  errorStage: $('error-stage'),
  errorCode: $('error-code'),
  errorMessage: $('error-message'),
  result: $('result'),
  resultHeading: $('result-heading'),
  verdict: $('result-verdict'),
  livenessId: $('result-liveness-id'),
  score: $('result-score'),
  attackType: $('result-attack-type'),
  detection: $('result-detection'),
  transactionId: $('result-transaction-id'),
};

const slots = {
  far: { input: $('file-far'), preview: $('preview-far'), placeholder: $('placeholder-far'), meta: $('meta-far'), retake: $('retake-far') },
  near: { input: $('file-near'), preview: $('preview-near'), placeholder: $('placeholder-near'), meta: $('meta-near'), retake: $('retake-near') },
};

const INSTRUCTIONS = {
  far: "<strong>Far photo:</strong> hold the camera at arm's length, face it straight on, with your head and shoulders and some background in the picture.",
  near: '<strong>Near photo:</strong> bring the camera closer, so that your face looks clearly larger than in the far photo. Keep your whole face and a little background in the picture, and do not move sideways.',
  submit: '<strong>Ready:</strong> check both previews, then press “Check liveness”.',
};

/** The page's state: the two photos, the step, the camera stream, a cached token. */
const state = {
  /** @type {{far: null | {blob: Blob, url: string}, near: null | {blob: Blob, url: string}}} */
  photos: { far: null, near: null },
  /** @type {'far' | 'near' | 'submit'} */
  step: 'far',
  /** @type {MediaStream | null} */
  stream: null,
  /** @type {{token: string, expiresAtMs: number} | null} */
  token: null,
  busy: false,
};

/** A failure the page shows: where it happened, the vendor code, the message. */
class CaptureError extends Error {
  constructor(stage, code, message, details = {}) {
    super(message);
    this.stage = stage;
    this.code = code;
    this.httpStatus = details.httpStatus;
    this.transactionId = details.transactionId;
  }
}

function setStatus(text) {
  ui.status.textContent = text;
}

function showError(error) {
  const known = error instanceof CaptureError;
  const status = known && error.httpStatus && error.httpStatus !== 200 ? ` (HTTP ${error.httpStatus})` : '';
  const message = error instanceof Error ? error.message : String(error);
  const plain = known ? plainError({ code: error.code, status: error.httpStatus, message }) : plainError({ code: 'INTERNAL_ERROR' });
  ui.errorPlain.textContent = plain.text;
  ui.errorNext.textContent = plain.next;
  ui.errorStage.textContent = known ? `${error.stage}${status}:` : 'Unexpected error:';
  ui.errorCode.textContent = known ? error.code : 'ERROR';
  ui.errorMessage.textContent = message + (known && error.transactionId ? ` (transaction ${error.transactionId})` : '');
  ui.error.hidden = false;
  // On a phone the error lands below the fold; bring it up.
  ui.error.scrollIntoView({ block: 'center' });
}

function clearError() {
  ui.error.hidden = true;
  ui.errorPlain.textContent = '';
  ui.errorNext.textContent = '';
  ui.errorStage.textContent = '';
  ui.errorCode.textContent = '';
  ui.errorMessage.textContent = '';
}

function clearResult() {
  ui.result.hidden = true;
  for (const element of [ui.verdict, ui.livenessId, ui.score, ui.attackType, ui.detection, ui.transactionId]) element.textContent = '';
  ui.verdict.className = 'verdict';
}

/** Redraws everything that depends on the step and the photos. */
function render() {
  const order = ['far', 'near', 'submit'];
  for (const name of order) {
    const item = ui.steps[name];
    if (name === state.step) item.setAttribute('aria-current', 'step');
    else item.removeAttribute('aria-current');
    item.classList.toggle('done', name !== 'submit' && state.photos[name] !== null);
  }
  ui.instruction.innerHTML = INSTRUCTIONS[state.step];
  ui.guide.className = `guide ${state.step === 'near' ? 'guide-near' : 'guide-far'}`;
  ui.cameraShoot.textContent = state.step === 'near' ? 'Take near photo' : state.step === 'far' ? 'Take far photo' : 'Photos taken';
  ui.cameraShoot.disabled = state.step === 'submit' || state.busy;
  ui.submit.disabled = !(state.photos.far && state.photos.near) || state.busy;
  ui.reset.disabled = state.busy;
  for (const [kind, slot] of Object.entries(slots)) {
    slot.input.disabled = state.busy;
    slot.retake.hidden = state.photos[kind] === null;
    slot.retake.disabled = state.busy;
  }
}

/** The first step still missing a photo, or submit. */
function nextStep() {
  if (!state.photos.far) return 'far';
  if (!state.photos.near) return 'near';
  return 'submit';
}

/** The photo to send: within MAX_UPLOAD_BYTES and MAX_UPLOAD_SIDE as it is, else re-encoded smaller. */
function prepareImage(blob) {
  return preparePhoto(blob, {
    fits: ({ size, longSide }) => size <= MAX_UPLOAD_BYTES && longSide <= MAX_UPLOAD_SIDE,
    fail: (code, message) => new CaptureError('Photo', code, message),
  });
}

async function setPhoto(kind, blob) {
  clearError();
  clearResult();
  const { blob: sendable, note } = await prepareImage(blob);
  const slot = slots[kind];
  const previous = state.photos[kind];
  if (previous) URL.revokeObjectURL(previous.url);
  const url = URL.createObjectURL(sendable);
  state.photos[kind] = { blob: sendable, url };
  slot.preview.src = url;
  slot.preview.hidden = false;
  slot.placeholder.hidden = true;
  slot.meta.textContent = note;
  state.step = nextStep();
  setStatus(`${kind === 'far' ? 'Far' : 'Near'} photo ready.${state.step === 'submit' ? ' You can check liveness now.' : ' Now take the near photo.'}`);
  render();
}

function clearPhoto(kind) {
  const slot = slots[kind];
  const previous = state.photos[kind];
  if (previous) URL.revokeObjectURL(previous.url);
  state.photos[kind] = null;
  slot.preview.removeAttribute('src');
  slot.preview.hidden = true;
  slot.placeholder.hidden = false;
  slot.meta.textContent = '';
  slot.input.value = '';
}

// ---- camera ----------------------------------------------------------------------------------

const CAMERA_PROBLEMS = {
  NotAllowedError: 'Camera access was denied. Allow the camera in your browser settings, or choose two photos below.',
  SecurityError: 'Camera access is blocked on this page. Choose two photos below instead.',
  NotFoundError: 'No camera was found. Choose two photos below instead.',
  OverconstrainedError: 'No camera was found. Choose two photos below instead.',
  NotReadableError: 'The camera is in use by another application. Close it and try again, or choose two photos below.',
  AbortError: 'The camera could not be started. Try again, or choose two photos below.',
};

function cameraProblem(text) {
  ui.cameraMessage.textContent = text;
  ui.cameraMessage.classList.add('problem');
  setStatus(text);
}

async function startCamera() {
  clearError();
  if (!navigator.mediaDevices || typeof navigator.mediaDevices.getUserMedia !== 'function') {
    // Browsers offer the camera only to secure pages: https, or http on localhost.
    cameraProblem(
      window.isSecureContext
        ? 'This browser cannot use a camera. Choose two photos below instead.'
        : 'The camera needs a secure page (https, or http://localhost). Choose two photos below instead.',
    );
    return;
  }
  ui.cameraStart.disabled = true;
  setStatus('Starting the camera…');
  try {
    state.stream = await navigator.mediaDevices.getUserMedia({
      audio: false,
      video: { facingMode: 'user', width: { ideal: 1280 }, height: { ideal: 960 } },
    });
  } catch (error) {
    ui.cameraStart.disabled = false;
    cameraProblem(CAMERA_PROBLEMS[error?.name] ?? `The camera could not be started (${error?.name ? error.name : error}). Choose two photos below instead.`);
    return;
  }
  ui.video.srcObject = state.stream;
  await ui.video.play().catch(() => undefined);
  ui.viewfinder.hidden = false;
  // The instruction, the preview and the shutter button together fill the screen.
  ui.instruction.scrollIntoView({ block: 'start', behavior: 'smooth' });
  ui.cameraStart.hidden = true;
  ui.cameraStart.disabled = false;
  ui.cameraShoot.hidden = false;
  ui.cameraStop.hidden = false;
  ui.cameraMessage.classList.remove('problem');
  ui.cameraMessage.textContent = 'Fit your face inside the oval, then take the photo.';
  setStatus('Camera on.');
  render();
}

function stopCamera() {
  if (state.stream) for (const track of state.stream.getTracks()) track.stop();
  state.stream = null;
  ui.video.srcObject = null;
  ui.viewfinder.hidden = true;
  ui.cameraStart.hidden = false;
  ui.cameraShoot.hidden = true;
  ui.cameraStop.hidden = true;
  ui.cameraMessage.classList.remove('problem');
  ui.cameraMessage.textContent = 'Use your camera, or choose two photos below.';
}

async function shoot() {
  const { video } = ui;
  if (!state.stream || video.videoWidth === 0) {
    cameraProblem('The camera has no picture yet; wait a moment and try again.');
    return;
  }
  const kind = state.step === 'near' ? 'near' : 'far';
  const canvas = document.createElement('canvas');
  canvas.width = video.videoWidth;
  canvas.height = video.videoHeight;
  // Unmirrored: the photo shows the scene as it is, as the vendor SDK sends it.
  canvas.getContext('2d').drawImage(video, 0, 0, canvas.width, canvas.height);
  await setPhoto(kind, await canvasToJpeg(canvas, (code, message) => new CaptureError('Photo', code, message)));
  if (state.step === 'submit') stopCamera();
}

// ---- API calls ------------------------------------------------------------------------------

async function callJson(stage, url, init) {
  let response;
  try {
    response = await fetch(url, { ...init, credentials: 'same-origin', cache: 'no-store' });
  } catch (error) {
    throw new CaptureError(stage, 'NETWORK_ERROR', `The server could not be reached (${error instanceof Error ? error.message : error}).`);
  }
  const text = await response.text();
  let body = null;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    throw new CaptureError(stage, `HTTP_${response.status}`, `The server answered something that is not JSON: ${text.slice(0, 200)}`, {
      httpStatus: response.status,
    });
  }
  return { response, body };
}

/** A token from the server, reused until shortly before it expires. */
async function accessToken() {
  if (state.token && state.token.expiresAtMs - TOKEN_MARGIN_MS > Date.now()) return state.token.token;
  const stage = 'Access token';
  const { response, body } = await callJson(stage, endpoint('capture/token'), { method: 'GET' });
  if (!response.ok || !body || typeof body.token !== 'string') {
    const error = body?.error ? body.error : {};
    throw new CaptureError(stage, error.code ?? `HTTP_${response.status}`, error.message ?? 'The server did not hand out an access token.', {
      httpStatus: response.status,
    });
  }
  const expiredTime = Number(body.expiredTime);
  // expiredTime is epoch milliseconds, as the vendor's token API answers; tolerate seconds.
  const expiresAtMs = expiredTime > 0 && expiredTime < 1e12 ? expiredTime * 1000 : expiredTime;
  state.token = { token: body.token, expiresAtMs: Number.isFinite(expiresAtMs) ? expiresAtMs : 0 };
  return body.token;
}

/** Calls an ADVANCE.AI-style API; anything but `code: "SUCCESS"` becomes a CaptureError. */
async function callAdvance(stage, path, init) {
  const { response, body } = await callJson(stage, endpoint(path), init);
  if (body?.code !== 'SUCCESS') {
    // Auth failures come back as HTTP 200 with code IAM_FAILED (the dialect's envelope): the
    // cached token is then no good, and the next attempt must fetch a new one.
    if (response.status === 401 || (body && /TOKEN|IAM_FAILED/.test(String(body.code)))) state.token = null;
    throw new CaptureError(stage, body?.code || `HTTP_${response.status}`, body?.message || 'The server refused the request.', {
      httpStatus: response.status,
      transactionId: body?.transactionId,
    });
  }
  return body;
}

async function submit() {
  if (!state.photos.far || !state.photos.near || state.busy) return;
  clearError();
  clearResult();
  state.busy = true;
  render();
  try {
    setStatus('Getting an access token…');
    const token = await accessToken();

    setStatus('Uploading the photos…');
    const form = new FormData();
    form.append('imageFar', state.photos.far.blob, fileName(state.photos.far.blob, 'far'));
    form.append('imageNear', state.photos.near.blob, fileName(state.photos.near.blob, 'near'));
    const submitted = await callAdvance('Submission', 'openapi/liveness/v3/submit', {
      method: 'POST',
      headers: { 'X-ACCESS-TOKEN': token },
      body: form,
    });
    const livenessId = submitted.data?.livenessId;
    if (typeof livenessId !== 'string' || livenessId === '') {
      throw new CaptureError('Submission', 'ERROR', 'The server accepted the photos but returned no livenessId.', { transactionId: submitted.transactionId });
    }
    ui.livenessId.textContent = livenessId;

    setStatus('Waiting for the verdict…');
    const result = await callAdvance('Detection result', 'openapi/liveness/v3/detection-result', {
      method: 'POST',
      headers: { 'X-ACCESS-TOKEN': token, 'Content-Type': 'application/json' },
      body: JSON.stringify({ livenessId, resultType: 'IMAGE_URL' }),
    });
    showResult(livenessId, result);
    setStatus('Done. The verdict is shown below.');
  } catch (error) {
    showError(error);
    setStatus('The check did not complete; see the error below.');
    if (ui.livenessId.textContent) {
      // The submission worked; keep its id visible for the report.
      ui.result.hidden = false;
      ui.verdict.textContent = 'No verdict';
    }
  } finally {
    state.busy = false;
    render();
  }
}

function fileName(blob, kind) {
  const extension = { 'image/png': 'png', 'image/webp': 'webp', 'image/bmp': 'bmp' }[blob.type] ?? 'jpg';
  return `${kind}.${extension}`;
}

const ATTACK_TYPES = {
  1: '1 · presentation attack (photo, screen or mask)',
  2: '2 · injection attack',
  3: '3 · unsure attack',
};

function showResult(livenessId, body) {
  const data = body.data ?? {};
  const score = typeof data.livenessScore === 'number' ? data.livenessScore : Number.NaN;
  const pass = score >= 50;
  ui.verdict.textContent = Number.isNaN(score)
    ? 'No score returned'
    : pass
      ? 'Live: normal behaviour, suggestion pass'
      : 'Possible attack: suggestion manual check';
  ui.verdict.className = `verdict ${pass ? 'pass' : 'suspicious'}`;
  ui.verdict.dataset.verdict = Number.isNaN(score) ? 'none' : pass ? 'pass' : 'suspicious';
  ui.livenessId.textContent = livenessId;
  ui.score.textContent = Number.isNaN(score) ? '—' : `${score.toFixed(1)} / 100`;
  ui.attackType.textContent =
    data.attackType === null || data.attackType === undefined ? 'none (null)' : (ATTACK_TYPES[data.attackType] ?? String(data.attackType));
  ui.detection.replaceChildren(detectionView(data.detectionResult));
  ui.transactionId.textContent = body.transactionId ?? '';
  ui.result.hidden = false;
  // On a phone the verdict lands below the fold: scroll it up, and move focus there for screen readers.
  ui.resultHeading.focus({ preventScroll: true });
  ui.result.scrollIntoView({ block: 'start' });
}

/** detectionResult is the stored face image: a URL on this server (IMAGE_URL) or base64. */
function detectionView(value) {
  if (typeof value !== 'string' || value === '') return document.createTextNode('—');
  let url;
  try {
    url = new URL(value, base);
  } catch {
    return document.createTextNode(value);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return document.createTextNode(value);
  const link = document.createElement('a');
  link.href = url.href;
  link.rel = 'noreferrer';
  link.target = '_blank';
  const image = document.createElement('img');
  image.alt = 'Image stored with the result';
  image.src = url.href;
  image.addEventListener('error', () => link.replaceChildren(document.createTextNode('stored image (link)')), { once: true });
  link.append(image);
  return link;
}

// ---- wiring ---------------------------------------------------------------------------------

function guard(action) {
  return (...args) =>
    Promise.resolve(action(...args)).catch((error) => {
      showError(error);
      setStatus('Something went wrong; see the error below.');
    });
}

ui.cameraStart.addEventListener('click', guard(startCamera));
ui.cameraStop.addEventListener('click', () => stopCamera());
ui.cameraShoot.addEventListener('click', guard(shoot));
ui.submit.addEventListener('click', guard(submit));
ui.reset.addEventListener('click', () => {
  clearPhoto('far');
  clearPhoto('near');
  clearError();
  clearResult();
  state.step = 'far';
  setStatus('Start again with the far photo.');
  render();
});
for (const [kind, slot] of Object.entries(slots)) {
  slot.input.addEventListener(
    'change',
    guard(async () => {
      const file = slot.input.files?.[0];
      if (file) await setPhoto(kind, file);
    }),
  );
  slot.retake.addEventListener('click', () => {
    clearPhoto(kind);
    clearResult();
    state.step = kind;
    setStatus(`${kind === 'far' ? 'Far' : 'Near'} photo removed; take it again.`);
    render();
    if (!state.stream) slot.input.focus();
  });
}
window.addEventListener('pagehide', () => stopCamera());

// Browsers offer the camera only to secure pages (https, or http on localhost): say so up front.
if (!window.isSecureContext) {
  ui.httpsNote.hidden = false;
  ui.cameraStart.disabled = true;
}

render();
document.documentElement.dataset.ready = 'true';
