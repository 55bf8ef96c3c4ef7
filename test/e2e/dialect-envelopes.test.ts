/**
 * The framework answers that need a real socket, for every dialect of `DIALECTS` (the in-process
 * cases are in test/http/dialects.test.ts): headers over Node's limit (431), a request line or
 * header the HTTP parser refuses (400), and a request arriving while the server shuts down (503),
 * each in the envelope of the dialect owning the path, with a request id and one log line; and
 * an upload aborted mid-body, which must leave the server answering and log no internal error.
 */
import assert from 'node:assert/strict';
import net, { type AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import type { Dialect } from '../../src/api/dialect.js';
import { DIALECTS } from '../../src/api/dialects.js';
import type { Config } from '../../src/config/schema.js';
import type { EnginePool } from '../../src/engine/engine-pool.js';
import { reviveError, type FaceliveError, type HttpErrorCode } from '../../src/errors/catalogue.js';
import { formBody, jsonBody, multipartBody, probeOf, type DialectProbe } from '../helpers/dialect-probe.js';
import { NATIVE_AUTH, gatedImageHost, httpConfig, testImages, testPool, testServer, type LogCapture, type TestImages } from '../helpers/http-server.js';
import { connect, exchange, parseResponses, requestBytes, type RawResponse } from '../helpers/raw-http.js';

const probes = new Map<string, DialectProbe>(await Promise.all(DIALECTS.map(async (dialect) => [dialect.name, await probeOf(dialect)] as const)));

/** Asserts `response` is `code` in `dialect`'s envelope, with its request id in the header, the body and one log line. */
function assertEnvelope(dialect: Dialect, response: RawResponse, code: HttpErrorCode, logs: LogCapture): void {
  const probe = probes.get(dialect.name)!;
  const expected = dialect.errors.render(reviveError(code, {}) as FaceliveError<HttpErrorCode>, 'x');
  const body: unknown = JSON.parse(response.body);
  assert.equal(
    probe.errorOf(response.status, body),
    probe.errorOf(expected.status, expected.body),
    `${dialect.name}, ${code}: ${response.status} ${response.body}`,
  );
  assert.equal(response.headers['content-type'], dialect.contentType ?? 'application/json; charset=utf-8', `${dialect.name}, ${code}: Content-Type`);
  const requestId = response.headers['x-request-id'];
  assert.ok(requestId && response.body.includes(requestId), `${dialect.name}: request id in the header and the body`);
  assert.doesNotMatch(response.body, /FST_|HPE_/);
  const lines = logs.requests().filter((line) => line.reqId === requestId);
  assert.equal(lines.length, 1, `${dialect.name}: one log line for ${requestId}`);
  assert.equal(lines[0].dialect, dialect.name);
  assert.equal(lines[0].errorCode, code);
}

describe("framework answers on a listening server, in every dialect's envelope", () => {
  let config: Config;
  let pool: EnginePool;
  let images: TestImages;

  before(async () => {
    images = await testImages();
    config = httpConfig({ runtime: { workers: 1 }, server: { urlFetch: { allowCidrs: ['127.0.0.1/32'] } } });
    pool = await testPool(config);
  });
  after(() => pool?.close());

  /** A server on 127.0.0.1:0 around the shared pool; close it with `app.close()`. */
  const listen = async (): Promise<{ app: FastifyInstance; port: number; logs: LogCapture }> => {
    const { app, logs } = await testServer(config, pool);
    await app.listen({ port: 0, host: '127.0.0.1' });
    return { app, port: (app.server.address() as AddressInfo).port, logs };
  };

  for (const dialect of DIALECTS) {
    describe(dialect.name, () => {
      const probe = () => probes.get(dialect.name)!;

      test('headers over the limit → 431-class REQUEST_HEADERS_TOO_LARGE', async () => {
        const { app, port, logs } = await listen();
        try {
          // One write just over Node's 16 KiB, so the request line arrives with the overflow.
          const [response] = await exchange(port, requestBytes(probe().raw(jsonBody({})), { 'x-padding': 'a'.repeat(17_000) }));
          assertEnvelope(dialect, response, 'REQUEST_HEADERS_TOO_LARGE', logs);
        } finally {
          await app.close();
        }
      });

      test('a header name the HTTP parser refuses → REQUEST_MALFORMED', async () => {
        const { app, port, logs } = await listen();
        try {
          const [response] = await exchange(port, requestBytes(probe().raw(jsonBody({})), { 'bad header': 'y' }));
          assertEnvelope(dialect, response, 'REQUEST_MALFORMED', logs);
        } finally {
          await app.close();
        }
      });

      test('a request arriving while the server shuts down → SERVER_SHUTTING_DOWN, after the one in flight completed', async () => {
        const host = await gatedImageHost(images.live);
        const { app, port, logs } = await listen();
        try {
          const connection = await connect(port);
          // In flight: a native call waiting for its image.
          connection.write(
            requestBytes({
              method: 'POST',
              url: '/v1/liveness',
              headers: { ...NATIVE_AUTH, 'content-type': 'application/json' },
              payload: JSON.stringify({ imageUrl: host.url }),
            }),
          );
          await host.fetched;
          const closing = app.close();
          while (app.server.listening) await new Promise((resolve) => setTimeout(resolve, 5));
          // Pipelined on the same connection, after close() began.
          connection.write(requestBytes(probe().raw(jsonBody({}))));
          await new Promise((resolve) => setTimeout(resolve, 100));
          host.release();
          const [inFlight, refused] = parseResponses(await connection.closed);
          assert.equal(inFlight.status, 200, inFlight.body);
          assert.equal(typeof JSON.parse(inFlight.body).score, 'number');
          assert.ok(refused, 'the second request is answered');
          assertEnvelope(dialect, refused, 'SERVER_SHUTTING_DOWN', logs);
          assert.equal(refused.headers.connection, 'close');
          await closing;
        } finally {
          await app.close();
          await host.close();
        }
      });

      test('a body cut short by the client (half-close before Content-Length; multipart where taken) → REQUEST_MALFORMED', async () => {
        const { app, port, logs } = await listen();
        try {
          const fileField = probe().fileField;
          const base64 = images.live.toString('base64');
          // A body of a type the route reads (a form-only dialect refuses JSON before reading it).
          const body = fileField
            ? multipartBody([{ name: fileField, file: images.live }])
            : probe().accepts.json
              ? jsonBody({ image: base64, Image: base64 })
              : formBody({ image: base64 });
          const request = requestBytes(probe().raw(body));
          const socket = net.connect(port, '127.0.0.1');
          await new Promise((resolve) => socket.once('connect', resolve));
          const chunks: Buffer[] = [];
          socket.on('data', (chunk: Buffer) => chunks.push(chunk));
          const closed = new Promise((resolve) => socket.once('close', resolve));
          // Headers and half the body, then our side ends: the body can never be complete.
          socket.end(request.subarray(0, request.length - Math.floor(images.live.length / 2)));
          await closed;
          const [response] = parseResponses(Buffer.concat(chunks));
          assert.ok(response, 'the server answers the cut request');
          assertEnvelope(dialect, response, 'REQUEST_MALFORMED', logs);
        } finally {
          await app.close();
        }
      });

      test('an upload aborted mid-body leaves the server answering, with no internal error logged', async (t) => {
        if (!probe().fileField) return t.skip('takes no multipart body');
        const { app, port, logs } = await listen();
        try {
          const form = multipartBody([{ name: probe().fileField!, file: images.live }]);
          const request = requestBytes(probe().raw(form));
          const connection = await connect(port);
          connection.write(request.subarray(0, request.length - Math.floor(images.live.length / 2)));
          await new Promise((resolve) => setTimeout(resolve, 100));
          connection.destroy();
          await new Promise((resolve) => setTimeout(resolve, 200));
          const [health] = await exchange(port, 'GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n');
          assert.equal(health.status, 200);
          assert.deepEqual(
            logs.lines().filter((line) => line.msg === 'request failed'),
            [],
            'no internal error',
          );
        } finally {
          await app.close();
        }
      });
    });
  }
});
