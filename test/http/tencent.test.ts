/**
 * The Tencent Cloud dialect in-process: TC3-HMAC-SHA256 verification (every AuthFailure code,
 * both host forms that SDKs sign, the service derived from a custom endpoint), action and version,
 * FaceModelVersion, Url-over-Image precedence, missing and empty parameters, and the envelope
 * (HTTP 200 always). Image, URL and admission errors: http-dialects.test.ts. The official SDK
 * against a listening server: http-listening.test.ts.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { canonicalRequest, parseTc3Authorization, tc3Signature } from '../../src/api/tencent/tc3-signature.js';
import type { EnginePool } from '../../src/engine/engine-pool.js';
import {
  TENCENT_SECRET_KEY,
  httpConfig,
  startImageHost,
  tencentCall,
  testImages,
  testPool,
  testServer,
  type ImageHost,
  type TestImages,
} from '../helpers/http-server.js';

function errorCode(response: LightMyRequestResponse): string | undefined {
  assert.equal(response.statusCode, 200, 'Tencent answers HTTP 200 even for errors');
  const body = response.json();
  assert.match(body.Response.RequestId, /^[0-9a-f-]{36}$/);
  assert.equal(body.Response.RequestId, response.headers['x-request-id']);
  return body.Response.Error?.Code;
}

describe('Tencent Cloud dialect in-process', () => {
  let pool: EnginePool;
  let app: FastifyInstance;
  let images: TestImages;
  let host: ImageHost;
  let image: string;

  const call = (payload: unknown, options: Parameters<typeof tencentCall>[1] = {}, patch: (h: Record<string, string>) => void = () => undefined) => {
    const signed = tencentCall(payload, options);
    patch(signed.headers);
    return app.inject({ method: 'POST', url: '/', headers: signed.headers, payload: signed.body });
  };

  before(async () => {
    images = await testImages();
    host = await startImageHost(images);
    const config = httpConfig({ server: { urlFetch: { allowCidrs: ['127.0.0.0/8'] } } });
    pool = await testPool(config);
    ({ app } = await testServer(config, pool));
    image = images.live.toString('base64');
  });
  after(async () => {
    await app?.close();
    await pool?.close();
    await host?.close();
  });

  test('success: {Response: {Score, FaceModelVersion: "3.0", RequestId}}', async () => {
    const response = await call({ Image: image, FaceModelVersion: '3.0' });
    assert.equal(errorCode(response), undefined, response.body);
    const body = response.json();
    assert.deepEqual(Object.keys(body.Response).sort(), ['FaceModelVersion', 'RequestId', 'Score']);
    assert.equal(body.Response.Score, (await pool.analyse(images.live)).score);
  });

  test('Url wins over Image when both are given', async () => {
    const response = await call({ Image: image, Url: host.url('/spoof.jpg') });
    assert.equal(errorCode(response), undefined, response.body);
    assert.equal(response.json().Response.Score, (await pool.analyse(images.spoof)).score);
  });

  test('both host forms verify: with the port (most SDKs) and without (the Node SDK)', async () => {
    const withPort = tencentCall({ Image: image }, { host: 'facelive.test:8443' });
    const authorization = parseTc3Authorization(withPort.headers.authorization);
    const timestamp = Number(withPort.headers['x-tc-timestamp']);
    const canonical = canonicalRequest(
      { method: 'POST', path: '/', query: '', headers: withPort.headers, body: Buffer.from(withPort.body) },
      authorization.signedHeaders,
    );
    const signature = tc3Signature(TENCENT_SECRET_KEY, timestamp, authorization.date, authorization.service, canonical);
    withPort.headers.authorization = withPort.headers.authorization.replace(/Signature=\w+/, `Signature=${signature}`);
    const response = await app.inject({ method: 'POST', url: '/', headers: withPort.headers, payload: withPort.body });
    assert.equal(errorCode(response), undefined, response.body);
    assert.equal(errorCode(await call({ Image: image }, { host: 'facelive.test:8443' })), undefined);
  });

  test('the credential scope service may be iai or the first label of the host', async () => {
    assert.equal(errorCode(await call({ Image: image }, { host: '127.0.0.1:9000', service: '127' })), undefined);
    assert.equal(errorCode(await call({ Image: image }, { host: 'faces.example:9000', service: 'faces' })), undefined);
    assert.equal(errorCode(await call({ Image: image }, { host: 'faces.example:9000', service: 'cvm' })), 'AuthFailure.SignatureFailure');
  });

  test('AuthFailure codes: missing, malformed, expired, unknown SecretId, bad signature, tampered body', async () => {
    assert.equal(errorCode(await call({ Image: image }, {}, (h) => delete h.authorization)), 'AuthFailure.InvalidAuthorization');
    assert.equal(errorCode(await call({ Image: image }, {}, (h) => (h.authorization = 'TC3-HMAC-SHA256 garbage'))), 'AuthFailure.InvalidAuthorization');
    assert.equal(errorCode(await call({ Image: image }, {}, (h) => (h['x-tc-timestamp'] = 'yesterday'))), 'AuthFailure.InvalidAuthorization');
    const old = Math.floor(Date.now() / 1000) - 301;
    assert.equal(errorCode(await call({ Image: image }, { timestamp: old })), 'AuthFailure.SignatureExpire');
    assert.equal(errorCode(await call({ Image: image }, { timestamp: old + 602 })), 'AuthFailure.SignatureExpire');
    // An unknown SecretId gets the answer of a wrong signature: which SecretIds exist is not told.
    const unknown = await call({ Image: image }, { secretId: 'AKIDunknown' });
    const wrongKey = await call({ Image: image }, { secretKey: 'the-wrong-secret-key-0123456789' });
    assert.equal(errorCode(unknown), 'AuthFailure.SignatureFailure');
    assert.equal(unknown.json().Response.Error.Message, wrongKey.json().Response.Error.Message);
    assert.equal(errorCode(await call({ Image: image }, { secretKey: 'the-wrong-secret-key-0123456789' })), 'AuthFailure.SignatureFailure');
    const tampered = tencentCall({ Image: image });
    const response = await app.inject({
      method: 'POST',
      url: '/',
      headers: tampered.headers,
      payload: tampered.body.replace('}', ',"Url":"http://evil.example/"}'),
    });
    assert.equal(errorCode(response), 'AuthFailure.SignatureFailure');
    assert.equal(errorCode(await call({ Image: image }, {}, (h) => (h['content-type'] = 'application/json; charset=utf-8'))), 'AuthFailure.SignatureFailure');
  });

  test('no SecretId configured: every call is refused with AuthFailure.SecretIdNotFound', async () => {
    const { app: bare } = await testServer(httpConfig({}, {}), pool);
    try {
      const signed = tencentCall({ Image: image });
      const response = await bare.inject({ method: 'POST', url: '/', headers: signed.headers, payload: signed.body });
      assert.equal(errorCode(response), 'AuthFailure.SecretIdNotFound');
    } finally {
      await bare.close();
    }
  });

  test('action and version: missing → MissingParameter, unknown → InvalidAction', async () => {
    assert.equal(errorCode(await call({ Image: image }, {}, (h) => delete h['x-tc-action'])), 'MissingParameter.ErrorParameterEmpty');
    assert.equal(errorCode(await call({ Image: image }, { action: 'DetectLiveFace' })), 'InvalidAction');
    assert.equal(errorCode(await call({ Image: image }, { version: '2018-03-01' })), 'InvalidAction');
  });

  test('parameters: FaceModelVersion, missing, empty, wrong types', async () => {
    assert.equal(errorCode(await call({ Image: image, FaceModelVersion: '2.0' })), 'InvalidParameterValue.FaceModelVersionIllegal');
    assert.equal(errorCode(await call({ FaceModelVersion: '3.0' })), 'MissingParameter.ErrorParameterEmpty');
    assert.equal(errorCode(await call({ Image: '' })), 'InvalidParameterValue.ImageEmpty');
    assert.equal(errorCode(await call({ Image: '', Url: '' })), 'InvalidParameterValue.ImageEmpty');
    assert.equal(errorCode(await call({ Image: 42 })), 'InvalidParameter.InvalidParameter');
    assert.equal(errorCode(await call(['Image'])), 'InvalidParameter.InvalidParameter');
    assert.equal(errorCode(await call({ Url: 'ftp://example.com/a.jpg' })), 'InvalidParameterValue.UrlIllegal');
  });

  test('Message names the problem; RequestId is the request id', async () => {
    const body = (await call({ Image: image, FaceModelVersion: '9.9' })).json();
    assert.match(body.Response.Error.Message, /FaceModelVersion "9.9".*3\.0/);
  });
});
