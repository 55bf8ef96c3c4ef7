/**
 * Every dialect of `DIALECTS` side by side, in-process (fastify.inject), through its test probe
 * (test/helpers/dialect-probes/<name>.ts): the same image gives each dialect its number derived
 * from the engine's own result; every error that does not depend on a dialect's own rules
 * (image, URL, arguments, framework errors, admission, engine state) is answered in each
 * dialect's envelope with the code its mapping names, and the request's log line carries the
 * catalogue code. Cases a dialect cannot express (AccuAuth takes files, not base64; ADVANCE.AI
 * takes no URLs) are skipped with that reason. Every answer is also checked against the
 * server's OpenAPI document (test/helpers/openapi-check.ts).
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import type { Dialect } from '../../src/api/dialect.js';
import { DIALECTS, ownedPaths } from '../../src/api/dialects.js';
import type { Config } from '../../src/config/schema.js';
import type { EnginePool } from '../../src/engine/engine-pool.js';
import { FaceliveError, reviveError, type HttpErrorCode } from '../../src/errors/catalogue.js';
import { formBody, jsonBody, multipartBody, probeOf, send, type DialectProbe, type ProbeInput, type RawBody } from '../helpers/dialect-probe.js';
import {
  crashingPool,
  httpConfig,
  startHttpFixture,
  startImageHost,
  testPool,
  testServer,
  type HttpFixture,
  type ImageHost,
  type LogCapture,
  type TestImages,
} from '../helpers/http-server.js';

const probes = new Map<string, DialectProbe>(await Promise.all(DIALECTS.map(async (dialect) => [dialect.name, await probeOf(dialect)] as const)));
const probe = (dialect: Dialect) => probes.get(dialect.name)!;

/**
 * Asserts that `response` is `code` in `dialect`'s envelope: the status and vendor code the
 * dialect's renderer gives for it, the request id in the body, no framework code, and, when the
 * server's log is at hand, the catalogue code on the request's log line.
 */
export function assertDialectError(dialect: Dialect, response: LightMyRequestResponse, code: HttpErrorCode, logs?: LogCapture): void {
  const expected = dialect.errors.render(reviveError(code, {}) as FaceliveError<HttpErrorCode>, 'x');
  const requestId = String(response.headers['x-request-id']);
  const body: unknown = response.json();
  assert.equal(
    probe(dialect).errorOf(response.statusCode, body),
    probe(dialect).errorOf(expected.status, expected.body),
    `${dialect.name}, ${code}: ${response.body}`,
  );
  assert.ok(response.body.includes(requestId), `${dialect.name}: the body carries the request id`);
  assert.doesNotMatch(response.body, /FST_/, `${dialect.name}: no framework code`);
  // Exactly the dialect's Content-Type where a client depends on it (Tencent's Python SDK).
  assert.equal(response.headers['content-type'], dialect.contentType ?? 'application/json; charset=utf-8', `${dialect.name}, ${code}: Content-Type`);
  if (expected.headers['retry-after'] !== undefined) assert.ok(Number(response.headers['retry-after']) >= 1, `${dialect.name}, ${code}: Retry-After`);
  if (logs) {
    const line = logs.requests().find((entry) => entry.reqId === requestId);
    assert.equal(line?.errorCode, code, `${dialect.name}: the log line names ${code}`);
    assert.equal(line?.dialect, dialect.name, `${dialect.name}: the log line names the dialect`);
  }
}

/** Runs `run` once per dialect, as its own test; a string it returns is the reason the dialect cannot express the case (the test is skipped). */
function forEachDialect(name: string, run: (dialect: Dialect, probe: DialectProbe) => Promise<void | string>): void {
  describe(name, () => {
    for (const dialect of DIALECTS) {
      test(dialect.name, async (t) => {
        const skipped = await run(dialect, probe(dialect));
        if (typeof skipped === 'string') t.skip(skipped);
      });
    }
  });
}

/** The reason `dialectProbe` cannot carry `input`, if it cannot. */
function cannotCarry(dialectProbe: DialectProbe, input: ProbeInput): string | undefined {
  return dialectProbe.carries(input) ? undefined : `cannot carry a ${input.kind} image in this form`;
}

describe('dialects in-process', () => {
  let config: Config;
  let pool: EnginePool;
  let app: FastifyInstance;
  let logs: LogCapture;
  let images: TestImages;
  let host: ImageHost;
  let fixture: HttpFixture;
  let closedPort: number;

  const analyse = (dialect: Dialect, input: ProbeInput, server: FastifyInstance = app) => probe(dialect).analyse(server, input);

  before(async () => {
    // Small byte limits of its own (the defaults admit 32 MiB images), so that crossing them is cheap.
    config = httpConfig({
      limits: { maxEncodedBytes: 1_000_000 },
      server: { urlFetch: { allowCidrs: ['127.0.0.1/32'], totalTimeoutMs: 800, maxBytes: 500_000 } },
    });
    fixture = await startHttpFixture(config);
    ({ images, host, pool, app, logs } = fixture);
    // A loopback port with nothing listening: connecting is refused at once.
    const probeHost = await startImageHost(images);
    closedPort = probeHost.port;
    await probeHost.close();
  });
  after(() => fixture?.close());

  forEachDialect('the same image gives each dialect its number for the engine result (base64)', async (dialect, dialectProbe) => {
    for (const bytes of [images.live, images.spoof]) {
      const expected = dialectProbe.expectedNumber(await pool.analyse(bytes));
      assert.equal(dialectProbe.numberOf(await analyse(dialect, { kind: 'base64', value: bytes.toString('base64') })), expected);
    }
  });

  forEachDialect('the same image by URL, and through a redirect to an allowed address', async (dialect, dialectProbe) => {
    const skipped = cannotCarry(dialectProbe, { kind: 'url', url: host.url('/live.jpg') });
    if (skipped) return skipped;
    for (const [bytes, path] of [
      [images.live, '/live.jpg'],
      [images.spoof, '/spoof.jpg'],
      [images.live, '/redirect/live'],
    ] as const) {
      const expected = dialectProbe.expectedNumber(await pool.analyse(bytes));
      assert.equal(dialectProbe.numberOf(await analyse(dialect, { kind: 'url', url: host.url(path) })), expected, path);
    }
  });

  const imageCases: readonly [string, HttpErrorCode, () => ProbeInput][] = [
    ['empty image', 'IMAGE_EMPTY', () => ({ kind: 'base64', value: '' })],
    ['not base64', 'IMAGE_BASE64_INVALID', () => ({ kind: 'base64', value: '@@@@ not base64 @@@@' })],
    ['more than maxEncodedBytes', 'IMAGE_SIZE_EXCEEDED', () => ({ kind: 'base64', value: 'A'.repeat(1_400_000) })],
    ['text instead of an image', 'IMAGE_FORMAT_UNSUPPORTED', () => ({ kind: 'base64', value: images.text.toString('base64') })],
    ['truncated JPEG', 'IMAGE_DECODE_FAILED', () => ({ kind: 'base64', value: images.truncated.toString('base64') })],
    ['12100 px long JPEG', 'IMAGE_RESOLUTION_EXCEEDED', () => ({ kind: 'base64', value: images.tooLong.toString('base64') })],
    ['48 px image', 'IMAGE_RESOLUTION_TOO_SMALL', () => ({ kind: 'base64', value: images.tooSmall.toString('base64') })],
    ['no face', 'FACE_NOT_FOUND', () => ({ kind: 'base64', value: images.noFace.toString('base64') })],
    ['face under 100 px', 'FACE_TOO_SMALL', () => ({ kind: 'base64', value: images.smallFace.toString('base64') })],
    ['no image field', 'ARGUMENT_MISSING', () => ({ kind: 'none' })],
    ['image field of the wrong type', 'INVALID_ARGUMENT', () => ({ kind: 'wrongType' })],
  ];
  for (const [name, code, input] of imageCases) {
    forEachDialect(`${name} → ${code}`, async (dialect, dialectProbe) => {
      const sent = input();
      const skipped = cannotCarry(dialectProbe, sent);
      if (skipped) return skipped;
      assertDialectError(dialect, await analyse(dialect, sent), code, logs);
    });
  }

  const urlCases: readonly [string, HttpErrorCode, () => string][] = [
    ['URL that does not parse', 'URL_INVALID', () => 'not a url'],
    ['file: URL', 'URL_SCHEME_UNSUPPORTED', () => 'file:///etc/passwd'],
    ['metadata-service URL', 'URL_ADDRESS_REFUSED', () => 'http://169.254.169.254/latest/meta-data/'],
    ['redirect to a refused address', 'URL_ADDRESS_REFUSED', () => host.url('/redirect/metadata')],
    ['redirect loop', 'URL_REDIRECT_LIMIT', () => host.url('/redirect/loop')],
    ['404 image URL', 'URL_HTTP_STATUS', () => host.url('/missing')],
    ['oversize body', 'URL_TOO_LARGE', () => host.url('/big')],
    ['slow body', 'URL_TIMEOUT', () => host.url('/slow')],
    ['refused connection', 'URL_FETCH_FAILED', () => `http://127.0.0.1:${closedPort}/x.jpg`],
  ];
  for (const [name, code, url] of urlCases) {
    forEachDialect(`${name} → ${code}`, async (dialect, dialectProbe) => {
      const sent: ProbeInput = { kind: 'url', url: url() };
      const skipped = cannotCarry(dialectProbe, sent);
      if (skipped) return skipped;
      assertDialectError(dialect, await analyse(dialect, sent), code, logs);
    });
  }

  /** Framework errors: raw bodies to each dialect's main route, whatever its own parsing. */
  const framework: readonly [string, (dialectProbe: DialectProbe) => HttpErrorCode, () => RawBody][] = [
    [
      'malformed JSON',
      (p) => (p.accepts.json ? 'REQUEST_MALFORMED' : 'REQUEST_CONTENT_TYPE_UNSUPPORTED'),
      () => ({ payload: Buffer.from('{"image": '), contentType: 'application/json' }),
    ],
    ['an unsupported content type', () => 'REQUEST_CONTENT_TYPE_UNSUPPORTED', () => ({ payload: Buffer.from('hello'), contentType: 'text/plain' })],
    [
      'multipart without a boundary',
      (p) => (p.accepts.multipart ? 'REQUEST_MALFORMED' : 'REQUEST_CONTENT_TYPE_UNSUPPORTED'),
      () => ({ payload: Buffer.from('x'), contentType: 'multipart/form-data' }),
    ],
    [
      'multipart with a boundary the body does not use',
      (p) => (p.accepts.multipart ? 'REQUEST_MALFORMED' : 'REQUEST_CONTENT_TYPE_UNSUPPORTED'),
      () => ({ payload: multipartBody([{ name: 'image', file: images.live }]).payload, contentType: 'multipart/form-data; boundary=----not-the-one-used' }),
    ],
    [
      'multipart cut off in the middle of the file',
      (p) => (p.accepts.multipart ? 'REQUEST_MALFORMED' : 'REQUEST_CONTENT_TYPE_UNSUPPORTED'),
      () => {
        const whole = multipartBody([{ name: 'image', file: images.live }]);
        return { payload: whole.payload.subarray(0, 5_000), contentType: whole.contentType };
      },
    ],
  ];
  for (const [name, codeOf, body] of framework) {
    forEachDialect(`${name} → its catalogue code`, async (dialect, dialectProbe) => {
      assertDialectError(dialect, await send(app, dialectProbe.raw(body())), codeOf(dialectProbe), logs);
    });
  }

  forEachDialect('an unknown route under the prefix → ROUTE_NOT_FOUND', async (dialect, dialectProbe) => {
    const { method, url } = dialectProbe.unknownRoute;
    assertDialectError(dialect, await app.inject({ method, url }), 'ROUTE_NOT_FOUND', logs);
  });

  forEachDialect('a URL path that cannot be decoded → REQUEST_MALFORMED', async (dialect) => {
    // Under every path the dialect owns (a dialect may own several roots), except `/`.
    const prefixes = ownedPaths(dialect).filter((path) => path !== '/');
    if (prefixes.length === 0) return 'owns only "/", which always decodes';
    for (const prefix of prefixes) assertDialectError(dialect, await app.inject({ method: 'POST', url: `${prefix}/%E0%A4%A` }), 'REQUEST_MALFORMED', logs);
  });

  test("paths no dialect owns answer in the server's (native) envelope, logged as the server", async () => {
    const native = DIALECTS.find((dialect) => dialect.name === 'native')!;
    for (const url of ['/v2/liveness', '/nothing/here', '/%E0%A4%A']) {
      const response = await app.inject({ method: 'GET', url });
      assert.equal(response.statusCode, url.startsWith('/%') ? 400 : 404, response.body);
      assert.equal(
        probe(native).errorOf(response.statusCode, response.json()),
        `${response.statusCode} ${url.startsWith('/%') ? 'REQUEST_MALFORMED' : 'ROUTE_NOT_FOUND'}`,
      );
      const line = logs.requests().find((entry) => entry.reqId === response.headers['x-request-id']);
      assert.equal(line?.dialect, 'server');
    }
  });

  forEachDialect('a body over server.bodyLimitBytes → REQUEST_BODY_TOO_LARGE, before the engine', async (dialect, dialectProbe) => {
    const { app: limited, logs: limitedLogs } = await testServer(httpConfig({ server: { bodyLimitBytes: 20_000 } }), pool);
    try {
      const base64 = images.live.toString('base64');
      const bodies = [
        ...(dialectProbe.accepts.json ? [jsonBody({ image: base64, Image: base64, image_base64: base64 })] : []),
        ...(dialectProbe.fileField ? [multipartBody([{ name: dialectProbe.fileField, file: images.live }])] : []),
        ...(dialectProbe.accepts.form ? [formBody({ image: base64 })] : []),
      ];
      assert.ok(images.live.length > 20_000 && bodies.length > 0);
      for (const body of bodies) assertDialectError(dialect, await send(limited, dialectProbe.raw(body)), 'REQUEST_BODY_TOO_LARGE', limitedLogs);
    } finally {
      await limited.close();
    }
  });

  forEachDialect('RATE_LIMITED per credential, with Retry-After where the dialect sends it', async (dialect) => {
    const { app: server, logs: serverLogs } = await testServer(httpConfig({ server: { rateLimit: { ratePerSecond: 0.2, burst: 1 } } }), pool);
    try {
      // The first call spends the credential's only token.
      assertDialectError(
        dialect,
        await analyse(dialect, { kind: 'base64', value: images.text.toString('base64') }, server),
        'IMAGE_FORMAT_UNSUPPORTED',
        serverLogs,
      );
      assertDialectError(dialect, await analyse(dialect, { kind: 'base64', value: images.text.toString('base64') }, server), 'RATE_LIMITED', serverLogs);
    } finally {
      await server.close();
    }
  });

  forEachDialect('SERVER_OVERLOADED at once when the worker, queue and waiting room are taken', async (dialect, dialectProbe) => {
    const tight = await testPool(config, 0);
    const noWaitingRoom = { ...config, server: { ...config.server, admission: { maxWaiting: 0, maxWaitMs: 2_000 } } };
    const { app: server } = await testServer(noWaitingRoom, tight);
    try {
      const started = performance.now();
      const responses = await Promise.all([1, 2, 3].map(() => analyse(dialect, { kind: 'base64', value: images.live.toString('base64') }, server)));
      const refused = responses.filter((response) => dialectProbe.errorOf(response.statusCode, response.json()) !== undefined);
      assert.equal(refused.length, 2, responses.map((response) => response.body).join('\n'));
      for (const response of refused) assertDialectError(dialect, response, 'SERVER_OVERLOADED');
      assert.ok(performance.now() - started < 5_000);
    } finally {
      await server.close();
      await tight.close();
    }
  });

  const engineStates: readonly [string, () => EnginePool | Promise<EnginePool>, HttpErrorCode][] = [
    ['models still loading', () => new Promise<EnginePool>(() => undefined), 'SERVER_NOT_READY'],
    [
      'a model missing',
      () => {
        const broken = Promise.reject(new FaceliveError('MODEL_FILE_MISSING', { modelId: 'x', file: '/secret/path/x.onnx', modelsDir: '/secret/path' }));
        broken.catch(() => undefined);
        return broken;
      },
      'MODEL_FILE_MISSING',
    ],
    [
      'a calibration that failed to load (a command-line code)',
      () => {
        const broken = Promise.reject(new FaceliveError('CONFIG_INVALID', { reason: 'calibration file /secret/path/c.json is not JSON' }));
        broken.catch(() => undefined);
        return broken;
      },
      'INTERNAL_ERROR',
    ],
    ['a fault inside the engine', crashingPool, 'INTERNAL_ERROR'],
  ];
  for (const [name, engine, code] of engineStates) {
    forEachDialect(`${name} → ${code}; internal details only in the log`, async (dialect) => {
      const { app: server, logs: serverLogs } = await testServer(config, engine());
      try {
        const response = await analyse(dialect, { kind: 'base64', value: images.live.toString('base64') }, server);
        assertDialectError(dialect, response, code, serverLogs);
        assert.doesNotMatch(response.body, /secret\/path|inside the engine/, 'internal details never reach the client');
        if (code !== 'SERVER_NOT_READY') {
          const failures = serverLogs.lines().filter((line) => line.msg === 'request failed');
          assert.ok(
            failures.some((line) => /secret\/path|inside the engine/.test(JSON.stringify(line.err))),
            'internal faults are logged with their cause',
          );
        }
      } finally {
        await server.close();
      }
    });
  }
});
