/**
 * The docs page in a real browser (Debian's Chromium via playwright-core): open /docs on a
 * listening server, authorise with the native API key, "Try it out" on POST /v1/liveness with the
 * multipart form and the live sample photo as the file (every other field left empty, as a person
 * would), execute, and read a 200 with the engine's score. Screenshot in test-artifacts/.
 */
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import type { EnginePool } from '../../src/engine/engine-pool.js';
import { launchChromium, type ChromiumSession } from '../helpers/chromium.js';
import { API_KEY, httpConfig, listeningServer, testImages, testPool } from '../helpers/http-server.js';
import { REPO_ROOT, SAMPLES_DIR } from '../helpers/paths.js';

const ARTIFACTS_DIR = path.join(REPO_ROOT, 'test-artifacts');

describe('/docs "Try it out" in Chromium', () => {
  let pool: EnginePool;
  let app: FastifyInstance;
  let url: string;
  let session: ChromiumSession | undefined;

  before(async () => {
    const config = httpConfig();
    pool = await testPool(config);
    ({ app, url } = await listeningServer(config, pool));
    session = await launchChromium({ viewport: { width: 1280, height: 1000 } });
  });
  after(async () => {
    await session?.close();
    await app?.close();
    await pool?.close();
  });

  test('POST /v1/liveness with the sample photo answers 200 with the score', async () => {
    const { page } = session!;
    const expected = (await pool.analyse((await testImages()).live)).score;
    await page.goto(`${url}/docs`);

    // Authorise with the API key, as the page asks.
    await page.locator('button.authorize').first().click();
    const dialog = page.locator('.dialog-ux');
    const bearer = dialog.locator('.auth-container').filter({ hasText: 'bearer' }).first();
    await bearer.locator('input').fill(API_KEY);
    await bearer.locator('button.authorize').click();
    await dialog.locator('button.btn-done').first().click();

    // The native operation: expand it, Try it out, the multipart form with only the file filled.
    const operation = page
      .locator('.opblock-post')
      .filter({ has: page.locator('[data-path="/v1/liveness"]') })
      .first();
    await operation.locator('.opblock-summary').first().click();
    await operation.locator('button.try-out__btn').click();
    await operation.locator('.opblock-section-request-body select').selectOption('multipart/form-data');
    await operation.locator('input[type="file"]').setInputFiles(path.join(SAMPLES_DIR, 'image_T1.jpg'));
    await operation.locator('button.execute').click();

    const status = operation.locator('.live-responses-table .response .response-col_status').first();
    await status.waitFor({ timeout: 60_000 });
    const body = await operation.locator('.live-responses-table .response .response-col_description pre').first().innerText();
    mkdirSync(ARTIFACTS_DIR, { recursive: true });
    await page.screenshot({ path: path.join(ARTIFACTS_DIR, 'docs-try-it-out.png'), fullPage: true });
    assert.equal((await status.innerText()).trim().split('\n')[0], '200', body);
    const answer = JSON.parse(body);
    assert.equal(answer.score, expected);
    assert.equal(answer.decision, 'live');
  });
});
