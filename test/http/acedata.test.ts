/**
 * The Ace Data Cloud dialect in-process: success shape, token errors (invalid_token 401 for
 * missing/malformed/unknown/unconfigured, and another dialect's credential answered as an unknown one),
 * api_not_implemented 400 (model version, unknown route under /face), image_url precedence, and
 * the catalogue code at the start of every message. Image, URL and admission errors (invalid_image,
 * invalid_request, payload_too_large, too_many_requests, api_error): http-dialects.test.ts.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import type { EnginePool } from '../../src/engine/engine-pool.js';
import { ACEDATA_AUTH, API_KEY, httpConfig, testServer, type ImageHost, type TestImages, startHttpFixture, type HttpFixture } from '../helpers/http-server.js';

function aceError(response: LightMyRequestResponse, status: number, code: string, catalogueCode: string): void {
  assert.equal(response.statusCode, status, response.body);
  const body = response.json();
  assert.deepEqual(Object.keys(body).sort(), ['error', 'success', 'trace_id']);
  assert.equal(body.success, false);
  assert.equal(body.error.code, code);
  assert.ok(body.error.message.startsWith(`${catalogueCode}: `), body.error.message);
  assert.equal(body.trace_id, response.headers['x-request-id']);
}

describe('Ace Data Cloud dialect in-process', () => {
  let pool: EnginePool;
  let app: FastifyInstance;
  let images: TestImages;
  let host: ImageHost;
  let fixture: HttpFixture;

  const detect = (payload: unknown, headers: Record<string, string> = ACEDATA_AUTH, url = '/face/detect-live') =>
    app.inject({ method: 'POST', url, headers, payload: payload as string });

  before(async () => {
    fixture = await startHttpFixture(httpConfig({ server: { urlFetch: { allowCidrs: ['127.0.0.1/32'] } } }));
    ({ images, host, pool, app } = fixture);
  });
  after(() => fixture?.close());

  test('success: {score, face_model_version} for image_url, as the document shows', async () => {
    const response = await detect({ image_url: host.url('/live.jpg'), face_model_version: '3.0' }, { ...ACEDATA_AUTH, accept: 'application/json' });
    assert.equal(response.statusCode, 200, response.body);
    assert.deepEqual(response.json(), { score: (await pool.analyse(images.live)).score, face_model_version: '3.0' });
  });

  test('image_url wins over image_base64; a numeric 3.0 version is accepted', async () => {
    const response = await detect({ image_url: host.url('/spoof.jpg'), image_base64: images.live.toString('base64'), face_model_version: 3.0 });
    assert.equal(response.statusCode, 200, response.body);
    assert.equal(response.json().score, (await pool.analyse(images.spoof)).score);
  });

  test('invalid_token 401: missing, malformed, unknown', async () => {
    const payload = { image_url: host.url('/live.jpg') };
    aceError(await detect(payload, {}), 401, 'invalid_token', 'AUTH_CREDENTIAL_MISSING');
    aceError(await detect(payload, { authorization: 'Token abc' }), 401, 'invalid_token', 'AUTH_HEADER_MALFORMED');
    aceError(await detect(payload, { authorization: 'Bearer unknown-token-0123456789' }), 401, 'invalid_token', 'AUTH_CREDENTIAL_INVALID');
  });

  test('a valid credential of another facelive API gets the answer of an unknown one (which API it belongs to is not told)', async () => {
    aceError(await detect({ image_url: host.url('/live.jpg') }, { authorization: `Bearer ${API_KEY}` }), 401, 'invalid_token', 'AUTH_CREDENTIAL_INVALID');
  });

  test('no token configured: invalid_token 401 for every call', async () => {
    const { app: bare } = await testServer(httpConfig({}, {}), pool);
    try {
      const response = await bare.inject({ method: 'POST', url: '/face/detect-live', headers: ACEDATA_AUTH, payload: { image_url: host.url('/live.jpg') } });
      aceError(response, 401, 'invalid_token', 'AUTH_NOT_CONFIGURED');
    } finally {
      await bare.close();
    }
  });

  test('api_not_implemented 400: unsupported face_model_version, unknown API under /face', async () => {
    aceError(await detect({ image_url: host.url('/live.jpg'), face_model_version: '2.0' }), 400, 'api_not_implemented', 'FACE_MODEL_VERSION_UNSUPPORTED');
    aceError(await detect({ image_url: host.url('/live.jpg') }, ACEDATA_AUTH, '/face/compare'), 400, 'api_not_implemented', 'ROUTE_NOT_FOUND');
  });

  test('invalid_image 400 carries the engine code; api_error 500 for a failed download', async () => {
    aceError(await detect({ image_base64: images.noFace.toString('base64') }), 400, 'invalid_image', 'FACE_NOT_FOUND');
    aceError(await detect({ image_url: host.url('/missing') }), 500, 'api_error', 'URL_HTTP_STATUS');
    aceError(await detect({ image_url: 'http://10.1.2.3/a.jpg' }), 400, 'invalid_request', 'URL_ADDRESS_REFUSED');
  });
});
