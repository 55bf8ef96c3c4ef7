/**
 * The AccuAuth dialect (`POST /face/liveness_anti_hack`): the hack score of the samples on the
 * calibrated scale and its agreement with the engine's decision, `extra` (every field of the
 * document, types, quality consistency, neutral mask/eye values), `image_base64` (the face crop as
 * JPEG), the form rules (file or URL, image_id, 0/1 switches, non-images), every status of the
 * document in-process (credentials, expiry, permission, rate limit, call quota, detection,
 * download, not found, internal), the envelope of every catalogue code, config and env wiring,
 * and a few cases on a listening server.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import sharp from 'sharp';
import { ACCUAUTH_ERRORS, ACCUAUTH_HTTP_STATUS, accuAuthErrors } from '../../src/api/accuauth/errors.js';
import { keyTermsOf } from '../../src/api/accuauth/keys.js';
import { NO_MODEL_PROBABILITY } from '../../src/api/accuauth/response.js';
import { ACCUAUTH_HACK_THRESHOLD, accuauthAssessment } from '../../src/api/accuauth/score.js';
import { createMemoryCallQuota } from '../../src/api/call-quota.js';
import { loadConfig } from '../../src/config/load-config.js';
import type { Config } from '../../src/config/schema.js';
import { faceCropRegion } from '../../src/engine/crop/face-crop-jpeg.js';
import type { EnginePool } from '../../src/engine/engine-pool.js';
import { summariseQuality } from '../../src/engine/quality/quality-summary.js';
import type { QualitySignals } from '../../src/engine/types.js';
import { ERROR_CATALOGUE, type FaceliveError, HTTP_ERROR_CODES, type ErrorCode } from '../../src/errors/catalogue.js';
import { startServer, type RunningServer } from '../../src/server-lifecycle.js';
import {
  ACCUAUTH_API_ID as API_ID,
  ACCUAUTH_API_SECRET as API_SECRET,
  ACCUAUTH_AUTH as AUTH,
  API_KEY,
  TENCENT_SECRET_ID,
  TENCENT_SECRET_KEY,
  TEST_ENV,
  captureLogs,
  crashingPool,
  envWithout,
  httpConfig,
  testImages,
  testPool,
  testServer,
  type ImageHost,
  type TestImages,
  startHttpFixture,
  type HttpFixture,
} from '../helpers/http-server.js';
import { sampleError } from '../helpers/catalogue.js';
import { multipartBody } from '../helpers/dialect-probe.js';
import { SHARED_DIR } from '../helpers/paths.js';

const ENV: NodeJS.ProcessEnv = TEST_ENV;
const URL_PATH = '/face/liveness_anti_hack';

/** A parsed JSON body. */
type Json = Record<string, any>;

const EXTRA_TYPES: Record<string, 'number' | 'boolean' | 'object'> = {
  mask_proba: 'number',
  quality_score: 'number',
  quality_too_low: 'boolean',
  blur_or_dark: 'boolean',
  has_no_face: 'boolean',
  face_too_small: 'boolean',
  image_too_small: 'boolean',
  masked: 'boolean',
  face_quality_low: 'boolean',
  face_quality_score: 'number',
  is_live: 'boolean',
  live_proba: 'number',
  eye_closed: 'boolean',
  eye_score: 'number',
  // facelive's extensions for several faces (test/http/multi-face.test.ts).
  multiple_faces: 'boolean',
  faces: 'object',
};

/** A form part: a file (bytes, with a file name) or a text field. */
type Part = Parameters<typeof multipartBody>[0][number];

function post(app: FastifyInstance, parts: readonly Part[], headers: Record<string, string> = AUTH, url = URL_PATH): Promise<LightMyRequestResponse> {
  const { payload, contentType } = multipartBody(parts);
  return app.inject({ method: 'POST', url, headers: { ...headers, 'content-type': contentType }, payload });
}

const file = (bytes: Buffer): Part => ({ name: 'liveness_data_file', file: bytes });

/** Asserts the document's error envelope, status and HTTP code, and the facelive code at the start of the reason. */
function assertAccuAuthError(response: LightMyRequestResponse, status: keyof typeof ACCUAUTH_HTTP_STATUS, code: ErrorCode, reasonIncludes?: string): void {
  assert.equal(response.statusCode, ACCUAUTH_HTTP_STATUS[status], response.body);
  const body = response.json();
  assert.deepEqual(Object.keys(body).sort(), ['reason', 'request_id', 'status']);
  assert.equal(body.status, status, response.body);
  assert.ok(body.reason.startsWith(`${code}: `), body.reason);
  if (reasonIncludes) assert.ok(body.reason.includes(reasonIncludes), `${body.reason} should name ${reasonIncludes}`);
  assert.equal(body.request_id, response.headers['x-request-id']);
}

/** Credentials of `server.accuauth.credentials` (the patch replaces the env credential's list). */
function withKeys(keys: readonly Record<string, unknown>[], patch: Record<string, unknown> = {}): Config {
  return httpConfig({ ...patch, server: { ...((patch.server as object) ?? {}), accuauth: { credentials: keys } } }, ENV);
}

describe('AccuAuth dialect in-process', () => {
  let pool: EnginePool;
  let app: FastifyInstance;
  let config: Config;
  let images: TestImages;
  let host: ImageHost;
  let fixture: HttpFixture;

  before(async () => {
    // Calibrated, so that the samples are judged on the scale the 0.98 threshold is defined on.
    // A 1 MB download cap of its own (the default is 32 MiB), under the image host's 8 MiB /big.
    config = httpConfig({ calibration: { enabled: true }, server: { urlFetch: { allowCidrs: ['127.0.0.1/32'], maxBytes: 1_000_000 } } }, ENV);
    fixture = await startHttpFixture(config);
    ({ images, host, pool, app } = fixture);
  });
  after(() => fixture?.close());

  test('success: {request_id, status: "OK", score} only, by default', async () => {
    const response = await post(app, [file(images.live)]);
    assert.equal(response.statusCode, 200, response.body);
    const body = response.json();
    assert.deepEqual(Object.keys(body), ['request_id', 'status', 'score']);
    assert.equal(body.status, 'OK');
    assert.equal(body.request_id, response.headers['x-request-id']);
    assert.equal(typeof body.score, 'number');
  });

  test('hack score: the live sample is below 0.98, both spoofs at or above, and it agrees with the engine decision', async () => {
    const samples: [string, Buffer, 'live' | 'spoof'][] = [
      ['image_T1.jpg', images.live, 'live'],
      ['image_F1.jpg', images.spoof, 'spoof'],
      ['image_F2.jpg', images.spoof2, 'spoof'],
    ];
    for (const [name, bytes, truth] of samples) {
      const engine = await pool.analyse(bytes);
      const response = await post(app, [file(bytes), { name: 'return_extra', value: '1' }]);
      assert.equal(response.statusCode, 200, response.body);
      const { score, extra } = response.json();
      assert.ok(score >= 0 && score <= 1, `${name}: ${score}`);
      assert.equal(score, accuauthAssessment(engine).hackScore, `${name}: the dialect reports the engine's mapped score`);
      assert.equal(score < ACCUAUTH_HACK_THRESHOLD, engine.decision === 'live', `${name}: hack < 0.98 ⟺ engine decision live`);
      assert.equal(extra.is_live, engine.decision === 'live');
      assert.equal(extra.live_proba >= 0.5, engine.decision === 'live', `${name}: live_proba ≥ 0.5 ⟺ live`);
      if (truth === 'live') assert.ok(score < ACCUAUTH_HACK_THRESHOLD, `${name}: ${score}`);
      else assert.ok(score >= ACCUAUTH_HACK_THRESHOLD, `${name}: ${score}`);
    }
  });

  test('extra: every field of the document with its type; quality scores agree with their flags; mask and eyes neutral', async () => {
    const engine = await pool.analyse(images.live);
    const response = await post(app, [file(images.live), { name: 'return_extra', value: '1' }, { name: 'return_image', value: '0' }]);
    assert.equal(response.statusCode, 200, response.body);
    const body = response.json();
    assert.deepEqual(Object.keys(body), ['request_id', 'status', 'score', 'extra']);
    const { extra } = body;
    assert.deepEqual(Object.keys(extra).sort(), Object.keys(EXTRA_TYPES).sort());
    for (const [field, type] of Object.entries(EXTRA_TYPES)) assert.equal(typeof extra[field], type, field);
    for (const field of ['quality_score', 'face_quality_score', 'live_proba', 'mask_proba', 'eye_score']) {
      assert.ok(extra[field] >= 0 && extra[field] <= 1, `${field}: ${extra[field]}`);
    }
    assert.equal(extra.quality_score < 0.5, extra.quality_too_low);
    assert.equal(extra.face_quality_score < 0.5, extra.face_quality_low);
    assert.ok(extra.quality_score <= extra.face_quality_score, 'the image score includes the face score');
    assert.deepEqual(
      { mask_proba: extra.mask_proba, masked: extra.masked, eye_score: extra.eye_score, eye_closed: extra.eye_closed },
      { mask_proba: NO_MODEL_PROBABILITY, masked: false, eye_score: NO_MODEL_PROBABILITY, eye_closed: false },
    );
    assert.deepEqual(
      { has_no_face: extra.has_no_face, face_too_small: extra.face_too_small, image_too_small: extra.image_too_small },
      { has_no_face: false, face_too_small: false, image_too_small: false },
    );
    assert.equal(extra.blur_or_dark, engine.quality.blurry || engine.quality.dark);
    assert.equal(extra.multiple_faces, false);
    assert.equal(extra.faces.length, engine.faces.length);
    const summary = summariseQuality(engine.quality, engine.image, { ...config.quality, minShortSide: config.limits.minShortSide });
    assert.equal(extra.quality_score, summary.imageScore);
    assert.equal(extra.face_quality_score, summary.faceScore);
  });

  test('image_base64: the primary face region (10 % margin, clamped) as a JPEG of that size', async () => {
    const engine = await pool.analyse(images.live);
    const response = await post(app, [file(images.live), { name: 'return_image', value: '1' }]);
    assert.equal(response.statusCode, 200, response.body);
    const body = response.json();
    assert.deepEqual(Object.keys(body), ['request_id', 'status', 'score', 'image_base64']);
    const jpeg = Buffer.from(body.image_base64, 'base64');
    assert.deepEqual([...jpeg.subarray(0, 3)], [0xff, 0xd8, 0xff], 'JPEG magic');
    const meta = await sharp(jpeg).metadata();
    assert.equal(meta.format, 'jpeg');
    const face = engine.faces[0].box;
    const region = faceCropRegion(face, engine.image.width, engine.image.height);
    assert.deepEqual([meta.width, meta.height], [region.width, region.height]);
    assert.ok(region.x <= face.x && region.y <= face.y, 'the region contains the face box');
    assert.ok(region.x + region.width >= Math.min(engine.image.width, face.x + face.width));
    assert.ok(region.width <= Math.ceil(face.width * 1.2) + 2 && region.height <= Math.ceil(face.height * 1.2) + 2, 'a small margin only');
    // The engine's own crop is the same region, and the crop never reaches results that did not ask.
    const withCrop = await pool.analyse(images.live, { returnFaceCrop: true });
    assert.deepEqual(withCrop.faceCrop?.box, region);
    assert.equal('faceCrop' in engine, false);
  });

  test("both switches: extra and image_base64 together, in the document's order", async () => {
    const response = await post(app, [file(images.live), { name: 'return_image', value: '1' }, { name: 'return_extra', value: '1' }]);
    assert.deepEqual(Object.keys(response.json()), ['request_id', 'status', 'score', 'extra', 'image_base64']);
  });

  test('liveness_data_url: fetched with the safe fetcher; unknown fields are ignored', async () => {
    const response = await post(app, [
      { name: 'liveness_data_url', value: host.url('/spoof.jpg') },
      { name: 'motion', value: 'blink' },
    ]);
    assert.equal(response.statusCode, 200, response.body);
    assert.equal(response.json().score, accuauthAssessment(await pool.analyse(images.spoof)).hackScore);
  });

  test('INVALID_ARGUMENT: anything in liveness_data_file that is not a decodable image, naming the field', async () => {
    assertAccuAuthError(await post(app, [file(images.text)]), 'INVALID_ARGUMENT', 'IMAGE_FORMAT_UNSUPPORTED', 'liveness_data_file');
    assert.match((await post(app, [file(images.text)])).json().reason, /protobuf/);
    assertAccuAuthError(
      await post(app, [file(Buffer.from('\x0a\x10protobuf-ish\x12\x04abcd'))]),
      'INVALID_ARGUMENT',
      'IMAGE_FORMAT_UNSUPPORTED',
      'liveness_data_file',
    );
    assertAccuAuthError(await post(app, [file(images.truncated)]), 'INVALID_ARGUMENT', 'IMAGE_DECODE_FAILED', 'liveness_data_file');
    assertAccuAuthError(await post(app, [file(Buffer.alloc(0))]), 'INVALID_ARGUMENT', 'IMAGE_EMPTY', 'liveness_data_file');
    assertAccuAuthError(await post(app, [file(images.tooSmall)]), 'INVALID_ARGUMENT', 'IMAGE_RESOLUTION_TOO_SMALL', 'liveness_data_file');
    assertAccuAuthError(await post(app, [file(images.tooLong)]), 'INVALID_ARGUMENT', 'IMAGE_RESOLUTION_EXCEEDED', 'liveness_data_file');
    assertAccuAuthError(await post(app, [{ name: 'liveness_data_file', value: 'abc' }]), 'INVALID_ARGUMENT', 'INVALID_ARGUMENT', 'liveness_data_file');
  });

  test('INVALID_ARGUMENT: missing image, both sources, image_id, 0/1 switches, non-multipart bodies', async () => {
    assertAccuAuthError(await post(app, []), 'INVALID_ARGUMENT', 'ARGUMENT_MISSING', 'liveness_data_file');
    assertAccuAuthError(await post(app, [{ name: 'return_extra', value: '1' }]), 'INVALID_ARGUMENT', 'ARGUMENT_MISSING', 'liveness_data_file');
    assertAccuAuthError(
      await post(app, [file(images.live), { name: 'liveness_data_url', value: host.url('/live.jpg') }]),
      'INVALID_ARGUMENT',
      'INVALID_ARGUMENT',
      'liveness_data_file/liveness_data_url',
    );
    const imageId = await post(app, [{ name: 'image_id', value: 'a3f0c2' }]);
    assertAccuAuthError(imageId, 'INVALID_ARGUMENT', 'INVALID_ARGUMENT', 'image_id');
    assert.match(imageId.json().reason, /H5 liveness SDK/);
    assertAccuAuthError(await post(app, [file(images.live), { name: 'image_id', value: 'x' }]), 'INVALID_ARGUMENT', 'INVALID_ARGUMENT', 'image_id');
    // An empty field is absent (multipart-form.ts), so '' is not among the refused values.
    for (const value of ['2', 'true', ' 1', '-1']) {
      assertAccuAuthError(await post(app, [file(images.live), { name: 'return_image', value }]), 'INVALID_ARGUMENT', 'INVALID_ARGUMENT', 'return_image');
      assertAccuAuthError(await post(app, [file(images.live), { name: 'return_extra', value }]), 'INVALID_ARGUMENT', 'INVALID_ARGUMENT', 'return_extra');
    }
    assertAccuAuthError(
      await post(app, [file(images.live), { name: 'return_extra', value: '1' }, { name: 'return_extra', value: '0' }]),
      'INVALID_ARGUMENT',
      'INVALID_ARGUMENT',
      'return_extra',
    );
    assertAccuAuthError(
      await post(app, [file(images.live), { name: 'liveness_data_file', file: images.spoof }]),
      'INVALID_ARGUMENT',
      'INVALID_ARGUMENT',
      'liveness_data_file',
    );
    const json = await app.inject({
      method: 'POST',
      url: URL_PATH,
      headers: { ...AUTH, 'content-type': 'application/json' },
      payload: '{"liveness_data_url":"x"}',
    });
    assertAccuAuthError(json, 'INVALID_ARGUMENT', 'REQUEST_CONTENT_TYPE_UNSUPPORTED', 'multipart/form-data');
    assertAccuAuthError(await app.inject({ method: 'POST', url: URL_PATH, headers: AUTH }), 'INVALID_ARGUMENT', 'ARGUMENT_MISSING', 'liveness_data_file');
    const noBoundary = await app.inject({ method: 'POST', url: URL_PATH, headers: { ...AUTH, 'content-type': 'multipart/form-data' }, payload: 'x' });
    assertAccuAuthError(noBoundary, 'INVALID_ARGUMENT', 'REQUEST_MALFORMED', 'multipart/form-data');
    const { payload: whole, contentType } = multipartBody([file(images.live)]);
    const cut = await app.inject({ method: 'POST', url: URL_PATH, headers: { ...AUTH, 'content-type': contentType }, payload: whole.subarray(0, 5000) });
    assertAccuAuthError(cut, 'INVALID_ARGUMENT', 'REQUEST_MALFORMED');
  });

  test('DETETION_FAILED 400: no face, face too small', async () => {
    assertAccuAuthError(await post(app, [file(images.noFace)]), 'DETETION_FAILED', 'FACE_NOT_FOUND');
    assertAccuAuthError(await post(app, [file(images.smallFace)]), 'DETETION_FAILED', 'FACE_TOO_SMALL');
  });

  test('DOWNLOAD_ERROR 400 when the fetch fails; INVALID_ARGUMENT for URLs facelive refuses to fetch', async () => {
    assertAccuAuthError(
      await post(app, [{ name: 'liveness_data_url', value: host.url('/missing') }]),
      'DOWNLOAD_ERROR',
      'URL_HTTP_STATUS',
      'liveness_data_url',
    );
    assertAccuAuthError(await post(app, [{ name: 'liveness_data_url', value: host.url('/redirect/loop') }]), 'DOWNLOAD_ERROR', 'URL_REDIRECT_LIMIT');
    assertAccuAuthError(await post(app, [{ name: 'liveness_data_url', value: host.url('/big') }]), 'DOWNLOAD_ERROR', 'URL_TOO_LARGE');
    assertAccuAuthError(
      await post(app, [{ name: 'liveness_data_url', value: 'http://10.1.2.3/a.jpg' }]),
      'INVALID_ARGUMENT',
      'URL_ADDRESS_REFUSED',
      'liveness_data_url',
    );
    assertAccuAuthError(
      await post(app, [{ name: 'liveness_data_url', value: 'ftp://example.com/a.jpg' }]),
      'INVALID_ARGUMENT',
      'URL_SCHEME_UNSUPPORTED',
      'liveness_data_url',
    );
    assertAccuAuthError(await post(app, [{ name: 'liveness_data_url', value: 'not a url' }]), 'INVALID_ARGUMENT', 'URL_INVALID', 'liveness_data_url');
  });

  test('UNAUTHORIZED 401: headers missing or empty, unknown API ID, wrong secret', async () => {
    const parts = [file(images.live)];
    assertAccuAuthError(await post(app, parts, {}), 'UNAUTHORIZED', 'AUTH_CREDENTIAL_MISSING', 'X-DF-API-ID and X-DF-API-SECRET absent');
    assertAccuAuthError(await post(app, parts, { 'x-df-api-id': API_ID }), 'UNAUTHORIZED', 'AUTH_CREDENTIAL_MISSING', 'X-DF-API-SECRET absent');
    assertAccuAuthError(await post(app, parts, { 'x-df-api-secret': API_SECRET }), 'UNAUTHORIZED', 'AUTH_CREDENTIAL_MISSING', 'X-DF-API-ID absent');
    assertAccuAuthError(await post(app, parts, { ...AUTH, 'x-df-api-secret': ' ' }), 'UNAUTHORIZED', 'AUTH_CREDENTIAL_MISSING');
    assertAccuAuthError(await post(app, parts, { ...AUTH, 'x-df-api-id': 'someone-else' }), 'UNAUTHORIZED', 'AUTH_CREDENTIAL_INVALID');
    assertAccuAuthError(await post(app, parts, { ...AUTH, 'x-df-api-secret': `${API_SECRET}x` }), 'UNAUTHORIZED', 'AUTH_CREDENTIAL_INVALID');
    // The secret of one key never opens another key's API ID.
    const { app: two } = await testServer(
      withKeys([
        { apiId: API_ID, apiSecret: API_SECRET },
        { apiId: 'other-app', apiSecret: 'other-secret-0123456789' },
      ]),
      pool,
    );
    try {
      assertAccuAuthError(await post(two, parts, { 'x-df-api-id': 'other-app', 'x-df-api-secret': API_SECRET }), 'UNAUTHORIZED', 'AUTH_CREDENTIAL_INVALID');
      assert.equal((await post(two, parts, { 'x-df-api-id': 'other-app', 'x-df-api-secret': 'other-secret-0123456789' })).statusCode, 200);
    } finally {
      await two.close();
    }
  });

  test('UNAUTHORIZED 401 for every call when no AccuAuth credential is configured', async () => {
    const { app: bare } = await testServer(httpConfig({}, envWithout('accuauth')), pool);
    try {
      assertAccuAuthError(await post(bare, [file(images.live)]), 'UNAUTHORIZED', 'AUTH_NOT_CONFIGURED');
    } finally {
      await bare.close();
    }
  });

  test('UNAUTHORIZED 401 for a valid credential of another facelive API, as for an unknown one', async () => {
    const parts = [file(images.live)];
    const other = await post(app, parts, { 'x-df-api-id': TENCENT_SECRET_ID, 'x-df-api-secret': TENCENT_SECRET_KEY });
    assertAccuAuthError(other, 'UNAUTHORIZED', 'AUTH_CREDENTIAL_INVALID');
    assert.ok(!other.json().reason.includes('Tencent'), 'the owner of the credential is not named');
    assertAccuAuthError(await post(app, parts, { 'x-df-api-id': 'whatever', 'x-df-api-secret': API_KEY }), 'UNAUTHORIZED', 'AUTH_CREDENTIAL_INVALID');
    // A Tencent SecretId with a wrong key is just wrong.
    assertAccuAuthError(
      await post(app, parts, { 'x-df-api-id': TENCENT_SECRET_ID, 'x-df-api-secret': 'not-the-key-0123456789' }),
      'UNAUTHORIZED',
      'AUTH_CREDENTIAL_INVALID',
    );
  });

  test('KEY_EXPIRED 401 from the configured expiry on; a key before its expiry works', async () => {
    const config2 = withKeys([
      { apiId: 'expired-app', apiSecret: 'expired-secret-0123456789', expiresAt: '2020-01-01' },
      { apiId: 'expiring-app', apiSecret: 'expiring-secret-0123456789', expiresAt: '2099-12-31T23:59:59+01:00' },
    ]);
    const { app: server } = await testServer(config2, pool);
    try {
      const expired = await post(server, [file(images.live)], { 'x-df-api-id': 'expired-app', 'x-df-api-secret': 'expired-secret-0123456789' });
      assertAccuAuthError(expired, 'KEY_EXPIRED', 'AUTH_CREDENTIAL_EXPIRED', '2020-01-01');
      // A wrong secret for an expired key is UNAUTHORIZED: expiry is only told to the key's owner.
      assertAccuAuthError(
        await post(server, [file(images.live)], { 'x-df-api-id': 'expired-app', 'x-df-api-secret': 'guess-0123456789abcdef' }),
        'UNAUTHORIZED',
        'AUTH_CREDENTIAL_INVALID',
      );
      const valid = await post(server, [file(images.live)], { 'x-df-api-id': 'expiring-app', 'x-df-api-secret': 'expiring-secret-0123456789' });
      assert.equal(valid.statusCode, 200, valid.body);
    } finally {
      await server.close();
    }
  });

  test('KEY_EXPIRED follows the server clock (context.now)', async () => {
    const config2 = withKeys([{ apiId: API_ID, apiSecret: API_SECRET, expiresAt: '2030-06-01T12:00:00Z' }]);
    let nowMs = Date.parse('2030-06-01T11:59:59Z');
    const { app: server } = await testServer(config2, pool, { now: () => nowMs });
    try {
      assert.equal((await post(server, [file(images.live)])).statusCode, 200);
      nowMs = Date.parse('2030-06-01T12:00:00Z');
      assertAccuAuthError(await post(server, [file(images.live)]), 'KEY_EXPIRED', 'AUTH_CREDENTIAL_EXPIRED');
    } finally {
      await server.close();
    }
  });

  test('RATE_LIMIT_EXCEEDED 403 per API ID, with Retry-After', async () => {
    const { app: server } = await testServer(withKeys([{ apiId: API_ID, apiSecret: API_SECRET, ratePerSecond: 0.2, burst: 1 }]), pool);
    try {
      assertAccuAuthError(await post(server, [file(images.text)]), 'INVALID_ARGUMENT', 'IMAGE_FORMAT_UNSUPPORTED');
      const refused = await post(server, [file(images.text)]);
      assertAccuAuthError(refused, 'RATE_LIMIT_EXCEEDED', 'RATE_LIMITED');
      assert.equal(refused.headers['retry-after'], '5');
    } finally {
      await server.close();
    }
  });

  test('OUT_OF_QUOTA 403: only calls answered OK are counted, and an exhausted key is refused before its body is read', async () => {
    const { app: server } = await testServer(
      withKeys([
        { apiId: API_ID, apiSecret: API_SECRET, callQuota: 2 },
        { apiId: 'none-left', apiSecret: 'none-left-secret-0123456789', callQuota: 0 },
      ]),
      pool,
    );
    try {
      assertAccuAuthError(await post(server, [file(images.noFace)]), 'DETETION_FAILED', 'FACE_NOT_FOUND');
      assertAccuAuthError(await post(server, [file(images.text)]), 'INVALID_ARGUMENT', 'IMAGE_FORMAT_UNSUPPORTED');
      assert.equal((await post(server, [file(images.live)])).statusCode, 200);
      assert.equal((await post(server, [file(images.spoof), { name: 'return_extra', value: '1' }])).statusCode, 200);
      assertAccuAuthError(await post(server, [file(images.live)]), 'OUT_OF_QUOTA', 'CALL_QUOTA_EXCEEDED', 'quota of 2 calls');
      // Refused before the form is read: even a broken form gets OUT_OF_QUOTA.
      assertAccuAuthError(await post(server, [{ name: 'image_id', value: 'x' }]), 'OUT_OF_QUOTA', 'CALL_QUOTA_EXCEEDED');
      assertAccuAuthError(
        await post(server, [file(images.live)], { 'x-df-api-id': 'none-left', 'x-df-api-secret': 'none-left-secret-0123456789' }),
        'OUT_OF_QUOTA',
        'CALL_QUOTA_EXCEEDED',
      );
    } finally {
      await server.close();
    }
  });

  test('the quota holds under concurrent calls: never more successes than the quota', async () => {
    const busy = await testPool(config, 16, 1);
    const { app: server } = await testServer(withKeys([{ apiId: API_ID, apiSecret: API_SECRET, callQuota: 2 }]), busy);
    try {
      const responses = await Promise.all(Array.from({ length: 5 }, () => post(server, [file(images.live)])));
      const statuses = responses.map((r) => r.json().status).sort();
      assert.deepEqual(statuses, ['OK', 'OK', 'OUT_OF_QUOTA', 'OUT_OF_QUOTA', 'OUT_OF_QUOTA']);
    } finally {
      await server.close();
      await busy.close();
    }
  });

  test('NOT_FOUND 404: other methods and paths under the route', async () => {
    const get = await app.inject({ method: 'GET', url: URL_PATH, headers: AUTH });
    assertAccuAuthError(get, 'NOT_FOUND', 'ROUTE_NOT_FOUND');
    assertAccuAuthError(await post(app, [file(images.live)], AUTH, `${URL_PATH}/v2`), 'NOT_FOUND', 'ROUTE_NOT_FOUND');
  });

  test('body over server.bodyLimitBytes → INVALID_ARGUMENT naming the limit', async () => {
    const { app: small } = await testServer(httpConfig({ server: { bodyLimitBytes: 20_000 } }, ENV), pool);
    try {
      assertAccuAuthError(await post(small, [file(images.live)]), 'INVALID_ARGUMENT', 'REQUEST_BODY_TOO_LARGE', '20000 bytes');
    } finally {
      await small.close();
    }
  });

  test('overload → RATE_LIMIT_EXCEEDED with Retry-After; models loading and internal faults → INTERNAL_ERROR 500', async () => {
    const tight = await testPool(config, 0);
    const noWaitingRoom = { ...config, server: { ...config.server, admission: { maxWaiting: 0, maxWaitMs: 2_000 } } };
    const { app: server } = await testServer(noWaitingRoom, tight);
    try {
      const responses = await Promise.all([1, 2, 3].map(() => post(server, [file(images.live)])));
      const refused = responses.filter((r) => r.statusCode !== 200);
      assert.equal(refused.length, 2, responses.map((r) => r.body).join('\n'));
      for (const response of refused) {
        assertAccuAuthError(response, 'RATE_LIMIT_EXCEEDED', 'SERVER_OVERLOADED');
        assert.equal(response.headers['retry-after'], '1');
      }
    } finally {
      await server.close();
      await tight.close();
    }
    const engines: [EnginePool | Promise<EnginePool>, ErrorCode][] = [
      [new Promise<EnginePool>(() => undefined), 'SERVER_NOT_READY'],
      [crashingPool(), 'INTERNAL_ERROR'],
    ];
    for (const [engine, code] of engines) {
      const { app: server2 } = await testServer(config, engine);
      try {
        const response = await post(server2, [file(images.live)]);
        assertAccuAuthError(response, 'INTERNAL_ERROR', code);
        assert.doesNotMatch(response.body, /inside the engine/);
      } finally {
        await server2.close();
      }
    }
  });

  test('one log line per request with the dialect and the API ID; never the secret or the face crop', async () => {
    const logs = captureLogs();
    const { app: server } = await testServer(config, pool, { logger: logs.logger });
    try {
      const response = await post(server, [file(images.live), { name: 'return_image', value: '1' }, { name: 'return_extra', value: '1' }]);
      const crop = response.json().image_base64 as string;
      const [line] = logs.requests();
      assert.equal(logs.requests().length, 1);
      assert.equal(line.dialect, 'accuauth');
      assert.equal(line.credential, 'env');
      assert.equal(line.status, 200);
      assert.equal(line.verdict, 'live');
      assert.ok(!logs.text().includes(API_SECRET), 'no secret');
      assert.ok(!logs.text().includes(crop.slice(0, 64)), 'no crop');
    } finally {
      await server.close();
    }
  });
});

describe('AccuAuth error envelope', () => {
  test("every code renders with its status and the document's HTTP code; non-client-safe details stay out", () => {
    for (const code of HTTP_ERROR_CODES) {
      const rendered = accuAuthErrors.render(sampleError(code), 'request-1');
      const status = ACCUAUTH_ERRORS[code];
      assert.equal(rendered.status, ACCUAUTH_HTTP_STATUS[status], code);
      const body = rendered.body as { status: string; reason: string; request_id: string };
      assert.equal(body.status, status);
      assert.equal(body.request_id, 'request-1');
      assert.ok(body.reason.startsWith(`${code}: `), body.reason);
      assert.doesNotMatch(body.reason, /\{\w+\}/, `${code}: unfilled placeholder`);
      if (!ERROR_CATALOGUE[code].clientSafe) assert.doesNotMatch(body.reason, /<\w+>/, `${code}: unsafe params reached the client`);
    }
  });

  test("statuses and HTTP codes are the document's own (its spelling DETETION_FAILED included)", () => {
    const doc = readFileSync(path.join(SHARED_DIR, 'reference', '003_9ca0977b3b1f820b.txt'), 'utf8');
    for (const [status, http] of Object.entries(ACCUAUTH_HTTP_STATUS)) {
      assert.match(doc, new RegExp(`^${http} \\|\\n${status} \\|`, 'm'), `${http} ${status} is not in the document's table`);
    }
    assert.ok(Object.values(ACCUAUTH_ERRORS).includes('DETETION_FAILED'));
  });
});

describe('AccuAuth building blocks', () => {
  const base = loadConfig({}, {});
  const signals: QualitySignals = {
    faceSizePx: 170,
    faceCount: 1,
    contextRatio: 0.35,
    contextFraction: 0.9,
    insufficientContext: false,
    faceCutOff: false,
    brightness: 128,
    dark: false,
    overexposed: false,
    sharpness: 300,
    blurry: false,
    yawDeg: 5,
    rollDeg: 2,
    poseExtreme: false,
    colourfulness: 40,
    monochrome: false,
  };
  const limits = { ...base.quality, minShortSide: base.limits.minShortSide };
  const image = { width: 480, height: 640 };

  test('quality summary: 0.5 sits on each configured limit, every flag pulls its score below 0.5', () => {
    const good = summariseQuality(signals, image, limits);
    assert.ok(good.faceScore >= 0.5 && good.imageScore >= 0.5 && !good.faceLow && !good.imageLow, JSON.stringify(good));
    const flagged: [Partial<QualitySignals>, 'face' | 'image'][] = [
      [{ blurry: true, sharpness: 10 }, 'face'],
      [{ dark: true, brightness: 30 }, 'face'],
      [{ overexposed: true, brightness: 230 }, 'face'],
      [{ poseExtreme: true, yawDeg: 50 }, 'face'],
      [{ faceCutOff: true }, 'face'],
      // A rounded signal on its limit still lands on the flag's side.
      [{ blurry: true, sharpness: base.quality.blurryBelow }, 'face'],
      [{ insufficientContext: true, contextFraction: 0.1 }, 'image'],
      [{ monochrome: true, colourfulness: 1 }, 'image'],
    ];
    for (const [patch, group] of flagged) {
      const summary = summariseQuality({ ...signals, ...patch }, image, limits);
      assert.ok(summary.imageScore < 0.5 && summary.imageLow, JSON.stringify(patch));
      assert.equal(summary.faceScore < 0.5, group === 'face', JSON.stringify(patch));
      assert.equal(summary.faceLow, group === 'face', JSON.stringify(patch));
    }
    assert.equal(summariseQuality({ ...signals, sharpness: base.quality.blurryBelow }, image, limits).faceScore, 0.5, 'exactly 0.5 on the limit');
    assert.equal(summariseQuality({ ...signals, blurry: true, sharpness: 10 }, image, limits).blurOrDark, true);
    assert.equal(summariseQuality({ ...signals, overexposed: true, brightness: 230 }, image, limits).blurOrDark, false);
  });

  test('a retry verdict is never reported as a real person', () => {
    const retry = accuauthAssessment({ score: 95, decision: 'retry', threshold: 40 });
    assert.ok(retry.hackScore >= ACCUAUTH_HACK_THRESHOLD && retry.liveProbability < 0.5 && !retry.isLive, JSON.stringify(retry));
    for (const score of [0, 10, 39.99, 40, 40.01, 70, 100]) {
      const decision = score >= 40 ? 'live' : 'spoof';
      const verdict = accuauthAssessment({ score, decision, threshold: 40 });
      assert.equal(verdict.hackScore < ACCUAUTH_HACK_THRESHOLD, decision === 'live', `hack ${verdict.hackScore} at ${score}`);
      assert.equal(verdict.liveProbability >= 0.5, decision === 'live', `live_proba ${verdict.liveProbability} at ${score}`);
    }
  });

  test('in-memory call quota: take up to the quota, give back on failure', async () => {
    const store = createMemoryCallQuota();
    assert.equal(await store.take('k', 2), true);
    assert.equal(await store.take('k', 2), true);
    assert.equal(await store.take('k', 2), false);
    assert.equal(await store.used('k'), 2);
    await store.giveBack('k');
    assert.equal(await store.used('k'), 1);
    assert.equal(await store.used('other'), 0);
  });

  test('config: the env pair adds a credential (both or neither); expiresAt is checked against the calendar', async () => {
    const config = loadConfig({}, { FACELIVE_ACCUAUTH_API_ID: API_ID, FACELIVE_ACCUAUTH_API_SECRET: API_SECRET });
    assert.deepEqual(config.server.accuauth.credentials, [{ name: 'env', apiId: API_ID, apiSecret: API_SECRET }]);
    assert.throws(
      () => loadConfig({}, { FACELIVE_ACCUAUTH_API_ID: API_ID }),
      (error: FaceliveError) => error.code === 'CONFIG_INVALID' && /FACELIVE_ACCUAUTH_API_SECRET/.test(error.message),
    );
    assert.throws(
      () => loadConfig({}, { FACELIVE_ACCUAUTH_API_ID: API_ID, FACELIVE_ACCUAUTH_API_SECRET: 'short' }),
      (error: FaceliveError) => error.code === 'CONFIG_INVALID' && /apiSecret/.test(error.message) && !error.message.includes('short'),
    );
    const terms = (expiresAt: string) => keyTermsOf({ credentials: [{ apiId: 'a', apiSecret: API_SECRET, expiresAt }] });
    assert.equal(terms('2027-01-31')[0].expiresAt?.epochMs, Date.parse('2027-01-31T00:00:00Z'));
    assert.equal(terms('2027-01-31T18:00:00+01:00')[0].expiresAt?.epochMs, Date.parse('2027-01-31T17:00:00Z'));
    for (const bad of ['2027-02-30', '2027-13-01', '2027-01-31T25:00:00Z']) {
      assert.throws(
        () => terms(bad),
        (error: FaceliveError) => error.code === 'CONFIG_INVALID' && error.message.includes('expiresAt'),
        bad,
      );
    }
    // The server refuses to start with such a key.
    await assert.rejects(testServer(withKeys([{ apiId: 'a', apiSecret: API_SECRET, expiresAt: '2027-02-30' }]), new Promise<EnginePool>(() => undefined)), {
      code: 'CONFIG_INVALID',
    });
  });
});

describe('AccuAuth dialect on a listening server', () => {
  let running: RunningServer;
  let base: string;
  let images: TestImages;

  before(async () => {
    images = await testImages();
    const config = httpConfig({ server: { port: 0 }, runtime: { workers: 1 } }, ENV);
    running = await startServer(config, { logger: captureLogs().logger });
    await running.ready;
    base = `${running.url}${URL_PATH}`;
  });
  after(async () => {
    await running?.shutdown('test done');
  });

  const form = (entries: Record<string, string | Blob>) => {
    const data = new FormData();
    for (const [name, value] of Object.entries(entries)) data.append(name, value, ...(value instanceof Blob ? ['face.jpg'] : []));
    return data;
  };

  test('multipart over HTTP: score, extra and the face crop', async () => {
    const response = await fetch(base, {
      method: 'POST',
      headers: AUTH,
      body: form({ liveness_data_file: new Blob([images.live]), return_extra: '1', return_image: '1' }),
    });
    assert.equal(response.status, 200);
    const body = (await response.json()) as Json;
    assert.equal(body.status, 'OK');
    assert.equal(body.request_id, response.headers.get('x-request-id'));
    assert.ok(body.score < ACCUAUTH_HACK_THRESHOLD);
    assert.equal(body.extra.is_live, true);
    assert.equal((await sharp(Buffer.from(body.image_base64, 'base64')).metadata()).format, 'jpeg');
  });

  test('errors over HTTP: UNAUTHORIZED, INVALID_ARGUMENT, NOT_FOUND', async () => {
    const cases: [Record<string, string>, FormData | string, number, string][] = [
      [{}, form({ liveness_data_file: new Blob([images.live]) }), 401, 'UNAUTHORIZED'],
      [{ 'x-df-api-id': TENCENT_SECRET_ID, 'x-df-api-secret': TENCENT_SECRET_KEY }, form({ liveness_data_file: new Blob([images.live]) }), 401, 'UNAUTHORIZED'],
      [AUTH, form({ liveness_data_file: new Blob([images.text]) }), 400, 'INVALID_ARGUMENT'],
      [AUTH, form({ image_id: 'abc' }), 400, 'INVALID_ARGUMENT'],
      [{ ...AUTH, 'content-type': 'application/json' }, '{}', 400, 'INVALID_ARGUMENT'],
    ];
    for (const [headers, body, status, name] of cases) {
      const response = await fetch(base, { method: 'POST', headers, body });
      const json = (await response.json()) as Json;
      assert.equal(response.status, status, JSON.stringify(json));
      assert.equal(json.status, name);
      assert.equal(json.request_id, response.headers.get('x-request-id'));
    }
    const missing = await fetch(`${base}/nope`, { method: 'POST', headers: AUTH });
    assert.equal(missing.status, 404);
    assert.equal(((await missing.json()) as Json).status, 'NOT_FOUND');
  });
});
