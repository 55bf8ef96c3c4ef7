/**
 * The three dialects side by side, in-process (fastify.inject): the same image gives every
 * dialect the engine's own score, and every error that does not depend on a dialect's auth or
 * header rules (image, URL, body, admission, engine state) is answered in each dialect's envelope
 * with the code its mapping names: native `{error: {code}}` with the catalogue status, Tencent
 * `Response.Error.Code` at HTTP 200, Ace Data `{success: false, error: {code}}` with its status
 * and the catalogue code at the start of the message.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { ACEDATA_ERRORS } from '../../src/api/acedata/errors.js';
import { NATIVE_STATUS } from '../../src/api/native/errors.js';
import { TENCENT_ERRORS } from '../../src/api/tencent/errors.js';
import type { Config } from '../../src/config/schema.js';
import type { EnginePool } from '../../src/engine/engine-pool.js';
import { FaceliveError, type ErrorCode } from '../../src/errors/catalogue.js';
import {
  ACEDATA_AUTH,
  NATIVE_AUTH,
  httpConfig,
  startImageHost,
  tencentCall,
  testPool,
  testServer,
  type ImageHost,
  type TestImages,
  startHttpFixture,
  type HttpFixture,
} from '../helpers/http-server.js';

type Dialect = 'native' | 'tencent' | 'acedata';
const DIALECTS: readonly Dialect[] = ['native', 'tencent', 'acedata'];

/** What to send: an image as base64, a URL, or a raw body with its content type. */
type Payload = { base64: string } | { url: string } | { empty: true } | { raw: string; contentType: string } | { wrongType: true };

function fieldsFor(dialect: Dialect, payload: Payload): unknown {
  const names = { native: ['image', 'imageUrl'], tencent: ['Image', 'Url'], acedata: ['image_base64', 'image_url'] }[dialect];
  if ('base64' in payload) return { [names[0]]: payload.base64 };
  if ('url' in payload) return { [names[1]]: payload.url };
  if ('wrongType' in payload) return { [names[1]]: 12345 };
  return {};
}

function send(app: FastifyInstance, dialect: Dialect, payload: Payload): Promise<LightMyRequestResponse> {
  const raw = 'raw' in payload ? payload.raw : JSON.stringify(fieldsFor(dialect, payload));
  const contentType = 'raw' in payload ? payload.contentType : 'application/json';
  if (dialect === 'tencent') {
    const call = tencentCall(undefined, { rawBody: raw });
    return app.inject({ method: 'POST', url: '/', headers: { ...call.headers, 'content-type': contentType }, payload: raw });
  }
  const url = dialect === 'native' ? '/v1/liveness' : '/face/detect-live';
  const auth = dialect === 'native' ? NATIVE_AUTH : ACEDATA_AUTH;
  return app.inject({ method: 'POST', url, headers: { ...auth, 'content-type': contentType }, payload: raw });
}

function scoreOf(dialect: Dialect, response: LightMyRequestResponse): number {
  const body = response.json();
  assert.equal(response.statusCode, 200, response.body);
  if (dialect === 'tencent') {
    assert.equal(body.Response.Error, undefined, response.body);
    assert.equal(body.Response.FaceModelVersion, '3.0');
    assert.match(body.Response.RequestId, /^[0-9a-f-]{36}$/);
    return body.Response.Score;
  }
  if (dialect === 'acedata') {
    assert.deepEqual(Object.keys(body).sort(), ['face_model_version', 'score']);
    assert.equal(body.face_model_version, '3.0');
    return body.score;
  }
  assert.equal(body.requestId, response.headers['x-request-id']);
  return body.score;
}

/** Asserts that `response` carries catalogue `code` in `dialect`'s envelope. */
export function assertDialectError(dialect: Dialect, response: LightMyRequestResponse, code: ErrorCode): void {
  const body = response.json();
  const requestId = response.headers['x-request-id'];
  if (dialect === 'native') {
    assert.equal(body.error?.code, code, response.body);
    assert.equal(response.statusCode, NATIVE_STATUS[code], response.body);
    assert.equal(body.requestId, requestId);
    assert.equal(typeof body.error.message, 'string');
  } else if (dialect === 'tencent') {
    assert.equal(response.statusCode, 200, response.body);
    assert.equal(body.Response?.Error?.Code, TENCENT_ERRORS[code], `${code}: ${response.body}`);
    assert.equal(body.Response.RequestId, requestId);
  } else {
    assert.equal(response.statusCode, ACEDATA_ERRORS[code].status, response.body);
    assert.equal(body.success, false);
    assert.equal(body.error?.code, ACEDATA_ERRORS[code].code, response.body);
    assert.ok(body.error.message.startsWith(`${code}: `), body.error.message);
    assert.equal(body.trace_id, requestId);
  }
}

describe('dialects in-process', () => {
  let config: Config;
  let pool: EnginePool;
  let app: FastifyInstance;
  let images: TestImages;
  let host: ImageHost;
  let fixture: HttpFixture;
  let closedPort: number;

  before(async () => {
    config = httpConfig({
      server: { urlFetch: { allowCidrs: ['127.0.0.1/32'], totalTimeoutMs: 800, maxBytes: 500_000 } },
    });
    fixture = await startHttpFixture(config);
    ({ images, host, pool, app } = fixture);
    // A loopback port with nothing listening: connecting is refused at once.
    const probe = await startImageHost(images);
    closedPort = probe.port;
    await probe.close();
  });
  after(() => fixture?.close());

  test('the same image gives every dialect the engine score (base64 and URL)', async () => {
    for (const [bytes, path] of [
      [images.live, '/live.jpg'],
      [images.spoof, '/spoof.jpg'],
    ] as const) {
      const expected = (await pool.analyse(bytes)).score;
      for (const dialect of DIALECTS) {
        assert.equal(scoreOf(dialect, await send(app, dialect, { base64: bytes.toString('base64') })), expected, `${dialect} base64`);
        assert.equal(scoreOf(dialect, await send(app, dialect, { url: host.url(path) })), expected, `${dialect} url`);
      }
    }
    assert.ok((await pool.analyse(images.live)).score > (await pool.analyse(images.spoof)).score);
  });

  test('a redirect to an allowed address is followed', async () => {
    const expected = (await pool.analyse(images.live)).score;
    for (const dialect of DIALECTS) assert.equal(scoreOf(dialect, await send(app, dialect, { url: host.url('/redirect/live') })), expected);
  });

  const cases: readonly [string, ErrorCode, () => Payload][] = [
    ['empty image', 'IMAGE_EMPTY', () => ({ base64: '' })],
    ['not base64', 'IMAGE_BASE64_INVALID', () => ({ base64: '@@@@ not base64 @@@@' })],
    ['base64 of more than maxEncodedBytes', 'IMAGE_SIZE_EXCEEDED', () => ({ base64: 'A'.repeat(5_300_000) })],
    ['text instead of an image', 'IMAGE_FORMAT_UNSUPPORTED', () => ({ base64: images.text.toString('base64') })],
    ['truncated JPEG', 'IMAGE_DECODE_FAILED', () => ({ base64: images.truncated.toString('base64') })],
    ['12100 px long JPEG', 'IMAGE_RESOLUTION_EXCEEDED', () => ({ base64: images.tooLong.toString('base64') })],
    ['48 px image', 'IMAGE_RESOLUTION_TOO_SMALL', () => ({ base64: images.tooSmall.toString('base64') })],
    ['no face', 'FACE_NOT_FOUND', () => ({ base64: images.noFace.toString('base64') })],
    ['face under 100 px', 'FACE_TOO_SMALL', () => ({ base64: images.smallFace.toString('base64') })],
    ['no image field', 'ARGUMENT_MISSING', () => ({ empty: true })],
    ['URL of the wrong type', 'INVALID_ARGUMENT', () => ({ wrongType: true })],
    ['malformed JSON', 'REQUEST_MALFORMED', () => ({ raw: '{"image": ', contentType: 'application/json' })],
    ['text/plain body', 'REQUEST_CONTENT_TYPE_UNSUPPORTED', () => ({ raw: 'hello', contentType: 'text/plain' })],
    ['URL that does not parse', 'URL_INVALID', () => ({ url: 'not a url' })],
    ['file: URL', 'URL_SCHEME_UNSUPPORTED', () => ({ url: 'file:///etc/passwd' })],
    ['metadata-service URL', 'URL_ADDRESS_REFUSED', () => ({ url: 'http://169.254.169.254/latest/meta-data/' })],
    ['redirect to a refused address', 'URL_ADDRESS_REFUSED', () => ({ url: host.url('/redirect/metadata') })],
    ['redirect loop', 'URL_REDIRECT_LIMIT', () => ({ url: host.url('/redirect/loop') })],
    ['404 image URL', 'URL_HTTP_STATUS', () => ({ url: host.url('/missing') })],
    ['oversize body', 'URL_TOO_LARGE', () => ({ url: host.url('/big') })],
    ['slow body', 'URL_TIMEOUT', () => ({ url: host.url('/slow') })],
    ['refused connection', 'URL_FETCH_FAILED', () => ({ url: `http://127.0.0.1:${closedPort}/x.jpg` })],
  ];
  for (const [name, code, payload] of cases) {
    test(`${name} → ${code} in every dialect`, async () => {
      for (const dialect of DIALECTS) assertDialectError(dialect, await send(app, dialect, payload()), code);
    });
  }

  test('REQUEST_BODY_TOO_LARGE in every dialect, before the engine', async () => {
    const small = httpConfig({ server: { bodyLimitBytes: 50_000 } });
    const { app: limited } = await testServer(small, pool);
    try {
      for (const dialect of DIALECTS) {
        assertDialectError(dialect, await send(limited, dialect, { base64: images.live.toString('base64') }), 'REQUEST_BODY_TOO_LARGE');
      }
    } finally {
      await limited.close();
    }
  });

  test('RATE_LIMITED per credential in every dialect, with Retry-After', async () => {
    const limited = httpConfig({ server: { rateLimit: { ratePerSecond: 0.2, burst: 1 } } });
    const { app: server } = await testServer(limited, pool);
    try {
      for (const dialect of DIALECTS) {
        // The first call spends the credential's only token; each dialect's credential has its own bucket.
        assertDialectError(dialect, await send(server, dialect, { base64: images.text.toString('base64') }), 'IMAGE_FORMAT_UNSUPPORTED');
        const refused = await send(server, dialect, { base64: images.text.toString('base64') });
        assertDialectError(dialect, refused, 'RATE_LIMITED');
        if (dialect !== 'tencent') assert.equal(refused.headers['retry-after'], '5');
      }
    } finally {
      await server.close();
    }
  });

  test('SERVER_OVERLOADED at once when the worker and queue are taken, in every dialect', async () => {
    const tight = await testPool(config, 0);
    const { app: server } = await testServer(config, tight);
    try {
      for (const dialect of DIALECTS) {
        const started = performance.now();
        const responses = await Promise.all([1, 2, 3].map(() => send(server, dialect, { base64: images.live.toString('base64') })));
        const accepted = responses.filter((r) => r.statusCode === 200 && !r.json().Response?.Error);
        const refused = responses.filter((r) => !accepted.includes(r));
        assert.equal(accepted.length, 1, responses.map((r) => r.body).join('\n'));
        for (const response of refused) assertDialectError(dialect, response, 'SERVER_OVERLOADED');
        assert.ok(performance.now() - started < 5_000);
      }
    } finally {
      await server.close();
      await tight.close();
    }
  });

  test('SERVER_NOT_READY while the models load; model faults and internal errors keep their codes', async () => {
    const pending = new Promise<EnginePool>(() => undefined);
    const broken = Promise.reject(new FaceliveError('MODEL_FILE_MISSING', { modelId: 'x', file: '/secret/path/x.onnx', modelsDir: '/secret/path' }));
    broken.catch(() => undefined);
    const crashing: EnginePool = {
      size: 1,
      maxQueue: 1,
      queued: 0,
      analyse: async () => {
        throw new TypeError('undefined is not a function (inside the engine)');
      },
      close: async () => undefined,
    };
    const expectations: [Promise<EnginePool> | EnginePool, ErrorCode][] = [
      [pending, 'SERVER_NOT_READY'],
      [broken, 'MODEL_FILE_MISSING'],
      [crashing, 'INTERNAL_ERROR'],
    ];
    for (const [engine, code] of expectations) {
      const { app: server, logs } = await testServer(config, engine);
      try {
        for (const dialect of DIALECTS) {
          const response = await send(server, dialect, { base64: images.live.toString('base64') });
          assertDialectError(dialect, response, code);
          assert.doesNotMatch(response.body, /secret\/path|inside the engine/, 'internal details never reach the client');
        }
        if (code !== 'SERVER_NOT_READY') assert.match(logs.text(), /request failed/, 'internal faults are logged with their cause');
      } finally {
        await server.close();
      }
    }
  });
});
