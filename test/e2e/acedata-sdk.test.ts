/**
 * Ace Data Cloud's official SDK (../shared/clients/acedatacloud-sdk, unchanged), Python and
 * TypeScript, against a listening server: `face.detect_live` / `face.detectLive` return the
 * engine's score, and each error raises the SDK's own class with the code and trace id facelive
 * sent (AuthenticationError, ValidationError, RateLimitError, APIError). The
 * SDK sends image URLs only, so the images come from a loopback host the config allows.
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import type { FastifyInstance } from 'fastify';
import type { EnginePool } from '../../src/engine/engine-pool.js';
import {
  ACEDATA_TOKEN,
  API_KEY,
  httpConfig,
  listeningServer,
  startImageHost,
  testImages,
  testPool,
  type ImageHost,
  type TestImages,
} from '../helpers/http-server.js';
import { CLIENTS_DIR } from '../helpers/paths.js';
import { runPythonSdk } from '../helpers/python-sdk.js';

const SDK_DIR = path.join(CLIENTS_DIR, 'acedatacloud-sdk');
/** A token whose bucket holds one call and refills once an hour (the RateLimitError case). */
const SCARCE_TOKEN = 'acedata-scarce-token-0123456789abcdef';

/** What a test reads of a call through either SDK. */
interface Outcome {
  readonly result?: Record<string, unknown>;
  readonly exception?: {
    readonly class: string;
    readonly isApiError: boolean;
    readonly code: string | null;
    readonly status: number | null;
    readonly message: string;
    readonly traceId: string | null;
  };
}

type Call = (token: string, imageUrl: string, extra?: Record<string, unknown>) => Promise<Outcome>;

/** The TypeScript SDK's client and error classes, loaded from its sources (tsx compiles them). */
interface TypeScriptSdk {
  AceDataCloud: new (options: {
    apiToken: string;
    baseURL: string;
    maxRetries: number;
  }) => {
    face: { detectLive(options: { imageUrl: string; [key: string]: unknown }): Promise<Record<string, unknown>> };
  };
  APIError: new (...args: never[]) => Error & { statusCode: number; code: string; traceId?: string };
  AceDataCloudError: new (...args: never[]) => Error;
}

describe('Ace Data Cloud official SDK, Python and TypeScript', () => {
  let images: TestImages;
  let host: ImageHost;
  let pool: EnginePool;
  let app: FastifyInstance;
  let baseUrl: string;
  let liveScore: number;
  let spoofScore: number;
  const calls: Record<'python' | 'typescript', Call> = {
    python: async (token, imageUrl, extra = {}) =>
      runPythonSdk<Outcome>('acedata_detect.py', { baseUrl, token, imageUrl, extra }, path.join(SDK_DIR, 'python', 'src')),
    typescript: async () => {
      throw new Error('not loaded');
    },
  };

  before(async () => {
    images = await testImages();
    host = await startImageHost(images);
    const config = httpConfig({ server: { urlFetch: { allowCidrs: ['127.0.0.1/32'] } } });
    const withScarce = {
      ...config,
      server: { ...config.server, acedata: { tokens: [...config.server.acedata.tokens, { token: SCARCE_TOKEN, ratePerSecond: 1 / 3600, burst: 1 }] } },
    };
    pool = await testPool(withScarce);
    ({ app, url: baseUrl } = await listeningServer(withScarce, pool));
    liveScore = (await pool.analyse(images.live)).score;
    spoofScore = (await pool.analyse(images.spoof)).score;
    // Loaded from its sources, as published (no build step, no patch); a computed specifier keeps
    // the type checker out of the vendor's sources.
    const sdk = (await import(pathToFileURL(path.join(SDK_DIR, 'typescript', 'src', 'index.ts')).href)) as TypeScriptSdk;
    calls.typescript = async (token, imageUrl, extra = {}) => {
      const client = new sdk.AceDataCloud({ apiToken: token, baseURL: baseUrl, maxRetries: 0 });
      try {
        return { result: await client.face.detectLive({ imageUrl, ...extra }) };
      } catch (error) {
        if (!(error instanceof sdk.AceDataCloudError)) throw error;
        const api = error instanceof sdk.APIError ? (error as InstanceType<TypeScriptSdk['APIError']>) : undefined;
        return {
          exception: {
            class: error.name,
            isApiError: api !== undefined,
            code: api?.code ?? null,
            status: api?.statusCode ?? null,
            message: error.message,
            traceId: api?.traceId ?? null,
          },
        };
      }
    };
  });
  after(async () => {
    await app?.close();
    await pool?.close();
    await host?.close();
  });

  for (const language of ['python', 'typescript'] as const) {
    describe(language, () => {
      const raises = async (outcome: Outcome, expected: { class: string; code: string; status: number; catalogueCode: string }) => {
        assert.ok(outcome.exception, `expected ${expected.class}, got ${JSON.stringify(outcome)}`);
        const { exception } = outcome;
        assert.equal(exception.class, expected.class, exception.message);
        assert.equal(exception.isApiError, true);
        assert.equal(exception.code, expected.code);
        assert.equal(exception.status, expected.status);
        assert.ok(exception.message.startsWith(`${expected.catalogueCode}: `), exception.message);
        assert.match(exception.traceId ?? '', /^[0-9a-f-]{36}$/);
      };

      test('detect-live: the live and spoof samples score as the engine does', async () => {
        const live = await calls[language](ACEDATA_TOKEN, host.url('/live.jpg'));
        assert.deepEqual(live.result, { score: liveScore, face_model_version: '3.0' }, JSON.stringify(live.exception));
        const spoof = await calls[language](ACEDATA_TOKEN, host.url('/spoof.jpg'), { face_model_version: '3.0' });
        assert.equal(spoof.result?.score, spoofScore);
      });

      test('errors raise the SDK classes with the codes facelive sends', async () => {
        const call = calls[language];
        const live = host.url('/live.jpg');
        await raises(await call('not-a-configured-token-0123456789', live), {
          class: 'AuthenticationError',
          code: 'invalid_token',
          status: 401,
          catalogueCode: 'AUTH_CREDENTIAL_INVALID',
        });
        // Another API's key gets the same answer as an unknown one (issue 13: nothing tells a caller that it exists).
        await raises(await call(API_KEY, live), {
          class: 'AuthenticationError',
          code: 'invalid_token',
          status: 401,
          catalogueCode: 'AUTH_CREDENTIAL_INVALID',
        });
        await raises(await call(ACEDATA_TOKEN, host.url('/no-face.jpg')), {
          class: 'ValidationError',
          code: 'invalid_image',
          status: 400,
          catalogueCode: 'FACE_NOT_FOUND',
        });
        await raises(await call(ACEDATA_TOKEN, 'not a url'), { class: 'ValidationError', code: 'invalid_request', status: 400, catalogueCode: 'URL_INVALID' });
        await raises(await call(ACEDATA_TOKEN, live, { face_model_version: '2.0' }), {
          class: 'ValidationError',
          code: 'api_not_implemented',
          status: 400,
          catalogueCode: 'FACE_MODEL_VERSION_UNSUPPORTED',
        });
        await raises(await call(ACEDATA_TOKEN, host.url('/missing')), { class: 'APIError', code: 'api_error', status: 500, catalogueCode: 'URL_HTTP_STATUS' });
      });
    });
  }

  test('RateLimitError once a token has used its bucket (both SDKs share it)', async () => {
    const first = await calls.python(SCARCE_TOKEN, host.url('/live.jpg'));
    assert.equal(first.result?.score, liveScore, JSON.stringify(first.exception));
    for (const language of ['python', 'typescript'] as const) {
      const limited = await calls[language](SCARCE_TOKEN, host.url('/live.jpg'));
      assert.equal(limited.exception?.class, 'RateLimitError', JSON.stringify(limited));
      assert.equal(limited.exception?.code, 'too_many_requests');
      assert.equal(limited.exception?.status, 429);
    }
  });
});
