/**
 * Graceful shutdown under a load balancer, on a `facelive serve` process: on SIGTERM `/readyz`
 * turns 503 `draining` at once while requests are still served for `server.drainDelayMs`
 * (FACELIVE_DRAIN_DELAY_MS), then the server stops accepting connections, the request in flight
 * finishes with its answer, and the process exits 0 no sooner than the drain delay.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { after, describe, test } from 'node:test';
import { gatedImageHost, testImages } from '../helpers/http-server.js';
import { MODELS_DIR, REPO_ROOT } from '../helpers/paths.js';

const DRAIN_DELAY_MS = 1500;

describe('facelive serve: SIGTERM behind a load balancer', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'facelive-drain-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('/readyz 503 draining first, requests still served during the drain, the one in flight finishes, then exit 0', async () => {
    const images = await testImages();
    const host = await gatedImageHost(images.live);
    const configFile = path.join(dir, 'facelive.json');
    writeFileSync(
      configFile,
      JSON.stringify({
        calibration: { enabled: false },
        server: { native: { auth: { enabled: false } }, urlFetch: { allowCidrs: ['127.0.0.1/32'] } },
        store: { dataDir: path.join(dir, 'data') },
      }),
    );
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', path.join(REPO_ROOT, 'src/cli/main.ts'), 'serve', '--port', '0', '--config', configFile, '--workers', '1'],
      {
        cwd: REPO_ROOT,
        env: { PATH: process.env.PATH, FACELIVE_MODELS_DIR: MODELS_DIR, FACELIVE_DRAIN_DELAY_MS: String(DRAIN_DELAY_MS) },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    const stderr: string[] = [];
    child.stderr.on('data', (chunk) => stderr.push(String(chunk)));
    let exitedAt = 0;
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => ((exitedAt = performance.now()), resolve(code))));
    const lines: { msg: string; url?: string }[] = [];
    const waiters: (() => void)[] = [];
    createInterface({ input: child.stdout }).on('line', (raw) => {
      lines.push(JSON.parse(raw));
      waiters.splice(0).forEach((wake) => wake());
    });
    child.once('exit', () => waiters.splice(0).forEach((wake) => wake()));
    const lineWith = async (match: (line: { msg: string; url?: string }) => boolean) => {
      for (;;) {
        const found = lines.find(match);
        if (found) return found;
        if (child.exitCode !== null) assert.fail(`serve exited: ${stderr.join('')}`);
        await new Promise<void>((resolve) => waiters.push(resolve));
      }
    };
    const liveness = (url: string, body: unknown) =>
      fetch(`${url}/v1/liveness`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(30_000),
      });
    try {
      const url = (await lineWith((line) => Boolean(line.url))).url!;
      await lineWith((line) => line.msg === 'ready');
      assert.equal((await fetch(`${url}/readyz`)).status, 200);

      const inFlight = liveness(url, { imageUrl: host.url });
      await host.fetched;
      const signalledAt = performance.now();
      child.kill('SIGTERM');
      await lineWith((line) => line.msg.startsWith('draining'));

      // Draining: the probe fails so the balancer stops routing here, but requests are still answered.
      const probe = await fetch(`${url}/readyz`);
      assert.equal(probe.status, 503);
      assert.equal(((await probe.json()) as { status: string }).status, 'draining');
      const during = await liveness(url, { image: images.text.toString('base64') });
      assert.equal(during.status, 415);
      assert.equal(((await during.json()) as { error: { code: string } }).error.code, 'IMAGE_FORMAT_UNSUPPORTED');
      assert.equal((await fetch(`${url}/healthz`)).status, 200);

      // After the drain delay the server closes; the request in flight still gets its answer.
      await lineWith((line) => line.msg.startsWith('shutting down'));
      assert.ok(performance.now() - signalledAt >= DRAIN_DELAY_MS - 50);
      host.release();
      const response = await inFlight;
      assert.equal(response.status, 200);
      assert.ok(['live', 'spoof', 'retry'].includes(((await response.json()) as { decision: string }).decision));
      assert.equal(await exited, 0, stderr.join(''));
      assert.ok(exitedAt - signalledAt >= DRAIN_DELAY_MS);
      assert.equal(lines.at(-1)?.msg, 'stopped');
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
      await host.close();
    }
  });
});
