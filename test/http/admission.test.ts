/**
 * Admission and the waiting room (src/api/admission.ts): beyond the workers and the queue, engine
 * requests wait with their bodies unread, first come first served, for at most
 * `server.admission.maxWaitMs`; with the room full they are refused at once. The engine is the
 * real pool behind a gate the test opens, so which request holds a slot when is decided by the
 * test, not by timing.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Config } from '../../src/config/schema.js';
import type { EnginePool } from '../../src/engine/engine-pool.js';
import type { AnalyseOptions } from '../../src/engine/pipeline.js';
import { httpConfig, listeningServer, NATIVE_AUTH, testImages, testPool, testServer, type TestImages } from '../helpers/http-server.js';

/** The real pool, whose analyses start only once `open()` is called. */
function gatedPool(pool: EnginePool): { pool: EnginePool; open(): void } {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  // Everything but `analyse` is the real pool's (its getters read the pool's own state).
  const gated: EnginePool = Object.create(pool, {
    analyse: {
      value: async (bytes: Uint8Array, options?: AnalyseOptions) => {
        await opened;
        return pool.analyse(bytes, options);
      },
    },
  });
  return { pool: gated, open };
}

const withRoom = (config: Config, maxWaiting: number, maxWaitMs: number): Config => ({
  ...config,
  server: { ...config.server, admission: { maxWaiting, maxWaitMs } },
});

const tick = () => new Promise((resolve) => setTimeout(resolve, 20));

describe('admission: waiting room', () => {
  let config: Config;
  let images: TestImages;
  let pool: EnginePool;
  before(async () => {
    images = await testImages();
    config = httpConfig();
    // One worker and no queue: one slot, so the second engine request is the first to wait.
    pool = await testPool(config, 0);
  });
  after(async () => {
    await pool?.close();
  });

  const payload = () => JSON.stringify({ image: images.live.toString('base64') });

  test('beyond the slot a request waits and is then served; beyond the room one is refused at once', async () => {
    const gate = gatedPool(pool);
    const { app } = await testServer(withRoom(config, 1, 10_000), gate.pool);
    try {
      const send = () =>
        app.inject({ method: 'POST', url: '/v1/liveness', headers: { ...NATIVE_AUTH, 'content-type': 'application/json' }, payload: payload() });
      const first = send();
      await tick();
      const second = send();
      await tick();
      const third = await send();
      assert.equal(third.statusCode, 503, third.body);
      assert.equal(third.json().error.code, 'SERVER_OVERLOADED');
      gate.open();
      const answers = await Promise.all([first, second]);
      assert.deepEqual(
        answers.map((answer) => answer.statusCode),
        [200, 200],
        answers.map((answer) => answer.body).join('\n'),
      );
    } finally {
      gate.open();
      await app.close();
    }
  });

  test('a request that waits longer than maxWaitMs gets SERVER_OVERLOADED', async () => {
    const gate = gatedPool(pool);
    const { app } = await testServer(withRoom(config, 4, 50), gate.pool);
    try {
      const send = () =>
        app.inject({ method: 'POST', url: '/v1/liveness', headers: { ...NATIVE_AUTH, 'content-type': 'application/json' }, payload: payload() });
      const first = send();
      await tick();
      const started = performance.now();
      const waited = await send();
      const waitedMs = performance.now() - started;
      assert.equal(waited.json().error?.code, 'SERVER_OVERLOADED', waited.body);
      assert.ok(waitedMs >= 45 && waitedMs < 2_000, `answered after ${waitedMs.toFixed(0)} ms`);
      gate.open();
      assert.equal((await first).statusCode, 200);
    } finally {
      gate.open();
      await app.close();
    }
  });

  test('a client that goes away while waiting holds its place no longer than maxWaitMs', async () => {
    // Its body is unread, so the server sees the connection close only when the wait ends.
    const gate = gatedPool(pool);
    const { app, url } = await listeningServer(withRoom(config, 1, 200), gate.pool);
    const send = (signal?: AbortSignal) =>
      fetch(`${url}/v1/liveness`, { method: 'POST', headers: { ...NATIVE_AUTH, 'content-type': 'application/json' }, body: payload(), signal });
    try {
      const first = send();
      await tick();
      const leaving = new AbortController();
      const gone = send(leaving.signal).catch((error: unknown) => error);
      await tick();
      leaving.abort();
      assert.equal(((await gone) as Error).name, 'AbortError');
      await new Promise((resolve) => setTimeout(resolve, 300));
      // The deadline has emptied the room: this one waits instead of being refused.
      const next = send();
      await tick();
      gate.open();
      const answers = await Promise.all([first, next]);
      assert.deepEqual(
        answers.map((answer) => answer.status),
        [200, 200],
      );
    } finally {
      gate.open();
      await app.close();
    }
  });
});
