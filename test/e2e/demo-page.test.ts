/**
 * The demo page in a real browser: Debian's Chromium, driven by playwright-core, against a
 * listening facelive (127.0.0.1, port 0) with the demo on, the shipped calibration and no native
 * API key in the page. The live and spoof samples are dropped on the page together; each row and
 * the detail view must show the verdict the native API gives for the same bytes (live for the
 * live sample, spoof for the spoof one), and the face box must be drawn where the API says: the
 * overlay's rectangle is read back from the page, in image pixels and on screen. A photo pasted
 * at 390x844 shows its verdict in view; a flat grey photo made here (no face) shows its error in
 * plain words. Screenshots at both viewports go to test-artifacts/, and the test reads box,
 * verdict, ladder and signals back from the DOM.
 *
 * Also here, without a browser: the routes (page, settings, token) and what a demo token may do.
 * Chromium is a system package (`apt-get install -y chromium`); without it this suite fails.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { JSHandle, Page } from 'playwright-core';
import sharp from 'sharp';
import { startServer, type RunningServer } from '../../src/server-lifecycle.js';
import { CHROMIUM_PATH, launchChromium, type ChromiumSession } from '../helpers/chromium.js';
import { API_KEY, captureLogs, httpConfig, testServer } from '../helpers/http-server.js';
import { REPO_ROOT, SAMPLES_DIR } from '../helpers/paths.js';

const ARTIFACTS_DIR = path.join(REPO_ROOT, 'test-artifacts');
const DESKTOP = { width: 1280, height: 800 };
const PHONE = { width: 390, height: 844 };

interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

interface NativeResult {
  decision: 'live' | 'spoof' | 'retry';
  score: number;
  threshold: number;
  faces: { box: Box; landmarks: number[][] }[];
  models: { modelId: string; liveProbability: number }[];
  quality: Record<string, number | boolean>;
  image: { width: number; height: number };
  retryHints: string[];
}

interface Settings {
  threshold: number;
  ladder: { score100: number; apcer: { value: number } | null; bpcer: { value: number } | null }[];
}

interface Browser extends ChromiumSession {
  readonly foreignRequests: string[];
}

async function openBrowser(baseUrl: string, viewport: { width: number; height: number }, extraArgs: string[] = []): Promise<Browser> {
  const session = await launchChromium({ viewport, extraArgs });
  const origin = new URL(baseUrl).origin;
  const foreignRequests: string[] = [];
  session.page.on('request', (request) => {
    const url = request.url();
    if (!url.startsWith(origin) && !url.startsWith('blob:') && !url.startsWith('data:')) foreignRequests.push(url);
  });
  return { ...session, foreignRequests };
}

/** Polls an expression in the page (strings: the test's tsconfig has no DOM types, and the CSP forbids waitForFunction's eval). */
async function waitUntil(page: Page, expression: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await page.evaluate(expression))) {
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${expression}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Page code that builds a DataTransfer holding these JPEG files, as a drop or a paste carries them. */
function transferSource(files: readonly { name: string; bytes: Buffer }[]): string {
  const encoded = JSON.stringify(files.map(({ name, bytes }) => ({ name, b64: bytes.toString('base64') })));
  return `(() => {
    const transfer = new DataTransfer();
    for (const file of ${encoded}) {
      const bytes = Uint8Array.from(atob(file.b64), (c) => c.charCodeAt(0));
      transfer.items.add(new File([bytes], file.name, { type: 'image/jpeg' }));
    }
    return transfer;
  })()`;
}

/** A DataTransfer in the page, for a drop event. */
function dataTransfer(page: Page, files: readonly { name: string; bytes: Buffer }[]): Promise<JSHandle> {
  return page.evaluateHandle(transferSource(files));
}

/** Pastes files on the page, as Ctrl+V with photos on the clipboard does. */
async function pasteFiles(page: Page, files: readonly { name: string; bytes: Buffer }[]): Promise<void> {
  await page.evaluate(`document.dispatchEvent(new ClipboardEvent('paste', { clipboardData: ${transferSource(files)}, bubbles: true, cancelable: true }))`);
}

/** Rows that are finished (checked or failed). */
const FINISHED_ROWS = `document.querySelectorAll('#batch-rows tr[data-state="done"], #batch-rows tr[data-state="failed"]').length`;

/** An expression: whether the element lies wholly inside the viewport. */
const IN_VIEW = (selector: string) =>
  `(() => { const r = document.querySelector(${JSON.stringify(selector)}).getBoundingClientRect(); return r.top >= 0 && r.bottom <= window.innerHeight && r.height > 0; })()`;

/** What the detail view shows, read from the DOM. */
interface Shown {
  verdict: string;
  verdictText: string;
  score: number;
  boxes: Box[];
  landmarkCounts: number[];
  primaryIndex: number;
  /** The primary box on screen, and where the API's box lands on the displayed photo. */
  screenBox: Box;
  photoRect: Box;
  ladder: { step: number; text: string; current: boolean }[];
  signals: { signal: string; state: string; text: string }[];
  models: string[];
  stages: string[];
}

async function readDetail(page: Page): Promise<Shown> {
  return (await page.evaluate(`(() => {
    const rect = (r) => ({ x: r.left, y: r.top, width: r.width, height: r.height });
    const faces = [...document.querySelectorAll('#overlay g.face')];
    const boxes = faces.map((g) => { const b = g.querySelector('rect.face-box'); return { x: +b.getAttribute('x'), y: +b.getAttribute('y'), width: +b.getAttribute('width'), height: +b.getAttribute('height') }; });
    const primary = document.querySelector('#overlay g.face.primary rect.face-box');
    return {
      verdict: document.getElementById('verdict').dataset.verdict,
      verdictText: document.getElementById('verdict').textContent,
      score: Number(document.getElementById('gauge').dataset.score),
      boxes,
      landmarkCounts: faces.map((g) => g.querySelectorAll('circle.landmark').length),
      primaryIndex: faces.findIndex((g) => g.classList.contains('primary')),
      screenBox: rect(primary.getBoundingClientRect()),
      photoRect: rect(document.getElementById('photo').getBoundingClientRect()),
      ladder: [...document.querySelectorAll('#ladder li')].map((li) => ({ step: Number(li.dataset.step), text: li.textContent, current: li.classList.contains('current') })),
      signals: [...document.querySelectorAll('#signals .chip')].map((chip) => ({ signal: chip.dataset.signal, state: chip.dataset.state, text: chip.textContent })),
      models: [...document.querySelectorAll('#models tr')].map((tr) => tr.dataset.model),
      stages: [...document.querySelectorAll('#timings tr')].map((tr) => tr.dataset.stage),
    };
  })()`)) as Shown;
}

/** The checks every shown result must pass against the API's answer for the same photo. */
function assertShows(shown: Shown, api: NativeResult, settings: Settings, what: string): void {
  assert.equal(shown.verdict, api.decision, `${what}: verdict`);
  assert.equal(shown.score, api.score, `${what}: score on the gauge`);
  assert.equal(shown.boxes.length, api.faces.length, `${what}: one box per face`);
  shown.boxes.forEach((box, i) => {
    for (const key of ['x', 'y', 'width', 'height'] as const) assert.ok(Math.abs(box[key] - api.faces[i].box[key]) < 1e-6, `${what}: face ${i} ${key}`);
  });
  assert.deepEqual(
    shown.landmarkCounts,
    api.faces.map(() => 5),
    `${what}: five landmarks per face`,
  );
  assert.equal(shown.primaryIndex, 0, `${what}: faces[0] is marked primary`);
  // On screen: the API's box scaled onto the displayed photo (1.5 px for the stroke's rounding).
  const scaleX = shown.photoRect.width / api.image.width;
  const scaleY = shown.photoRect.height / api.image.height;
  const box = api.faces[0].box;
  const expected = { x: shown.photoRect.x + box.x * scaleX, y: shown.photoRect.y + box.y * scaleY, width: box.width * scaleX, height: box.height * scaleY };
  const stroke = 4;
  assert.ok(Math.abs(shown.screenBox.x + stroke / 2 - expected.x) <= stroke, `${what}: box left on screen ${shown.screenBox.x} vs ${expected.x}`);
  assert.ok(Math.abs(shown.screenBox.y + stroke / 2 - expected.y) <= stroke, `${what}: box top on screen ${shown.screenBox.y} vs ${expected.y}`);
  assert.ok(
    Math.abs(shown.screenBox.width - stroke - expected.width) <= stroke * 1.5,
    `${what}: box width on screen ${shown.screenBox.width} vs ${expected.width}`,
  );
  assert.ok(Math.abs(shown.screenBox.height - stroke - expected.height) <= stroke * 1.5, `${what}: box height on screen`);
  // The ladder, with the calibration's figures and the server's threshold marked.
  assert.deepEqual(
    shown.ladder.map((step) => step.step),
    [5, 10, 40, 70, 90],
    `${what}: ladder`,
  );
  assert.deepEqual(
    shown.ladder.filter((step) => step.current).map((step) => step.step),
    [settings.threshold],
  );
  for (const [i, step] of settings.ladder.entries()) {
    assert.ok(step.apcer && step.bpcer, 'the shipped calibration has figures for every step');
    assert.ok(shown.ladder[i].text.includes(percentOf(step.apcer.value)), `${what}: step ${step.score100} states its APCER ${percentOf(step.apcer.value)}`);
    assert.ok(shown.ladder[i].text.includes(percentOf(step.bpcer.value)), `${what}: step ${step.score100} states its BPCER`);
    assert.match(shown.ladder[i].text, api.score >= step.score100 ? /passes here/ : /refused here/);
  }
  // Signals: every one shown; a flag the API raised is highlighted.
  assert.deepEqual(
    shown.signals.map((chip) => chip.signal),
    ['faceSize', 'context', 'light', 'sharpness', 'pose', 'colour', 'faces'],
  );
  const state = (signal: string) => shown.signals.find((chip) => chip.signal === signal)?.state;
  assert.equal(state('context'), api.quality.insufficientContext ? 'bad' : api.quality.faceCutOff ? 'warn' : 'ok', `${what}: context chip`);
  assert.equal(state('colour'), api.quality.monochrome ? 'bad' : 'ok');
  assert.equal(state('light'), api.quality.dark || api.quality.overexposed ? 'warn' : 'ok');
  assert.equal(state('sharpness'), api.quality.blurry ? 'warn' : 'ok');
  assert.ok(shown.signals.find((chip) => chip.signal === 'faceSize')?.text.includes(`${Math.round(Number(api.quality.faceSizePx))} px`));
  assert.deepEqual(
    shown.models,
    api.models.map((model) => model.modelId),
    `${what}: one row per model`,
  );
  assert.deepEqual(shown.stages, ['decodeMs', 'detectMs', 'qualityMs', 'cropMs', 'classifyMs', 'totalMs']);
}

/** As the page words a fraction. */
function percentOf(fraction: number): string {
  const value = fraction * 100;
  return `${value >= 10 || Number.isInteger(value) ? Math.round(value) : value.toFixed(1)}%`;
}

test('Debian Chromium is installed (the browser suite below needs it)', () => {
  assert.ok(existsSync(CHROMIUM_PATH), `Chromium not found at ${CHROMIUM_PATH}: install it with \`apt-get install -y chromium\` (Debian; .ci/run does)`);
});

describe('demo page (Chromium)', () => {
  let running: RunningServer;
  let baseUrl: string;
  let settings: Settings;
  const live = readFileSync(path.join(SAMPLES_DIR, 'image_T1.jpg'));
  const spoof = readFileSync(path.join(SAMPLES_DIR, 'image_F1.jpg'));
  let noFace: Buffer;

  /** What the native API answers for these bytes, with a demo token as the page uses it. */
  async function apiCheck(bytes: Buffer): Promise<{ status: number; body: NativeResult & { error?: { code: string } } }> {
    const { token } = (await (await fetch(`${baseUrl}/demo/token`)).json()) as { token: string };
    const form = new FormData();
    form.append('image', new Blob([bytes], { type: 'image/jpeg' }), 'photo.jpg');
    const response = await fetch(`${baseUrl}/v1/liveness`, { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: form });
    return { status: response.status, body: (await response.json()) as NativeResult & { error?: { code: string } } };
  }

  before(async () => {
    if (!existsSync(CHROMIUM_PATH)) assert.fail(`Chromium not found at ${CHROMIUM_PATH}: install it with \`apt-get install -y chromium\``);
    mkdirSync(ARTIFACTS_DIR, { recursive: true });
    noFace = await sharp({ create: { width: 640, height: 480, channels: 3, background: { r: 128, g: 128, b: 128 } } })
      .jpeg()
      .toBuffer();
    // The shipped calibration, as a deployment runs it: the ladder figures are that fit's.
    const config = httpConfig({ runtime: { workers: 1 }, calibration: { enabled: true }, server: { port: 0, host: '127.0.0.1', demo: { enabled: true } } });
    running = await startServer(config, { logger: captureLogs().logger });
    await running.ready;
    baseUrl = running.url;
    settings = (await (await fetch(`${baseUrl}/demo/settings`)).json()) as Settings;
  });
  after(async () => {
    await running?.shutdown('test end');
  });

  test('the page and its assets are served with a strict CSP and reference nothing outside facelive', async () => {
    const page = await fetch(`${baseUrl}/demo`);
    assert.equal(page.status, 200);
    assert.match(page.headers.get('content-security-policy') ?? '', /default-src 'none'.*connect-src 'self'/);
    const html = await page.text();
    const references = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((match) => match[1]);
    assert.deepEqual(references.sort(), ['data:,', 'demo/demo.css', 'demo/demo.js']);
    for (const asset of ['demo/demo.js', 'demo/view.js', 'demo/plain-errors.js', 'demo/demo.css']) {
      const response = await fetch(`${baseUrl}/${asset}`);
      assert.equal(response.status, 200, asset);
      assert.match(response.headers.get('content-type') ?? '', asset.endsWith('.css') ? /^text\/css/ : /^text\/javascript/);
      // The SVG namespace is a name, not a location.
      const text = (await response.text()).replaceAll("'http://www.w3.org/2000/svg'", "'svg-namespace'");
      assert.doesNotMatch(text, /(?:https?:)?\/\/[a-z0-9-]+(?:\.[a-z0-9-]+)+|@import/i, `${asset} loads nothing from elsewhere`);
    }
  });

  test("settings: the threshold and the ladder with the shipped calibration's APCER/BPCER", async () => {
    const shipped = JSON.parse(readFileSync(path.join(REPO_ROOT, 'calibration/default.json'), 'utf8')) as {
      fits: { name: string; ladder: { score100: number; calibration: { apcer: { value: number }; bpcer: { value: number } } }[] }[];
    };
    const fit = shipped.fits.find((candidate) => candidate.name === 'pair');
    assert.ok(fit);
    assert.equal(settings.threshold, 40);
    assert.deepEqual(
      settings.ladder.map((step) => [step.score100, step.apcer?.value, step.bpcer?.value]),
      fit.ladder.map((point) => [point.score100, point.calibration.apcer.value, point.calibration.bpcer.value]),
    );
  });

  test('live and spoof samples dropped together: the verdicts the API gives, boxes where it says (1280x800)', async () => {
    const [liveApi, spoofApi] = [await apiCheck(live), await apiCheck(spoof)];
    assert.equal(liveApi.status, 200);
    assert.equal(spoofApi.status, 200);
    assert.equal(liveApi.body.decision, 'live', `the live sample is live (score ${liveApi.body.score})`);
    assert.equal(spoofApi.body.decision, 'spoof', `the spoof sample is spoof (score ${spoofApi.body.score})`);

    const browser = await openBrowser(baseUrl, DESKTOP);
    try {
      const { page } = browser;
      await page.goto(`${baseUrl}/demo`);
      await page.waitForSelector('html[data-ready="true"]');
      const transfer = await dataTransfer(page, [
        { name: 'image_T1.jpg', bytes: live },
        { name: 'image_F1.jpg', bytes: spoof },
      ]);
      await page.locator('#drop').dispatchEvent('drop', { dataTransfer: transfer });
      await waitUntil(page, `${FINISHED_ROWS} === 2`);
      const rows = (await page.evaluate(
        `[...document.querySelectorAll('#batch-rows tr')].map((tr) => ({ verdict: tr.dataset.verdict, name: tr.querySelector('.row-name').textContent, thumb: !!tr.querySelector('img.thumb'), score: tr.children[2].textContent }))`,
      )) as { verdict: string; name: string; thumb: boolean; score: string }[];
      assert.deepEqual(
        rows.map((row) => [row.name, row.verdict, row.thumb]),
        [
          ['image_T1.jpg', 'live', true],
          ['image_F1.jpg', 'spoof', true],
        ],
      );
      assert.equal(rows[0].score, (Math.round(liveApi.body.score * 10) / 10).toFixed(1));
      assert.match(await page.locator('#batch-summary').innerText(), /1 live, 1 attack, 0 retry/);

      // The first photo is selected: its detail, then the second's after a click on its row.
      await page.locator('#verdict-panel:not([hidden])').waitFor();
      const liveShown = await readDetail(page);
      assertShows(liveShown, liveApi.body, settings, 'live sample');
      assert.equal(liveShown.verdictText, 'Live person');
      await page.screenshot({ path: path.join(ARTIFACTS_DIR, 'demo-page-1280x800.png'), fullPage: true });
      await page.screenshot({ path: path.join(ARTIFACTS_DIR, 'demo-page-1280x800-viewport.png') });

      await page.getByRole('button', { name: 'Show the result of image_F1.jpg' }).click();
      await waitUntil(page, `document.getElementById('verdict').dataset.verdict === 'spoof'`);
      const spoofShown = await readDetail(page);
      assertShows(spoofShown, spoofApi.body, settings, 'spoof sample');
      assert.match(spoofShown.verdictText, /Not a live person/);
      await waitUntil(page, IN_VIEW('#verdict'), 5_000); // the verdict is scrolled into view
      assert.deepEqual(browser.foreignRequests, []);
      assert.deepEqual(browser.pageErrors, []);
    } finally {
      await browser.close();
    }
  });

  test('two people in one photo: both boxes drawn where the API says, the larger one marked primary', async () => {
    // The live and spoof samples side by side, upright and at one height (made here with sharp).
    const height = 640;
    const [left, right] = await Promise.all(
      [live, spoof].map((bytes) => sharp(bytes).rotate().resize({ height }).jpeg({ quality: 95 }).toBuffer({ resolveWithObject: true })),
    );
    const pair = await sharp({ create: { width: left.info.width + right.info.width, height, channels: 3, background: { r: 90, g: 90, b: 90 } } })
      .composite([
        { input: left.data, left: 0, top: 0 },
        { input: right.data, left: left.info.width, top: 0 },
      ])
      .jpeg({ quality: 95 })
      .toBuffer();
    const api = await apiCheck(pair);
    assert.equal(api.status, 200);
    assert.equal(api.body.faces.length, 2, 'the detector finds both faces');
    const browser = await openBrowser(baseUrl, DESKTOP);
    try {
      const { page } = browser;
      await page.goto(`${baseUrl}/demo`);
      await page.waitForSelector('html[data-ready="true"]');
      await page.getByLabel('Choose photos').setInputFiles({ name: 'two-people.jpg', mimeType: 'image/jpeg', buffer: pair });
      await waitUntil(page, `${FINISHED_ROWS} === 1`);
      await page.locator('#verdict-panel:not([hidden])').waitFor();
      const shown = await readDetail(page);
      assertShows(shown, api.body, settings, 'two faces');
      assert.equal(await page.locator('#overlay g.face.secondary text').textContent(), 'face 2');
      assert.equal(await page.locator('#batch-rows tr td').nth(3).innerText(), '2', 'the row counts both faces');
      assert.match(await page.locator('#faces-note').innerText(), /2 faces found; the largest is the primary face/);
      await page.screenshot({ path: path.join(ARTIFACTS_DIR, 'demo-page-two-faces-1280x800.png'), fullPage: true });
    } finally {
      await browser.close();
    }
  });

  test('a photo pasted on a 390x844 phone: verdict in view, nothing wider than the screen, reachable by keyboard', async () => {
    const liveApi = await apiCheck(live);
    const browser = await openBrowser(baseUrl, PHONE);
    try {
      const { page } = browser;
      await page.goto(`${baseUrl}/demo`);
      await page.waitForSelector('html[data-ready="true"]');
      // Keyboard: the first Tab stops are the file picker and the camera button.
      await page.keyboard.press('Tab');
      assert.equal(await page.evaluate('document.activeElement.id'), 'files');
      await page.keyboard.press('Tab');
      assert.equal(await page.evaluate('document.activeElement.id'), 'camera-start');

      await pasteFiles(page, [{ name: 'selfie.jpg', bytes: live }]);
      await waitUntil(page, `${FINISHED_ROWS} === 1`);
      await page.locator('#verdict-panel:not([hidden])').waitFor();
      const shown = await readDetail(page);
      assertShows(shown, liveApi.body, settings, 'pasted live sample');
      await waitUntil(page, IN_VIEW('#verdict'), 5_000); // the verdict is scrolled into view on the phone
      assert.ok(await page.evaluate('document.documentElement.scrollWidth <= window.innerWidth'), 'no horizontal scrolling at 390 px');
      await page.screenshot({ path: path.join(ARTIFACTS_DIR, 'demo-page-390x844.png'), fullPage: true });
      await page.screenshot({ path: path.join(ARTIFACTS_DIR, 'demo-page-390x844-viewport.png') });

      // The row's button works from the keyboard.
      await page.getByRole('button', { name: 'Show the result of selfie.jpg' }).focus();
      await page.keyboard.press('Enter');
      assert.equal(await page.evaluate('document.activeElement.id'), 'detail-heading', 'Enter on a row moves focus to its result');
      assert.deepEqual(browser.foreignRequests, []);
      assert.deepEqual(browser.pageErrors, []);
    } finally {
      await browser.close();
    }
  });

  test('a photo without a face shows the error in plain words, with what to do', async () => {
    const api = await apiCheck(noFace);
    assert.equal(api.status, 422);
    assert.equal(api.body.error?.code, 'FACE_NOT_FOUND');
    const browser = await openBrowser(baseUrl, PHONE);
    try {
      const { page } = browser;
      await page.goto(`${baseUrl}/demo`);
      await page.waitForSelector('html[data-ready="true"]');
      await page.getByLabel('Choose photos').setInputFiles({ name: 'grey.jpg', mimeType: 'image/jpeg', buffer: noFace });
      await waitUntil(page, `${FINISHED_ROWS} === 1`);
      await page.locator('#error:not([hidden])').waitFor();
      assert.equal(await page.locator('#batch-rows tr').getAttribute('data-code'), 'FACE_NOT_FOUND');
      assert.equal(await page.locator('#error-plain').innerText(), 'No face was found in the photo.');
      assert.match(await page.locator('#error-next').innerText(), /whole face/);
      assert.equal((await page.locator('#error-code').textContent())?.trim(), 'FACE_NOT_FOUND');
      assert.equal(await page.locator('#verdict-panel').isHidden(), true, 'no verdict for a photo that could not be checked');
      await waitUntil(page, IN_VIEW('#error-plain'), 5_000); // the error is in view
      await page.screenshot({ path: path.join(ARTIFACTS_DIR, 'demo-page-no-face-390x844.png'), fullPage: true });
      assert.deepEqual(browser.foreignRequests, []);
    } finally {
      await browser.close();
    }
  });

  test("camera: Chromium's fake camera takes a photo (no face in its test pattern); over plain http the page says the camera needs https", async () => {
    const withCamera = await openBrowser(baseUrl, DESKTOP, ['--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream']);
    try {
      const { page } = withCamera;
      await page.goto(`${baseUrl}/demo`);
      await page.waitForSelector('html[data-ready="true"]');
      assert.equal(await page.locator('#camera-https-note').isVisible(), false);
      await page.getByRole('button', { name: 'Use camera' }).click();
      await page.locator('#viewfinder:not([hidden])').waitFor();
      await waitUntil(page, "document.getElementById('video').videoWidth > 0");
      await page.getByRole('button', { name: 'Take photo' }).click();
      await waitUntil(page, `${FINISHED_ROWS} === 1`);
      assert.equal(await page.locator('#batch-rows tr').getAttribute('data-code'), 'FACE_NOT_FOUND');
      assert.match(await page.locator('#batch-rows .row-name').innerText(), /^camera /);
      await page.getByRole('button', { name: 'Stop camera' }).click();
      assert.equal(await page.locator('#viewfinder').isHidden(), true);
      assert.deepEqual(withCamera.foreignRequests, []);
    } finally {
      await withCamera.close();
    }

    const insecure = await openBrowser(baseUrl, PHONE, ['--host-resolver-rules=MAP facelive.test 127.0.0.1']);
    try {
      const { page } = insecure;
      await page.goto(`${baseUrl.replace('127.0.0.1', 'facelive.test')}/demo`);
      await page.waitForSelector('html[data-ready="true"]');
      assert.equal(await page.evaluate('window.isSecureContext'), false);
      assert.equal(await page.locator('#camera-https-note').isVisible(), true);
      assert.equal(await page.locator('#camera-start').isDisabled(), true);
    } finally {
      await insecure.close();
    }
  });
});

describe('demo routes and tokens (no browser)', () => {
  test('off by default: /demo, /demo/settings and /demo/token answer 404, and a demo-looking token is just a wrong key', async () => {
    const { app } = await testServer(httpConfig(), new Promise(() => undefined));
    try {
      for (const url of ['/demo', '/demo/settings', '/demo/token', '/demo/demo.js', '/demo/plain-errors.js']) {
        assert.equal((await app.inject({ method: 'GET', url })).statusCode, 404, url);
      }
      const response = await app.inject({
        method: 'POST',
        url: '/v1/liveness',
        headers: { authorization: 'Bearer fldemo.abc.def' },
        payload: { image: 'AAAA' },
      });
      assert.equal(response.statusCode, 401);
      assert.equal(response.json().error.code, 'AUTH_CREDENTIAL_INVALID');
    } finally {
      await app.close();
    }
  });

  test('a demo token opens POST /v1/liveness only, until it expires; forged ones are refused', async () => {
    let clock = Date.now();
    // No native API key at all: the demo works on its own tokens.
    const config = httpConfig({ server: { demo: { enabled: true, tokenPeriodSeconds: 60 } } }, {});
    const { app } = await testServer(config, new Promise(() => undefined), { now: () => clock });
    try {
      const issued = await app.inject({ method: 'GET', url: '/demo/token' });
      assert.equal(issued.statusCode, 200);
      assert.equal(issued.headers['cache-control'], 'no-store');
      const { token, expiresAt } = issued.json() as { token: string; expiresAt: number };
      assert.equal(expiresAt, clock + 60_000);
      const check = (authorization: string) => app.inject({ method: 'POST', url: '/v1/liveness', headers: { authorization }, payload: { image: 'AAAA' } });
      // Past authentication, the engine (never ready here) answers: the token was accepted.
      const accepted = await check(`Bearer ${token}`);
      assert.equal(accepted.json().error.code, 'SERVER_NOT_READY', accepted.body);
      const models = await app.inject({ method: 'GET', url: '/v1/models', headers: { authorization: `Bearer ${token}` } });
      assert.equal(models.statusCode, 401, 'not a key for /v1/models');
      const forged = await check(`Bearer ${token.slice(0, -3)}xyz`);
      assert.equal(forged.statusCode, 401);
      assert.equal(forged.json().error.code, 'AUTH_CREDENTIAL_INVALID');
      assert.match(forged.json().error.message, /demo token/);
      clock += 60_000;
      const expired = await check(`Bearer ${token}`);
      assert.equal(expired.statusCode, 401);
      assert.equal(expired.json().error.code, 'AUTH_CREDENTIAL_EXPIRED');
    } finally {
      await app.close();
    }
  });

  test('API keys keep working beside demo tokens', async () => {
    const { app } = await testServer(httpConfig({ server: { demo: { enabled: true } } }), new Promise(() => undefined));
    try {
      const response = await app.inject({ method: 'POST', url: '/v1/liveness', headers: { authorization: `Bearer ${API_KEY}` }, payload: { image: 'AAAA' } });
      assert.equal(response.json().error.code, 'SERVER_NOT_READY');
      const wrong = await app.inject({
        method: 'POST',
        url: '/v1/liveness',
        headers: { authorization: 'Bearer not-a-key-0123456789abcdef' },
        payload: { image: 'AAAA' },
      });
      assert.equal(wrong.json().error.code, 'AUTH_CREDENTIAL_INVALID');
    } finally {
      await app.close();
    }
  });
});
