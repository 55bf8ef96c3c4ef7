/**
 * The abuse findings of issue 13, each reproduced against a real listening server (127.0.0.1,
 * port 0) with raw sockets where the attack is about how bytes arrive: admission decided before
 * the body is read (a request refused while it has sent no byte of its body), small body limits
 * and a JSON depth cap before authentication, in-flight request bytes capped globally and per
 * client address, the request deadline enforced to the second, failed authentication throttled
 * per address with one uniform error, and a rate limit on every authenticated route.
 */
import assert from 'node:assert/strict';
import net from 'node:net';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import type { EnginePool } from '../../src/engine/engine-pool.js';
import { tokenRequestSignature } from '../../src/api/advance/token-request.js';
import { createMemoryRateLimiter, type RateLimiter } from '../../src/api/rate-limiter.js';
import {
  ACCUAUTH_API_ID,
  ACCUAUTH_AUTH,
  ACEDATA_AUTH,
  ACEDATA_TOKEN,
  ADVANCE_ACCESS_KEY,
  ADVANCE_SECRET_KEY,
  API_KEY,
  NATIVE_AUTH,
  TENCENT_SECRET_KEY,
  httpConfig,
  listeningServer,
  tencentCall,
  testImages,
  testPool,
  type TestImages,
} from '../helpers/http-server.js';

/** A raw HTTP/1.1 exchange: write what you like, read the answer when it comes. */
interface RawClient {
  readonly socket: net.Socket;
  write(data: string | Buffer): void;
  /** The first response on the connection (status, headers, JSON body), or undefined if the server closed without one. */
  response(): Promise<RawResponse | undefined>;
  /** Resolves when the server closes the connection. */
  closed(): Promise<void>;
  /** Whether a whole response or a close has come yet. */
  answered(): boolean;
}

interface RawResponse {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly json: any;
  /** Milliseconds from connecting to the whole response. */
  readonly ms: number;
}

function parseResponse(raw: Buffer, started: number): RawResponse | undefined {
  const text = raw.toString('latin1');
  const end = text.indexOf('\r\n\r\n');
  if (end < 0) return undefined;
  const [statusLine, ...lines] = text.slice(0, end).split('\r\n');
  const headers = Object.fromEntries(lines.map((line) => [line.slice(0, line.indexOf(':')).toLowerCase(), line.slice(line.indexOf(':') + 1).trim()]));
  const length = Number(headers['content-length'] ?? -1);
  const body = raw.subarray(Buffer.byteLength(text.slice(0, end + 4), 'latin1'));
  if (length >= 0 && body.length < length) return undefined;
  const bodyText = body.subarray(0, length >= 0 ? length : body.length).toString('utf8');
  return { status: Number(statusLine.split(' ')[1]), headers, json: bodyText ? JSON.parse(bodyText) : undefined, ms: performance.now() - started };
}

/** Every raw socket opened, so that a failed test cannot leave a server waiting on one at close. */
const sockets = new Set<net.Socket>();

function destroySockets(): void {
  for (const socket of sockets) socket.destroy();
  sockets.clear();
}

function rawClient(url: string): Promise<RawClient> {
  const { port } = new URL(url);
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const socket = net.connect(Number(port), '127.0.0.1');
    sockets.add(socket);
    let received = Buffer.alloc(0);
    let parsed: RawResponse | undefined;
    const waiters: ((response: RawResponse | undefined) => void)[] = [];
    const closeWaiters: (() => void)[] = [];
    let isClosed = false;
    socket.on('data', (chunk) => {
      received = Buffer.concat([received, chunk]);
      parsed ??= parseResponse(received, started);
      if (parsed) waiters.splice(0).forEach((wake) => wake(parsed));
    });
    socket.on('error', () => undefined);
    socket.on('close', () => {
      isClosed = true;
      waiters.splice(0).forEach((wake) => wake(parsed));
      closeWaiters.splice(0).forEach((wake) => wake());
    });
    socket.once('connect', () =>
      resolve({
        socket,
        write: (data) => {
          if (!socket.destroyed) socket.write(data);
        },
        response: () => (parsed || isClosed ? Promise.resolve(parsed) : new Promise((wake) => waiters.push(wake))),
        closed: () => (isClosed ? Promise.resolve() : new Promise((wake) => closeWaiters.push(wake))),
        answered: () => parsed !== undefined || isClosed,
      }),
    );
    socket.once('error', reject);
  });
}

/** The head of a POST whose body is `contentLength` bytes (sent separately, or never). */
function postHead(path: string, headers: Record<string, string>, contentLength: number): string {
  const lines = [
    `POST ${path} HTTP/1.1`,
    'Host: 127.0.0.1',
    `Content-Length: ${contentLength}`,
    ...Object.entries(headers).map(([name, value]) => `${name}: ${value}`),
  ];
  return `${lines.join('\r\n')}\r\n\r\n`;
}

/** The head of a POST whose body follows chunked (no Content-Length), as the Alibaba SDK sends its forms. */
function chunkedHead(path: string, headers: Record<string, string>): string {
  const lines = [
    `POST ${path} HTTP/1.1`,
    'Host: 127.0.0.1',
    'Transfer-Encoding: chunked',
    ...Object.entries(headers).map(([name, value]) => `${name}: ${value}`),
  ];
  return `${lines.join('\r\n')}\r\n\r\n`;
}

/** `data` as one chunk of a chunked body; an empty one ends the body. */
function chunk(data: string | Buffer): Buffer {
  const bytes = Buffer.from(data);
  return Buffer.concat([Buffer.from(`${bytes.length.toString(16)}\r\n`), bytes, Buffer.from('\r\n')]);
}

describe('abuse: admission before the body', () => {
  let images: TestImages;
  let pool: EnginePool;
  let app: FastifyInstance;
  let url: string;

  before(async () => {
    images = await testImages();
    // One worker and no queue: one engine request at a time is admitted.
    const config = httpConfig({ runtime: { workers: 1 }, server: { maxQueue: 0, admission: { maxWaiting: 0 } } });
    pool = await testPool(config, 0, 1);
    ({ app, url } = await listeningServer(config, pool));
  });
  after(async () => {
    destroySockets();
    await app?.close();
    await pool?.close();
  });

  test('with every place taken, a request is refused in its envelope before it sends a byte of its body; the place comes back', async () => {
    const body = JSON.stringify({ image: images.live.toString('base64') });
    // The first request is admitted on arrival and holds the one place while its body trickles in.
    const holder = await rawClient(url);
    holder.write(postHead('/v1/liveness', { ...NATIVE_AUTH, 'content-type': 'application/json' }, Buffer.byteLength(body)));
    holder.write(body.slice(0, 100));
    await new Promise((resolve) => setTimeout(resolve, 200));

    // Each dialect's overload answer arrives although not one byte of the 5 MB body was sent.
    const refusals = {
      native: { path: '/v1/liveness', headers: { ...NATIVE_AUTH, 'content-type': 'application/json' } },
      acedata: { path: '/face/detect-live', headers: { ...ACEDATA_AUTH, 'content-type': 'application/json' } },
      tencent: { path: '/', headers: tencentCall({ Image: 'x' }, { host: '127.0.0.1' }).headers },
    };
    const answers: Record<string, RawResponse> = {};
    for (const [dialect, { path, headers }] of Object.entries(refusals)) {
      const client = await rawClient(url);
      const { 'content-length': _length, host: _host, ...rest } = headers as Record<string, string>;
      client.write(postHead(path, rest, 5_000_000));
      const answer = await client.response();
      assert.ok(answer, `${dialect}: answered before its body was sent`);
      answers[dialect] = answer;
      client.socket.destroy();
    }
    assert.equal(answers.native.status, 503);
    assert.equal(answers.native.json.error.code, 'SERVER_OVERLOADED');
    assert.equal(answers.native.headers['retry-after'], '1');
    assert.equal(answers.acedata.status, 429);
    assert.equal(answers.acedata.json.error.code, 'too_many_requests');
    assert.equal(answers.tencent.status, 200);
    assert.equal(answers.tencent.json.Response.Error.Code, 'FailedOperation.RequestLimitExceeded');
    // Probes and routes that do not run the engine are not refused.
    assert.equal((await fetch(`${url}/healthz`)).status, 200);

    // The holder completes and is judged; its place is free again.
    holder.write(body.slice(100));
    const judged = await holder.response();
    assert.equal(judged?.status, 200, JSON.stringify(judged?.json));
    assert.equal(typeof judged?.json.score, 'number');
    holder.socket.destroy();
    const after = await fetch(`${url}/v1/liveness`, { method: 'POST', headers: { ...NATIVE_AUTH, 'content-type': 'application/json' }, body });
    assert.equal(after.status, 200);
  });

  test('in the waiting room a request waits without its body, then is refused with its connection closed', async () => {
    const roomy = await listeningServer(httpConfig({ runtime: { workers: 1 }, server: { maxQueue: 0, admission: { maxWaiting: 1, maxWaitMs: 300 } } }), pool);
    try {
      const body = JSON.stringify({ image: images.live.toString('base64') });
      const holder = await rawClient(roomy.url);
      holder.write(postHead('/v1/liveness', { ...NATIVE_AUTH, 'content-type': 'application/json' }, Buffer.byteLength(body)));
      holder.write(body.slice(0, 100));
      await new Promise((resolve) => setTimeout(resolve, 100));

      const waiter = await rawClient(roomy.url);
      const started = performance.now();
      waiter.write(postHead('/v1/liveness', { ...NATIVE_AUTH, 'content-type': 'application/json' }, 5_000_000));
      const answer = await waiter.response();
      const waitedMs = performance.now() - started;
      assert.equal(answer?.status, 503);
      assert.equal(answer?.json.error.code, 'SERVER_OVERLOADED');
      assert.equal(answer?.headers.connection, 'close', 'its unread body is not drained: the connection closes');
      assert.ok(waitedMs >= 280, `it waited (${waitedMs.toFixed(0)} ms), not refused at once`);
      waiter.socket.destroy();

      holder.write(body.slice(100));
      assert.equal((await holder.response())?.status, 200);
      holder.socket.destroy();
    } finally {
      await roomy.app.close();
    }
  });

  test('a client that goes away gives its place back', async () => {
    const client = await rawClient(url);
    client.write(postHead('/v1/liveness', { ...NATIVE_AUTH, 'content-type': 'application/json' }, 1000));
    await new Promise((resolve) => setTimeout(resolve, 100));
    client.socket.destroy();
    await new Promise((resolve) => setTimeout(resolve, 100));
    const body = JSON.stringify({ image: images.live.toString('base64') });
    const response = await fetch(`${url}/v1/liveness`, { method: 'POST', headers: { ...NATIVE_AUTH, 'content-type': 'application/json' }, body });
    assert.equal(response.status, 200);
  });
});

describe('abuse: nothing before authentication may cost much', () => {
  let images: TestImages;
  let pool: EnginePool;
  let app: FastifyInstance;
  let url: string;
  const TOKEN_ROUTE = '/openapi/auth/ticket/v1/generate-token';

  before(async () => {
    images = await testImages();
    const config = httpConfig({ runtime: { workers: 1 } });
    pool = await testPool(config, 4, 1);
    ({ app, url } = await listeningServer(config, pool));
  });
  after(async () => {
    destroySockets();
    await app?.close();
    await pool?.close();
  });

  test('a 5.8 MB nested body on the ADVANCE.AI token route is refused (413 in its envelope) before it is sent', async () => {
    const client = await rawClient(url);
    // The head alone: the refusal comes from the declared length, not from reading 5.8 MB.
    client.write(postHead(TOKEN_ROUTE, { 'content-type': 'application/json' }, 5_800_000));
    const answer = await client.response();
    client.socket.destroy();
    assert.ok(answer, 'answered without the body');
    assert.equal(answer.status, 200);
    assert.equal(answer.json.code, 'PARAMETER_ERROR');
    assert.match(answer.json.message, /^REQUEST_BODY_TOO_LARGE: .*16384 bytes/);
  });

  test('a deeply nested body within the limit is refused as malformed before it is parsed, in every dialect', async () => {
    const deep = (depth: number) => '['.repeat(depth) + ']'.repeat(depth);
    const token = await fetch(`${url}${TOKEN_ROUTE}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: deep(5000) });
    const tokenBody = (await token.json()) as { code: string; message: string };
    assert.equal(tokenBody.code, 'PARAMETER_ERROR');
    assert.match(tokenBody.message, /^REQUEST_MALFORMED: .*deeper than 32 levels/);

    const nativeBody = `{"image":${deep(2_000_000)}}`; // 4 MB of brackets, authenticated
    const started = performance.now();
    const native = await fetch(`${url}/v1/liveness`, { method: 'POST', headers: { ...NATIVE_AUTH, 'content-type': 'application/json' }, body: nativeBody });
    const nativeJson = (await native.json()) as { error: { code: string; message: string } };
    assert.equal(native.status, 400);
    assert.equal(nativeJson.error.code, 'REQUEST_MALFORMED');
    assert.match(nativeJson.error.message, /deeper than 32 levels/);
    assert.ok(performance.now() - started < 5_000, `refused in ${Math.round(performance.now() - started)} ms`);

    const call = tencentCall(undefined, { host: '127.0.0.1', rawBody: `{"Image":${deep(100)}}` });
    const tencent = await fetch(`${url}/`, { method: 'POST', headers: call.headers, body: call.body });
    const tencentJson = (await tencent.json()) as { Response: { Error: { Code: string; Message: string } } };
    assert.equal(tencentJson.Response.Error.Code, 'InvalidParameter.InvalidParameter');
    assert.match(tencentJson.Response.Error.Message, /deeper than 32 levels/);

    // Nesting within the cap, brackets inside strings included, still parses.
    const fine = await fetch(`${url}/v1/liveness`, {
      method: 'POST',
      headers: { ...NATIVE_AUTH, 'content-type': 'application/json' },
      body: JSON.stringify({ image: images.live.toString('base64'), returnFaces: true }),
    });
    assert.equal(fine.status, 200);
  });
});

describe('abuse: request bytes in flight and the request deadline', () => {
  const MB = 1_000_000;
  let pool: EnginePool;
  let perClient: { app: FastifyInstance; url: string };
  let global: { app: FastifyInstance; url: string };

  before(async () => {
    const base = { runtime: { workers: 1 } };
    // A 6 MiB body limit (the default is 48 MiB) for the 413 on a declared 7 MB.
    const config = httpConfig({
      ...base,
      server: { requestTimeoutMs: 2_000, bodyLimitBytes: 6_291_456, inFlight: { maxBytes: 0, maxBytesPerClient: 20 * MB } },
    });
    pool = await testPool(config, 4, 1);
    perClient = await listeningServer(config, pool);
    global = await listeningServer(httpConfig({ ...base, server: { requestTimeoutMs: 2_000, inFlight: { maxBytes: 13 * MB, maxBytesPerClient: 0 } } }), pool);
  });
  after(async () => {
    destroySockets();
    await perClient?.app.close();
    await global?.app.close();
    await pool?.close();
  });

  test('200 unfinished 6 MB uploads: three are received, the rest refused at once, and the deadline ends the three on time', async () => {
    const targets: { path: string; headers: Record<string, string> }[] = [
      { path: '/v1/liveness', headers: { ...NATIVE_AUTH, 'content-type': 'application/json' } },
      { path: '/', headers: { 'content-type': 'application/json', 'x-tc-action': 'DetectLiveFaceAccurate', 'x-tc-version': '2020-03-03' } },
    ];
    const clients = await Promise.all(
      Array.from({ length: 200 }, async (_, i) => {
        const client = await rawClient(perClient.url);
        const target = targets[i % 2];
        client.write(postHead(target.path, target.headers, 6 * MB));
        client.write(Buffer.alloc(64 * 1024, 0x20));
        return { client, target };
      }),
    );
    // Every upload gets one answer: a refusal for all but three, the deadline's 408 for those three.
    const answers = await Promise.all(clients.map(async ({ client, target }) => ({ answer: await client.response(), target })));
    const timedOut = answers.filter(({ answer }) => answer?.status === 408 || answer?.json?.Response?.Error?.Code === 'InvalidParameter.InvalidParameter');
    const refused = answers.filter((entry) => !timedOut.includes(entry));
    // 20 MB per address holds three 6 MB bodies; every other upload was refused on its head.
    assert.equal(timedOut.length, 3, `${timedOut.length} uploads were received until the deadline`);
    for (const { answer, target } of refused) {
      if (target.path === '/') assert.equal(answer?.json.Response.Error.Code, 'RequestLimitExceeded', JSON.stringify(answer));
      else {
        assert.equal(answer?.status, 429, JSON.stringify(answer));
        assert.equal(answer?.json.error.code, 'CLIENT_IN_FLIGHT_LIMITED');
      }
    }
    // The 2 s deadline ends the three to the second (Node's own check ran every 30 s), in their envelopes.
    for (const { answer, target } of timedOut) {
      assert.ok(answer && answer.ms >= 1_900 && answer.ms < 4_000, `deadline fired after ${Math.round(answer?.ms ?? -1)} ms`);
      if (target.path === '/') assert.equal(answer.json.Response.Error.Code, 'InvalidParameter.InvalidParameter');
      else assert.equal(answer.json.error.code, 'REQUEST_TIMEOUT');
    }
    for (const { client } of clients) client.socket.destroy();
    // Everything reserved was given back: a whole request is accepted again.
    const images = await testImages();
    await new Promise((resolve) => setTimeout(resolve, 200));
    const ok = await fetch(`${perClient.url}/v1/liveness`, {
      method: 'POST',
      headers: { ...NATIVE_AUTH, 'content-type': 'application/json' },
      body: JSON.stringify({ image: images.live.toString('base64') }),
    });
    assert.equal(ok.status, 200);
  });

  test('the global budget refuses with SERVER_IN_FLIGHT_LIMITED once it is spent', async () => {
    const opened: RawClient[] = [];
    const answers: (RawResponse | undefined)[] = [];
    for (let i = 0; i < 3; i++) {
      const client = await rawClient(global.url);
      opened.push(client);
      client.write(postHead('/v1/liveness', { ...NATIVE_AUTH, 'content-type': 'application/json' }, 6 * MB));
      await new Promise((resolve) => setTimeout(resolve, 150));
    }
    answers.push(await opened[2].response());
    assert.equal(answers[0]?.status, 503);
    assert.equal(answers[0]?.json.error.code, 'SERVER_IN_FLIGHT_LIMITED');
    assert.equal(answers[0]?.headers['retry-after'], '1');
    assert.equal(opened[0].answered() || opened[1].answered(), false, 'the first two are still being received');
    for (const client of opened) client.socket.destroy();
  });

  test('a declared length over the body limit is refused with 413 before any byte of the body', async () => {
    for (const contentType of ['application/json', 'multipart/form-data; boundary=x']) {
      const client = await rawClient(perClient.url);
      client.write(postHead('/v1/liveness', { ...NATIVE_AUTH, 'content-type': contentType }, 7 * MB));
      const answer = await client.response();
      client.socket.destroy();
      assert.equal(answer?.status, 413, contentType);
      assert.equal(answer?.json.error.code, 'REQUEST_BODY_TOO_LARGE');
    }
  });
});

describe('abuse: chunked bodies are counted as they arrive', () => {
  const MB = 1_000_000;
  let images: TestImages;
  let pool: EnginePool;
  let defaults: { app: FastifyInstance; url: string };
  let small: { app: FastifyInstance; url: string };
  const JSON_HEADERS = { ...NATIVE_AUTH, 'content-type': 'application/json' };

  before(async () => {
    images = await testImages();
    const config = httpConfig({ runtime: { workers: 1 } });
    pool = await testPool(config, 4, 1);
    defaults = await listeningServer(config, pool);
    small = await listeningServer(httpConfig({ runtime: { workers: 1 }, server: { inFlight: { maxBytes: 0, maxBytesPerClient: 2 * MB } } }), pool);
  });
  after(async () => {
    destroySockets();
    await defaults?.app.close();
    await small?.app.close();
    await pool?.close();
  });

  test('two chunked uploads from one address at once are both received and judged (default budgets)', async () => {
    const body = JSON.stringify({ image: images.live.toString('base64') });
    const half = Math.floor(body.length / 2);
    const clients = await Promise.all([rawClient(defaults.url), rawClient(defaults.url)]);
    for (const client of clients) client.write(Buffer.concat([Buffer.from(chunkedHead('/v1/liveness', JSON_HEADERS)), chunk(body.slice(0, half))]));
    // Both are half-way in at once: each holds what it sent, not the 48 MiB body limit.
    await new Promise((resolve) => setTimeout(resolve, 150));
    assert.equal(clients[0].answered() || clients[1].answered(), false, 'neither was refused');
    for (const client of clients) client.write(Buffer.concat([chunk(body.slice(half)), chunk('')]));
    for (const client of clients) {
      const answer = await client.response();
      assert.equal(answer?.status, 200, JSON.stringify(answer?.json));
      assert.equal(typeof answer?.json.score, 'number');
      client.socket.destroy();
    }
  });

  test('a chunked body refused before it is read (content type, credential) is discarded and its connection serves the next request', async () => {
    const socket = net.connect(Number(new URL(defaults.url).port), '127.0.0.1');
    sockets.add(socket);
    let received = '';
    socket.on('data', (data) => {
      received += data.toString('latin1');
    });
    await new Promise((resolve) => socket.once('connect', resolve));
    const wrongKey = { authorization: 'Bearer not-a-key-0123456789abcdef' };
    const refusals = [
      { headers: { ...NATIVE_AUTH, 'content-type': 'text/plain' }, status: 415 },
      { headers: { ...wrongKey, 'content-type': 'multipart/form-data; boundary=b' }, status: 401 },
      { headers: { ...wrongKey, 'content-type': 'application/json' }, status: 401 },
    ];
    for (const { headers } of refusals) {
      socket.write(Buffer.concat([Buffer.from(chunkedHead('/v1/liveness', headers)), chunk(Buffer.alloc(200_000, 0x41))]));
      await new Promise((resolve) => setTimeout(resolve, 100));
      socket.write(Buffer.concat([chunk(''), Buffer.from('GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n')]));
    }
    const deadline = Date.now() + 5_000;
    while ((received.match(/HTTP\/1\.1 /g) ?? []).length < 2 * refusals.length && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 20));
    const statuses = [...received.matchAll(/HTTP\/1\.1 (\d{3})/g)].map((match) => Number(match[1]));
    assert.deepEqual(
      statuses,
      refusals.flatMap(({ status }) => [status, 200]),
    );
    socket.destroy();
  });

  test('a chunked body that outgrows the per-client budget mid-stream: CLIENT_IN_FLIGHT_LIMITED in the envelope, connection closed, nothing kept', async () => {
    const boundary = 'facelive-boundary';
    const uploads = [
      { name: 'native JSON', path: '/v1/liveness', headers: JSON_HEADERS, prefix: '{"image":"', code: (json: any) => json.error.code, status: 429 },
      {
        name: 'native multipart',
        path: '/v1/liveness',
        headers: { ...NATIVE_AUTH, 'content-type': `multipart/form-data; boundary=${boundary}` },
        prefix: `--${boundary}\r\nContent-Disposition: form-data; name="image"; filename="a.jpg"\r\nContent-Type: image/jpeg\r\n\r\n`,
        code: (json: any) => json.error.code,
        status: 429,
      },
      {
        name: 'Tencent',
        path: '/',
        headers: (({ host: _host, 'content-length': _length, ...rest }) => rest)(
          tencentCall({ Image: 'x' }, { host: '127.0.0.1' }).headers as Record<string, string>,
        ),
        prefix: '{"Image":"',
        code: (json: any) => json.Response.Error.Code,
        status: 200,
      },
    ];
    for (const upload of uploads) {
      const client = await rawClient(small.url);
      client.write(Buffer.concat([Buffer.from(chunkedHead(upload.path, upload.headers)), chunk(upload.prefix)]));
      // 3 MB in 64 KiB chunks against a 2 MB budget; the refusal comes while the body is still arriving.
      for (let sent = 0; sent < 3 * MB && !client.answered(); sent += 65_536) {
        client.write(chunk(Buffer.alloc(65_536, 0x41)));
        await new Promise((resolve) => setImmediate(resolve));
      }
      const answer = await client.response();
      assert.ok(answer, `${upload.name}: answered`);
      assert.equal(answer.status, upload.status, `${upload.name}: ${JSON.stringify(answer.json)}`);
      assert.equal(upload.code(answer.json), upload.name === 'Tencent' ? 'RequestLimitExceeded' : 'CLIENT_IN_FLIGHT_LIMITED', upload.name);
      assert.equal(answer.headers.connection, 'close', upload.name);
      await client.closed();
    }
    // Every refused upload gave its bytes back: a chunked upload using most of the budget is judged.
    const body = JSON.stringify({ image: images.live.toString('base64') });
    const client = await rawClient(small.url);
    client.write(Buffer.concat([Buffer.from(chunkedHead('/v1/liveness', JSON_HEADERS)), chunk(body), chunk('')]));
    const answer = await client.response();
    assert.equal(answer?.status, 200, JSON.stringify(answer?.json));
    client.socket.destroy();
  });
});

describe('abuse: failed authentication', () => {
  let pool: EnginePool;
  let open: { app: FastifyInstance; url: string };
  let guarded: { app: FastifyInstance; url: string };
  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

  before(async () => {
    const config = httpConfig({ runtime: { workers: 1 } });
    pool = await testPool(config, 4, 1);
    open = await listeningServer(config, pool);
    const throttle = { freeFailures: 3, baseDelayMs: 600, maxDelayMs: 5_000, forgetAfterMs: 60_000 };
    guarded = await listeningServer(httpConfig({ runtime: { workers: 1 }, server: { authThrottle: throttle } }), pool);
  });
  after(async () => {
    destroySockets();
    await open?.app.close();
    await guarded?.app.close();
    await pool?.close();
  });

  test('one answer per dialect: which half of a credential was right, or whose it is, is not told', async () => {
    const same = (a: unknown, b: unknown, what: string) => assert.deepEqual(a, b, what);
    // Native and Ace Data: an unknown secret and another API's secret.
    const models = async (authorization: string) => {
      const response = await fetch(`${open.url}/v1/models`, { headers: { authorization } });
      const body = (await response.json()) as { error: unknown };
      return { status: response.status, error: body.error };
    };
    same(await models('Bearer an-unknown-key-0123456789'), await models(`Bearer ${ACEDATA_TOKEN}`), 'native');
    const ace = async (authorization: string) => {
      const response = await fetch(`${open.url}/face/detect-live`, {
        method: 'POST',
        headers: { authorization, 'content-type': 'application/json' },
        body: '{}',
      });
      const body = (await response.json()) as { error: { code: string; message: string } };
      return { status: response.status, code: body.error.code, message: body.error.message };
    };
    same(await ace('Bearer an-unknown-token-0123456789'), await ace(`Bearer ${API_KEY}`), 'Ace Data');
    // AccuAuth: a known ID with a wrong secret, an unknown ID, another API's pair.
    const accu = async (id: string, secret: string) => {
      const response = await fetch(`${open.url}/face/liveness_anti_hack`, {
        method: 'POST',
        headers: { 'x-df-api-id': id, 'x-df-api-secret': secret },
        body: new FormData(),
      });
      const body = (await response.json()) as { status: string; reason: string };
      return { status: response.status, code: body.status, reason: body.reason };
    };
    const accuWrongSecret = await accu(ACCUAUTH_API_ID, 'a-wrong-secret-0123456789');
    assert.equal(accuWrongSecret.status, 401);
    same(await accu('unknown-id', 'a-wrong-secret-0123456789'), accuWrongSecret, 'AccuAuth unknown ID');
    same(await accu(ADVANCE_ACCESS_KEY, ADVANCE_SECRET_KEY), accuWrongSecret, 'AccuAuth another API');
    // ADVANCE.AI token route: an unknown accessKey and a wrong signature of a known one.
    const token = async (accessKey: string, secretKey: string) => {
      const timestamp = Date.now();
      const signature = tokenRequestSignature(accessKey, secretKey, timestamp);
      const response = await fetch(`${open.url}/openapi/auth/ticket/v1/generate-token`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ accessKey, signature, timestamp: String(timestamp) }),
      });
      const body = (await response.json()) as { code: string; message: string };
      return { code: body.code, message: body.message };
    };
    const advanceWrong = await token(ADVANCE_ACCESS_KEY, 'a-wrong-secret-key-0123456789');
    assert.equal(advanceWrong.code, 'IAM_FAILED');
    same(await token('an-unknown-access-key', ADVANCE_SECRET_KEY), advanceWrong, 'ADVANCE.AI');
    // Tencent Cloud: an unknown SecretId and a wrong SecretKey.
    const tencent = async (options: Parameters<typeof tencentCall>[1]) => {
      const call = tencentCall({ Image: 'x' }, { host: '127.0.0.1', ...options });
      const response = await fetch(`${open.url}/`, { method: 'POST', headers: call.headers, body: call.body });
      const body = (await response.json()) as { Response: { Error: { Code: string; Message: string } } };
      return body.Response.Error;
    };
    const tencentWrong = await tencent({ secretKey: 'a-wrong-secret-key-0123456789' });
    assert.equal(tencentWrong.Code, 'AuthFailure.SignatureFailure');
    same(await tencent({ secretId: 'AKIDunknown', secretKey: TENCENT_SECRET_KEY }), tencentWrong, 'Tencent Cloud');
  });

  test('an address that keeps failing is locked out, longer each time, in every envelope; probes stay open', async () => {
    const bad = { authorization: 'Bearer a-guessed-key-0123456789' };
    const models = (headers: Record<string, string>) => fetch(`${guarded.url}/v1/models`, { headers });
    for (let i = 0; i < 4; i++) assert.equal((await models(bad)).status, 401, `failure ${i + 1} is answered`);
    // The fourth failure (one beyond the three free ones) locks the address out for 600 ms: even a valid key waits.
    const locked = await models(NATIVE_AUTH);
    assert.equal(locked.status, 429);
    assert.equal(((await locked.json()) as { error: { code: string } }).error.code, 'AUTH_THROTTLED');
    assert.equal(locked.headers.get('retry-after'), '1');
    const call = tencentCall({ Image: 'x' }, { host: '127.0.0.1' });
    const tencent = (await (await fetch(`${guarded.url}/`, { method: 'POST', headers: call.headers, body: call.body })).json()) as {
      Response: { Error: { Code: string } };
    };
    assert.equal(tencent.Response.Error.Code, 'RequestLimitExceeded');
    assert.equal((await fetch(`${guarded.url}/healthz`)).status, 200);
    await sleep(700);
    assert.equal((await models(NATIVE_AUTH)).status, 200, 'the lockout ends');
    // The next failure doubles it: still locked after 700 ms, open after 1.3 s.
    assert.equal((await models(bad)).status, 401);
    await sleep(700);
    assert.equal((await models(NATIVE_AUTH)).status, 429);
    await sleep(600);
    assert.equal((await models(NATIVE_AUTH)).status, 200);
  });
});

describe('abuse: a rate limit on every authenticated route', () => {
  let pool: EnginePool;
  let server: { app: FastifyInstance; url: string };
  // Every route is tried against full buckets: the limiter is replaced before each.
  let limiter: RateLimiter = createMemoryRateLimiter();
  const resettable: RateLimiter = { take: (bucket, limit) => limiter.take(bucket, limit) };

  before(async () => {
    // Two requests at once per credential, then one every 10 s.
    const config = httpConfig({
      runtime: { workers: 1 },
      server: { rateLimit: { ratePerSecond: 0.1, burst: 2 }, capture: { enabled: true, accessKey: ADVANCE_ACCESS_KEY } },
    });
    pool = await testPool(config, 4, 1);
    server = await listeningServer(config, pool, { rateLimiter: resettable });
  });
  after(async () => {
    destroySockets();
    await server?.app.close();
    await pool?.close();
  });

  async function accessToken(): Promise<string> {
    const timestamp = Date.now();
    const response = await fetch(`${server.url}/openapi/auth/ticket/v1/generate-token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        accessKey: ADVANCE_ACCESS_KEY,
        signature: tokenRequestSignature(ADVANCE_ACCESS_KEY, ADVANCE_SECRET_KEY, timestamp),
        timestamp: String(timestamp),
      }),
    });
    return ((await response.json()) as { data: { token: string } }).data.token;
  }

  test("the third call at once is refused with each dialect's rate-limit answer, on every route that has a credential", async () => {
    const json = { 'content-type': 'application/json' };
    const advanceToken = await accessToken();
    const routes: Record<string, { call: () => Promise<Response>; limited: (status: number, body: any) => boolean }> = {
      'GET /v1/models': {
        call: () => fetch(`${server.url}/v1/models`, { headers: NATIVE_AUTH }),
        limited: (status, body) => status === 429 && body.error.code === 'RATE_LIMITED',
      },
      'POST /v1/liveness': {
        call: () => fetch(`${server.url}/v1/liveness`, { method: 'POST', headers: { ...NATIVE_AUTH, ...json }, body: '{}' }),
        limited: (status, body) => status === 429 && body.error.code === 'RATE_LIMITED',
      },
      'POST /face/detect-live': {
        call: () => fetch(`${server.url}/face/detect-live`, { method: 'POST', headers: { ...ACEDATA_AUTH, ...json }, body: '{}' }),
        limited: (status, body) => status === 429 && body.error.code === 'too_many_requests',
      },
      'POST / (Tencent)': {
        call: () => {
          const call = tencentCall({}, { host: '127.0.0.1' });
          return fetch(`${server.url}/`, { method: 'POST', headers: call.headers, body: call.body });
        },
        limited: (_status, body) => body.Response?.Error?.Code === 'RequestLimitExceeded',
      },
      'POST /face/liveness_anti_hack': {
        call: () => fetch(`${server.url}/face/liveness_anti_hack`, { method: 'POST', headers: ACCUAUTH_AUTH, body: new FormData() }),
        limited: (status, body) => status === 403 && body.status === 'RATE_LIMIT_EXCEEDED',
      },
      'POST generate-token (ADVANCE.AI)': {
        call: () => {
          const timestamp = Date.now();
          return fetch(`${server.url}/openapi/auth/ticket/v1/generate-token`, {
            method: 'POST',
            headers: json,
            body: JSON.stringify({
              accessKey: ADVANCE_ACCESS_KEY,
              signature: tokenRequestSignature(ADVANCE_ACCESS_KEY, ADVANCE_SECRET_KEY, timestamp),
              timestamp: String(timestamp),
            }),
          });
        },
        limited: (_status, body) => body.code === 'OVER_QUERY_LIMIT',
      },
      'POST submit (ADVANCE.AI)': {
        call: () => fetch(`${server.url}/openapi/liveness/v3/submit`, { method: 'POST', headers: { 'x-access-token': advanceToken, ...json }, body: '{}' }),
        limited: (_status, body) => body.code === 'OVER_QUERY_LIMIT',
      },
      'POST detection-result (ADVANCE.AI)': {
        call: () =>
          fetch(`${server.url}/openapi/liveness/v3/detection-result`, {
            method: 'POST',
            headers: { 'x-access-token': advanceToken, ...json },
            body: '{"livenessId":"x"}',
          }),
        limited: (_status, body) => body.code === 'OVER_QUERY_LIMIT',
      },
      'GET /capture/token': {
        call: () => fetch(`${server.url}/capture/token`),
        limited: (status, body) => status === 429 && body.error.code === 'RATE_LIMITED',
      },
    };
    for (const [route, { call, limited }] of Object.entries(routes)) {
      limiter = createMemoryRateLimiter();
      for (let i = 0; i < 2; i++) {
        const response = await call();
        const body = await response.json();
        assert.ok(!limited(response.status, body), `${route}: call ${i + 1} is within the burst (${JSON.stringify(body)})`);
      }
      const third = await call();
      const body = await third.json();
      assert.ok(limited(third.status, body), `${route}: the third call is limited, got ${third.status} ${JSON.stringify(body)}`);
    }
  });
});
