/**
 * Shared set-up of the HTTP suites: a config with one credential per dialect, an engine pool,
 * servers built around it with a log capture (every answer checked against the server's OpenAPI
 * document), TC3 signing, and the images the suites send. Sample photos are read from
 * ../shared (never copied); every other image is made here with sharp.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { pino, type Logger } from 'pino';
import sharp from 'sharp';
import { loadConfig } from '../../src/config/load-config.js';
import type { Config } from '../../src/config/schema.js';
import { createEnginePool, type EnginePool } from '../../src/engine/engine-pool.js';
import { signTc3 } from '../../src/api/tencent/tc3-signature.js';
import { buildServer, type ServerDependencies } from '../../src/server.js';
import { REDACTED_PATHS } from '../../src/log/logger.js';
import { checkAnswersAgainstOpenApi } from './openapi-check.js';
import { MODELS_DIR, SAMPLES_DIR } from './paths.js';

export const API_KEY = 'native-test-key-0123456789abcdef';
export const ACEDATA_TOKEN = 'acedata-test-token-0123456789abcdef';
export const TENCENT_SECRET_ID = 'AKIDfaceliveTest0001';
export const TENCENT_SECRET_KEY = 'tencent-test-secret-key-0123456789';
export const ADVANCE_ACCESS_KEY = 'advance-test-access-key';
export const ADVANCE_SECRET_KEY = 'advance-test-secret-key-0123456789';
export const ACCUAUTH_API_ID = 'accuauth-test-app';
export const ACCUAUTH_API_SECRET = 'accuauth-test-secret-0123456789';
export const ALIBABA_ACCESS_KEY_ID = 'LTAI5tFaceliveTest0001';
export const ALIBABA_ACCESS_KEY_SECRET = 'alibaba-test-secret-0123456789';
export const BAIDU_API_KEY = 'baiduTestApiKey0001';
export const BAIDU_SECRET_KEY = 'baidu-test-secret-key-0123456789';

/** The credentials as the environment would give them. */
export const TEST_ENV: NodeJS.ProcessEnv = {
  FACELIVE_API_KEY: API_KEY,
  FACELIVE_ACEDATA_TOKEN: ACEDATA_TOKEN,
  FACELIVE_TENCENT_SECRET_ID: TENCENT_SECRET_ID,
  FACELIVE_TENCENT_SECRET_KEY: TENCENT_SECRET_KEY,
  FACELIVE_ADVANCE_ACCESS_KEY: ADVANCE_ACCESS_KEY,
  FACELIVE_ADVANCE_SECRET_KEY: ADVANCE_SECRET_KEY,
  FACELIVE_ACCUAUTH_API_ID: ACCUAUTH_API_ID,
  FACELIVE_ACCUAUTH_API_SECRET: ACCUAUTH_API_SECRET,
  FACELIVE_ALIBABA_ACCESS_KEY_ID: ALIBABA_ACCESS_KEY_ID,
  FACELIVE_ALIBABA_ACCESS_KEY_SECRET: ALIBABA_ACCESS_KEY_SECRET,
  FACELIVE_BAIDU_API_KEY: BAIDU_API_KEY,
  FACELIVE_BAIDU_SECRET_KEY: BAIDU_SECRET_KEY,
};

/** {@link TEST_ENV} without the variables of the named dialects' credentials. */
export function envWithout(...names: readonly string[]): NodeJS.ProcessEnv {
  const prefixes = names.map((name) => `FACELIVE_${name.toUpperCase()}_`);
  return Object.fromEntries(Object.entries(TEST_ENV).filter(([key]) => !prefixes.some((prefix) => key.startsWith(prefix))));
}

type Patch = { [key: string]: unknown };

function merge(base: Patch, patch: Patch): Patch {
  const out: Patch = { ...base };
  for (const [key, value] of Object.entries(patch)) {
    const current = out[key];
    out[key] =
      value && typeof value === 'object' && !Array.isArray(value) && current && typeof current === 'object' && !Array.isArray(current)
        ? merge(current as Patch, value as Patch)
        : value;
  }
  return out;
}

const dataDirs: string[] = [];
process.once('exit', () => dataDirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

/** A fresh directory for a result store, removed when the test process exits. */
export function tempDataDir(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'facelive-data-'));
  dataDirs.push(dir);
  return dir;
}

/**
 * Test config: the test model pack, the credentials of {@link TEST_ENV}, a fresh result-store
 * directory ({@link tempDataDir}), and a deep patch.
 * Calibration is off: these suites check translation (every dialect's number equals the engine's
 * score for the same config), not the score scale, which the calibration suites own.
 */
export function httpConfig(patch: Patch = {}, env: NodeJS.ProcessEnv = TEST_ENV): Config {
  const base = loadConfig({ modelsDir: MODELS_DIR }, env);
  // The suites present wrong credentials on purpose, dozens of times from one address: the
  // throttle of failed authentication is off here and tested on its own (test/e2e/abuse.test.ts).
  const defaults = { calibration: { enabled: false }, store: { dataDir: tempDataDir() }, server: { authThrottle: { baseDelayMs: 0 } } };
  return merge(merge(structuredClone(base) as unknown as Patch, defaults), patch) as unknown as Config;
}

/** A one-worker pool (the suites share one per file). */
export function testPool(config: Config, maxQueue = 16, workers = 1): Promise<EnginePool> {
  return createEnginePool(config, { workers, maxQueue });
}

/** A logger whose JSON lines are kept in memory. */
export interface LogCapture {
  readonly logger: Logger;
  /** Everything written, raw. */
  text(): string;
  /** Parsed lines. */
  lines(): Record<string, unknown>[];
  /** The per-request lines (`msg: "request"`). */
  requests(): Record<string, unknown>[];
}

/** Same settings as the production logger (level, redaction), written to memory. */
export function captureLogs(level: 'info' | 'debug' = 'info'): LogCapture {
  const chunks: string[] = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      chunks.push(String(chunk));
      done();
    },
  });
  const logger = pino({ level, base: { service: 'facelive' }, redact: { paths: [...REDACTED_PATHS], censor: '[redacted]' } }, sink);
  const lines = () =>
    chunks
      .join('')
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as Record<string, unknown>);
  return { logger, text: () => chunks.join(''), lines, requests: () => lines().filter((line) => line.msg === 'request') };
}

/**
 * A server around `engine` with a log capture; close the app, not the engine. Every answer its
 * `inject` returns is checked against the server's own OpenAPI document.
 */
export async function testServer(
  config: Config,
  engine: ServerDependencies['engine'],
  extra: Partial<ServerDependencies> = {},
): Promise<{ app: FastifyInstance; logs: LogCapture }> {
  const logs = captureLogs();
  const app = await buildServer(config, { logger: logs.logger, engine, ...extra });
  await checkAnswersAgainstOpenApi(app);
  return { app, logs };
}

/** {@link testServer} listening on 127.0.0.1 (a free port); `url` has no trailing slash. */
export async function listeningServer(
  config: Config,
  engine: ServerDependencies['engine'],
  extra: Partial<ServerDependencies> = {},
): Promise<{ app: FastifyInstance; logs: LogCapture; url: string }> {
  const { app, logs } = await testServer(config, engine, extra);
  await app.listen({ port: 0, host: '127.0.0.1' });
  return { app, logs, url: `http://127.0.0.1:${(app.server.address() as import('node:net').AddressInfo).port}` };
}

/** What most dialect suites run against: test images, a loopback image host, a pool, a server. */
export interface HttpFixture {
  readonly images: TestImages;
  readonly host: ImageHost;
  readonly pool: EnginePool;
  readonly app: FastifyInstance;
  readonly logs: LogCapture;
  /** Closes the server, then the pool, then the image host. */
  close(): Promise<void>;
}

/** Starts an {@link HttpFixture} for `config`. */
export async function startHttpFixture(config: Config): Promise<HttpFixture> {
  const images = await testImages();
  const host = await startImageHost(images);
  let pool: EnginePool | undefined;
  let app: FastifyInstance;
  let logs: LogCapture;
  try {
    pool = await testPool(config);
    ({ app, logs } = await testServer(config, pool));
  } catch (error) {
    // A failed start (a missing model pack, typically) must not leave the image host listening:
    // an open server keeps the test process alive and the suite would hang instead of failing.
    await pool?.close();
    await host.close();
    throw error;
  }
  return {
    images,
    host,
    pool,
    app,
    logs,
    close: async () => {
      await app.close();
      await pool.close();
      await host.close();
    },
  };
}

/** Headers of a signed Tencent call, as the SDK sends them. */
export interface TencentCall {
  readonly body: string;
  readonly headers: Record<string, string>;
}

/** Signs a DetectLiveFaceAccurate call; every part can be overridden to produce the auth errors. */
export function tencentCall(
  payload: unknown,
  options: {
    host?: string;
    timestamp?: number;
    secretId?: string;
    secretKey?: string;
    action?: string;
    version?: string;
    service?: string;
    rawBody?: string;
  } = {},
): TencentCall {
  const body = options.rawBody ?? JSON.stringify(payload);
  const host = options.host ?? 'localhost:80';
  const timestamp = options.timestamp ?? Math.floor(Date.now() / 1000);
  const authorization = signTc3({
    secretId: options.secretId ?? TENCENT_SECRET_ID,
    secretKey: options.secretKey ?? TENCENT_SECRET_KEY,
    host: host.replace(/:\d+$/, ''),
    body,
    timestampSeconds: timestamp,
    service: options.service,
  });
  return {
    body,
    headers: {
      host,
      'content-type': 'application/json',
      'x-tc-action': options.action ?? 'DetectLiveFaceAccurate',
      'x-tc-version': options.version ?? '2020-03-03',
      'x-tc-timestamp': String(timestamp),
      'x-tc-region': 'ap-guangzhou',
      authorization,
    },
  };
}

/** Images the suites send. */
export interface TestImages {
  readonly live: Buffer;
  readonly spoof: Buffer;
  readonly spoof2: Buffer;
  /** A flat grey JPEG: decodes, no face. */
  readonly noFace: Buffer;
  /** The live sample shrunk until the face is narrower than 100 px. */
  readonly smallFace: Buffer;
  /** 12100 x 64 JPEG: longer than the 12000 px JPEG limit. */
  readonly tooLong: Buffer;
  /** 48 x 48 JPEG: shorter than the 64 px minimum. */
  readonly tooSmall: Buffer;
  /** The first 3000 bytes of the live JPEG. */
  readonly truncated: Buffer;
  /** Plain text. */
  readonly text: Buffer;
}

/** Builds the image set (sample photos from ../shared, the rest synthetic). */
export async function testImages(): Promise<TestImages> {
  const read = (name: string) => readFileSync(path.join(SAMPLES_DIR, name));
  const live = read('image_T1.jpg');
  const flat = (width: number, height: number) =>
    sharp({ create: { width, height, channels: 3, background: { r: 128, g: 128, b: 128 } } })
      .jpeg()
      .toBuffer();
  return {
    live,
    spoof: read('image_F1.jpg'),
    spoof2: read('image_F2.jpg'),
    noFace: await flat(320, 240),
    smallFace: await sharp(live).rotate().resize({ width: 200 }).jpeg({ quality: 95 }).toBuffer(),
    tooLong: await flat(12_100, 64),
    tooSmall: await flat(48, 48),
    truncated: live.subarray(0, 3000),
    text: Buffer.from('this is not an image, just some text that is long enough to be sniffed\n'),
  };
}

/** Authorization header of the native API. */
export const NATIVE_AUTH = { authorization: `Bearer ${API_KEY}` };
/** Authorization header of the Ace Data dialect. */
export const ACEDATA_AUTH = { authorization: `Bearer ${ACEDATA_TOKEN}` };
/** Credential headers of the AccuAuth dialect. */
export const ACCUAUTH_AUTH = { 'x-df-api-id': ACCUAUTH_API_ID, 'x-df-api-secret': ACCUAUTH_API_SECRET };

/** A loopback HTTP server that plays an image host for the URL-fetch cases. */
export interface ImageHost {
  readonly port: number;
  /** `http://127.0.0.1:<port><pathname>` */
  url(pathname: string): string;
  close(): Promise<void>;
}

/**
 * Routes: `/live.jpg`, `/spoof.jpg`, `/no-face.jpg` (when given), `/redirect/live` (→ /live.jpg), `/redirect/loop` (→ itself),
 * `/redirect/metadata` (→ 169.254.169.254, refused before any connection), `/missing` (404),
 * `/big` (streams 8 MiB without a length), `/big-declared` (announces 8 MiB), `/slow` (sends a few
 * bytes, then nothing for 5 s). Loopback only.
 */
export async function startImageHost(images: Pick<TestImages, 'live' | 'spoof'> & Partial<Pick<TestImages, 'noFace'>>): Promise<ImageHost> {
  const http = await import('node:http');
  const timers = new Set<NodeJS.Timeout>();
  const server = http.createServer((request, response) => {
    const send = (status: number, headers: Record<string, string | number>, body?: Buffer | string) => {
      response.writeHead(status, headers);
      response.end(body);
    };
    switch (request.url) {
      case '/live.jpg':
        return send(200, { 'content-type': 'application/octet-stream' }, images.live);
      case '/spoof.jpg':
        return send(200, { 'content-type': 'text/plain' }, images.spoof);
      case '/no-face.jpg':
        return images.noFace ? send(200, { 'content-type': 'image/jpeg' }, images.noFace) : send(404, {}, 'not found');
      case '/redirect/live':
        return send(302, { location: '/live.jpg' });
      case '/redirect/loop':
        return send(302, { location: '/redirect/loop' });
      case '/redirect/metadata':
        return send(302, { location: 'http://169.254.169.254/latest/meta-data/' });
      case '/big': {
        response.writeHead(200, { 'content-type': 'image/jpeg' });
        const chunk = Buffer.alloc(64 * 1024, 0xff);
        let sent = 0;
        const pump = () => {
          while (sent < 8 * 1024 * 1024) {
            sent += chunk.length;
            if (!response.write(chunk)) return void response.once('drain', pump);
          }
          response.end();
        };
        response.on('error', () => undefined);
        return pump();
      }
      case '/big-declared':
        response.writeHead(200, { 'content-length': 8 * 1024 * 1024 });
        return response.write(Buffer.alloc(1024));
      case '/slow': {
        response.writeHead(200, { 'content-type': 'image/jpeg' });
        response.write(images.live.subarray(0, 100));
        const timer = setTimeout(() => response.end(), 5_000);
        timers.add(timer);
        return;
      }
      default:
        return send(404, { 'content-type': 'text/plain' }, 'not found');
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as import('node:net').AddressInfo;
  return {
    port,
    url: (pathname) => `http://127.0.0.1:${port}${pathname}`,
    close: async () => {
      for (const timer of timers) clearTimeout(timer);
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** An image host on loopback that reports when it is asked for the image and answers only when released (holds a request in flight). */
export interface GatedImageHost {
  readonly url: string;
  /** Resolves when a request for the image arrived. */
  readonly fetched: Promise<void>;
  release(): void;
  close(): Promise<void>;
}

/** Starts a {@link GatedImageHost} serving `image`. */
export async function gatedImageHost(image: Buffer): Promise<GatedImageHost> {
  const http = await import('node:http');
  let arrived: () => void = () => undefined;
  let release: () => void = () => undefined;
  const fetched = new Promise<void>((resolve) => (arrived = resolve));
  const released = new Promise<void>((resolve) => (release = resolve));
  const server = http.createServer((_request, response) => {
    arrived();
    void released.then(() => response.end(image));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as import('node:net').AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/live.jpg`,
    fetched,
    release,
    close: async () => {
      release();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** An engine pool whose every analysis fails with a foreign error (an internal fault of the engine). */
export function crashingPool(): EnginePool {
  return {
    size: 1,
    maxQueue: 1,
    queued: 0,
    inFlight: 0,
    utilization: 0,
    analyse: async () => {
      throw new TypeError('undefined is not a function (inside the engine)');
    },
    close: async () => undefined,
  };
}
