/**
 * The native API in-process: every route (liveness as JSON base64, JSON URL and multipart;
 * models; probes; docs), its options, its authentication modes and the errors that only the
 * native surface raises (auth, arguments, multipart, 404). Image, URL and admission errors are
 * covered for all dialects in http-dialects.test.ts.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import type { Config } from '../../src/config/schema.js';
import type { EnginePool } from '../../src/engine/engine-pool.js';
import { findModel } from '../../src/models/manifest.js';
import type { ErrorCode } from '../../src/errors/catalogue.js';
import { ACEDATA_TOKEN, NATIVE_AUTH, httpConfig, testImages, testPool, testServer, type TestImages } from '../helpers/http-server.js';

function multipartBody(parts: readonly { name: string; value: string | Buffer; filename?: string }[]): { body: Buffer; contentType: string } {
  const boundary = '----facelive-test-boundary';
  const chunks: Buffer[] = [];
  for (const part of parts) {
    const disposition = part.filename ? `form-data; name="${part.name}"; filename="${part.filename}"` : `form-data; name="${part.name}"`;
    const type = part.filename ? 'Content-Type: application/octet-stream\r\n' : '';
    chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: ${disposition}\r\n${type}\r\n`), Buffer.from(part.value), Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { body: Buffer.concat(chunks), contentType: `multipart/form-data; boundary=${boundary}` };
}

function assertNativeError(response: LightMyRequestResponse, code: ErrorCode, status: number): Record<string, any> {
  const body = response.json();
  assert.equal(body.error?.code, code, response.body);
  assert.equal(response.statusCode, status, response.body);
  assert.equal(body.requestId, response.headers['x-request-id']);
  return body;
}

describe('native API in-process', () => {
  let config: Config;
  let pool: EnginePool;
  let app: FastifyInstance;
  let images: TestImages;
  let liveScore: number;

  const liveness = (payload: unknown, headers: Record<string, string> = NATIVE_AUTH) =>
    app.inject({ method: 'POST', url: '/v1/liveness', headers, payload: payload as string });

  before(async () => {
    images = await testImages();
    config = httpConfig();
    pool = await testPool(config);
    ({ app } = await testServer(config, pool));
    liveScore = (await pool.analyse(images.live)).score;
  });
  after(async () => {
    await app?.close();
    await pool?.close();
  });

  test('POST /v1/liveness (JSON base64) returns the full engine result and the request id', async () => {
    const response = await liveness({ image: images.live.toString('base64') });
    assert.equal(response.statusCode, 200, response.body);
    const body = response.json();
    const direct = await pool.analyse(images.live);
    assert.equal(body.requestId, response.headers['x-request-id']);
    assert.match(body.requestId, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    for (const key of ['score', 'liveProbability', 'decision', 'threshold', 'retryReasons', 'models', 'faces', 'quality', 'image', 'modelIds']) {
      assert.deepEqual(body[key], (direct as unknown as Record<string, unknown>)[key], key);
    }
    assert.equal(body.faces[0].landmarks.length, 5);
    assert.ok(body.timings.totalMs > 0);
  });

  test('threshold and returnFaces are honoured', async () => {
    const body = (await liveness({ image: images.live.toString('base64'), threshold: 100, returnFaces: false })).json();
    assert.equal(body.threshold, 100);
    assert.equal(body.faces, undefined);
    assert.equal(body.decision, body.score >= 100 ? 'live' : 'spoof');
  });

  test('multipart: image file part, with threshold and returnFaces fields', async () => {
    const { body, contentType } = multipartBody([
      { name: 'image', value: images.live, filename: 'selfie.jpg' },
      { name: 'threshold', value: '12.5' },
      { name: 'returnFaces', value: 'false' },
    ]);
    const response = await liveness(body, { ...NATIVE_AUTH, 'content-type': contentType });
    assert.equal(response.statusCode, 200, response.body);
    const result = response.json();
    assert.equal(result.score, liveScore);
    assert.equal(result.threshold, 12.5);
    assert.equal(result.faces, undefined);
  });

  test('multipart refusals: unknown field, second file, bad threshold, no image', async () => {
    const cases: [Parameters<typeof multipartBody>[0], ErrorCode, string][] = [
      [
        [
          { name: 'image', value: images.live, filename: 'a.jpg' },
          { name: 'colour', value: 'red' },
        ],
        'INVALID_ARGUMENT',
        'colour',
      ],
      [[{ name: 'photo', value: images.live, filename: 'a.jpg' }], 'INVALID_ARGUMENT', 'photo'],
      [
        [
          { name: 'image', value: images.live, filename: 'a.jpg' },
          { name: 'threshold', value: 'high' },
        ],
        'INVALID_ARGUMENT',
        'threshold',
      ],
      [[{ name: 'returnFaces', value: 'true' }], 'ARGUMENT_MISSING', 'image'],
    ];
    for (const [parts, code, mention] of cases) {
      const { body, contentType } = multipartBody(parts);
      const error = assertNativeError(await liveness(body, { ...NATIVE_AUTH, 'content-type': contentType }), code, 400);
      assert.match(error.error.message, new RegExp(mention));
    }
  });

  test('multipart file larger than the body limit → 413', async () => {
    const { app: small } = await testServer(httpConfig({ server: { bodyLimitBytes: 20_000 } }), pool);
    try {
      const { body, contentType } = multipartBody([{ name: 'image', value: images.live, filename: 'a.jpg' }]);
      const response = await small.inject({ method: 'POST', url: '/v1/liveness', headers: { ...NATIVE_AUTH, 'content-type': contentType }, payload: body });
      assertNativeError(response, 'REQUEST_BODY_TOO_LARGE', 413);
    } finally {
      await small.close();
    }
  });

  test('JSON argument errors name the field', async () => {
    const cases: [unknown, ErrorCode, RegExp][] = [
      [{ image: images.live.toString('base64'), threshold: 150 }, 'INVALID_ARGUMENT', /threshold/],
      [{ image: images.live.toString('base64'), returnFaces: 'yes' }, 'INVALID_ARGUMENT', /returnFaces/],
      [{ image: images.live.toString('base64'), imageURL: 'http://x' }, 'INVALID_ARGUMENT', /imageURL/],
      [{ image: images.live.toString('base64'), imageUrl: 'http://example.com/a.jpg' }, 'INVALID_ARGUMENT', /both/],
      [{ threshold: 50 }, 'ARGUMENT_MISSING', /image/],
    ];
    for (const [payload, code, message] of cases) {
      const body = assertNativeError(await liveness(payload), code, 400);
      assert.match(body.error.message, message);
      assert.ok(body.error.message.length < 300, 'no echo of the image');
    }
    assertNativeError(await app.inject({ method: 'POST', url: '/v1/liveness', headers: NATIVE_AUTH }), 'ARGUMENT_MISSING', 400);
  });

  test("authentication: missing, malformed, unknown, another dialect's token", async () => {
    const image = { image: images.noFace.toString('base64') };
    const missing = await liveness(image, {});
    assertNativeError(missing, 'AUTH_CREDENTIAL_MISSING', 401);
    assert.match(String(missing.headers['www-authenticate']), /^Bearer/);
    assertNativeError(await liveness(image, { authorization: 'Basic dXNlcjpwYXNz' }), 'AUTH_HEADER_MALFORMED', 401);
    assertNativeError(await liveness(image, { authorization: 'Bearer not-the-key-0123456789' }), 'AUTH_CREDENTIAL_INVALID', 401);
    // Another API's credential is answered as an unknown one: whose it is is not told.
    assertNativeError(await liveness(image, { authorization: `Bearer ${ACEDATA_TOKEN}` }), 'AUTH_CREDENTIAL_INVALID', 401);
    assertNativeError(await app.inject({ method: 'GET', url: '/v1/models' }), 'AUTH_CREDENTIAL_MISSING', 401);
  });

  test('no key configured: refused with AUTH_NOT_CONFIGURED, unless auth is disabled; an env key overrides disabled auth', async () => {
    const image = { image: images.live.toString('base64') };
    const noKeys = httpConfig({}, {});
    const { app: refusing } = await testServer(noKeys, pool);
    const { app: open } = await testServer(httpConfig({ server: { native: { auth: { enabled: false } } } }, {}), pool);
    const { app: keyed } = await testServer(httpConfig({ server: { native: { auth: { enabled: false } } } }), pool);
    try {
      assertNativeError(await refusing.inject({ method: 'POST', url: '/v1/liveness', payload: image }), 'AUTH_NOT_CONFIGURED', 401);
      assertNativeError(await refusing.inject({ method: 'POST', url: '/v1/liveness', headers: NATIVE_AUTH, payload: image }), 'AUTH_NOT_CONFIGURED', 401);
      const anonymous = await open.inject({ method: 'POST', url: '/v1/liveness', payload: image });
      assert.equal(anonymous.statusCode, 200, anonymous.body);
      assert.equal(anonymous.json().score, liveScore);
      assertNativeError(await keyed.inject({ method: 'POST', url: '/v1/liveness', payload: image }), 'AUTH_CREDENTIAL_MISSING', 401);
    } finally {
      await Promise.all([refusing.close(), open.close(), keyed.close()]);
    }
  });

  test('keys from the config file authenticate alongside the env key', async () => {
    const fileKey = 'file-configured-key-0123456789';
    const { app: server } = await testServer(httpConfig({ server: { native: { apiKeys: [{ key: fileKey, name: 'ci' }] } } }, {}), pool);
    try {
      const response = await server.inject({
        method: 'POST',
        url: '/v1/liveness',
        headers: { authorization: `bearer ${fileKey}` },
        payload: { image: images.live.toString('base64') },
      });
      assert.equal(response.statusCode, 200, response.body);
    } finally {
      await server.close();
    }
  });

  test('GET /v1/models lists the loaded set with versions, licences and sha256 from the manifest', async () => {
    const response = await app.inject({ method: 'GET', url: '/v1/models', headers: NATIVE_AUTH });
    assert.equal(response.statusCode, 200, response.body);
    const body = response.json();
    assert.equal(body.ready, true);
    assert.equal(body.detector.id, config.models.detector);
    assert.deepEqual(
      body.classifiers.map((c: { id: string }) => c.id),
      config.models.pad.map((p) => p.id),
    );
    for (const model of [body.detector, ...body.classifiers]) {
      const entry = findModel(model.id);
      assert.equal(model.sha256, entry.sha256);
      assert.equal(model.licence, entry.licence);
      assert.equal(model.version, entry.id.split('@')[1]);
    }
    assert.equal(body.decision.threshold, config.decision.threshold);
  });

  test('probes: /healthz always, /readyz once the pool is ready (503 while loading or failed)', async () => {
    assert.deepEqual((await app.inject('/healthz')).json(), { status: 'ok' });
    const ready = await app.inject('/readyz');
    assert.equal(ready.statusCode, 200);
    assert.equal(ready.json().status, 'ready');
    const { app: loading } = await testServer(config, new Promise<EnginePool>(() => undefined));
    try {
      assert.equal((await loading.inject('/healthz')).statusCode, 200);
      const response = await loading.inject('/readyz');
      assert.equal(response.statusCode, 503);
      assert.equal(response.json().status, 'loading');
    } finally {
      await loading.close();
    }
  });

  test('/docs serves the UI and /docs/json the OpenAPI description of every route', async () => {
    const ui = await app.inject('/docs/');
    assert.equal(ui.statusCode, 200);
    assert.match(ui.body, /swagger/i);
    const spec = (await app.inject('/docs/json')).json();
    assert.equal(spec.openapi, '3.0.3');
    for (const route of ['/v1/liveness', '/v1/models', '/', '/face/detect-live', '/healthz', '/readyz']) assert.ok(spec.paths[route], route);
    assert.ok(spec.paths['/v1/liveness'].post.requestBody.content['multipart/form-data']);
    assert.ok(spec.components.securitySchemes.tc3);
  });

  test('unknown routes → ROUTE_NOT_FOUND in the native envelope', async () => {
    assertNativeError(await app.inject({ method: 'GET', url: '/v2/liveness?x=1' }), 'ROUTE_NOT_FOUND', 404);
    assertNativeError(await app.inject({ method: 'DELETE', url: '/v1/liveness' }), 'ROUTE_NOT_FOUND', 404);
  });
});
