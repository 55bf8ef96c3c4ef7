/**
 * Real camera JPEGs through the byte limits at their defaults (issue 9): a 48 MP photo of more
 * than 10 MB and a 12 MP photo of more than 3.75 MiB (the old encoded-byte cap) are scored on a
 * listening server through the native API (multipart and base64 JSON) and the Tencent route, the
 * strictest vendor document (5 MB of base64), whose cap facelive does not copy (docs/dialects.md).
 * The photos are made here from the pack's live sample, upscaled and given sensor-like noise so
 * that they are as large as real ones.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import type { EnginePool } from '../../src/engine/engine-pool.js';
import { loadConfig } from '../../src/config/load-config.js';
import { noisyCameraPhoto } from '../fixtures/phone-photos.js';
import { NATIVE_AUTH, httpConfig, listeningServer, tencentCall, testPool } from '../helpers/http-server.js';

const OLD_ENCODED_CAP = 3_932_160;

describe('camera photos of real size are scored with the default byte limits', () => {
  let pool: EnginePool;
  let app: FastifyInstance;
  let url: string;
  const photos: { name: string; bytes: Buffer; minBytes: number }[] = [];

  before(async () => {
    const config = httpConfig();
    const defaults = loadConfig({}, {});
    // The limits under test are the shipped ones: the test config changes none of them.
    assert.equal(config.limits.maxEncodedBytes, defaults.limits.maxEncodedBytes);
    assert.equal(config.server.bodyLimitBytes, defaults.server.bodyLimitBytes);
    assert.deepEqual(config.server.inFlight, defaults.server.inFlight);
    pool = await testPool(config);
    ({ app, url } = await listeningServer(config, pool));
    photos.push(
      { name: '48 MP (8000x6000)', bytes: await noisyCameraPhoto('image_T1.jpg', { width: 8000, height: 6000, quality: 95 }, 12), minBytes: 10_000_000 },
      {
        name: '12 MP (3024x4032)',
        bytes: await noisyCameraPhoto('image_T1.jpg', { width: 3024, height: 4032, quality: 95 }, 12),
        minBytes: OLD_ENCODED_CAP + 1,
      },
    );
  });
  after(async () => {
    await app?.close();
    await pool?.close();
  });

  test('the photos are as large as real ones', () => {
    for (const { name, bytes, minBytes } of photos) assert.ok(bytes.length >= minBytes, `${name}: ${bytes.length} bytes`);
  });

  test('native API, multipart and base64 JSON: 200 with a score', async () => {
    for (const { name, bytes } of photos) {
      const form = new FormData();
      form.append('image', new Blob([bytes], { type: 'image/jpeg' }), 'camera.jpg');
      const multipart = await fetch(`${url}/v1/liveness`, { method: 'POST', headers: NATIVE_AUTH, body: form });
      const fromForm = (await multipart.json()) as { score: number; image: { width: number; height: number } };
      assert.equal(multipart.status, 200, `${name} multipart: ${JSON.stringify(fromForm)}`);
      assert.equal(typeof fromForm.score, 'number', name);
      assert.deepEqual([fromForm.image.width, fromForm.image.height], name.startsWith('48') ? [8000, 6000] : [3024, 4032]);

      const json = await fetch(`${url}/v1/liveness`, {
        method: 'POST',
        headers: { ...NATIVE_AUTH, 'content-type': 'application/json' },
        body: JSON.stringify({ image: bytes.toString('base64') }),
      });
      const fromJson = (await json.json()) as { score: number };
      assert.equal(json.status, 200, `${name} JSON: ${JSON.stringify(fromJson)}`);
      assert.equal(fromJson.score, fromForm.score, name);
    }
  });

  test('Tencent DetectLiveFaceAccurate: Response.Score', async () => {
    for (const { name, bytes } of photos) {
      const { body, headers } = tencentCall({ Image: bytes.toString('base64') }, { host: '127.0.0.1' });
      const { host: _host, ...sent } = headers;
      const response = await fetch(`${url}/`, { method: 'POST', headers: sent, body });
      const answer = (await response.json()) as { Response: { Score?: number } };
      assert.equal(response.status, 200);
      assert.equal(typeof answer.Response.Score, 'number', `${name}: ${JSON.stringify(answer)}`);
    }
  });
});
