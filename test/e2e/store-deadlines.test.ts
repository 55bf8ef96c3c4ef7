/**
 * Every step of the PostgreSQL result store has a deadline. A frozen server is a loopback proxy
 * in front of the test PostgreSQL that stops answering (test/helpers/postgres-proxy.ts; the
 * shared server itself is never stopped). Opening against it, against a missing database and a
 * refused port fails within seconds, each with its own cause; a store whose server freezes
 * answers STORE_UNAVAILABLE within the statement deadline and works again once it thaws; an
 * ADVANCE.AI submit answers its dialect's error in seconds; `facelive serve` against a frozen
 * server exits with the cause instead of hanging.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import net from 'node:net';
import { after, before, describe, test } from 'node:test';
import pg from 'pg';
import { DIALECTS } from '../../src/api/dialects.js';
import type { EnginePool } from '../../src/engine/engine-pool.js';
import { FaceliveError } from '../../src/errors/catalogue.js';
import { openResultStore, type StoreSettings } from '../../src/store/open-store.js';
import type { NewSubmission } from '../../src/store/result-store.js';
import { probeOf } from '../helpers/dialect-probe.js';
import { httpConfig, testImages, testPool, testServer, type TestImages } from '../helpers/http-server.js';
import { startPostgresProxy, TEST_POSTGRES_URL, type PostgresProxy } from '../helpers/postgres-proxy.js';
import { startServeChild } from '../helpers/serve-child.js';

const TIMEOUT_MS = 1_000;
const schema = `facelive_deadline_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
const settings = (postgresUrl: string): StoreSettings => ({
  dataDir: '',
  postgresUrl,
  postgresSchema: schema,
  postgresConnectTimeoutMs: TIMEOUT_MS,
  postgresAcquireTimeoutMs: TIMEOUT_MS,
  postgresQueryTimeoutMs: TIMEOUT_MS,
  operationTimeoutMs: 3 * TIMEOUT_MS,
});

function submission(): NewSubmission {
  const now = new Date();
  return {
    id: randomUUID(),
    createdAt: now,
    expiresAt: new Date(now.getTime() + 3_600_000),
    result: { score: 1 },
    images: [{ role: 'single', format: 'jpeg', bytes: new Uint8Array(64) }],
  };
}

/** Runs `work`, expecting STORE_UNAVAILABLE; returns its message and how long it took. */
async function unavailable(work: () => Promise<unknown>): Promise<{ message: string; ms: number }> {
  const started = performance.now();
  try {
    await work();
  } catch (error) {
    assert.ok(error instanceof FaceliveError, String(error));
    assert.equal(error.code, 'STORE_UNAVAILABLE', error.message);
    return { message: error.message, ms: performance.now() - started };
  }
  assert.fail('expected STORE_UNAVAILABLE');
}

async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

after(async () => {
  const client = new pg.Client({ connectionString: TEST_POSTGRES_URL });
  await client.connect();
  await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  await client.end();
});

describe('opening a PostgreSQL store fails within seconds, naming the cause', () => {
  test('a server that accepts connections and never answers (frozen, or a wrong port)', async () => {
    const proxy = await startPostgresProxy({ frozen: true });
    try {
      const { message, ms } = await unavailable(() => openResultStore(settings(proxy.url())));
      assert.match(message, new RegExp(`no PostgreSQL answer from 127\\.0\\.0\\.1:${proxy.port} within ${TIMEOUT_MS} ms of connecting`));
      assert.ok(ms < TIMEOUT_MS + 1_500, `${ms} ms`);
    } finally {
      await proxy.close();
    }
  });

  test('a database that does not exist', async () => {
    const url = new URL(TEST_POSTGRES_URL);
    url.pathname = '/facelive_no_such_database';
    const { message } = await unavailable(() => openResultStore(settings(url.toString())));
    assert.match(message, /has no database "facelive_no_such_database"/);
  });

  test('a port nothing listens on', async () => {
    const port = await closedPort();
    const { message, ms } = await unavailable(() => openResultStore(settings(`postgres://postgres@127.0.0.1:${port}/test`)));
    assert.match(message, new RegExp(`nothing accepts connections at 127\\.0\\.0\\.1:${port}`));
    assert.ok(ms < 1_000, `${ms} ms`);
  });
});

describe('a store whose PostgreSQL freezes', () => {
  let proxy: PostgresProxy;
  before(async () => {
    proxy = await startPostgresProxy();
  });
  after(() => proxy?.close());

  test('answers STORE_UNAVAILABLE within the statement deadline, and works again after the thaw', async () => {
    const store = await openResultStore(settings(proxy.url()));
    try {
      const first = submission();
      await store.save(first);
      proxy.freeze();
      const saving = await unavailable(() => store.save(submission()));
      assert.match(saving.message, new RegExp(`did not answer a statement within ${TIMEOUT_MS} ms`));
      assert.ok(saving.ms < TIMEOUT_MS + 1_000, `save: ${saving.ms} ms`);
      // The failed connection was dropped; the next call connects anew and meets the connect deadline.
      const reading = await unavailable(() => store.lookup(first.id, new Date()));
      assert.ok(reading.ms < TIMEOUT_MS + 1_000, `lookup: ${reading.ms} ms`);
      proxy.thaw();
      assert.equal((await store.lookup(first.id, new Date())).status, 'found');
      await store.save(submission());
      proxy.freeze();
      const started = performance.now();
      await store.close();
      assert.ok(performance.now() - started < 3_000, 'closing does not wait for the frozen server');
    } finally {
      proxy.thaw();
    }
  });
});

describe('ADVANCE.AI against a frozen PostgreSQL', () => {
  let pool: EnginePool;
  let images: TestImages;
  let proxy: PostgresProxy;
  before(async () => {
    images = await testImages();
    proxy = await startPostgresProxy();
  });
  after(async () => {
    await pool?.close();
    await proxy?.close();
  });

  test('a submit answers its error envelope (STORE_UNAVAILABLE) within seconds', async () => {
    const { postgresUrl, ...timeouts } = settings(proxy.url());
    const { dataDir: _unused, ...deadlines } = timeouts;
    const config = httpConfig({ store: { postgresUrl, ...deadlines } });
    pool = await testPool(config);
    const { app, logs } = await testServer(config, pool);
    const probe = await probeOf(DIALECTS.find((dialect) => dialect.name === 'advance')!);
    try {
      proxy.freeze();
      const started = performance.now();
      const response = await probe.analyse(app, { kind: 'base64', value: images.live.toString('base64') });
      const ms = performance.now() - started;
      assert.equal(response.statusCode, 200);
      const body = response.json() as { code: string; message: string };
      assert.equal(body.code, 'ERROR', response.body);
      assert.match(body.message, /^STORE_UNAVAILABLE: /);
      assert.ok(ms < 3 * TIMEOUT_MS + 2_000, `${ms} ms`);
      const line = logs.requests().find((entry) => entry.reqId === response.headers['x-request-id']);
      assert.equal(line?.errorCode, 'STORE_UNAVAILABLE');
      proxy.thaw();
      const again = await probe.analyse(app, { kind: 'base64', value: images.live.toString('base64') });
      assert.equal((again.json() as { code: string }).code, 'SUCCESS', again.body);
    } finally {
      proxy.thaw();
      await app.close();
    }
  });
});

test('facelive serve against a frozen PostgreSQL exits within seconds with the cause', async () => {
  const proxy = await startPostgresProxy({ frozen: true });
  try {
    const started = performance.now();
    const server = startServeChild(
      {},
      {
        FACELIVE_ADVANCE_ACCESS_KEY: 'deadline-test-key',
        FACELIVE_ADVANCE_SECRET_KEY: 'deadline-test-secret-0123456789',
        FACELIVE_STORE_POSTGRES_URL: proxy.url(),
        FACELIVE_CONFIG: '',
      },
    );
    const code = await server.exited;
    const stderr = server.stderr();
    const stdout = JSON.stringify(server.lines());
    const ms = performance.now() - started;
    assert.equal(code, 2, stderr);
    assert.match(stderr, new RegExp(`error STORE_UNAVAILABLE: .*no PostgreSQL answer from 127\\.0\\.0\\.1:${proxy.port} within 5000 ms of connecting`));
    assert.match(stdout, /"errorCode":"STORE_UNAVAILABLE"/, 'the log names the failure');
    assert.doesNotMatch(stdout, /"msg":"listening/, 'it never listened');
    assert.ok(ms < 20_000, `${ms} ms`);
  } finally {
    await proxy.close();
  }
});
