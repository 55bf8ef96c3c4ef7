/**
 * The ADVANCE.AI dialect: the token API (signature, timestamp skew, periodSecond bounds, stateless
 * tokens), submissions of one photo or a far/near pair (JSON base64 and multipart) with the pair
 * rules, detection-result in both resultTypes with the document's fields and codes, the stored
 * images behind their URLs until retention ends, ids surviving a restart, the start-up purge
 * (RESULT_NOT_FOUND vs LIVENESS_ID_NOT_EXISTED), and the key cases again on listening servers
 * sharing a PostgreSQL store (FACELIVE_TEST_POSTGRES_URL, default
 * postgres://postgres@127.0.0.1:5432/test; a schema of its own per run, dropped after).
 *
 * The near photo of a pair is the live sample cropped tighter around its face (sharp); the clock
 * of the servers is injected, so retention and token expiry are tested without waiting.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import pg from 'pg';
import sharp from 'sharp';
import { ADVANCE_DOCUMENT_CODES, ADVANCE_ERRORS, ADVANCE_EXTENSION_CODES, advanceErrors } from '../../src/api/advance/errors.js';
import { advanceAssessment } from '../../src/api/advance/score.js';
import { AccessTokenIssuer } from '../../src/api/advance/token-issuer.js';
import { tokenRequestSignature } from '../../src/api/advance/token-request.js';
import type { Config } from '../../src/config/schema.js';
import type { EnginePool } from '../../src/engine/engine-pool.js';
import { judgePair } from '../../src/engine/pair.js';
import { ERROR_CATALOGUE, FaceliveError, HTTP_ERROR_CODES } from '../../src/errors/catalogue.js';
import {
  ADVANCE_ACCESS_KEY,
  ADVANCE_SECRET_KEY,
  TENCENT_SECRET_ID,
  TENCENT_SECRET_KEY,
  httpConfig,
  startImageHost,
  tempDataDir,
  tencentCall,
  testImages,
  testPool,
  testServer,
  type TestImages,
} from '../helpers/http-server.js';
import { sampleError } from '../helpers/catalogue.js';
import { REPO_ROOT, SHARED_DIR } from '../helpers/paths.js';

const POSTGRES_URL = process.env.FACELIVE_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const HOUR = 3_600_000;
const TOKEN_PATH = '/openapi/auth/ticket/v1/generate-token';
const SUBMIT_PATH = '/openapi/liveness/v3/submit';
const RESULT_PATH = '/openapi/liveness/v3/detection-result';
const IMAGE_URL = /^http:\/\/localhost:80\/openapi\/liveness\/v3\/image\/[A-Za-z0-9_-]{43}$/;
const OTHER_ACCESS_KEY = 'advance-other-access-key';
const OTHER_SECRET_KEY = 'advance-other-secret-key-0123456789';

/** A loopback port with nothing listening (connections are refused at once). */
async function closedPort(): Promise<number> {
  const host = await startImageHost({ live: Buffer.alloc(0), spoof: Buffer.alloc(0) });
  await host.close();
  return host.port;
}

/** A clock the test moves. */
interface Clock {
  ms: number;
  readonly now: () => number;
}

function clockAt(ms = Date.now()): Clock {
  const clock = { ms, now: () => clock.ms };
  return clock;
}

/** Far/near photos made from the samples. */
interface PairImages {
  /** Live sample as shot (EXIF-rotated JPEG). */
  readonly liveFar: Buffer;
  /** The live sample rotated upright and cropped tighter around the face. */
  readonly liveNear: Buffer;
  readonly spoofFar: Buffer;
  readonly spoofNear: Buffer;
  /** The live sample on a wide canvas, face in the top-left corner. */
  readonly liveCornered: Buffer;
}

/** Crops `bytes` (after EXIF rotation) to the face box widened by 45 % of its width and 30 % of its height on each side. */
async function nearCrop(pool: EnginePool, bytes: Buffer): Promise<Buffer> {
  const { faces, image } = await pool.analyse(bytes);
  const { box } = faces[0];
  const left = Math.max(0, Math.round(box.x - 0.45 * box.width));
  const top = Math.max(0, Math.round(box.y - 0.3 * box.height));
  const width = Math.min(image.width - left, Math.round(box.width * 1.9));
  const height = Math.min(image.height - top, Math.round(box.height * 1.6));
  return sharp(bytes).rotate().extract({ left, top, width, height }).jpeg({ quality: 95 }).toBuffer();
}

async function pairImages(pool: EnginePool, images: TestImages): Promise<PairImages> {
  return {
    liveFar: images.live,
    liveNear: await nearCrop(pool, images.live),
    spoofFar: images.spoof,
    spoofNear: await nearCrop(pool, images.spoof),
    liveCornered: await sharp(images.live)
      .rotate()
      .extend({ right: 900, bottom: 900, background: { r: 128, g: 128, b: 128 } })
      .jpeg()
      .toBuffer(),
  };
}

/** A token request body signed with `secretKey`. */
function tokenRequest(options: { accessKey?: string; secretKey?: string; timestamp?: number | string; periodSecond?: unknown; clock: Clock }) {
  const accessKey = options.accessKey ?? ADVANCE_ACCESS_KEY;
  const timestamp = options.timestamp ?? options.clock.ms;
  const body: Record<string, unknown> = {
    accessKey,
    timestamp,
    signature: tokenRequestSignature(accessKey, options.secretKey ?? ADVANCE_SECRET_KEY, timestamp),
  };
  if (options.periodSecond !== undefined) body.periodSecond = options.periodSecond;
  return body;
}

/** A multipart body with one file part per entry. */
async function multipart(files: Record<string, Buffer>): Promise<{ payload: Buffer; contentType: string }> {
  const form = new FormData();
  for (const [name, bytes] of Object.entries(files)) form.append(name, new Blob([bytes], { type: 'image/jpeg' }), `${name}.jpg`);
  const encoded = new Response(form);
  return { payload: Buffer.from(await encoded.arrayBuffer()), contentType: encoded.headers.get('content-type')! };
}

/** Checks the envelope and returns the body. */
function envelope(response: LightMyRequestResponse, code: string, messageStart?: string): any {
  assert.equal(response.statusCode, 200, response.body);
  const body = response.json();
  assert.deepEqual(Object.keys(body).sort(), ['code', 'data', 'extra', 'message', 'pricingStrategy', 'transactionId']);
  assert.equal(body.code, code, body.message);
  assert.equal(body.pricingStrategy, 'FREE');
  assert.equal(body.extra, null);
  assert.equal(body.transactionId, response.headers['x-request-id']);
  if (messageStart) assert.ok(body.message.startsWith(messageStart), body.message);
  if (code !== 'SUCCESS') assert.equal(body.data, null);
  return body;
}

/** In-process calls of one server. */
function client(app: FastifyInstance, clock: Clock) {
  const calls = {
    token: (body: unknown) => app.inject({ method: 'POST', url: TOKEN_PATH, payload: body as object }),
    async accessToken(accessKey = ADVANCE_ACCESS_KEY, secretKey = ADVANCE_SECRET_KEY): Promise<string> {
      return envelope(await calls.token(tokenRequest({ accessKey, secretKey, clock })), 'SUCCESS').data.token;
    },
    submitJson: (token: string | undefined, body: unknown) =>
      app.inject({ method: 'POST', url: SUBMIT_PATH, headers: token === undefined ? {} : { 'x-access-token': token }, payload: body as object }),
    async submitMultipart(token: string, files: Record<string, Buffer>) {
      const { payload, contentType } = await multipart(files);
      return app.inject({ method: 'POST', url: SUBMIT_PATH, headers: { 'x-access-token': token, 'content-type': contentType }, payload });
    },
    async submitted(token: string, files: Record<string, Buffer>): Promise<string> {
      return envelope(await calls.submitMultipart(token, files), 'SUCCESS').data.livenessId;
    },
    result: (token: string, body: unknown) => app.inject({ method: 'POST', url: RESULT_PATH, headers: { 'x-access-token': token }, payload: body as object }),
    image: (url: string) => app.inject({ method: 'GET', url: new URL(url).pathname }),
  };
  return calls;
}

describe('ADVANCE.AI dialect in-process', () => {
  let pool: EnginePool;
  let images: TestImages;
  let pairs: PairImages;
  let config: Config;
  let clock: Clock;
  let app: FastifyInstance;
  let logs: Awaited<ReturnType<typeof testServer>>['logs'];
  let api: ReturnType<typeof client>;
  const servers: FastifyInstance[] = [];
  const serve = async (serverConfig: Config, serverClock: Clock) => {
    const built = await testServer(serverConfig, pool, { now: serverClock.now });
    servers.push(built.app);
    return built;
  };

  before(async () => {
    images = await testImages();
    config = httpConfig({
      server: {
        advance: {
          credentials: [
            { accessKey: ADVANCE_ACCESS_KEY, secretKey: ADVANCE_SECRET_KEY },
            { accessKey: OTHER_ACCESS_KEY, secretKey: OTHER_SECRET_KEY },
          ],
        },
      },
    });
    pool = await testPool(config);
    pairs = await pairImages(pool, images);
    clock = clockAt();
    ({ app, logs } = await serve(config, clock));
    api = client(app, clock);
  });
  after(async () => {
    for (const server of servers) await server.close();
    await pool?.close();
  });

  test('token API: the vendor envelope, expiredTime in ms, default and asked periods, timestamp as number or text', async () => {
    const body = envelope(await api.token(tokenRequest({ clock })), 'SUCCESS');
    assert.equal(body.message, 'OK');
    assert.deepEqual(Object.keys(body.data).sort(), ['expiredTime', 'token']);
    assert.equal(body.data.expiredTime, clock.ms + 3600 * 1000);
    const asked = envelope(await api.token(tokenRequest({ clock, timestamp: String(clock.ms), periodSecond: 600 })), 'SUCCESS');
    assert.equal(asked.data.expiredTime, clock.ms + 600_000);
    const longest = envelope(await api.token(tokenRequest({ clock, periodSecond: '86400' })), 'SUCCESS');
    assert.equal(longest.data.expiredTime, clock.ms + 86_400_000);
    const upper = tokenRequest({ clock });
    upper.signature = String(upper.signature).toUpperCase();
    envelope(await api.token(upper), 'SUCCESS');
  });

  test('token API refusals: stale timestamps, bad signatures, unknown keys, periodSecond out of bounds, missing fields', async () => {
    envelope(await api.token(tokenRequest({ clock, timestamp: clock.ms - 301_000 })), 'IAM_FAILED', 'AUTH_SIGNATURE_EXPIRED: ');
    envelope(await api.token(tokenRequest({ clock, timestamp: clock.ms + 301_000 })), 'IAM_FAILED', 'AUTH_SIGNATURE_EXPIRED: ');
    envelope(await api.token(tokenRequest({ clock, timestamp: clock.ms - 299_000 })), 'SUCCESS');
    envelope(await api.token(tokenRequest({ clock, secretKey: 'not-the-secret-key-0123456789' })), 'IAM_FAILED', 'AUTH_SIGNATURE_INVALID: ');
    envelope(await api.token({ ...tokenRequest({ clock }), timestamp: clock.ms + 1 }), 'IAM_FAILED', 'AUTH_SIGNATURE_INVALID: ');
    envelope(await api.token({ ...tokenRequest({ clock }), signature: 'abc' }), 'IAM_FAILED', 'AUTH_SIGNATURE_INVALID: ');
    // An unknown accessKey is answered as a wrong signature: which accessKeys exist is not told.
    envelope(await api.token(tokenRequest({ clock, accessKey: 'no-such-access-key' })), 'IAM_FAILED', 'AUTH_SIGNATURE_INVALID: ');
    for (const periodSecond of [0, 86_401, 1.5, -5, 'soon']) {
      envelope(await api.token(tokenRequest({ clock, periodSecond })), 'PARAMETER_ERROR', 'INVALID_ARGUMENT: Invalid periodSecond');
    }
    const { signature: _signature, ...unsigned } = tokenRequest({ clock });
    envelope(await api.token(unsigned), 'PARAMETER_ERROR', 'ARGUMENT_MISSING: Missing signature');
    envelope(await api.token({ ...tokenRequest({ clock }), timestamp: 'yesterday' }), 'PARAMETER_ERROR', 'INVALID_ARGUMENT: Invalid timestamp');
    envelope(await app.inject({ method: 'POST', url: TOKEN_PATH }), 'PARAMETER_ERROR', 'ARGUMENT_MISSING: ');
    envelope(
      await app.inject({ method: 'POST', url: TOKEN_PATH, headers: { 'content-type': 'application/json' }, payload: '{"accessKey": ' }),
      'PARAMETER_ERROR',
      'REQUEST_MALFORMED: ',
    );
  });

  test('no credential configured: every token request and call is refused', async () => {
    const { app: bare } = await serve(httpConfig({}, {}), clock);
    const response = await bare.inject({ method: 'POST', url: TOKEN_PATH, payload: tokenRequest({ clock }) });
    envelope(response, 'IAM_FAILED', 'AUTH_NOT_CONFIGURED: ');
    const token = await api.accessToken();
    envelope(await client(bare, clock).submitJson(token, { image: images.live.toString('base64') }), 'IAM_FAILED', 'AUTH_NOT_CONFIGURED: ');
  });

  test('AccessTokenIssuer: stateless (another instance with the same keys verifies), forged, expired and unknown tokens refused', () => {
    const now = clockAt(1_700_000_000_000);
    const credentials = [{ accessKey: 'key-a', secretKey: 'secret-a-0123456789abcdef' }];
    const first = new AccessTokenIssuer(credentials, { now: now.now, maxPeriodSeconds: 7200, defaultPeriodSeconds: 60 });
    const second = new AccessTokenIssuer(credentials, { now: now.now });
    const issued = first.issue('key-a');
    assert.equal(issued.expiredTime, now.ms + 60_000);
    assert.deepEqual(second.verify(issued.token), { accessKey: 'key-a' }, 'any instance with the key verifies');
    assert.notEqual(first.issue('key-a').token, issued.token, 'tokens of the same millisecond differ');
    const [payload, mac] = issued.token.split('.');
    const forgedPayload = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(payload, 'base64url').toString()), e: now.ms + 10 * HOUR })).toString(
      'base64url',
    );
    assert.equal(first.verify(`${forgedPayload}.${mac}`), undefined, 'a longer expiry without the key');
    assert.equal(first.verify(`${payload}.${mac.slice(0, -2)}AA`), undefined);
    assert.equal(first.verify(`${payload}.${mac}.x`), undefined);
    assert.equal(first.verify('not a token'), undefined);
    assert.equal(
      new AccessTokenIssuer([{ accessKey: 'key-a', secretKey: 'rotated-secret-0123456789' }]).verify(issued.token),
      undefined,
      'a rotated secret revokes',
    );
    assert.equal(new AccessTokenIssuer([]).verify(issued.token), undefined, 'a removed key revokes');
    now.ms += 60_000;
    assert.equal(first.verify(issued.token), undefined, 'expired at expiredTime');
    assert.throws(
      () => first.issue('key-b'),
      (error: unknown) => error instanceof FaceliveError && error.code === 'AUTH_CREDENTIAL_INVALID',
    );
    assert.throws(
      () => first.issue('key-a', 7201),
      (error: unknown) => error instanceof FaceliveError && error.code === 'INVALID_ARGUMENT',
    );
    assert.equal(first.issue('key-a', 7200).expiredTime, now.ms + 7_200_000);
    assert.throws(() => new AccessTokenIssuer([...credentials, ...credentials]), { code: 'CONFIG_INVALID' });
    assert.throws(() => new AccessTokenIssuer(credentials, { maxPeriodSeconds: 60, defaultPeriodSeconds: 3600 }), { code: 'CONFIG_INVALID' });
  });

  test('X-ACCESS-TOKEN: missing, altered, expired', async () => {
    const image = { image: images.live.toString('base64') };
    envelope(await api.submitJson(undefined, image), 'IAM_FAILED', 'AUTH_CREDENTIAL_MISSING: ');
    const token = await api.accessToken();
    envelope(await api.submitJson(`${token}x`, image), 'IAM_FAILED', 'AUTH_CREDENTIAL_INVALID: ');
    envelope(await api.result(`x${token}`, { livenessId: randomUUID() }), 'IAM_FAILED', 'AUTH_CREDENTIAL_INVALID: ');
    const later = clockAt(clock.ms);
    const { app: laterApp } = await serve(config, later);
    later.ms += HOUR;
    envelope(await client(laterApp, later).submitJson(token, image), 'IAM_FAILED', 'AUTH_CREDENTIAL_INVALID: ');
  });

  test('one photo as JSON: livenessId, then the detection result with its image URL', async () => {
    const token = await api.accessToken();
    const submitted = envelope(await api.submitJson(token, { image: images.live.toString('base64') }), 'SUCCESS');
    assert.equal(submitted.message, 'OK');
    assert.match(submitted.data.livenessId, /^[0-9a-f-]{36}$/);
    const result = envelope(await api.result(token, { livenessId: submitted.data.livenessId, resultType: 'IMAGE_URL' }), 'SUCCESS');
    const engine = await pool.analyse(images.live);
    const assessed = advanceAssessment(engine);
    assert.deepEqual(Object.keys(result.data).sort(), [
      'attackSubType',
      'attackType',
      'auditImageUrl',
      'detectionResult',
      'farImageTime',
      'imageFarUrl',
      'imageNearUrl',
      'livenessScore',
      'nearImageTime',
    ]);
    assert.equal(result.data.livenessScore, assessed.livenessScore);
    assert.ok(result.data.livenessScore >= 50);
    assert.equal(result.data.attackType, null);
    assert.deepEqual([result.data.imageFarUrl, result.data.imageNearUrl, result.data.farImageTime, result.data.nearImageTime], [null, null, null, null]);
    assert.deepEqual([result.data.auditImageUrl, result.data.attackSubType], [null, null]);
    assert.match(result.data.detectionResult, IMAGE_URL);
    const photo = await api.image(result.data.detectionResult);
    assert.equal(photo.statusCode, 200);
    assert.equal(photo.headers['content-type'], 'image/jpeg');
    assert.equal(photo.headers['cache-control'], 'private, no-store');
    assert.ok(photo.rawPayload.equals(images.live), 'the photo as submitted');
    // Without resultType the document's default, IMAGE_URL.
    const byDefault = envelope(await api.result(token, { livenessId: submitted.data.livenessId }), 'SUCCESS');
    assert.equal(byDefault.data.detectionResult, result.data.detectionResult);
  });

  test('a far/near pair as multipart, read back as IMAGE_BASE64: scored from both photos', async () => {
    const token = await api.accessToken();
    const livenessId = await api.submitted(token, { imageFar: pairs.liveFar, imageNear: pairs.liveNear });
    const result = envelope(await api.result(token, { livenessId, resultType: 'IMAGE_BASE64' }), 'SUCCESS');
    const outcome = judgePair(await pool.analyse(pairs.liveFar), await pool.analyse(pairs.liveNear));
    assert.ok(outcome.accepted);
    assert.equal(result.data.livenessScore, advanceAssessment(outcome.verdict).livenessScore);
    assert.equal(result.data.attackType, null);
    assert.ok(Buffer.from(result.data.detectionResult, 'base64').equals(pairs.liveNear), 'detectionResult is the near photo');
    assert.equal(result.data.farImageTime, clock.ms);
    assert.equal(result.data.nearImageTime, clock.ms);
    assert.match(result.data.imageFarUrl, IMAGE_URL);
    assert.match(result.data.imageNearUrl, IMAGE_URL);
    assert.ok((await api.image(result.data.imageFarUrl)).rawPayload.equals(pairs.liveFar));
    assert.ok((await api.image(result.data.imageNearUrl)).rawPayload.equals(pairs.liveNear));
    const byUrl = envelope(await api.result(token, { signatureId: livenessId, resultType: 'IMAGE_URL' }), 'SUCCESS');
    assert.equal(byUrl.data.detectionResult, result.data.imageNearUrl, 'signatureId is accepted as the id');
  });

  test('a spoof pair as JSON: attackType 1 and a livenessScore below 50', async () => {
    const token = await api.accessToken();
    const submitted = envelope(
      await api.submitJson(token, { imageFar: pairs.spoofFar.toString('base64'), imageNear: pairs.spoofNear.toString('base64') }),
      'SUCCESS',
    );
    const result = envelope(await api.result(token, { livenessId: submitted.data.livenessId }), 'SUCCESS');
    assert.equal(result.data.attackType, 1);
    assert.ok(result.data.livenessScore < 50, String(result.data.livenessScore));
    const far = await pool.analyse(pairs.spoofFar);
    const near = await pool.analyse(pairs.spoofNear);
    assert.equal(
      result.data.livenessScore,
      advanceAssessment({ score: Math.min(far.score, near.score), decision: 'spoof', threshold: far.threshold }).livenessScore,
    );
  });

  test('a photo facelive cannot judge (greyscale: retry) is "unsure": attackType 3, livenessScore below 50', async () => {
    const token = await api.accessToken();
    const grey = await sharp(images.live).rotate().greyscale().jpeg().toBuffer();
    const engine = await pool.analyse(grey);
    assert.equal(engine.decision, 'retry');
    const livenessId = await api.submitted(token, { image: grey });
    const { data } = envelope(await api.result(token, { livenessId }), 'SUCCESS');
    assert.equal(data.attackType, 3);
    assert.ok(data.livenessScore < 50);
    assert.equal(data.livenessScore, advanceAssessment(engine).livenessScore);
  });

  test('pairs refused with PARAMETER_ERROR and the reason: near face not larger, faces far apart', async () => {
    const token = await api.accessToken();
    const swapped = envelope(await api.submitMultipart(token, { imageFar: pairs.liveNear, imageNear: pairs.liveFar }), 'PARAMETER_ERROR', 'INVALID_ARGUMENT: ');
    assert.match(swapped.message, /NEAR_FACE_NOT_LARGER/);
    const twice = envelope(await api.submitMultipart(token, { imageFar: pairs.liveFar, imageNear: pairs.liveFar }), 'PARAMETER_ERROR');
    assert.match(twice.message, /NEAR_FACE_NOT_LARGER/);
    const apart = envelope(await api.submitMultipart(token, { imageFar: pairs.liveCornered, imageNear: pairs.liveNear }), 'PARAMETER_ERROR');
    assert.match(apart.message, /FACE_POSITION_MISMATCH/);
  });

  test('photo errors name the photo; field combinations are checked', async () => {
    const token = await api.accessToken();
    const b64 = (bytes: Buffer) => bytes.toString('base64');
    const noFace = envelope(
      await api.submitJson(token, { imageFar: b64(pairs.liveFar), imageNear: b64(images.noFace) }),
      'PARAMETER_ERROR',
      'FACE_NOT_FOUND: ',
    );
    assert.match(noFace.message, /\(imageNear\)$/);
    // The photo is named once: here the message itself names it, so no suffix repeats it.
    const badBase64 = envelope(
      await api.submitJson(token, { imageFar: 'not base64!', imageNear: b64(pairs.liveNear) }),
      'PARAMETER_ERROR',
      'IMAGE_BASE64_INVALID: ',
    );
    assert.equal(badBase64.message.match(/imageFar/g)?.length, 1, badBase64.message);
    envelope(await api.submitMultipart(token, { image: images.smallFace }), 'PARAMETER_ERROR', 'FACE_TOO_SMALL: ');
    envelope(await api.submitMultipart(token, { image: images.text }), 'PARAMETER_ERROR', 'IMAGE_FORMAT_UNSUPPORTED: ');
    envelope(await api.submitJson(token, { imageFar: b64(pairs.liveFar) }), 'PARAMETER_ERROR', 'ARGUMENT_MISSING: Missing imageNear');
    envelope(await api.submitMultipart(token, { imageNear: pairs.liveNear }), 'PARAMETER_ERROR', 'ARGUMENT_MISSING: Missing imageFar');
    envelope(await api.submitJson(token, { image: b64(images.live), imageFar: b64(pairs.liveFar) }), 'PARAMETER_ERROR', 'INVALID_ARGUMENT: Invalid image');
    envelope(await api.submitJson(token, {}), 'PARAMETER_ERROR', 'ARGUMENT_MISSING: Missing image');
    envelope(await api.submitJson(token, { image: 12 }), 'PARAMETER_ERROR', 'INVALID_ARGUMENT: ');
    envelope(await api.submitMultipart(token, { selfie: images.live }), 'PARAMETER_ERROR', 'INVALID_ARGUMENT: Invalid selfie');
  });

  test("detection-result: parameters, unknown ids, another accessKey's results", async () => {
    const token = await api.accessToken();
    envelope(await api.result(token, {}), 'PARAMETER_ERROR', 'ARGUMENT_MISSING: ');
    envelope(await api.result(token, { livenessId: '' }), 'PARAMETER_ERROR', 'ARGUMENT_MISSING: ');
    envelope(await api.result(token, { livenessId: randomUUID(), resultType: 'IMAGE_ZIP' }), 'PARAMETER_ERROR', 'INVALID_ARGUMENT: Invalid resultType');
    envelope(await api.result(token, { livenessId: 7 }), 'PARAMETER_ERROR', 'INVALID_ARGUMENT: ');
    const unknown = envelope(await api.result(token, { livenessId: randomUUID(), region: 'SG' }), 'LIVENESS_ID_NOT_EXISTED');
    assert.equal(unknown.message, 'Liveness id does not exist');
    const livenessId = await api.submitted(token, { image: images.live });
    const other = await api.accessToken(OTHER_ACCESS_KEY, OTHER_SECRET_KEY);
    envelope(await api.result(other, { livenessId }), 'LIVENESS_ID_NOT_EXISTED');
    envelope(await api.result(token, { livenessId }), 'SUCCESS');
  });

  test('past retention: RESULT_NOT_FOUND, and the image URLs answer 404', async () => {
    const moving = clockAt(clock.ms);
    const { app: server } = await serve(config, moving);
    const calls = client(server, moving);
    const token = await calls.accessToken();
    const livenessId = await calls.submitted(token, { imageFar: pairs.liveFar, imageNear: pairs.liveNear });
    const { data } = envelope(await calls.result(token, { livenessId }), 'SUCCESS');
    assert.equal((await calls.image(data.imageFarUrl)).statusCode, 200);
    moving.ms += 24 * HOUR + 1;
    const fresh = await calls.accessToken();
    const gone = envelope(await calls.result(fresh, { livenessId }), 'RESULT_NOT_FOUND');
    assert.equal(gone.message, 'The requested resource was not found or has been deleted');
    for (const url of [data.imageFarUrl, data.imageNearUrl, data.detectionResult]) {
      const response = await calls.image(url);
      assert.equal(response.statusCode, 404);
      assert.equal(response.json().code, 'RESULT_NOT_FOUND');
    }
    assert.equal((await calls.image(`http://localhost/openapi/liveness/v3/image/short`)).statusCode, 404);
  });

  test('image URLs use server.publicBaseUrl when configured', async () => {
    const { app: server } = await serve(httpConfig({ server: { publicBaseUrl: 'https://faces.example.com/facelive/' } }), clock);
    const calls = client(server, clock);
    const token = await calls.accessToken();
    const livenessId = await calls.submitted(token, { image: images.live });
    const { data } = envelope(await calls.result(token, { livenessId }), 'SUCCESS');
    assert.match(data.detectionResult, /^https:\/\/faces\.example\.com\/facelive\/openapi\/liveness\/v3\/image\/[A-Za-z0-9_-]{43}$/);
    // Without it, the Host header: a plain host[:port] is used, anything else refused.
    const ownToken = await api.accessToken();
    const ownId = await api.submitted(ownToken, { image: images.live });
    const ask = (host: string) =>
      app.inject({ method: 'POST', url: RESULT_PATH, headers: { host, 'x-access-token': ownToken }, payload: { livenessId: ownId } });
    assert.match(envelope(await ask('faces.internal:8443'), 'SUCCESS').data.detectionResult, /^http:\/\/faces\.internal:8443\/openapi\/liveness\/v3\/image\//);
    envelope(await ask('user@evil.example'), 'PARAMETER_ERROR', 'REQUEST_MALFORMED: ');
  });

  test('admission: OVER_QUERY_LIMIT per accessKey (with Retry-After), ERROR while the models load', async () => {
    const { app: limited } = await serve(httpConfig({ server: { rateLimit: { ratePerSecond: 0.01, burst: 2 } } }), clock);
    const calls = client(limited, clock);
    const token = await calls.accessToken();
    envelope(await calls.result(token, { livenessId: randomUUID() }), 'LIVENESS_ID_NOT_EXISTED');
    const refused = await calls.result(token, { livenessId: randomUUID() });
    envelope(refused, 'OVER_QUERY_LIMIT', 'RATE_LIMITED: ');
    assert.ok(Number(refused.headers['retry-after']) >= 1);
    envelope(await calls.token(tokenRequest({ clock })), 'OVER_QUERY_LIMIT', 'RATE_LIMITED: ');

    const loading = await testServer(config, new Promise<EnginePool>(() => undefined), { now: clock.now });
    servers.push(loading.app);
    const early = client(loading.app, clock);
    envelope(await early.submitJson(await early.accessToken(), { image: images.live.toString('base64') }), 'ERROR', 'SERVER_NOT_READY: ');
  });

  test('ids survive a restart; the next start-up purge makes them RESULT_NOT_FOUND, and tombstones age out', async () => {
    const dataDir = tempDataDir();
    const storeConfig = httpConfig({ store: { dataDir } });
    const start = clockAt(clock.ms);
    const first = await serve(storeConfig, start);
    const token = await client(first.app, start).accessToken();
    const livenessId = await client(first.app, start).submitted(token, { imageFar: pairs.liveFar, imageNear: pairs.liveNear });
    await first.app.close();

    const second = await serve(storeConfig, start);
    const again = client(second.app, start);
    const { data } = envelope(await again.result(token, { livenessId }), 'SUCCESS', 'OK');
    assert.ok((await again.image(data.imageNearUrl)).rawPayload.equals(pairs.liveNear), 'the token and the image survive the restart');
    await second.app.close();
    assert.equal(readdirSync(path.join(dataDir, 'images')).length, 2);

    const later = clockAt(start.ms + 25 * HOUR);
    const third = await serve(storeConfig, later);
    const afterPurge = client(third.app, later);
    assert.deepEqual(readdirSync(path.join(dataDir, 'images')), [], 'the start-up purge removed the image files');
    const laterToken = await afterPurge.accessToken();
    envelope(await afterPurge.result(laterToken, { livenessId }), 'RESULT_NOT_FOUND');
    envelope(await afterPurge.result(laterToken, { livenessId: randomUUID() }), 'LIVENESS_ID_NOT_EXISTED');
    await third.app.close();

    const muchLater = clockAt(start.ms + 25 * HOUR + 721 * HOUR);
    const fourth = await serve(storeConfig, muchLater);
    const forgotten = client(fourth.app, muchLater);
    envelope(await forgotten.result(await forgotten.accessToken(), { livenessId }), 'LIVENESS_ID_NOT_EXISTED', 'Liveness id does not exist');
  });

  test('a store that cannot be opened fails the server build with STORE_UNAVAILABLE', async () => {
    const file = path.join(tempDataDir(), 'not-a-directory');
    writeFileSync(file, 'x');
    await assert.rejects(testServer(httpConfig({ store: { dataDir: file } }), pool), { code: 'STORE_UNAVAILABLE' });
    // The same with PostgreSQL down (a port nothing listens on).
    await assert.rejects(testServer(httpConfig({ store: { postgresUrl: `postgres://postgres@127.0.0.1:${await closedPort()}/test` } }), pool), {
      code: 'STORE_UNAVAILABLE',
    });
  });

  test('without an ADVANCE.AI credential no store is opened: a Tencent-only server starts and serves with PostgreSQL down, and writes no file', async () => {
    const dataDir = tempDataDir();
    const tencentOnly = httpConfig(
      { store: { dataDir, postgresUrl: `postgres://postgres@127.0.0.1:${await closedPort()}/test` } },
      { FACELIVE_TENCENT_SECRET_ID: TENCENT_SECRET_ID, FACELIVE_TENCENT_SECRET_KEY: TENCENT_SECRET_KEY },
    );
    const { app: server } = await serve(tencentOnly, clock);
    const signed = tencentCall({ Image: images.live.toString('base64') });
    const answer = (await server.inject({ method: 'POST', url: '/', headers: signed.headers, payload: signed.body })).json();
    assert.equal(answer.Response.Score, (await pool.analyse(images.live)).score, JSON.stringify(answer));
    // ADVANCE.AI refuses in its own envelope, without touching a store.
    envelope(await server.inject({ method: 'POST', url: TOKEN_PATH, payload: tokenRequest({ clock }) }), 'IAM_FAILED', 'AUTH_NOT_CONFIGURED: ');
    envelope(await client(server, clock).submitJson('any-token', { image: images.live.toString('base64') }), 'IAM_FAILED', 'AUTH_NOT_CONFIGURED: ');
    const image = await server.inject({ method: 'GET', url: `/openapi/liveness/v3/image/${'A'.repeat(43)}` });
    assert.equal(image.statusCode, 404);
    assert.equal(image.json().code, 'RESULT_NOT_FOUND');
    await server.close();
    assert.deepEqual(readdirSync(dataDir), [], 'no file in the data directory');
  });

  test("the capture page's token (its own issuer) is accepted by the dialect", async () => {
    const { app: server } = await serve(httpConfig({ server: { capture: { enabled: true } } }), clock);
    const response = await server.inject({ method: 'GET', url: '/capture/token' });
    assert.equal(response.statusCode, 200, response.body);
    const { token, expiredTime } = response.json();
    assert.equal(expiredTime, clock.ms + 600_000);
    const livenessId = envelope(await client(server, clock).submitJson(token, { image: images.live.toString('base64') }), 'SUCCESS').data.livenessId;
    envelope(await client(server, clock).result(token, { livenessId }), 'SUCCESS');
  });

  test('log lines: one per request, dialect advance, no images, tokens or secrets', async () => {
    const lines = logs.requests().filter((line) => line.dialect === 'advance');
    assert.ok(lines.length > 20);
    const submit = lines.find((line) => line.route === SUBMIT_PATH && line.verdict === 'live');
    assert.ok(submit, 'a submission line with its verdict');
    assert.equal(submit.credential, ADVANCE_ACCESS_KEY, 'the accessKey (no name configured), never the secret');
    const text = logs.text();
    assert.doesNotMatch(text, /[A-Za-z0-9+/]{200}/, 'no base64');
    assert.ok(!text.includes(ADVANCE_SECRET_KEY) && !text.includes(OTHER_SECRET_KEY), 'no secret');
    assert.doesNotMatch(text, /\/openapi\/liveness\/v3\/image\/[A-Za-z0-9_-]{43}/, 'no image token');
    assert.doesNotMatch(text, /"token"/);
  });
});

describe('ADVANCE.AI error mapping', () => {
  test('every code renders in the envelope: HTTP 200, the mapped code, the catalogue code first, unsafe details hidden', () => {
    for (const code of HTTP_ERROR_CODES) {
      const rendered = advanceErrors.render(sampleError(code), 'request-1');
      assert.equal(rendered.status, 200);
      const body = rendered.body as { code: string; message: string; data: unknown; pricingStrategy: string; transactionId: string };
      assert.equal(body.code, ADVANCE_ERRORS[code]);
      assert.ok(body.message.startsWith(`${code}: `), body.message);
      assert.equal(body.data, null);
      assert.equal(body.pricingStrategy, 'FREE');
      assert.equal(body.transactionId, 'request-1');
      if (!ERROR_CATALOGUE[code].clientSafe) assert.doesNotMatch(body.message, /<\w+>/, code);
    }
    assert.equal(ADVANCE_ERRORS.STORE_UNAVAILABLE, 'ERROR');
    assert.equal(advanceErrors.render(sampleError('RATE_LIMITED'), 'request-1').headers['retry-after'], '1');
  });

  test("codes are the document's own or documented extensions; docs/http-api.md lists the extensions", () => {
    const doc = readFileSync(path.join(SHARED_DIR, 'reference', '004_cd172f2f151c480b.txt'), 'utf8');
    for (const code of ADVANCE_DOCUMENT_CODES) assert.match(doc, new RegExp(`^${code}`, 'm'), code);
    for (const code of new Set(Object.values(ADVANCE_ERRORS))) {
      assert.ok(ADVANCE_DOCUMENT_CODES.includes(code) || ADVANCE_EXTENSION_CODES.includes(code), code);
    }
    const httpApi = readFileSync(path.join(REPO_ROOT, 'docs', 'http-api.md'), 'utf8');
    for (const code of ADVANCE_EXTENSION_CODES) assert.ok(httpApi.includes(`\`${code}\``), code);
  });
});

describe('ADVANCE.AI on listening servers sharing PostgreSQL', () => {
  const schema = `facelive_test_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
  let pool: EnginePool;
  let images: TestImages;
  let pairs: PairImages;
  const servers: FastifyInstance[] = [];
  const clock = clockAt();
  const config = () => httpConfig({ store: { postgresUrl: POSTGRES_URL, postgresSchema: schema } });

  /** A server on 127.0.0.1 with its own clock; returns its base URL. */
  const listen = async (serverClock: Clock): Promise<{ base: string; app: FastifyInstance }> => {
    const { app } = await testServer(config(), pool, { now: serverClock.now });
    servers.push(app);
    await app.listen({ port: 0, host: '127.0.0.1' });
    return { base: `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`, app };
  };
  const post = async (url: string, body: unknown, token?: string): Promise<any> => {
    const response = await fetch(url, {
      method: 'POST',
      headers: { ...(token ? { 'x-access-token': token } : {}), ...(body instanceof FormData ? {} : { 'content-type': 'application/json' }) },
      body: body instanceof FormData ? body : JSON.stringify(body),
    });
    assert.equal(response.status, 200);
    return response.json();
  };
  const tokenFrom = async (base: string, at: Clock) => (await post(`${base}${TOKEN_PATH}`, tokenRequest({ clock: at }))).data.token as string;

  before(async () => {
    images = await testImages();
    pool = await testPool(config());
    pairs = await pairImages(pool, images);
  });
  after(async () => {
    for (const app of servers) await app.close();
    await pool?.close();
    const admin = new pg.Client({ connectionString: POSTGRES_URL });
    await admin.connect();
    await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await admin.end();
  });

  test('a token of one instance works on the other; submit there, read the result and the photos here', async () => {
    const a = await listen(clock);
    const b = await listen(clock);
    const token = await tokenFrom(a.base, clock);
    const form = new FormData();
    form.append('imageFar', new Blob([pairs.liveFar], { type: 'image/jpeg' }), 'far.jpg');
    form.append('imageNear', new Blob([pairs.liveNear], { type: 'image/jpeg' }), 'near.jpg');
    const submitted = await post(`${b.base}${SUBMIT_PATH}`, form, token);
    assert.equal(submitted.code, 'SUCCESS', submitted.message);
    const { livenessId } = submitted.data;

    const result = await post(`${a.base}${RESULT_PATH}`, { livenessId, resultType: 'IMAGE_URL' }, token);
    assert.equal(result.code, 'SUCCESS', result.message);
    assert.ok(result.data.livenessScore >= 50);
    assert.equal(result.data.attackType, null);
    assert.ok(result.data.imageFarUrl.startsWith(`${a.base}/openapi/liveness/v3/image/`), 'URLs from the Host the client used');
    const far = await fetch(result.data.imageFarUrl);
    assert.equal(far.status, 200);
    assert.ok(Buffer.from(await far.arrayBuffer()).equals(pairs.liveFar));
    const inline = await post(`${b.base}${RESULT_PATH}`, { livenessId, resultType: 'IMAGE_BASE64' }, token);
    assert.ok(Buffer.from(inline.data.detectionResult, 'base64').equals(pairs.liveNear));

    const unknown = await post(`${a.base}${RESULT_PATH}`, { livenessId: randomUUID() }, token);
    assert.equal(unknown.code, 'LIVENESS_ID_NOT_EXISTED');
    const refused = await post(`${a.base}${SUBMIT_PATH}`, { imageFar: pairs.liveNear.toString('base64'), imageNear: pairs.liveFar.toString('base64') }, token);
    assert.equal(refused.code, 'PARAMETER_ERROR');
    assert.match(refused.message, /NEAR_FACE_NOT_LARGER/);

    // A restart of both: a new instance on the same schema still resolves the id.
    await a.app.close();
    await b.app.close();
    const c = await listen(clock);
    const survived = await post(`${c.base}${RESULT_PATH}`, { livenessId }, token);
    assert.equal(survived.code, 'SUCCESS');

    // An instance whose clock is past retention purges at start-up.
    const later = clockAt(clock.ms + 25 * HOUR);
    const d = await listen(later);
    const laterToken = await tokenFrom(d.base, later);
    const gone = await post(`${d.base}${RESULT_PATH}`, { livenessId }, laterToken);
    assert.equal(gone.code, 'RESULT_NOT_FOUND');
    assert.equal((await fetch(result.data.imageFarUrl.replace(a.base, d.base))).status, 404);
    assert.equal((await post(`${d.base}${RESULT_PATH}`, { livenessId: randomUUID() }, laterToken)).code, 'LIVENESS_ID_NOT_EXISTED');

    // The database going away: ERROR with the generic message (the cause is only logged).
    const admin = new pg.Client({ connectionString: POSTGRES_URL });
    await admin.connect();
    await admin.query(`DROP SCHEMA ${schema} CASCADE`);
    await admin.end();
    const broken = await post(`${d.base}${RESULT_PATH}`, { livenessId }, laterToken);
    assert.equal(broken.code, 'ERROR');
    assert.match(broken.message, /^STORE_UNAVAILABLE: The server cannot serve this request now/);
  });
});
