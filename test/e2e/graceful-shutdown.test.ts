/**
 * Graceful shutdown under a load balancer, on a `facelive serve` process: on SIGTERM `/readyz`
 * turns 503 `draining` at once while requests are still served for `server.drainDelayMs`
 * (FACELIVE_DRAIN_DELAY_MS), then the server stops accepting connections, the request in flight
 * finishes with its answer, and the process exits 0 no sooner than the drain delay.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { gatedImageHost, testImages } from '../helpers/http-server.js';
import { startServeChild } from '../helpers/serve-child.js';

const DRAIN_DELAY_MS = 1500;

describe('facelive serve: SIGTERM behind a load balancer', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'facelive-drain-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('/readyz 503 draining first, requests still served during the drain, the one in flight finishes, then exit 0', async () => {
    const images = await testImages();
    const host = await gatedImageHost(images.live);
    const server = startServeChild(
      {
        calibration: { enabled: false },
        server: { native: { auth: { enabled: false } }, urlFetch: { allowCidrs: ['127.0.0.1/32'] } },
        store: { dataDir: path.join(dir, 'data') },
      },
      { FACELIVE_DRAIN_DELAY_MS: String(DRAIN_DELAY_MS) },
    );
    const { child } = server;
    const msgStarts = (prefix: string) => (line: Record<string, unknown>) => String(line.msg).startsWith(prefix);
    const liveness = (url: string, body: unknown) =>
      fetch(`${url}/v1/liveness`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(30_000),
      });
    try {
      const url = String((await server.waitFor((line) => Boolean(line.url))).url);
      await server.waitFor('ready');
      assert.equal((await fetch(`${url}/readyz`)).status, 200);

      const inFlight = liveness(url, { imageUrl: host.url });
      await host.fetched;
      const signalledAt = performance.now();
      child.kill('SIGTERM');
      await server.waitFor(msgStarts('draining'));

      // Draining: the probe fails so the balancer stops routing here, but requests are still answered.
      const probe = await fetch(`${url}/readyz`);
      assert.equal(probe.status, 503);
      assert.equal(((await probe.json()) as { status: string }).status, 'draining');
      const during = await liveness(url, { image: images.text.toString('base64') });
      assert.equal(during.status, 415);
      assert.equal(((await during.json()) as { error: { code: string } }).error.code, 'IMAGE_FORMAT_UNSUPPORTED');
      assert.equal((await fetch(`${url}/healthz`)).status, 200);

      // After the drain delay the server closes; the request in flight still gets its answer.
      await server.waitFor(msgStarts('shutting down'));
      assert.ok(performance.now() - signalledAt >= DRAIN_DELAY_MS - 50);
      host.release();
      const response = await inFlight;
      assert.equal(response.status, 200);
      assert.ok(['live', 'spoof', 'retry'].includes(((await response.json()) as { decision: string }).decision));
      assert.equal(await server.exited, 0, server.stderr());
      assert.ok(performance.now() - signalledAt >= DRAIN_DELAY_MS);
      assert.equal(server.lines().at(-1)?.msg, 'stopped');
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
      await host.close();
    }
  });
});
