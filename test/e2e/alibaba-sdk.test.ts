/**
 * Alibaba Cloud's official Node SDK (`@alicloud/facebody20191230`, unchanged) against a listening
 * server, pointed at it only through its documented `endpoint` and `protocol`: live and spoof
 * samples scored (signature V3 and the legacy RPC signature), wrong secret, unknown key, missing
 * image, no face, URLs the SSRF guard refuses, an oversize image (over the image limit and over
 * the body limit), each in the vendor's envelope as the SDK reads it; and the SDK's bodies really
 * arrive chunked.
 */
import assert from 'node:assert/strict';
import type { IncomingMessage } from 'node:http';
import { after, before, describe, test } from 'node:test';
import facebodyModule, * as facebody from '@alicloud/facebody20191230';
import { Config as OpenApiConfig } from '@alicloud/openapi-client';
import { RuntimeOptions } from '@alicloud/tea-util';
import type { FastifyInstance } from 'fastify';
import { alibabaVerdict } from '../../src/api/alibaba/score.js';
import type { EnginePool } from '../../src/engine/engine-pool.js';
import {
  ALIBABA_ACCESS_KEY_ID,
  ALIBABA_ACCESS_KEY_SECRET,
  httpConfig,
  listeningServer,
  startImageHost,
  testImages,
  testPool,
  type ImageHost,
  type TestImages,
} from '../helpers/http-server.js';

// The package is CommonJS with `exports.default = Client`; imported from ESM, the class sits one level down.
const FacebodyClient = facebodyModule.default;

/** What the SDK throws for an error answer. */
interface SdkError {
  readonly code: string;
  readonly statusCode: number;
  readonly data: { readonly RequestId?: string; readonly HostId?: string; readonly Message?: string };
}

describe('Alibaba Cloud SDK against a listening server', () => {
  let pool: EnginePool;
  let app: FastifyInstance;
  let images: TestImages;
  let host: ImageHost;
  let port: number;
  const transferEncodings: (string | undefined)[] = [];

  const client = (options: { secret?: string; accessKeyId?: string; legacy?: boolean } = {}) =>
    new FacebodyClient(
      new OpenApiConfig({
        accessKeyId: options.accessKeyId ?? ALIBABA_ACCESS_KEY_ID,
        accessKeySecret: options.secret ?? ALIBABA_ACCESS_KEY_SECRET,
        endpoint: `127.0.0.1:${port}`,
        protocol: 'http',
        ...(options.legacy ? { signatureAlgorithm: 'v2' } : {}),
        readTimeout: 60_000,
        connectTimeout: 5_000,
      }),
    );

  const detect = (tasks: { imageData?: string; imageURL?: string }[], options: Parameters<typeof client>[0] = {}) =>
    client(options).detectLivingFaceWithOptions(
      new facebody.DetectLivingFaceRequest({ tasks: tasks.map((task) => new facebody.DetectLivingFaceRequestTasks(task)) }),
      new RuntimeOptions({ readTimeout: 60_000, connectTimeout: 5_000 }),
    );

  /** The SDK's exception for `tasks`, checked to carry the vendor envelope. */
  const refusal = async (tasks: Parameters<typeof detect>[0], options: Parameters<typeof client>[0] = {}): Promise<SdkError> => {
    try {
      await detect(tasks, options);
    } catch (error) {
      const sdkError = error as SdkError;
      assert.equal(typeof sdkError.code, 'string', String(error));
      assert.match(sdkError.data.RequestId ?? '', /^[0-9a-f-]{36}$/);
      assert.equal(sdkError.data.HostId, 'facelive');
      return sdkError;
    }
    throw new Error('the SDK call succeeded');
  };

  before(async () => {
    images = await testImages();
    host = await startImageHost(images);
    // Small limits of its own (the defaults are 32 MiB and 48 MiB), maxEncodedBytes under the body
    // limit, so that both limits can be met by an image.
    const config = httpConfig({ limits: { maxEncodedBytes: 2_000_000 }, server: { bodyLimitBytes: 6_291_456 } });
    pool = await testPool(config);
    let url: string;
    ({ app, url } = await listeningServer(config, pool));
    port = Number(new URL(url).port);
    app.server.prependListener('request', (request: IncomingMessage) => transferEncodings.push(request.headers['transfer-encoding']));
  });
  after(async () => {
    await app?.close();
    await pool?.close();
    await host?.close();
  });

  test('live and spoof samples: the verdict of the engine result, with signature V3 and the legacy RPC signature', async () => {
    for (const legacy of [false, true]) {
      for (const bytes of [images.live, images.spoof]) {
        const response = await detect([{ imageData: bytes.toString('base64') }], { legacy });
        assert.equal(response.statusCode, 200);
        const element = response.body!.data!.elements![0];
        const result = element.results![0];
        const expected = alibabaVerdict(await pool.analyse(bytes));
        assert.deepEqual({ Label: result.label, Rate: result.rate, Suggestion: result.suggestion }, expected, `legacy ${legacy}`);
        assert.ok((result.rect!.width ?? 0) > 0);
        assert.ok((element.faceNumber ?? 0) >= 1);
        assert.match(response.body!.requestId!, /^[0-9a-f-]{36}$/);
      }
    }
    assert.ok(transferEncodings.includes('chunked'), 'the SDK sent its form chunked');
  });

  test('wrong secret → SignatureDoesNotMatch (400), both signatures; unknown AccessKey → the same SignatureDoesNotMatch (400)', async () => {
    const image = [{ imageData: images.live.toString('base64') }];
    for (const legacy of [false, true]) {
      const wrong = await refusal(image, { secret: 'the-wrong-secret-0123456789', legacy });
      assert.deepEqual([wrong.code, wrong.statusCode], ['SignatureDoesNotMatch', 400]);
    }
    const unknown = await refusal(image, { accessKeyId: 'LTAI5tUnknownKey000001' });
    assert.deepEqual([unknown.code, unknown.statusCode], ['SignatureDoesNotMatch', 400]);
  });

  test('missing image: no task → MissingTasks; a task with an empty image → InvalidParameter', async () => {
    const missing = await refusal([]);
    assert.deepEqual([missing.code, missing.statusCode], ['MissingTasks', 400]);
    const empty = await refusal([{ imageData: '' }]);
    assert.deepEqual([empty.code, empty.statusCode], ['InvalidParameter', 400]);
  });

  test('no face: 200 with the block result, not an exception', async () => {
    const response = await detect([{ imageData: images.noFace.toString('base64') }]);
    assert.equal(response.statusCode, 200);
    const element = response.body!.data!.elements![0];
    assert.equal(element.faceNumber, 0);
    const result = element.results![0];
    assert.deepEqual([result.label, result.rate, result.suggestion, result.messageTips], ['liveness', 100, 'block', 'no face detected, try again please.']);
  });

  test('URLs the SSRF guard refuses → IllegalUrlParameter; an allowed-looking redirect to a refused address too', async () => {
    for (const url of ['http://169.254.169.254/latest/meta-data/', host.url('/live.jpg'), 'http://[::1]/x.jpg', 'file:///etc/passwd']) {
      const refused = await refusal([{ imageURL: url }]);
      assert.deepEqual([refused.code, refused.statusCode], ['IllegalUrlParameter', 400], url);
    }
  });

  test('oversize image: over limits.maxEncodedBytes and over server.bodyLimitBytes → InvalidImage.Size', async () => {
    const overImageLimit = await refusal([{ imageData: 'A'.repeat(3_000_000) }]);
    assert.deepEqual([overImageLimit.code, overImageLimit.statusCode], ['InvalidImage.Size', 400]);
    assert.match(overImageLimit.data.Message ?? '', /limit is 2000000 bytes/);
    const overBodyLimit = await refusal([{ imageData: 'A'.repeat(7_000_000) }]);
    assert.deepEqual([overBodyLimit.code, overBodyLimit.statusCode], ['InvalidImage.Size', 400]);
  });
});
