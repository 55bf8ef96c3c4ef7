/**
 * HTTPS with a self-signed certificate made here (`openssl req -x509`, a subprocess): the server
 * started with server.tls (as --tls-cert / --tls-key / FACELIVE_TLS_* set it) answers a liveness
 * call over https with the engine's score, reports an https URL, and refuses plain HTTP on the
 * same port; a missing file or a key that is not the certificate's fails at start-up with
 * CONFIG_INVALID naming the setting.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { loadConfig } from '../../src/config/load-config.js';
import { startServer, type RunningServer } from '../../src/server-lifecycle.js';
import { buildServer } from '../../src/server.js';
import { NATIVE_AUTH, TEST_ENV, captureLogs, crashingPool, httpConfig, testImages } from '../helpers/http-server.js';
import { MODELS_DIR } from '../helpers/paths.js';

function selfSigned(dir: string, name: string): { cert: string; key: string } {
  const cert = path.join(dir, `${name}.crt`);
  const key = path.join(dir, `${name}.key`);
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      key,
      '-out',
      cert,
      '-days',
      '1',
      '-subj',
      '/CN=127.0.0.1',
      '-addext',
      'subjectAltName=IP:127.0.0.1',
    ],
    {
      stdio: 'ignore',
    },
  );
  return { cert, key };
}

/** POST over https trusting `ca` only. */
function postHttps(url: string, ca: Buffer, headers: Record<string, string>, body: string): Promise<{ status: number; json: any }> {
  return new Promise((resolve, reject) => {
    const request = https.request(url, { method: 'POST', ca, headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) } }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, json: JSON.parse(Buffer.concat(chunks).toString('utf8')) }));
    });
    request.on('error', reject);
    request.end(body);
  });
}

describe('HTTPS', () => {
  let dir: string;
  let pair: { cert: string; key: string };
  let other: { cert: string; key: string };
  let running: RunningServer | undefined;

  before(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'facelive-tls-'));
    pair = selfSigned(dir, 'server');
    other = selfSigned(dir, 'other');
  });
  after(async () => {
    await running?.shutdown('test end');
    rmSync(dir, { recursive: true, force: true });
  });

  test('a liveness call over https answers the engine score; plain http is refused', async () => {
    const config = httpConfig({ runtime: { workers: 1 }, server: { port: 0, host: '127.0.0.1', tls: { certFile: pair.cert, keyFile: pair.key } } });
    running = await startServer(config, { logger: captureLogs().logger });
    await running.ready;
    assert.match(running.url, /^https:\/\/127\.0\.0\.1:\d+$/);
    const images = await testImages();
    const { readFileSync } = await import('node:fs');
    const answer = await postHttps(
      `${running.url}/v1/liveness`,
      readFileSync(pair.cert),
      { ...NATIVE_AUTH, 'content-type': 'application/json' },
      JSON.stringify({ image: images.live.toString('base64') }),
    );
    assert.equal(answer.status, 200, JSON.stringify(answer.json));
    assert.equal(typeof answer.json.score, 'number');
    assert.equal(answer.json.decision, 'live');
    // The certificate is checked by the client: another CA is refused.
    await assert.rejects(postHttps(`${running.url}/healthz`, readFileSync(other.cert), {}, ''));
    // Plain HTTP on the TLS port gets no HTTP answer.
    await assert.rejects(fetch(`${running.url.replace('https:', 'http:')}/healthz`));
  });

  test('flags and environment set the files; half a pair, a missing file or a foreign key fail at start-up', async () => {
    const fromEnv = loadConfig({ modelsDir: MODELS_DIR }, { ...TEST_ENV, FACELIVE_TLS_CERT: pair.cert, FACELIVE_TLS_KEY: pair.key });
    assert.equal(fromEnv.server.tls.certFile, pair.cert);
    const fromFlags = loadConfig(
      { modelsDir: MODELS_DIR, tlsCert: other.cert, tlsKey: other.key },
      { ...TEST_ENV, FACELIVE_TLS_CERT: pair.cert, FACELIVE_TLS_KEY: pair.key },
    );
    assert.equal(fromFlags.server.tls.keyFile, other.key, 'flags win over the environment');
    assert.throws(() => loadConfig({ modelsDir: MODELS_DIR, tlsCert: pair.cert }, TEST_ENV), /CONFIG_INVALID|must be given together/);
    const build = (tls: { certFile: string; keyFile: string }) =>
      buildServer(httpConfig({ server: { tls } }), { logger: captureLogs().logger, engine: crashingPool() });
    await assert.rejects(
      build({ certFile: path.join(dir, 'missing.crt'), keyFile: pair.key }),
      (error: Error & { code?: string }) => error.code === 'CONFIG_INVALID' && /server\.tls\.certFile/.test(error.message),
    );
    await assert.rejects(
      build({ certFile: pair.cert, keyFile: other.key }),
      (error: Error & { code?: string }) => error.code === 'CONFIG_INVALID' && /server\.tls/.test(error.message),
    );
  });
});
