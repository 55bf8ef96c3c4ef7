/**
 * The engine pool's thread boundary with real worker threads: what a worker receives (only the
 * engine's sections of the configuration, and an environment without facelive's variables, so no
 * credential reaches a thread), and what comes back when something fails inside one (the
 * catalogue code, and the cause with its name, message and the worker's stack, for the log,
 * never for a client).
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import type { WorkerOptions } from 'node:worker_threads';
import { loadConfig } from '../../src/config/load-config.js';
import { ENGINE_SECTIONS } from '../../src/config/schema.js';
import { createEnginePool } from '../../src/engine/engine-pool.js';
import type { WorkerData } from '../../src/engine/engine-worker.js';
import { FaceliveError } from '../../src/errors/catalogue.js';
import { NATIVE_AUTH, TEST_ENV, httpConfig, testServer } from '../helpers/http-server.js';
import { MODELS_DIR } from '../helpers/paths.js';

const SECRETS = Object.entries(TEST_ENV)
  .filter(([name]) => /SECRET|KEY|TOKEN/.test(name))
  .map(([, value]) => String(value));

/**
 * Records the options of every worker thread started while `run` runs. piscina constructs its
 * threads through `require('node:worker_threads').Worker` at spawn time, so wrapping that export
 * observes exactly what crosses to each thread.
 */
async function recordWorkers<T>(run: () => Promise<T>): Promise<{ result: T; options: WorkerOptions[] }> {
  const threads = createRequire(import.meta.url)('node:worker_threads') as typeof import('node:worker_threads');
  const original = threads.Worker;
  const options: WorkerOptions[] = [];
  threads.Worker = class extends original {
    constructor(filename: string | URL, workerOptions?: WorkerOptions) {
      options.push(workerOptions ?? {});
      super(filename, workerOptions);
    }
  } as typeof original;
  try {
    return { result: await run(), options };
  } finally {
    threads.Worker = original;
  }
}

describe('engine worker boundary', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'facelive-worker-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  test("a worker receives the engine's sections only, and no facelive variable in its environment", async () => {
    // A server's configuration, every credential included, as `facelive serve` would load it.
    const config = loadConfig({ modelsDir: MODELS_DIR }, TEST_ENV);
    assert.ok(config.server.tencent.credentials.length > 0, 'the configuration holds credentials');
    const saved = { ...process.env };
    Object.assign(process.env, TEST_ENV);
    try {
      const { result: pool, options } = await recordWorkers(() => createEnginePool(config, { workers: 1 }));
      await pool.close();
      assert.equal(options.length, 1);
      const data = options[0].workerData as WorkerData;
      assert.deepEqual(Object.keys(data.config).sort(), [...ENGINE_SECTIONS].sort());
      assert.deepEqual(data.config.models, config.models);
      const sent = JSON.stringify(data);
      for (const secret of SECRETS) assert.ok(!sent.includes(secret), 'no secret in workerData');
      const env = options[0].env as Record<string, string>;
      assert.ok(env && typeof env === 'object', 'an explicit environment');
      assert.deepEqual(
        Object.keys(env).filter((name) => name.startsWith('FACELIVE_')),
        [],
      );
      assert.equal(env.PATH, process.env.PATH, 'the rest of the environment is kept');
      for (const secret of SECRETS) assert.ok(!Object.values(env).includes(secret), 'no secret in the environment');
    } finally {
      for (const name of Object.keys(TEST_ENV)) if (!(name in saved)) delete process.env[name];
    }
  });

  test("a failure inside a worker keeps its cause: name, message and the worker's stack", async () => {
    const file = path.join(dir, 'broken-calibration.json');
    writeFileSync(file, '{ "fits": [ ');
    const config = loadConfig({ modelsDir: MODELS_DIR, calibrationFile: file }, {});
    const failure = await createEnginePool(config, { workers: 1 }).then(
      () => assert.fail('the pool must not load'),
      (error: unknown) => error,
    );
    assert.ok(failure instanceof FaceliveError && failure.code === 'CONFIG_INVALID', String(failure));
    const cause = failure.cause as Error;
    assert.ok(cause instanceof Error, 'the cause crossed the boundary');
    assert.equal(cause.name, 'SyntaxError');
    assert.match(cause.message, /JSON/);
    assert.match(cause.stack ?? '', /SyntaxError[\s\S]*calibration-file/, "the stack is the worker's, down to the frame that failed");

    // A server whose pool failed so: the client gets INTERNAL_ERROR, the log the whole chain.
    const rejected = Promise.reject(failure);
    rejected.catch(() => undefined);
    const { app, logs } = await testServer(httpConfig(), rejected);
    try {
      const response = await app.inject({ method: 'POST', url: '/v1/liveness', headers: NATIVE_AUTH, payload: { image: 'AAAA' } });
      assert.equal(response.statusCode, 500);
      assert.equal(response.json().error.code, 'INTERNAL_ERROR');
      assert.doesNotMatch(response.body, /SyntaxError|calibration|broken/);
      const logged = logs.lines().find((line) => line.msg === 'request failed');
      assert.ok(logged, 'the failure is logged');
      assert.match(JSON.stringify(logged.err), /CONFIG_INVALID|Invalid configuration[\s\S]*caused by: SyntaxError/);
      assert.match(JSON.stringify(logged.err), /calibration-file/);
    } finally {
      await app.close();
    }
  });
});
