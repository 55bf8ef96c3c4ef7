/**
 * `/readyz` reports the result store as well as the models: not ready (503, `unavailable`,
 * STORE_UNAVAILABLE) while the store cannot write, ready again once it can, with one log line per
 * change. PostgreSQL freezes behind a loopback proxy (test/helpers/postgres-proxy.ts); the
 * SQLite store loses its image directory.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdirSync, renameSync, writeFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import pg from 'pg';
import type { Config } from '../../src/config/schema.js';
import type { EnginePool } from '../../src/engine/engine-pool.js';
import { httpConfig, testPool, testServer, type LogCapture } from '../helpers/http-server.js';
import { startPostgresProxy, TEST_POSTGRES_URL, type PostgresProxy } from '../helpers/postgres-proxy.js';

const schema = `facelive_ready_${randomUUID().replace(/-/g, '').slice(0, 12)}`;

async function readiness(
  app: FastifyInstance,
): Promise<{ statusCode: number; body: { status: string; dependencies?: { name: string; ready: boolean; code?: string }[] } }> {
  const response = await app.inject('/readyz');
  return { statusCode: response.statusCode, body: response.json() };
}

function assertReady(state: Awaited<ReturnType<typeof readiness>>): void {
  assert.equal(state.statusCode, 200, JSON.stringify(state.body));
  assert.equal(state.body.status, 'ready');
  assert.deepEqual(state.body.dependencies, [{ name: 'resultStore', ready: true }]);
}

function assertStoreDown(state: Awaited<ReturnType<typeof readiness>>): void {
  assert.equal(state.statusCode, 503, JSON.stringify(state.body));
  assert.equal(state.body.status, 'unavailable');
  assert.deepEqual(state.body.dependencies, [{ name: 'resultStore', ready: false, code: 'STORE_UNAVAILABLE' }]);
}

function assertTransitionsLogged(logs: LogCapture): void {
  const changes = logs
    .lines()
    .filter((line) => line.dependency === 'resultStore')
    .map((line) => line.msg);
  assert.deepEqual(changes, ['dependency not ready', 'dependency ready again'], 'one line per change, not per probe');
}

describe('/readyz reports the result store', () => {
  let pool: EnginePool;
  let base: Config;
  before(async () => {
    base = httpConfig();
    pool = await testPool(base);
  });
  after(async () => {
    await pool?.close();
    const client = new pg.Client({ connectionString: TEST_POSTGRES_URL });
    await client.connect();
    await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await client.end();
  });

  test('PostgreSQL frozen: not ready within the readiness deadline; ready again after the thaw', async () => {
    const proxy: PostgresProxy = await startPostgresProxy();
    const config = httpConfig({
      store: { postgresUrl: proxy.url(), postgresSchema: schema, readinessTimeoutMs: 800, postgresQueryTimeoutMs: 1_000, postgresConnectTimeoutMs: 1_000 },
    });
    const { app, logs } = await testServer(config, pool);
    try {
      assertReady(await readiness(app));
      proxy.freeze();
      const started = performance.now();
      assertStoreDown(await readiness(app));
      assert.ok(performance.now() - started < 1_500, 'the probe answers by its deadline');
      assertStoreDown(await readiness(app));
      proxy.thaw();
      let state = await readiness(app);
      for (let attempt = 0; attempt < 10 && state.statusCode !== 200; attempt += 1) state = await readiness(app);
      assertReady(state);
      assertTransitionsLogged(logs);
    } finally {
      proxy.thaw();
      await app.close();
      await proxy.close();
    }
  });

  test('SQLite: not ready while its image directory cannot be written; ready again once it can', async () => {
    const config = httpConfig();
    const { app, logs } = await testServer(config, pool);
    const images = path.join(config.store.dataDir, 'images');
    try {
      assertReady(await readiness(app));
      // A file where the directory was: every write fails, as on a full or read-only disk (root ignores permissions).
      renameSync(images, `${images}.away`);
      writeFileSync(images, 'not a directory');
      assertStoreDown(await readiness(app));
      rmSync(images);
      mkdirSync(images);
      assertReady(await readiness(app));
      assertTransitionsLogged(logs);
    } finally {
      await app.close();
    }
  });
});
