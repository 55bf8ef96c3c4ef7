/**
 * The capture page in a real browser: Debian's Chromium, driven by playwright-core, against a
 * listening facelive (127.0.0.1, port 0) with an ADVANCE.AI credential, the capture page enabled
 * and a temporary result store. A far/near pair goes through the file inputs (the live sample made
 * upright, and a tighter crop of it around the face, both made here with sharp), the page submits
 * them and shows the livenessId and verdict, which must equal what the detection-result API
 * answers for that id. Chromium's fake camera drives the camera path (its test pattern has no
 * face, so the page must show the vendor error). Errors read in plain words with what to do next
 * (the vendor code and message kept in a details box), the verdict and errors are scrolled into
 * view, and a page opened over plain http from a non-local name says that the camera needs
 * https. Screenshots go to test-artifacts/.
 *
 * Chromium is a system package (`apt-get install -y chromium`); without it this suite fails.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import sharp from 'sharp';
import { captureAccessKey } from '../../src/api/capture/routes.js';
import { FaceliveError } from '../../src/errors/catalogue.js';
import { startServer, type RunningServer } from '../../src/server-lifecycle.js';
import { CHROMIUM_PATH, launchChromium, type ChromiumSession } from '../helpers/chromium.js';
import { ADVANCE_ACCESS_KEY, captureLogs, httpConfig, testServer } from '../helpers/http-server.js';
import { REPO_ROOT, SAMPLES_DIR } from '../helpers/paths.js';

const ARTIFACTS_DIR = path.join(REPO_ROOT, 'test-artifacts');

/** A Chromium session that also records the requests the page made to other origins (must stay empty). */
interface Browser extends ChromiumSession {
  readonly foreignRequests: string[];
}

/** A fresh Chromium profile; `extraArgs` e.g. a fake camera. */
async function openBrowser(baseUrl: string, extraArgs: string[] = [], viewport = { width: 1000, height: 900 }): Promise<Browser> {
  const session = await launchChromium({ extraArgs, viewport });
  const origin = new URL(baseUrl).origin;
  const foreignRequests: string[] = [];
  session.page.on('request', (request) => {
    const url = request.url();
    if (!url.startsWith(origin) && !url.startsWith('blob:') && !url.startsWith('data:')) foreignRequests.push(url);
  });
  return { ...session, foreignRequests };
}

/** The far photo (the live sample, upright) and a near one: a tighter crop around its face, at the same size. */
async function farNearPair(): Promise<{ far: Buffer; near: Buffer }> {
  const source = readFileSync(path.join(SAMPLES_DIR, 'image_T1.jpg'));
  const upright = await sharp(source).rotate().toBuffer({ resolveWithObject: true });
  const { width, height } = upright.info;
  // The face box of the upright sample, from the pack's reference outputs.
  const expected = JSON.parse(readFileSync(path.join(SAMPLES_DIR, 'expected.json'), 'utf8'));
  const [x, y, w, h] = expected.images['image_T1.jpg'].yunet_s.faces[0].box_xywh as number[];
  // Crop so that the face spans ~57% of the width (under the 70% the engine needs for context),
  // centred on the face, same aspect as the original; scaled back up the face is ~1.6x larger.
  const cropWidth = Math.round(w / 0.57);
  const cropHeight = Math.round((cropWidth * height) / width);
  const left = Math.max(0, Math.min(width - cropWidth, Math.round(x + w / 2 - cropWidth / 2)));
  const top = Math.max(0, Math.min(height - cropHeight, Math.round(y + h / 2 - cropHeight / 2)));
  const far = await sharp(upright.data).jpeg({ quality: 95 }).toBuffer();
  const near = await sharp(upright.data)
    .extract({ left, top, width: cropWidth, height: cropHeight })
    .resize({ width, height, kernel: 'lanczos3' })
    .jpeg({ quality: 95 })
    .toBuffer();
  return { far, near };
}

/** Waits until the page shows a result or an error and returns which. */
async function outcomeOf(page: Page): Promise<'result' | 'error'> {
  await page.locator('#error:not([hidden]), #result:not([hidden])').first().waitFor({ timeout: 60_000 });
  return (await page.locator('#error').isVisible()) ? 'error' : 'result';
}

/**
 * Polls an expression in the page. Expressions are strings (the test's tsconfig has no DOM
 * types); page.waitForFunction would eval them inside the page, which its CSP forbids.
 */
async function waitUntil(page: Page, expression: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await page.evaluate(expression))) {
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${expression}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** An expression: whether the element with this id lies wholly inside the viewport. */
const IN_VIEW = (id: string) =>
  `(() => { const r = document.getElementById(${JSON.stringify(id)}).getBoundingClientRect(); return r.top >= 0 && r.bottom <= window.innerHeight && r.height > 0; })()`;

async function errorText(page: Page): Promise<string> {
  return (await page.locator('#error').innerText()).replace(/\s+/g, ' ').trim();
}

test('Debian Chromium is installed (the browser suite below needs it)', () => {
  assert.ok(existsSync(CHROMIUM_PATH), `Chromium not found at ${CHROMIUM_PATH}: install it with \`apt-get install -y chromium\` (Debian; .ci/run does)`);
});

describe('capture page (Chromium)', () => {
  let running: RunningServer;
  let baseUrl: string;
  let pair: { far: Buffer; near: Buffer };

  before(async () => {
    if (!existsSync(CHROMIUM_PATH)) {
      assert.fail(
        `Chromium not found at ${CHROMIUM_PATH}: install it with \`apt-get install -y chromium\` (Debian; .ci/run does). The capture page test needs a real browser.`,
      );
    }
    mkdirSync(ARTIFACTS_DIR, { recursive: true });
    pair = await farNearPair();
    // httpConfig gives the result store a fresh temporary dataDir.
    const config = httpConfig({
      runtime: { workers: 1 },
      server: { port: 0, host: '127.0.0.1', capture: { enabled: true, accessKey: ADVANCE_ACCESS_KEY } },
    });
    running = await startServer(config, { logger: captureLogs().logger });
    await running.ready;
    baseUrl = running.url;
  });
  after(async () => {
    await running?.shutdown('test end');
  });

  test('the page and its assets are served with a strict CSP and reference nothing outside facelive', async () => {
    const page = await fetch(`${baseUrl}/capture`);
    assert.equal(page.status, 200);
    assert.match(page.headers.get('content-type') ?? '', /^text\/html/);
    assert.match(page.headers.get('content-security-policy') ?? '', /default-src 'none'.*connect-src 'self'/);
    const html = await page.text();
    // Relative references only (the empty `data:,` favicon keeps browsers from asking for /favicon.ico).
    const references = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((match) => match[1]);
    assert.deepEqual(references.sort(), ['capture/capture.css', 'capture/capture.js', 'data:,']);
    for (const [asset, type] of [
      ['capture/capture.js', /^text\/javascript/],
      ['capture/plain-errors.js', /^text\/javascript/],
      ['capture/capture.css', /^text\/css/],
    ] as const) {
      const response = await fetch(`${baseUrl}/${asset}`);
      assert.equal(response.status, 200, asset);
      assert.match(response.headers.get('content-type') ?? '', type);
      // No absolute URL to another host (the browser tests also watch every request the page makes).
      assert.doesNotMatch(await response.text(), /(?:https?:)?\/\/[a-z0-9-]+(?:\.[a-z0-9-]+)+|@import/i, `${asset} loads nothing from elsewhere`);
    }
    const token = await fetch(`${baseUrl}/capture/token`);
    assert.equal(token.status, 200);
    assert.equal(token.headers.get('cache-control'), 'no-store');
    const issued = (await token.json()) as { token: string; expiredTime: number };
    assert.equal(typeof issued.token, 'string');
    assert.ok(issued.expiredTime > Date.now() && issued.expiredTime <= Date.now() + 600_000 + 5_000, `expiredTime ${issued.expiredTime}`);
  });

  test('far/near files in, livenessId and verdict out, as the detection-result API answers', async () => {
    const browser = await openBrowser(baseUrl);
    try {
      const { page } = browser;
      await page.goto(`${baseUrl}/capture`);
      await page.waitForSelector('html[data-ready="true"]');
      assert.equal(await page.locator('#submit').isDisabled(), true, 'nothing to submit yet');
      assert.equal(await page.locator('#step-far').getAttribute('aria-current'), 'step');

      await page.getByLabel("Far photo (arm's length)").setInputFiles({ name: 'far.jpg', mimeType: 'image/jpeg', buffer: pair.far });
      await page.locator('#preview-far:not([hidden])').waitFor();
      assert.equal(await page.locator('#step-near').getAttribute('aria-current'), 'step', 'the page moves on to the near photo');
      await page.getByLabel('Near photo (closer)').setInputFiles({ name: 'near.jpg', mimeType: 'image/jpeg', buffer: pair.near });
      await page.locator('#preview-near:not([hidden])').waitFor();
      assert.equal(await page.locator('#step-submit').getAttribute('aria-current'), 'step');

      await page.getByRole('button', { name: 'Check liveness' }).click();
      const outcome = await outcomeOf(page);
      await page.screenshot({ path: path.join(ARTIFACTS_DIR, 'capture-page-result.png'), fullPage: true });
      assert.equal(outcome, 'result', `the page shows an error: ${outcome === 'error' ? await errorText(page) : ''}`);

      const livenessId = (await page.locator('#result-liveness-id').innerText()).trim();
      const verdict = await page.locator('#result-verdict').getAttribute('data-verdict');
      const scoreText = await page.locator('#result-score').innerText();
      const attackText = await page.locator('#result-attack-type').innerText();
      assert.ok(livenessId.length > 0, 'a livenessId is shown');
      assert.ok(verdict === 'pass' || verdict === 'suspicious', `verdict ${verdict}`);
      assert.match(await page.locator('#status').innerText(), /Done/);
      // The verdict is scrolled into view (on a phone it would otherwise sit below the fold).
      assert.ok(await page.evaluate(IN_VIEW('result-verdict')), 'the verdict is in the viewport');

      // The page shows exactly what the API answers for that id.
      const { token } = (await (await fetch(`${baseUrl}/capture/token`)).json()) as { token: string };
      const api = await fetch(`${baseUrl}/openapi/liveness/v3/detection-result`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-access-token': token },
        body: JSON.stringify({ livenessId, resultType: 'IMAGE_URL' }),
      });
      const body = (await api.json()) as { code: string; data: { livenessScore: number; attackType: number | null } };
      assert.equal(body.code, 'SUCCESS', JSON.stringify(body));
      assert.equal(scoreText, `${body.data.livenessScore.toFixed(1)} / 100`);
      assert.equal(verdict, body.data.livenessScore >= 50 ? 'pass' : 'suspicious');
      assert.equal(attackText.startsWith(body.data.attackType === null ? 'none' : String(body.data.attackType)), true, attackText);
      assert.deepEqual(browser.foreignRequests, []);
      assert.deepEqual(browser.pageErrors, []);
    } finally {
      await browser.close();
    }
  });

  test('a pair whose near face is not larger is refused, and the page shows the vendor code and message', async () => {
    const browser = await openBrowser(baseUrl, [], { width: 390, height: 844 });
    try {
      const { page } = browser;
      await page.goto(`${baseUrl}/capture`);
      await page.waitForSelector('html[data-ready="true"]');
      // Swapped: the near photo is the wide one.
      await page.locator('#file-far').setInputFiles({ name: 'far.jpg', mimeType: 'image/jpeg', buffer: pair.near });
      await page.locator('#file-near').setInputFiles({ name: 'near.jpg', mimeType: 'image/jpeg', buffer: pair.far });
      await page.locator('#preview-near:not([hidden])').waitFor();
      await page.getByRole('button', { name: 'Check liveness' }).click();
      assert.equal(await outcomeOf(page), 'error');
      await page.screenshot({ path: path.join(ARTIFACTS_DIR, 'capture-page-error-mobile.png'), fullPage: true });
      // Plain words first, with what to do next; the vendor code and message stay in the details.
      assert.match(await page.locator('#error-plain').innerText(), /not larger in the near photo than in the far photo/);
      assert.match(await page.locator('#error-next').innerText(), /bring the camera clearly closer/);
      assert.doesNotMatch(await page.locator('#error-plain').innerText(), /[A-Z]{2,}_[A-Z]/, 'no code in the plain words');
      assert.equal((await page.locator('#error-code').textContent())?.trim(), 'PARAMETER_ERROR');
      assert.match((await page.locator('#error-message').textContent()) ?? '', /^INVALID_ARGUMENT: .*NEAR_FACE_NOT_LARGER/, 'the vendor message is kept');
      assert.equal(await page.locator('#error').getAttribute('role'), 'alert');
      assert.ok(await page.evaluate(IN_VIEW('error-plain')), 'the error is scrolled into view');
      // Mobile width: nothing wider than the viewport.
      assert.ok(await page.evaluate('document.documentElement.scrollWidth <= window.innerWidth'), 'no horizontal scrolling at 390 px');
      assert.deepEqual(browser.foreignRequests, []);
    } finally {
      await browser.close();
    }
  });

  test("camera: Chromium's fake camera takes both photos; without a camera the page falls back to files", async () => {
    const withCamera = await openBrowser(baseUrl, ['--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream']);
    try {
      const { page } = withCamera;
      await page.goto(`${baseUrl}/capture`);
      await page.waitForSelector('html[data-ready="true"]');
      await page.getByRole('button', { name: 'Use camera' }).click();
      await page.locator('#viewfinder:not([hidden])').waitFor();
      await waitUntil(page, "document.getElementById('video').videoWidth > 0");
      await page.screenshot({ path: path.join(ARTIFACTS_DIR, 'capture-page-camera.png') });
      await page.getByRole('button', { name: 'Take far photo' }).click();
      await page.locator('#preview-far:not([hidden])').waitFor();
      await page.getByRole('button', { name: 'Take near photo' }).click();
      await page.locator('#preview-near:not([hidden])').waitFor();
      assert.equal(await page.locator('#viewfinder').isHidden(), true, 'the camera stops once both photos are taken');
      await page.getByRole('button', { name: 'Check liveness' }).click();
      // The fake camera's test pattern holds no face: the server refuses it in the vendor's envelope.
      assert.equal(await outcomeOf(page), 'error');
      assert.equal((await page.locator('#error-code').textContent())?.trim(), 'PARAMETER_ERROR');
      assert.match((await page.locator('#error-message').textContent()) ?? '', /^FACE_NOT_FOUND: /);
      assert.equal(await page.locator('#error-plain').innerText(), 'No face was found in the photo (far photo).');
      assert.match(await page.locator('#error-next').innerText(), /whole face/);
      assert.deepEqual(withCamera.foreignRequests, []);
    } finally {
      await withCamera.close();
    }

    const withoutCamera = await openBrowser(baseUrl);
    try {
      const { page } = withoutCamera;
      await page.goto(`${baseUrl}/capture`);
      await page.waitForSelector('html[data-ready="true"]');
      await page.getByRole('button', { name: 'Use camera' }).click();
      await page.locator('#camera-message.problem').waitFor();
      assert.match(await page.locator('#camera-message').innerText(), /choose two photos below/i);
      assert.equal(await page.locator('#viewfinder').isHidden(), true);
      assert.equal(await page.locator('#file-far').isEnabled(), true, 'the file inputs stay usable');
    } finally {
      await withoutCamera.close();
    }
  });

  test('served over plain http from a non-local name, the page says the camera needs https', async () => {
    // A name that maps to loopback: Chromium treats http://127.0.0.1 and localhost as secure, any other http origin not.
    const browser = await openBrowser(baseUrl, ['--host-resolver-rules=MAP facelive.test 127.0.0.1']);
    try {
      const { page } = browser;
      const insecure = baseUrl.replace('127.0.0.1', 'facelive.test');
      await page.goto(`${insecure}/capture`);
      await page.waitForSelector('html[data-ready="true"]');
      assert.equal(await page.evaluate('window.isSecureContext'), false);
      assert.equal(await page.locator('#camera-https-note').isVisible(), true);
      assert.match(await page.locator('#camera-https-note').innerText(), /https:\/\//);
      assert.equal(await page.locator('#camera-start').isDisabled(), true, 'the camera button is off');
      assert.equal(await page.locator('#file-far').isEnabled(), true, 'files still work');
    } finally {
      await browser.close();
    }

    const secure = await openBrowser(baseUrl);
    try {
      await secure.page.goto(`${baseUrl}/capture`);
      await secure.page.waitForSelector('html[data-ready="true"]');
      assert.equal(await secure.page.locator('#camera-https-note').isVisible(), false, 'no note on a secure origin');
    } finally {
      await secure.close();
    }
  });
});

describe('capture page configuration', () => {
  test('/capture and /capture/token answer 404', async () => {
    const { app } = await testServer(httpConfig({ server: { capture: { enabled: false } } }), new Promise(() => undefined));
    try {
      for (const url of ['/capture', '/capture/token', '/capture/capture.js']) {
        const response = await app.inject({ method: 'GET', url });
        assert.equal(response.statusCode, 404, url);
      }
    } finally {
      await app.close();
    }
  });

  test('an accessKey that is not an ADVANCE.AI credential, or none at all, fails start-up', async () => {
    const config = (capture: Record<string, unknown>, env?: NodeJS.ProcessEnv) => httpConfig({ server: { capture: { enabled: true, ...capture } } }, env);
    assert.equal(captureAccessKey(config({})), ADVANCE_ACCESS_KEY, 'empty = the first credential');
    assert.equal(captureAccessKey(config({ accessKey: ADVANCE_ACCESS_KEY })), ADVANCE_ACCESS_KEY);
    const invalid = (reason: RegExp) => (error: unknown) => error instanceof FaceliveError && error.code === 'CONFIG_INVALID' && reason.test(error.message);
    assert.throws(() => captureAccessKey(config({ accessKey: 'someone-else' })), invalid(/server\.capture\.accessKey "someone-else" is not one of/));
    assert.throws(() => captureAccessKey(config({}, {})), invalid(/no ADVANCE\.AI credential/));
    const longTokens = httpConfig({ server: { capture: { enabled: true, tokenPeriodSeconds: 7200 }, advance: { tokenMaxPeriodSeconds: 3600 } } });
    assert.throws(() => captureAccessKey(longTokens), invalid(/exceeds server\.advance\.tokenMaxPeriodSeconds/));
    await assert.rejects(testServer(config({ accessKey: 'someone-else' }), new Promise(() => undefined)), invalid(/someone-else/));
  });
});
