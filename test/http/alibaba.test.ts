/**
 * The Alibaba Cloud dialect in-process: the claim on `/` (beside Tencent's), both signatures and
 * each authentication code, action and version, the `Tasks` form (several tasks, ImageURL over
 * ImageData, limits), the answer's fields against the engine's result, no face as a 200 `block`
 * result, and the error envelope. Image, URL and admission errors of every dialect:
 * dialects.test.ts. The official SDK against a listening server: test/e2e/alibaba-sdk.test.ts.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { alibabaVerdict } from '../../src/api/alibaba/score.js';
import type { EnginePool } from '../../src/engine/engine-pool.js';
import { acs3Call, acsDate, rpcCall } from '../helpers/dialect-probes/alibaba.js';
import { formBody, send } from '../helpers/dialect-probe.js';
import {
  httpConfig,
  startImageHost,
  tencentCall,
  testImages,
  testPool,
  testServer,
  type ImageHost,
  type LogCapture,
  type TestImages,
} from '../helpers/http-server.js';

/** `<status> <Code>` of an error envelope, after checking the envelope's fields. */
function errorOf(response: LightMyRequestResponse): string {
  const body = response.json();
  assert.deepEqual(Object.keys(body).sort(), ['Code', 'HostId', 'Message', 'Recommend', 'RequestId'], response.body);
  assert.equal(body.RequestId, response.headers['x-request-id']);
  assert.match(String(response.headers['content-type']), /^application\/json/);
  return `${response.statusCode} ${body.Code}`;
}

function form(fields: Record<string, string>): string {
  return new URLSearchParams(fields).toString();
}

describe('Alibaba Cloud dialect in-process', () => {
  let pool: EnginePool;
  let app: FastifyInstance;
  let logs: LogCapture;
  let images: TestImages;
  let host: ImageHost;
  let live: string;

  const call = (body: string, overrides: Parameters<typeof acs3Call>[1] = {}, patch: (headers: Record<string, string>) => void = () => undefined) => {
    const request = acs3Call(body, overrides);
    patch(request.headers);
    return send(app, request);
  };

  before(async () => {
    images = await testImages();
    host = await startImageHost(images);
    const config = httpConfig({ server: { urlFetch: { allowCidrs: ['127.0.0.0/8'] } } });
    pool = await testPool(config);
    ({ app, logs } = await testServer(config, pool));
    live = images.live.toString('base64');
  });
  after(async () => {
    await app?.close();
    await pool?.close();
    await host?.close();
  });

  test('success: one element per task with the verdict of the engine result, the face box and counts', async () => {
    const response = await call(form({ 'Tasks.1.ImageData': live }));
    assert.equal(response.statusCode, 200, response.body);
    const body = response.json();
    assert.equal(body.RequestId, response.headers['x-request-id']);
    const [element] = body.Data.Elements;
    const result = await pool.analyse(images.live);
    assert.equal(element.TaskId, `${body.RequestId}-1`);
    assert.equal(element.ImageURL, '');
    assert.equal(element.FaceNumber, result.faces.length);
    const [first] = element.Results;
    assert.deepEqual({ Label: first.Label, Rate: first.Rate, Suggestion: first.Suggestion }, alibabaVerdict(result));
    const box = result.faces[0].box;
    assert.deepEqual(first.Rect, { Left: Math.round(box.x), Top: Math.round(box.y), Width: Math.round(box.width), Height: Math.round(box.height) });
    assert.ok(first.Rect.Width > 0 && Number.isInteger(first.Rect.Left));
    assert.deepEqual(first.Frames, []);
    assert.equal(typeof first.MessageTips, 'string');
  });

  test('several tasks: answered in index order, a URL echoed, ImageURL wins over ImageData, no face a block element', async () => {
    const response = await call(
      form({
        'Tasks.3.ImageData': images.noFace.toString('base64'),
        'Tasks.1.ImageData': live,
        'Tasks.2.ImageURL': host.url('/spoof.jpg'),
        'Tasks.2.ImageData': live,
      }),
    );
    assert.equal(response.statusCode, 200, response.body);
    const elements = response.json().Data.Elements;
    assert.deepEqual(
      elements.map((element: { TaskId: string }) => element.TaskId.split('-').pop()),
      ['1', '2', '3'],
    );
    assert.equal(elements[1].ImageURL, host.url('/spoof.jpg'));
    const spoof = alibabaVerdict(await pool.analyse(images.spoof));
    assert.equal(elements[1].Results[0].Rate, spoof.Rate, 'the URL was analysed, not the ImageData');
    assert.deepEqual(elements[2], {
      TaskId: elements[2].TaskId,
      ImageURL: '',
      FaceNumber: 0,
      Results: [
        {
          Label: 'liveness',
          Rate: 100,
          Suggestion: 'block',
          Rect: { Left: 0, Top: 0, Width: 0, Height: 0 },
          MessageTips: 'no face detected, try again please.',
          Frames: [],
        },
      ],
    });
    const line = logs.requests().find((entry) => entry.reqId === response.headers['x-request-id']);
    assert.equal(line?.errorCode, 'FACE_NOT_FOUND', 'the log line says a task had no face');
    assert.equal(line?.dialect, 'alibaba');
  });

  test('a failing task fails the call, naming its field', async () => {
    const response = await call(form({ 'Tasks.1.ImageData': live, 'Tasks.2.ImageData': images.text.toString('base64') }));
    assert.equal(errorOf(response), '400 InvalidImage.Format');
    assert.match(response.json().Message, /JPEG, PNG/);
  });

  test('a form content type with a charset is read too', async () => {
    const response = await call(form({ 'Tasks.1.ImageData': live }), { contentType: 'application/x-www-form-urlencoded; charset=UTF-8' });
    assert.equal(response.statusCode, 200, response.body);
  });

  test('the legacy RPC signature (query) is accepted as well', async () => {
    const response = await send(app, rpcCall(formBody({ 'Tasks.1.ImageData': live })));
    assert.equal(response.statusCode, 200, response.body);
    assert.equal(response.json().Data.Elements[0].Results[0].Rate, alibabaVerdict(await pool.analyse(images.live)).Rate);
  });

  test('authentication codes: missing, malformed, expired, unknown key, wrong secret, tampered body, replayed nonce', async () => {
    const body = form({ 'Tasks.1.ImageData': live });
    assert.equal(errorOf(await call(body, {}, (h) => delete h.authorization)), '400 IncompleteSignature');
    assert.equal(errorOf(await call(body, {}, (h) => (h.authorization = 'ACS3-HMAC-SHA256 nonsense'))), '400 IncompleteSignature');
    assert.equal(errorOf(await call(body, { date: acsDate(Date.now() - 16 * 60_000) })), '400 InvalidTimeStamp.Expired');
    assert.equal(errorOf(await call(body, { accessKeyId: 'LTAI5tUnknownKey000001' })), '400 SignatureDoesNotMatch');
    assert.equal(errorOf(await call(body, { accessKeySecret: 'the-wrong-secret-0123456789' })), '400 SignatureDoesNotMatch');
    const tampered = acs3Call(body);
    assert.equal(errorOf(await send(app, { ...tampered, payload: form({ 'Tasks.1.ImageURL': 'http://evil.example/x.jpg' }) })), '400 SignatureDoesNotMatch');
    const once = acs3Call(form({ 'Tasks.1.ImageData': images.noFace.toString('base64') }));
    assert.equal((await send(app, once)).statusCode, 200);
    const replay = await send(app, once);
    assert.equal(errorOf(replay), '400 SignatureDoesNotMatch');
    assert.match(replay.json().Message, /nonce was already used/);
    const rpc = rpcCall(formBody({ 'Tasks.1.ImageData': live }), { accessKeySecret: 'the-wrong-secret-0123456789' });
    assert.equal(errorOf(await send(app, rpc)), '400 SignatureDoesNotMatch');
  });

  test('no AccessKey configured: every call is refused with InvalidAccessKeyId.NotFound', async () => {
    const { app: bare } = await testServer(httpConfig({}, {}), pool);
    try {
      assert.equal(errorOf(await send(bare, acs3Call(form({ 'Tasks.1.ImageData': live })))), '404 InvalidAccessKeyId.NotFound');
    } finally {
      await bare.close();
    }
  });

  test('action and version: another action or version → InvalidApi.NotFound; an unknown route under / as well', async () => {
    const body = form({ 'Tasks.1.ImageData': live });
    assert.equal(errorOf(await call(body, { action: 'DetectInfraredLivingFace' })), '404 InvalidApi.NotFound');
    assert.equal(errorOf(await call(body, { version: '2018-01-01' })), '404 InvalidApi.NotFound');
    assert.equal(errorOf(await app.inject({ method: 'GET', url: '/?Action=DetectLivingFace' })), '404 InvalidApi.NotFound');
  });

  test('Tasks: missing, malformed, too many, empty; a JSON body is refused', async () => {
    assert.equal(errorOf(await call('')), '400 MissingTasks');
    assert.equal(errorOf(await call('Tasks.1=x')), '400 InvalidParameter');
    assert.equal(errorOf(await call(Array.from({ length: 11 }, (_, i) => `Tasks.${i + 1}.ImageData=abcd`).join('&'))), '400 InvalidParameter');
    assert.equal(errorOf(await call('Tasks.1.ImageData=')), '400 InvalidParameter');
    const json = await call('{"Tasks":[{"ImageData":"x"}]}', { contentType: 'application/json' });
    assert.equal(errorOf(json), '400 InvalidParameter');
    assert.match(json.json().Message, /application\/x-www-form-urlencoded/);
  });

  test('Tencent and Alibaba share /: each request goes to the dialect its header names', async () => {
    const tencent = tencentCall({ Image: live });
    const tencentAnswer = await app.inject({ method: 'POST', url: '/', headers: tencent.headers, payload: tencent.body });
    assert.equal(typeof tencentAnswer.json().Response.Score, 'number', tencentAnswer.body);
    const alibabaAnswer = await call(form({ 'Tasks.1.ImageData': live }));
    assert.equal(alibabaAnswer.json().Data.Elements.length, 1);
    const documented = (await app.inject('/docs/json')).json().paths;
    assert.ok(documented['/'].post.tags.includes('tencent'));
    assert.ok(documented['/#alibaba'].post.tags.includes('alibaba'));
  });
});
