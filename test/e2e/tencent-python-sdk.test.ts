/**
 * Tencent Cloud's official Python SDK (../shared/clients/tencentcloud-sdk-python, unchanged)
 * against a listening server: the answer's Content-Type is exactly `application/json` (the SDK
 * reads an error only then), success and each listed error raise or return what the SDK's user
 * expects (TencentCloudSDKException with Tencent's code), and every request style the SDK can be
 * configured for works: TC3 POST and GET, signature v1 with HmacSHA256 and HmacSHA1 (POST and
 * GET), a temporary credential's token (X-TC-Token, Token).
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import type { EnginePool } from '../../src/engine/engine-pool.js';
import {
  TENCENT_SECRET_ID,
  TENCENT_SECRET_KEY,
  httpConfig,
  listeningServer,
  startImageHost,
  tencentCall,
  testImages,
  testPool,
  type ImageHost,
  type TestImages,
} from '../helpers/http-server.js';
import { CLIENTS_DIR } from '../helpers/paths.js';
import { runPythonSdk } from '../helpers/python-sdk.js';

const SDK_DIR = path.join(CLIENTS_DIR, 'tencentcloud-sdk-python');
const TEMPORARY = { secretId: 'AKIDfaceliveTemporary01', secretKey: 'tencent-temporary-secret-key-0123', token: 'session-token-of-the-temporary-key' };

interface SdkAnswer {
  readonly score?: number;
  readonly faceModelVersion?: string;
  readonly requestId?: string;
  readonly exception?: { readonly code: string; readonly message: string; readonly requestId: string | null };
}

describe('Tencent Cloud official Python SDK', () => {
  let images: TestImages;
  let host: ImageHost;
  let pool: EnginePool;
  let app: FastifyInstance;
  let endpoint: string;
  let url: string;
  let liveScore: number;
  let spoofScore: number;

  const sdk = (job: Record<string, unknown>): Promise<SdkAnswer> =>
    runPythonSdk<SdkAnswer>('tencent_detect.py', { endpoint, secretId: TENCENT_SECRET_ID, secretKey: TENCENT_SECRET_KEY, ...job }, SDK_DIR);

  const raises = async (job: Record<string, unknown>, code: string): Promise<void> => {
    const answer = await sdk(job);
    assert.ok(answer.exception, `expected TencentCloudSDKException ${code}, got ${JSON.stringify(answer)}`);
    assert.equal(answer.exception.code, code, answer.exception.message);
    assert.match(answer.exception.requestId ?? '', /^[0-9a-f-]{36}$/);
  };

  before(async () => {
    images = await testImages();
    host = await startImageHost(images);
    const config = httpConfig({
      server: { urlFetch: { allowCidrs: ['127.0.0.0/8'] } },
    });
    const withTemporary = {
      ...config,
      server: { ...config.server, tencent: { ...config.server.tencent, credentials: [...config.server.tencent.credentials, TEMPORARY] } },
    };
    pool = await testPool(withTemporary);
    let base: string;
    ({ app, url: base } = await listeningServer(withTemporary, pool));
    url = base;
    endpoint = new URL(base).host;
    liveScore = (await pool.analyse(images.live)).score;
    spoofScore = (await pool.analyse(images.spoof)).score;
  });
  after(async () => {
    await app?.close();
    await pool?.close();
    await host?.close();
  });

  test('answers carry Content-Type exactly application/json, errors and successes alike', async () => {
    const error = tencentCall({}, { host: endpoint, secretKey: 'wrong-secret-key-0123456789' });
    const success = tencentCall({ Url: host.url('/live.jpg') }, { host: endpoint });
    for (const call of [error, success]) {
      const response = await fetch(`${url}/`, { method: 'POST', headers: call.headers, body: call.body });
      assert.equal(response.headers.get('content-type'), 'application/json');
      assert.equal(response.status, 200);
    }
    // Outside Tencent's `/`, the other surfaces keep their charset.
    const health = await fetch(`${url}/nope`);
    assert.equal(health.headers.get('content-type'), 'application/json; charset=utf-8');
  });

  test('TC3 POST (the default): the live and spoof samples score as the engine does', async () => {
    const live = await sdk({ Image: images.live.toString('base64'), FaceModelVersion: '3.0' });
    assert.equal(live.exception, undefined, JSON.stringify(live.exception));
    assert.equal(live.score, liveScore);
    assert.equal(live.faceModelVersion, '3.0');
    const spoof = await sdk({ Image: images.spoof.toString('base64') });
    assert.equal(spoof.score, spoofScore);
  });

  test('errors raise TencentCloudSDKException with Tencent codes', async () => {
    const image = images.live.toString('base64');
    await raises({ Image: image, secretKey: 'wrong-secret-key-0123456789' }, 'AuthFailure.SignatureFailure');
    await raises({ Image: image, secretId: 'AKIDunknownSecretId0000' }, 'AuthFailure.SignatureFailure');
    await raises({}, 'MissingParameter.ErrorParameterEmpty');
    await raises({ Image: images.noFace.toString('base64') }, 'InvalidParameterValue.NoFaceInPhoto');
    await raises({ Url: 'not a url' }, 'InvalidParameterValue.UrlIllegal');
    await raises({ Url: 'ftp://127.0.0.1/live.jpg' }, 'InvalidParameterValue.UrlIllegal');
    await raises({ Image: image, FaceModelVersion: '2.0' }, 'InvalidParameterValue.FaceModelVersionIllegal');
  });

  test('TC3 GET (reqMethod="GET"): the parameters in the query', async () => {
    const live = await sdk({ reqMethod: 'GET', Url: host.url('/live.jpg') });
    assert.equal(live.score, liveScore, JSON.stringify(live.exception));
    await raises({ reqMethod: 'GET', Url: host.url('/live.jpg'), secretKey: 'wrong-secret-key-0123456789' }, 'AuthFailure.SignatureFailure');
    await raises({ reqMethod: 'GET' }, 'MissingParameter.ErrorParameterEmpty');
  });

  for (const signMethod of ['HmacSHA256', 'HmacSHA1'] as const) {
    test(`signature v1 ${signMethod}: form body (POST) and query (GET)`, async () => {
      const post = await sdk({ signMethod, Image: images.spoof.toString('base64') });
      assert.equal(post.score, spoofScore, JSON.stringify(post.exception));
      const get = await sdk({ signMethod, reqMethod: 'GET', Url: host.url('/live.jpg') });
      assert.equal(get.score, liveScore, JSON.stringify(get.exception));
      await raises({ signMethod, Image: images.live.toString('base64'), secretKey: 'wrong-secret-key-0123456789' }, 'AuthFailure.SignatureFailure');
      await raises({ signMethod, reqMethod: 'GET', Url: host.url('/live.jpg'), secretId: 'AKIDunknownSecretId0000' }, 'AuthFailure.SignatureFailure');
      await raises({ signMethod, Image: images.noFace.toString('base64') }, 'InvalidParameterValue.NoFaceInPhoto');
    });
  }

  test('a temporary credential: its token is required (X-TC-Token, Token), another is refused', async () => {
    const image = images.live.toString('base64');
    const tc3 = await sdk({ ...TEMPORARY, Image: image });
    assert.equal(tc3.score, liveScore, JSON.stringify(tc3.exception));
    const v1 = await sdk({ ...TEMPORARY, signMethod: 'HmacSHA256', reqMethod: 'GET', Url: host.url('/live.jpg') });
    assert.equal(v1.score, liveScore, JSON.stringify(v1.exception));
    await raises({ ...TEMPORARY, token: 'another-token', Image: image }, 'AuthFailure.TokenFailure');
    await raises({ ...TEMPORARY, token: undefined, signMethod: 'HmacSHA1', Image: image }, 'AuthFailure.TokenFailure');
    await raises({ token: 'a-token-for-a-permanent-key', Image: image }, 'AuthFailure.TokenFailure');
  });
});
