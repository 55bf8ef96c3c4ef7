// facelive demo page: photos in (drop, paste, file picker, camera), each checked by the native
// API (POST v1/liveness) one after the other, a table row per photo, and the full explanation of
// the selected one (view.js). No secret lives here: the page gets a short-lived demo token from
// GET demo/token, which the server accepts for that one route only. Errors are shown in plain
// words (../shared/plain-errors.js).

import { canvasToJpeg, prepareImage as preparePhoto } from './photo-prep.js';
import { plainError } from './plain-errors.js';
import { scoreText, showResult, verdictWords } from './view.js';

/** Every URL is relative to the page, so facelive may sit behind a path prefix. */
const base = new URL('.', document.baseURI);
const endpoint = (path) => new URL(path, base).href;

/** Photos above these are re-encoded smaller in the browser before they are sent. */
const MAX_UPLOAD_SIDE_OTHER = 2000;
/** A cached token is replaced this long before it expires. */
const TOKEN_MARGIN_MS = 30_000;

const $ = (id) => {
  const element = document.getElementById(id);
  if (!element) throw new Error(`demo page: #${id} is missing`);
  return element;
};

const ui = {
  drop: $('drop'),
  files: $('files'),
  viewfinder: $('viewfinder'),
  video: $('video'),
  httpsNote: $('camera-https-note'),
  cameraMessage: $('camera-message'),
  cameraStart: $('camera-start'),
  cameraShoot: $('camera-shoot'),
  cameraStop: $('camera-stop'),
  clear: $('clear'),
  status: $('status'),
  batch: $('batch'),
  rows: $('batch-rows'),
  summary: $('batch-summary'),
  detail: $('detail'),
  detailHeading: $('detail-heading'),
  error: $('error'),
  errorPlain: $('error-plain'),
  errorNext: $('error-next'),
  errorCode: $('error-code'),
  errorStatus: $('error-status'),
  errorMessage: $('error-message'),
  photo: $('photo'),
  overlay: $('overlay'),
  caption: $('photo-caption'),
  verdictPanel: $('verdict-panel'),
  verdict: $('verdict'),
  verdictWhy: $('verdict-why'),
  retryHints: $('retry-hints'),
  gauge: $('gauge'),
  gaugeFill: $('gauge-fill'),
  gaugeTicks: $('gauge-ticks'),
  ladder: $('ladder'),
  ladderSource: $('ladder-source'),
  explain: $('explain'),
  signals: $('signals'),
  models: $('models'),
  facesNote: $('faces-note'),
  timings: $('timings'),
};

/**
 * @typedef {{ id: number, name: string, blob: Blob, url: string, note: string,
 *   state: 'queued' | 'checking' | 'done' | 'failed', result?: any, error?: PageError }} Item
 */
const state = {
  /** @type {Item[]} */
  items: [],
  /** @type {number | null} */
  selected: null,
  nextId: 1,
  /** @type {{ token: string, expiresAt: number } | null} */
  token: null,
  /** @type {any} */
  settings: null,
  /** @type {MediaStream | null} */
  stream: null,
  running: false,
};

/** A failure with its code (catalogue, page or HTTP_<status>), status and the server's message. */
class PageError extends Error {
  constructor(code, message, status) {
    super(message);
    this.code = code;
    this.status = status;
  }
}

function setStatus(text) {
  ui.status.textContent = text;
}

// ---- server calls ---------------------------------------------------------------------------

async function callJson(url, init) {
  let response;
  try {
    response = await fetch(url, { ...init, credentials: 'same-origin', cache: 'no-store' });
  } catch (error) {
    throw new PageError('NETWORK_ERROR', `The server could not be reached (${error instanceof Error ? error.message : error}).`);
  }
  const text = await response.text();
  let body = null;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    throw new PageError(`HTTP_${response.status}`, `The server answered something that is not JSON: ${text.slice(0, 200)}`, response.status);
  }
  if (!response.ok) {
    const error = body?.error ? body.error : {};
    throw new PageError(error.code ?? `HTTP_${response.status}`, error.message ?? `HTTP ${response.status}`, response.status);
  }
  return body;
}

async function settings() {
  state.settings ??= await callJson(endpoint('demo/settings'), { method: 'GET' });
  return state.settings;
}

async function demoToken() {
  if (state.token && state.token.expiresAt - TOKEN_MARGIN_MS > Date.now()) return state.token.token;
  const body = await callJson(endpoint('demo/token'), { method: 'GET' });
  state.token = { token: body.token, expiresAt: Number(body.expiresAt) || 0 };
  return body.token;
}

/** One check; a refused token (expired, or the server restarted with a new key) is replaced once. */
async function check(blob, name) {
  for (let attempt = 0; ; attempt += 1) {
    const token = await demoToken();
    const form = new FormData();
    form.append('image', blob, name);
    try {
      return await callJson(endpoint('v1/liveness'), { method: 'POST', headers: { Authorization: `Bearer ${token}` }, body: form });
    } catch (error) {
      const tokenRefused = error instanceof PageError && error.status === 401;
      if (!tokenRefused || attempt > 0) throw error;
      state.token = null;
    }
  }
}

// ---- photos in ------------------------------------------------------------------------------

/**
 * The photo to send: within the server's byte limit as it is (JPEGs of any size, other types up
 * to MAX_UPLOAD_SIDE_OTHER: the browser's decoders are slower on them), else re-encoded smaller.
 */
function prepareImage(blob, maxBytes) {
  return preparePhoto(blob, {
    fits: ({ size, type, longSide }) => size <= maxBytes && (type === 'image/jpeg' || longSide <= MAX_UPLOAD_SIDE_OTHER),
    fail: (code, message) => new PageError(code, message),
  });
}

/** Queues photos, shows their rows, and checks them one after the other (the server has few workers). */
async function addPhotos(files) {
  const images = [...files].filter((file) => file && (file.type === '' || file.type.startsWith('image/')));
  if (images.length === 0) {
    setStatus('That was not a photo. Drop, paste or choose image files.');
    return;
  }
  for (const file of images) {
    const item = { id: state.nextId++, name: file.name || `photo ${state.nextId - 1}`, blob: file, url: '', note: '', state: 'queued' };
    state.items.push(item);
    if (state.selected === null || images.length === 1) state.selected = item.id;
  }
  renderTable();
  await runQueue();
}

async function runQueue() {
  if (state.running) return;
  state.running = true;
  try {
    const { maxImageBytes } = await settings().catch(() => ({ maxImageBytes: 33_554_432 }));
    for (let item = nextQueued(); item; item = nextQueued()) {
      item.state = 'checking';
      const position = state.items.indexOf(item) + 1;
      setStatus(`Checking photo ${position} of ${state.items.length}…`);
      renderTable();
      try {
        const prepared = await prepareImage(item.blob, maxImageBytes);
        item.blob = prepared.blob;
        item.note = prepared.note;
        item.url = URL.createObjectURL(prepared.blob);
        renderTable();
        await settings();
        item.result = await check(prepared.blob, fileName(prepared.blob));
        item.state = 'done';
      } catch (error) {
        item.error = error instanceof PageError ? error : new PageError('INTERNAL_ERROR', String(error));
        item.state = 'failed';
        if (!item.url) item.url = URL.createObjectURL(item.blob);
      }
      renderTable();
      if (item.id === state.selected) renderDetail({ scroll: true });
    }
    const failed = state.items.filter((item) => item.state === 'failed').length;
    const total = state.items.length;
    const checked = total - failed;
    setStatus(
      failed === 0
        ? `Done: ${total} photo${total === 1 ? '' : 's'} checked.`
        : `Done: ${checked} of ${total} photo${total === 1 ? '' : 's'} checked; ${failed} could not be checked (see the table).`,
    );
  } finally {
    state.running = false;
  }
}

function nextQueued() {
  return state.items.find((item) => item.state === 'queued');
}

function fileName(blob) {
  const extension = { 'image/png': 'png', 'image/webp': 'webp', 'image/bmp': 'bmp' }[blob.type] ?? 'jpg';
  return `photo.${extension}`;
}

// ---- the table ------------------------------------------------------------------------------

const VERDICT_SHORT = { live: 'Live', spoof: 'Attack', retry: 'Retry' };

function renderTable() {
  ui.batch.hidden = state.items.length === 0;
  ui.clear.hidden = state.items.length === 0;
  ui.rows.replaceChildren(...state.items.map(rowOf));
  const done = state.items.filter((item) => item.state === 'done');
  const count = (decision) => done.filter((item) => item.result.decision === decision).length;
  ui.summary.textContent = done.length
    ? `${count('live')} live, ${count('spoof')} attack, ${count('retry')} retry` +
      (done.length > 1
        ? `; scores from ${scoreText(Math.min(...done.map((i) => i.result.score)))} to ${scoreText(Math.max(...done.map((i) => i.result.score)))}.`
        : '.')
    : '';
}

function rowOf(item) {
  const row = document.createElement('tr');
  row.dataset.id = String(item.id);
  row.dataset.state = item.state;
  if (item.id === state.selected) row.setAttribute('aria-current', 'true');
  const photoCell = document.createElement('td');
  const button = document.createElement('button');
  button.type = 'button';
  button.className = 'row-select';
  button.setAttribute('aria-label', `Show the result of ${item.name}`);
  if (item.url) {
    const thumb = document.createElement('img');
    thumb.src = item.url;
    thumb.alt = '';
    thumb.className = 'thumb';
    button.append(thumb);
  }
  const name = document.createElement('span');
  name.className = 'row-name';
  name.textContent = item.name;
  button.append(name);
  button.addEventListener('click', () => {
    state.selected = item.id;
    renderTable();
    renderDetail({ scroll: true, focus: true });
  });
  photoCell.append(button);

  const verdict = document.createElement('td');
  const score = document.createElement('td');
  const faces = document.createElement('td');
  const note = document.createElement('td');
  if (item.state === 'done') {
    const { result } = item;
    verdict.textContent = VERDICT_SHORT[result.decision] ?? result.decision;
    verdict.className = `verdict-cell ${result.decision}`;
    row.dataset.verdict = result.decision;
    score.textContent = scoreText(result.score);
    faces.textContent = String((result.faces ?? []).length);
    note.textContent = result.retryHints.length ? result.retryHints.join(' ') : verdictWords(result).title;
  } else if (item.state === 'failed') {
    verdict.textContent = 'Not checked';
    verdict.className = 'verdict-cell failed';
    row.dataset.verdict = 'error';
    row.dataset.code = item.error.code;
    note.textContent = plainError({ code: item.error.code, status: item.error.status, message: item.error.message }).text;
  } else {
    verdict.textContent = item.state === 'checking' ? 'Checking…' : 'Waiting';
  }
  row.append(photoCell, verdict, score, faces, note);
  return row;
}

// ---- the detail view ------------------------------------------------------------------------

function renderDetail({ scroll = false, focus = false } = {}) {
  const item = state.items.find((candidate) => candidate.id === state.selected);
  ui.detail.hidden = !item || item.state === 'queued' || item.state === 'checking';
  if (ui.detail.hidden) return;
  ui.photo.src = item.url;
  ui.photo.alt = `The photo ${item.name}, with the detected faces marked`;
  ui.caption.textContent = `${item.name} · ${item.note}`;
  ui.overlay.replaceChildren();
  ui.error.hidden = item.state !== 'failed';
  ui.verdictPanel.hidden = true;
  ui.explain.hidden = true;
  if (item.state === 'failed') {
    const plain = plainError({ code: item.error.code, status: item.error.status, message: item.error.message });
    ui.errorPlain.textContent = plain.text;
    ui.errorNext.textContent = plain.next;
    ui.errorCode.textContent = item.error.code;
    ui.errorStatus.textContent = item.error.status ? `(HTTP ${item.error.status})` : '';
    ui.errorMessage.textContent = item.error.message;
    ui.error.dataset.code = item.error.code;
  } else {
    showResult(ui, item.result, state.settings);
  }
  ui.detail.dataset.id = String(item.id);
  // On a phone the result lands below the fold: bring the verdict (or the error) up.
  if (focus) ui.detailHeading.focus({ preventScroll: true });
  if (scroll) {
    // After the photo is laid out: on a phone it sits above the verdict and would push it down again.
    const target = item.state === 'failed' ? ui.error : ui.verdictPanel;
    ui.photo
      .decode()
      .catch(() => undefined)
      .then(() => target.scrollIntoView({ block: 'start' }));
  }
}

// ---- camera ---------------------------------------------------------------------------------

const CAMERA_PROBLEMS = {
  NotAllowedError: 'Camera access was denied. Allow the camera in your browser settings, or drop a photo instead.',
  SecurityError: 'Camera access is blocked on this page. Drop or choose a photo instead.',
  NotFoundError: 'No camera was found. Drop or choose a photo instead.',
  OverconstrainedError: 'No camera was found. Drop or choose a photo instead.',
  NotReadableError: 'The camera is in use by another application. Close it and try again, or drop a photo instead.',
  AbortError: 'The camera could not be started. Try again, or drop a photo instead.',
};

function cameraProblem(text) {
  ui.cameraMessage.textContent = text;
  ui.cameraMessage.hidden = false;
  ui.cameraMessage.classList.add('problem');
  setStatus(text);
}

async function startCamera() {
  if (!navigator.mediaDevices || typeof navigator.mediaDevices.getUserMedia !== 'function') {
    cameraProblem(window.isSecureContext ? 'This browser cannot use a camera. Drop or choose a photo instead.' : ui.httpsNote.textContent.trim());
    return;
  }
  ui.cameraStart.disabled = true;
  setStatus('Starting the camera…');
  try {
    state.stream = await navigator.mediaDevices.getUserMedia({ audio: false, video: { facingMode: 'user', width: { ideal: 1280 }, height: { ideal: 960 } } });
  } catch (error) {
    ui.cameraStart.disabled = false;
    cameraProblem(CAMERA_PROBLEMS[error?.name] ?? `The camera could not be started (${error?.name ? error.name : error}). Drop or choose a photo instead.`);
    return;
  }
  ui.video.srcObject = state.stream;
  await ui.video.play().catch(() => undefined);
  ui.viewfinder.hidden = false;
  ui.cameraStart.hidden = true;
  ui.cameraStart.disabled = false;
  ui.cameraShoot.hidden = false;
  ui.cameraStop.hidden = false;
  ui.cameraMessage.hidden = false;
  ui.cameraMessage.classList.remove('problem');
  ui.cameraMessage.textContent = 'Face the camera with your head and shoulders in view, then take the photo.';
  setStatus('Camera on.');
  ui.cameraShoot.focus();
}

function stopCamera() {
  if (state.stream) for (const track of state.stream.getTracks()) track.stop();
  state.stream = null;
  ui.video.srcObject = null;
  ui.viewfinder.hidden = true;
  ui.cameraStart.hidden = false;
  ui.cameraShoot.hidden = true;
  ui.cameraStop.hidden = true;
  ui.cameraMessage.hidden = true;
}

async function shoot() {
  const { video } = ui;
  if (!state.stream || video.videoWidth === 0) {
    cameraProblem('The camera has no picture yet; wait a moment and try again.');
    return;
  }
  const canvas = document.createElement('canvas');
  canvas.width = video.videoWidth;
  canvas.height = video.videoHeight;
  canvas.getContext('2d').drawImage(video, 0, 0);
  const blob = await canvasToJpeg(canvas, (code, message) => new PageError(code, message));
  const stamp = new Date().toTimeString().slice(0, 8);
  await addPhotos([new File([blob], `camera ${stamp}.jpg`, { type: 'image/jpeg' })]);
}

// ---- wiring ---------------------------------------------------------------------------------

function guard(action) {
  return (...args) =>
    Promise.resolve(action(...args)).catch((error) => {
      const plain = plainError({ code: error?.code, status: error?.status, message: error?.message });
      setStatus(`${plain.text} ${plain.next}`);
    });
}

ui.files.addEventListener(
  'change',
  guard(async () => {
    const files = [...(ui.files.files ?? [])];
    ui.files.value = '';
    await addPhotos(files);
  }),
);

for (const type of ['dragenter', 'dragover']) {
  ui.drop.addEventListener(type, (event) => {
    event.preventDefault();
    ui.drop.classList.add('dragging');
  });
}
ui.drop.addEventListener('dragleave', () => ui.drop.classList.remove('dragging'));
ui.drop.addEventListener(
  'drop',
  guard(async (event) => {
    event.preventDefault();
    ui.drop.classList.remove('dragging');
    await addPhotos(event.dataTransfer ? event.dataTransfer.files : []);
  }),
);
// A photo dropped next to the zone would otherwise make the browser navigate away to it.
for (const type of ['dragover', 'drop']) document.addEventListener(type, (event) => event.preventDefault());

document.addEventListener(
  'paste',
  guard(async (event) => {
    const files = [...(event.clipboardData ? event.clipboardData.items : [])]
      .filter((entry) => entry.kind === 'file' && entry.type.startsWith('image/'))
      .map((entry) => entry.getAsFile())
      .filter(Boolean);
    if (files.length === 0) return;
    event.preventDefault();
    await addPhotos(
      files.map(
        (file, i) =>
          new File([file], file.name && file.name !== 'image.png' ? file.name : `pasted ${i + 1}.${file.type.split('/')[1] || 'png'}`, { type: file.type }),
      ),
    );
  }),
);

ui.cameraStart.addEventListener('click', guard(startCamera));
ui.cameraStop.addEventListener('click', () => stopCamera());
ui.cameraShoot.addEventListener('click', guard(shoot));
ui.clear.addEventListener('click', () => {
  if (state.running) return;
  for (const item of state.items) if (item.url) URL.revokeObjectURL(item.url);
  state.items = [];
  state.selected = null;
  renderTable();
  renderDetail();
  setStatus('Cleared. Drop, paste or choose photos.');
  ui.files.focus();
});
window.addEventListener('pagehide', () => stopCamera());

// Browsers offer the camera only to secure pages (https, or http on localhost): say so up front.
if (!window.isSecureContext) {
  ui.httpsNote.hidden = false;
  ui.cameraStart.disabled = true;
}

// The settings (threshold, ladder) are fetched up front so a failure shows before any photo.
settings().then(
  () => undefined,
  (error) => {
    const plain = plainError({ code: error.code, status: error.status, message: error.message });
    setStatus(`${plain.text} ${plain.next}`);
  },
);
document.documentElement.dataset.ready = 'true';
