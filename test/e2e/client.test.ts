/**
 * @facelive/client, as built (`client/dist`, through the package's exports map), against facelive
 * listening on 127.0.0.1 with the real engine: the live and spoof samples as bytes and by URL,
 * refusals with their catalogue codes, retries on overload, rate limit and model loading
 * (honouring Retry-After), timeouts and aborts, a stopped server, the README's example run
 * as a program, and the package's shape (exports map, shipped files).
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { Agent, fetch as undiciFetch } from 'undici';
import {
  FaceliveAbortError,
  FaceliveApiError,
  FaceliveClient,
  FaceliveNetworkError,
  FaceliveTimeoutError,
  type FaceliveClientOptions,
  type RetryEvent,
} from '@facelive/client';
import type { Config } from '../../src/config/schema.js';
import type { EnginePool } from '../../src/engine/engine-pool.js';
import { API_KEY, httpConfig, listeningServer, startImageHost, testImages, testPool, type ImageHost, type TestImages } from '../helpers/http-server.js';
import { REPO_ROOT, SAMPLES_DIR } from '../helpers/paths.js';

const run = promisify(execFile);
/** A second native key, limited to one request per second. */
const LIMITED_KEY = 'native-limited-key-0123456789abcdef';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Options that keep retries quick; `retries` lists every retry the client announced. */
function clientOptions(baseUrl: string, retries: RetryEvent[] = [], extra: Partial<FaceliveClientOptions> = {}): FaceliveClientOptions {
  return { baseUrl, apiKey: API_KEY, retryDelayMs: 50, maxRetryDelayMs: 400, onRetry: (event) => retries.push(event), ...extra };
}

/** Asserts that `promise` rejects with a FaceliveApiError of `code` and `status`, and returns it. */
async function refusal(promise: Promise<unknown>, code: string, status: number): Promise<FaceliveApiError> {
  const error = await promise.then(
    () => assert.fail(`expected ${code}, the call succeeded`),
    (caught: unknown) => caught,
  );
  assert.ok(error instanceof FaceliveApiError, `expected FaceliveApiError ${code}, got ${String(error)}`);
  assert.equal(error.code, code, error.message);
  assert.equal(error.status, status);
  assert.equal(error.kind, 'api');
  assert.match(error.requestId, UUID);
  return error;
}

function deferred<T>(): { promise: Promise<T>; resolve(value: T): void } {
  let resolve: (value: T) => void = () => undefined;
  const promise = new Promise<T>((done) => (resolve = done));
  return { promise, resolve };
}

describe('@facelive/client against a listening facelive', () => {
  let config: Config;
  let pool: EnginePool;
  let images: TestImages;
  let host: ImageHost;
  let url: string;
  const closers: (() => Promise<void>)[] = [];

  before(async () => {
    images = await testImages();
    host = await startImageHost(images);
    config = httpConfig({
      runtime: { workers: 1 },
      server: {
        urlFetch: { allowCidrs: ['127.0.0.1/32'] },
        native: { apiKeys: [{ key: API_KEY }, { key: LIMITED_KEY, name: 'limited', ratePerSecond: 1, burst: 1 }] },
        admission: { maxWaiting: 0 },
      },
    });
    // One worker, a queue of one and no waiting room: a burst of three or more is partly refused with SERVER_OVERLOADED.
    pool = await testPool(config, 1);
    const server = await listeningServer(config, pool);
    closers.push(() => server.app.close());
    url = server.url;
  });
  after(async () => {
    // The image host first: a fetch still stalled on /slow then fails at once instead of holding the server's close.
    await host?.close();
    for (const close of closers.reverse()) await close();
    await pool?.close();
  });

  test('check: the live and the spoof sample, as Uint8Array, ArrayBuffer and Blob, score as the server computes it', async () => {
    const client = new FaceliveClient(clientOptions(url));
    const live = await client.check(images.live);
    const spoof = await client.check(new Uint8Array(images.spoof));
    assert.equal(live.decision, 'live');
    assert.equal(spoof.decision, 'spoof');
    assert.match(live.requestId, UUID);
    assert.ok(live.score > spoof.score, `live ${live.score} > spoof ${spoof.score}`);
    assert.equal(live.faces?.length, 1);
    assert.deepEqual(live.modelIds, { detector: config.models.detector, classifiers: config.models.pad.map((pad) => pad.id) });

    const form = new FormData();
    form.append('image', new Blob([images.live]), 'live.jpg');
    const raw = (await (await fetch(`${url}/v1/liveness`, { method: 'POST', headers: { authorization: `Bearer ${API_KEY}` }, body: form })).json()) as {
      score: number;
    };
    assert.equal(live.score, raw.score, 'the client returns the server answer unchanged');

    const arrayBuffer = new Uint8Array(images.live).buffer;
    assert.equal((await client.check(arrayBuffer)).score, live.score);
    assert.equal((await client.check(new Blob([images.live], { type: 'image/jpeg' }))).score, live.score);

    const strict = await client.check(images.live, { threshold: 100, returnFaces: false });
    assert.equal(strict.threshold, 100);
    assert.equal(strict.decision, 'spoof', 'at threshold 100 the live sample is refused');
    assert.equal(strict.faces, undefined);
  });

  test('check by URL: facelive fetches the image from a loopback host', async () => {
    const client = new FaceliveClient(clientOptions(url));
    const bytes = await client.check(images.live);
    const byUrl = await client.check(host.url('/live.jpg'));
    assert.equal(byUrl.score, bytes.score);
    assert.equal((await client.check(host.url('/spoof.jpg'))).decision, 'spoof');
    await refusal(client.check(host.url('/missing.jpg')), 'URL_HTTP_STATUS', 502);
    // Not a URL, or another scheme: refused by the client before any request.
    await assert.rejects(
      client.check('selfie.jpg'),
      (error: Error) => error instanceof TypeError && /image: expected image bytes .* not an absolute URL/.test(error.message),
    );
    await assert.rejects(client.check('file:///etc/passwd'), (error: Error) => error instanceof TypeError && /a file: URL/.test(error.message));
    await assert.rejects(client.check(42 as unknown as string), TypeError);
  });

  test('refusals carry the catalogue code, status and request id, and are not retried', async () => {
    const retries: RetryEvent[] = [];
    const client = new FaceliveClient(clientOptions(url, retries));
    const unsupported = await refusal(client.check(images.text), 'IMAGE_FORMAT_UNSUPPORTED', 415);
    assert.match(unsupported.message, /Unsupported image format/);
    assert.equal(unsupported.retryAfterMs, undefined);
    await refusal(client.check(images.truncated), 'IMAGE_DECODE_FAILED', 400);
    await refusal(client.check(images.noFace), 'FACE_NOT_FOUND', 422);
    await refusal(client.check(images.smallFace), 'FACE_TOO_SMALL', 422);

    const wrongKey = new FaceliveClient(clientOptions(url, retries, { apiKey: 'not-the-key-0123456789abcdef' }));
    await refusal(wrongKey.check(images.live), 'AUTH_CREDENTIAL_INVALID', 401);
    await refusal(wrongKey.models(), 'AUTH_CREDENTIAL_INVALID', 401);
    await refusal(new FaceliveClient(clientOptions(url, retries, { apiKey: undefined })).models(), 'AUTH_CREDENTIAL_MISSING', 401);
    assert.deepEqual(retries, []);
  });

  test('models and health', async () => {
    const client = new FaceliveClient(clientOptions(`${url}/`));
    const models = await client.models();
    assert.equal(models.ready, true);
    assert.equal(models.detector.id, config.models.detector);
    assert.deepEqual(
      models.classifiers.map((model) => [model.id, model.weight]),
      config.models.pad.map((pad) => [pad.id, pad.weight]),
    );
    assert.match(models.detector.sha256, /^[0-9a-f]{64}$/);
    const health = await client.health();
    assert.equal(health.ready, true);
    assert.equal(health.process.status, 'ok');
    assert.equal(health.readiness.workers, 1);
  });

  test('overload: refused attempts wait Retry-After and are retried until they succeed, or give up with SERVER_OVERLOADED', async () => {
    const retries: RetryEvent[] = [];
    const patient = new FaceliveClient(clientOptions(url, retries, { retries: 20, timeoutMs: 60_000 }));
    const burst = 6;
    const results = await Promise.all(Array.from({ length: burst }, () => patient.check(images.live)));
    assert.equal(new Set(results.map((result) => result.score)).size, 1, 'every call of the burst got the same score');
    assert.ok(retries.length >= 1, 'one worker with a queue of one cannot take six requests at once');
    for (const { error, delayMs } of retries) {
      assert.ok(error instanceof FaceliveApiError && error.code === 'SERVER_OVERLOADED', String(error));
      assert.equal(error.retryAfterMs, 1000);
      assert.ok(delayMs >= 1000, `waited ${delayMs} ms, less than Retry-After`);
    }

    const impatient = new FaceliveClient(clientOptions(url, [], { retries: 0 }));
    const outcomes = await Promise.allSettled(Array.from({ length: burst }, () => impatient.check(images.live)));
    const refused = outcomes.filter((outcome) => outcome.status === 'rejected').map((outcome) => (outcome as PromiseRejectedResult).reason);
    assert.ok(refused.length >= 1 && refused.length < burst, `some refused, some served: ${refused.length} of ${burst} refused`);
    for (const error of refused) {
      assert.ok(error instanceof FaceliveApiError, String(error));
      assert.equal(error.code, 'SERVER_OVERLOADED');
      assert.equal(error.status, 503);
    }
  });

  test('rate limit: RATE_LIMITED is retried after Retry-After; without retries it is the error', async () => {
    const retries: RetryEvent[] = [];
    const client = new FaceliveClient(clientOptions(url, retries, { apiKey: LIMITED_KEY }));
    await client.check(images.live);
    const started = performance.now();
    const second = await client.check(images.live);
    assert.equal(second.decision, 'live');
    assert.equal(retries.length, 1);
    assert.ok(retries[0].error instanceof FaceliveApiError && retries[0].error.code === 'RATE_LIMITED');
    assert.ok(performance.now() - started >= 1000, 'the retry came after Retry-After (1 s)');

    const error = await refusal(new FaceliveClient(clientOptions(url, [], { apiKey: LIMITED_KEY, retries: 0 })).check(images.live), 'RATE_LIMITED', 429);
    assert.equal(error.retryAfterMs, 1000);
  });

  test('models still loading: SERVER_NOT_READY is retried until the engine is ready, or given up', async () => {
    const engine = deferred<EnginePool>();
    const loading = await listeningServer(config, engine.promise);
    closers.push(() => loading.app.close());

    const client = new FaceliveClient(clientOptions(loading.url));
    const before = await client.health();
    assert.equal(before.ready, false);
    assert.equal(before.readiness.status, 'loading');
    assert.equal((await client.models()).ready, false);

    const gaveUp: RetryEvent[] = [];
    const error = await refusal(new FaceliveClient(clientOptions(loading.url, gaveUp, { retries: 2 })).check(images.live), 'SERVER_NOT_READY', 503);
    assert.equal(gaveUp.length, 2, 'two retries, then the last refusal');
    assert.ok(gaveUp.every((event) => event.delayMs >= (error.retryAfterMs ?? 0)));

    // The engine finishes loading while the client waits before its first retry.
    const retries: RetryEvent[] = [];
    const waiting = new FaceliveClient(clientOptions(loading.url, retries, { onRetry: (event) => (retries.push(event), engine.resolve(pool)) }));
    const result = await waiting.check(images.live);
    assert.equal(result.decision, 'live');
    assert.equal(retries.length, 1);
    assert.equal((await client.health()).ready, true);
  });

  test('timeout and abort: a call that outlives timeoutMs or is aborted rejects at once', async () => {
    // The client's own fetch: after an abort undici opens a spare connection that sends nothing,
    // which would hold the server's close until its headers timeout; closing the agent ends it.
    const agent = new Agent();
    const agentFetch = ((input: string, init: RequestInit) => undiciFetch(input, { ...(init as object), dispatcher: agent })) as unknown as typeof fetch;
    const client = new FaceliveClient(clientOptions(url, [], { fetch: agentFetch }));
    try {
      // facelive waits for an image host that sends 100 bytes and stalls for 5 s.
      let started = performance.now();
      await assert.rejects(client.check(host.url('/slow'), { timeoutMs: 300 }), (error: unknown) => {
        assert.ok(error instanceof FaceliveTimeoutError, String(error));
        assert.equal(error.timeoutMs, 300);
        assert.equal(error.kind, 'timeout');
        return true;
      });
      assert.ok(performance.now() - started < 2000, 'the timeout ended the call');

      const controller = new AbortController();
      started = performance.now();
      const aborted = client.check(host.url('/slow'), { signal: controller.signal });
      setTimeout(() => controller.abort(new Error('user left')), 200);
      await assert.rejects(aborted, (error: unknown) => {
        assert.ok(error instanceof FaceliveAbortError, String(error));
        assert.equal((error.cause as Error).message, 'user left');
        return true;
      });
      assert.ok(performance.now() - started < 2000);
      await assert.rejects(client.models({ signal: AbortSignal.abort() }), FaceliveAbortError);
      assert.equal((await client.models()).ready, true, 'the fetch option is used for every call');
    } finally {
      await agent.destroy();
    }
  });

  test('stopped server: network errors; GETs are retried, check is not', async () => {
    const stopped = await listeningServer(config, pool);
    const client = new FaceliveClient(clientOptions(stopped.url));
    assert.equal((await client.health()).ready, true);
    await stopped.app.close();

    const retries: RetryEvent[] = [];
    const afterStop = new FaceliveClient(clientOptions(stopped.url, retries, { retries: 2 }));
    await assert.rejects(afterStop.models(), (error: unknown) => {
      assert.ok(error instanceof FaceliveNetworkError, String(error));
      assert.equal(error.kind, 'network');
      assert.match(error.message, /GET http:\/\/127\.0\.0\.1:\d+\/v1\/models failed: .*ECONNREFUSED/);
      return true;
    });
    assert.equal(retries.length, 2);
    retries.length = 0;
    await assert.rejects(afterStop.check(images.live), FaceliveNetworkError);
    assert.equal(retries.length, 0, 'a POST is not sent again after a network failure');
  });

  test("the README's example is client/examples/check.ts and runs against the server", async () => {
    const example = path.join(REPO_ROOT, 'client/examples/check.ts');
    const source = readFileSync(example, 'utf8');
    const readme = readFileSync(path.join(REPO_ROOT, 'client/README.md'), 'utf8');
    assert.ok(readme.includes(`\`\`\`ts\n${source}\`\`\``), 'client/README.md must show client/examples/check.ts verbatim');

    const env = { PATH: process.env.PATH, FACELIVE_URL: url, FACELIVE_API_KEY: API_KEY };
    const livePath = path.join(SAMPLES_DIR, 'image_T1.jpg');
    const live = await run(process.execPath, ['--import', 'tsx', example, livePath], { cwd: REPO_ROOT, env });
    const expected = await new FaceliveClient(clientOptions(url)).check(images.live);
    assert.equal(live.stdout, `${livePath}: live, score ${expected.score.toFixed(1)} (live from ${expected.threshold})\n`);

    const notAnImage = path.join(REPO_ROOT, 'package.json');
    await assert.rejects(
      run(process.execPath, ['--import', 'tsx', example, notAnImage], { cwd: REPO_ROOT, env }),
      (error: { code?: number; stderr?: string }) => {
        assert.equal(error.code, 1);
        assert.match(String(error.stderr), /package\.json: refused, IMAGE_FORMAT_UNSUPPORTED \(HTTP 415, request [0-9a-f-]{36}\): Unsupported image format/);
        return true;
      },
    );
  });
});

test('the package: plain Node resolves the built ESM and its types through the exports map; only dist and README ship', async () => {
  const script =
    "const m = await import('@facelive/client'); console.log(JSON.stringify({ url: import.meta.resolve('@facelive/client'), names: Object.keys(m).sort() }));";
  const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script], { cwd: REPO_ROOT });
  const { url: resolved, names } = JSON.parse(stdout) as { url: string; names: string[] };
  assert.equal(resolved, pathToFileURL(path.join(REPO_ROOT, 'client/dist/index.js')).href);
  assert.deepEqual(names, [
    'FaceliveAbortError',
    'FaceliveApiError',
    'FaceliveClient',
    'FaceliveClientError',
    'FaceliveNetworkError',
    'FaceliveResponseError',
    'FaceliveTimeoutError',
    'RETRYABLE_CODES',
  ]);
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const packed = await run(npm, ['pack', '--dry-run', '--json', '--ignore-scripts', '--workspace', '@facelive/client'], { cwd: REPO_ROOT });
  const files = (JSON.parse(packed.stdout) as { files: { path: string }[] }[])[0].files.map((file) => file.path);
  assert.ok(files.includes('dist/index.js') && files.includes('dist/index.d.ts') && files.includes('dist/generated/openapi.d.ts'), files.join(', '));
  assert.deepEqual(files.filter((file) => !file.startsWith('dist/')).sort(), ['README.md', 'package.json']);
});
