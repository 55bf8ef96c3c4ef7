/**
 * @facelive/client in a browser: Debian's Chromium loads the built ES modules (`client/dist`) as
 * they are, from facelive's own origin, and calls a listening facelive with the real engine —
 * samples as bytes and Blob, a refusal with its code, models and health, an abort, and the CORS
 * failure of a cross-origin call. Proves the build needs nothing but browser globals.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { FaceliveClient } from '@facelive/client';
import type { EnginePool } from '../../src/engine/engine-pool.js';
import { launchChromium, type ChromiumSession } from '../helpers/chromium.js';
import { API_KEY, httpConfig, listeningServer, testImages, testPool, type TestImages } from '../helpers/http-server.js';
import { REPO_ROOT } from '../helpers/paths.js';

const DIST = path.join(REPO_ROOT, 'client/dist');

/** What the page reports for a call that should fail. */
interface Outcome {
  readonly ok: boolean;
  readonly name?: string;
  readonly kind?: string;
  readonly code?: string;
  readonly status?: number;
  readonly apiError?: boolean;
  readonly networkError?: boolean;
  readonly abortError?: boolean;
}

interface PageReport {
  readonly live: { decision: string; score: number; faces: number };
  readonly spoof: { decision: string; score: number };
  readonly noFace: Outcome;
  readonly wrongKey: Outcome;
  readonly aborted: Outcome;
  readonly crossOrigin: Outcome;
  readonly detector: string;
  readonly ready: boolean;
}

/** The calls, as the page runs them (a string: the test's tsconfig has no DOM types, and tsx must not rewrite page code). */
function pageScript(images: TestImages, crossOriginBase: string): string {
  const input = {
    apiKey: API_KEY,
    live: images.live.toString('base64'),
    spoof: images.spoof.toString('base64'),
    noFace: images.noFace.toString('base64'),
    crossOriginBase,
  };
  return `(async (input) => {
    const { FaceliveClient, FaceliveApiError, FaceliveNetworkError, FaceliveAbortError } = await import('/__client/index.js');
    const bytes = (base64) => Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
    const outcome = (promise) => promise.then(
      () => ({ ok: true }),
      (e) => ({ ok: false, name: e.name, kind: e.kind, code: e.code, status: e.status,
        apiError: e instanceof FaceliveApiError, networkError: e instanceof FaceliveNetworkError, abortError: e instanceof FaceliveAbortError }),
    );
    const client = new FaceliveClient({ baseUrl: location.origin, apiKey: input.apiKey });
    const live = await client.check(bytes(input.live));
    const spoof = await client.check(new Blob([bytes(input.spoof)], { type: 'image/jpeg' }));
    return {
      live: { decision: live.decision, score: live.score, faces: live.faces.length },
      spoof: { decision: spoof.decision, score: spoof.score },
      noFace: await outcome(client.check(bytes(input.noFace))),
      wrongKey: await outcome(new FaceliveClient({ baseUrl: location.origin, apiKey: 'not-the-key-0123456789abcdef' }).models()),
      aborted: await outcome(client.models({ signal: AbortSignal.abort() })),
      crossOrigin: await outcome(new FaceliveClient({ baseUrl: input.crossOriginBase, apiKey: input.apiKey, retries: 0 }).models()),
      detector: (await client.models()).detector.id,
      ready: (await client.health()).ready,
    };
  })(${JSON.stringify(input)})`;
}

describe('@facelive/client in Chromium', () => {
  let pool: EnginePool;
  let close: () => Promise<void>;
  let url: string;
  let images: TestImages;
  let browser: ChromiumSession;

  before(async () => {
    images = await testImages();
    const config = httpConfig({ runtime: { workers: 1 } });
    pool = await testPool(config);
    const server = await listeningServer(config, pool);
    url = server.url;
    close = () => server.app.close();
    browser = await launchChromium();
    // The page and the built modules are served at facelive's origin, as a same-origin app would have them.
    await browser.context.route(`${url}/__client/**`, (route) => {
      const name = new URL(route.request().url()).pathname.slice('/__client/'.length);
      if (name === 'page.html') return route.fulfill({ contentType: 'text/html', body: '<!doctype html><title>client</title>' });
      return route.fulfill({ contentType: 'text/javascript', body: readFileSync(path.join(DIST, path.normalize(name))) });
    });
  });
  after(async () => {
    await browser?.close();
    await close?.();
    await pool?.close();
  });

  test('checks the samples, reads refusals by code, aborts, and fails cross-origin calls as network errors', async () => {
    const { page, pageErrors } = browser;
    await page.goto(`${url}/__client/page.html`);
    const crossOrigin = url.replace('127.0.0.1', 'localhost');
    const report = (await page.evaluate(pageScript(images, crossOrigin))) as PageReport;

    const inNode = await new FaceliveClient({ baseUrl: url, apiKey: API_KEY }).check(images.live);
    assert.deepEqual(report.live, { decision: 'live', score: inNode.score, faces: 1 });
    assert.equal(report.spoof.decision, 'spoof');
    assert.deepEqual(report.noFace, {
      ok: false,
      name: 'FaceliveApiError',
      kind: 'api',
      code: 'FACE_NOT_FOUND',
      status: 422,
      apiError: true,
      networkError: false,
      abortError: false,
    });
    assert.equal(report.wrongKey.code, 'AUTH_CREDENTIAL_INVALID');
    assert.equal(report.wrongKey.status, 401);
    assert.equal(report.aborted.abortError, true);
    // facelive sends no CORS headers: another origin's page cannot call it.
    assert.equal(report.crossOrigin.networkError, true, JSON.stringify(report.crossOrigin));
    assert.equal(report.detector, 'detector/yunet-s@2023.1');
    assert.equal(report.ready, true);
    // The browser logs every refused call and the CORS block; anything else is a fault of the client.
    const unexpected = pageErrors.filter((text) => !/Failed to load resource|CORS policy/.test(text));
    assert.deepEqual(unexpected, [], 'no page errors besides the logged refusals');
  });
});
