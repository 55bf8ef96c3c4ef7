/**
 * SIGTERM ends `facelive serve` by `server.shutdownDeadlineMs` whatever hangs. The hang is a
 * purge in progress against a PostgreSQL that froze (a loopback proxy that stops answering,
 * test/helpers/postgres-proxy.ts): with store deadlines longer than the shutdown deadline the
 * process is cut short with exit code 1 and says what it waited for; with the store's own
 * deadlines shorter, it shuts down cleanly (exit code 0) in time.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, test } from 'node:test';
import pg from 'pg';
import { startPostgresProxy, TEST_POSTGRES_URL } from '../helpers/postgres-proxy.js';
import { startServeChild } from '../helpers/serve-child.js';

const schema = `facelive_shutdown_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
const ADVANCE_ENV = { FACELIVE_ADVANCE_ACCESS_KEY: 'shutdown-test-key', FACELIVE_ADVANCE_SECRET_KEY: 'shutdown-test-secret-0123456789', FACELIVE_CONFIG: '' };

after(async () => {
  const client = new pg.Client({ connectionString: TEST_POSTGRES_URL });
  await client.connect();
  await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  await client.end();
});

/** Starts a server on a PostgreSQL that freezes once it is ready, lets a purge start, sends SIGTERM; the exit code and ms from the signal. */
async function terminateWhileStoreHangs(storeTimeoutMs: number, shutdownDeadlineMs: number) {
  const proxy = await startPostgresProxy();
  try {
    const server = startServeChild(
      {
        server: { shutdownTimeoutMs: 500, shutdownDeadlineMs },
        store: {
          postgresUrl: proxy.url(),
          postgresSchema: schema,
          // A purge every 300 ms: one is in progress when the signal arrives.
          purgeIntervalMinutes: 0.005,
          postgresConnectTimeoutMs: storeTimeoutMs,
          postgresAcquireTimeoutMs: storeTimeoutMs,
          postgresQueryTimeoutMs: storeTimeoutMs,
          operationTimeoutMs: storeTimeoutMs,
        },
      },
      ADVANCE_ENV,
    );
    try {
      await server.waitFor('ready');
      proxy.freeze();
      await new Promise((resolve) => setTimeout(resolve, 700));
      const signalled = performance.now();
      server.child.kill('SIGTERM');
      const code = await server.exited;
      return { code, ms: performance.now() - signalled, lines: server.lines() };
    } finally {
      server.child.kill('SIGKILL');
    }
  } finally {
    await proxy.close();
  }
}

test('a hanging store: SIGTERM exits at the shutdown deadline with code 1, naming what it waited for', async () => {
  const { code, ms, lines } = await terminateWhileStoreHangs(60_000, 2_000);
  assert.equal(code, 1);
  assert.ok(ms >= 1_900 && ms < 4_000, `exited ${ms} ms after SIGTERM`);
  const fatal = lines.find((line) => line.msg === 'shutdown deadline passed; exiting with code 1');
  assert.ok(fatal, 'the deadline is logged');
  assert.equal(fatal.waitingFor, 'in-flight requests, then the result store');
});

test('store deadlines shorter than the shutdown deadline: SIGTERM exits cleanly, in time', async () => {
  const { code, ms, lines } = await terminateWhileStoreHangs(1_000, 10_000);
  assert.equal(code, 0);
  assert.ok(ms < 5_000, `exited ${ms} ms after SIGTERM`);
  assert.ok(lines.some((line) => line.msg === 'stopped'));
});
