/**
 * Tencent Cloud IAI `DetectLiveFaceAccurate` (version 2020-03-03) at `POST /` and `GET /`, in
 * every style the SDKs send (signed-call.ts). The raw body is kept for the signature and parsed afterwards; the route
 * schemas document the API but do not validate (fields are checked in Tencent's order below, so
 * each failure gets Tencent's code).
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { FaceliveError } from '../../errors/catalogue.js';
import type { ApiContext, DialectPluginOptions } from '../api-context.js';
import { describeValue } from '../http-errors.js';
import type { ImageInput } from '../image-input.js';
import { jsonNestsDeeperThan, tooDeep } from '../json-body.js';
import { enforceRateLimit } from '../rate-limiter.js';
import { TencentErrorResponse, TencentHeaders, TencentQuery, TencentRequestBody, TencentSuccessResponse } from './schemas.js';
import { tencentScore } from './score.js';
import { readSignedCall } from './signed-call.js';
import { tencentDialect } from './dialect.js';
import { EXAMPLE_IMAGE_URL, EXAMPLE_REQUEST_ID, EXAMPLE_SCORE, errorExample, withExamples } from '../openapi-examples.js';

/** The only FaceModelVersion the document allows. */
export const FACE_MODEL_VERSION = '3.0';

function optionalString(body: Record<string, unknown>, field: string): string | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw new FaceliveError('INVALID_ARGUMENT', { field, expected: 'a string', received: describeValue(value) });
  return value;
}

/** Image source by Tencent's rule: Url wins when both are given; both empty is ImageEmpty. */
function inputOf(body: Record<string, unknown>): ImageInput {
  const url = optionalString(body, 'Url');
  const image = optionalString(body, 'Image');
  if (url) return { kind: 'url', field: 'Url', url };
  if (image) return { kind: 'base64', field: 'Image', value: image };
  if (url === '' || image === '') throw new FaceliveError('IMAGE_EMPTY');
  throw new FaceliveError('ARGUMENT_MISSING', { field: 'Image or Url', expected: 'the image as base64 (Image) or its URL (Url)' });
}

/** Compares digests, so the time taken says nothing about where two tokens differ. */
function sameToken(a: string, b: string): boolean {
  const digest = (text: string) => createHash('sha256').update(text).digest();
  return timingSafeEqual(digest(a), digest(b));
}

async function detectLiveFaceAccurate(context: ApiContext, request: FastifyRequest, reply: FastifyReply) {
  const raw = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
  // The JSON depth cap, before the signature is checked (a form body has no bare brackets).
  if (jsonNestsDeeperThan(raw.toString('utf8'), context.config.server.maxJsonDepth)) throw tooDeep(context.config.server.maxJsonDepth);
  const { tencent } = context.config.server;
  const call = readSignedCall(request, raw, {
    secretKeyOf: (id) => context.credentials.findById('tencent', id)?.secret,
    nowSeconds: Math.floor(Date.now() / 1000),
    maxSkewSeconds: tencent.maxClockSkewSeconds,
  });
  const credential = context.credentials.findById('tencent', call.secretId)!;
  // A temporary credential (SecretId, SecretKey, Token) is valid only with its token, and a
  // permanent one only without: the token must be the one configured with the key pair.
  const expectedToken = tencent.credentials[credential.index]?.token ?? '';
  if (!sameToken(expectedToken, call.token ?? '')) {
    throw new FaceliveError('AUTH_TOKEN_INVALID', { field: call.style === 'tc3' ? 'X-TC-Token' : 'Token', credential: 'SecretId' });
  }
  request.outcome.credential = credential.principal.label;
  await enforceRateLimit(context.rateLimiter, credential.principal);

  const body = call.params();
  const faceModelVersion = optionalString(body, 'FaceModelVersion');
  if (faceModelVersion !== undefined && faceModelVersion !== FACE_MODEL_VERSION) {
    throw new FaceliveError('FACE_MODEL_VERSION_UNSUPPORTED', {
      field: 'FaceModelVersion',
      received: faceModelVersion.slice(0, 16),
      expected: FACE_MODEL_VERSION,
    });
  }
  const result = await context.liveness.analyse(request, inputOf(body));
  return reply.code(200).send({ Response: { Score: tencentScore(result.score), FaceModelVersion: FACE_MODEL_VERSION, RequestId: request.id } });
}

/**
 * The Tencent Cloud dialect plugin (encapsulated: its raw-body parsers and no-op validator stay
 * inside); registered at the root, its routes are `POST /` (TC3 with a JSON body, or signature
 * v1 with a form body) and `GET /` (the parameters in the query, TC3 or v1).
 *
 * @example
 * await app.register(tencentApi, { context });
 */
export const tencentApi: FastifyPluginAsync<DialectPluginOptions> = async (app, { context }) => {
  const { server } = context.config;
  app.removeAllContentTypeParsers();
  // Bodies stay raw: both signatures cover the bytes (TC3) or the decoded form (v1) as sent.
  const keepRaw = { parseAs: 'buffer' as const, bodyLimit: server.bodyLimitBytes };
  app.addContentTypeParser(['application/json', 'application/x-www-form-urlencoded'], keepRaw, (_request, body, done) => done(null, body));
  app.setValidatorCompiler(() => () => true);
  app.addHook('onRequest', async () => {
    // No credential at all means no call can succeed: refuse before reading the body.
    context.credentials.requireConfigured('tencent');
  });
  const response = {
    200: withExamples(
      { description: 'Success or error envelope (Content-Type exactly application/json)', anyOf: [TencentSuccessResponse, TencentErrorResponse] },
      { Response: { Score: EXAMPLE_SCORE, FaceModelVersion: FACE_MODEL_VERSION, RequestId: EXAMPLE_REQUEST_ID } },
      errorExample(tencentDialect, new FaceliveError('FACE_NOT_FOUND')),
      errorExample(tencentDialect, new FaceliveError('AUTH_SIGNATURE_INVALID', { reason: 'the signature does not match the request' })),
    ),
  };
  app.post(
    '/',
    {
      config: { admission: 'engine' },
      schema: {
        summary: 'Tencent Cloud DetectLiveFaceAccurate (2020-03-03), TC3-HMAC-SHA256 or signature v1',
        description:
          'TC3-HMAC-SHA256 with a JSON body (the SDK default), or signature v1 (HmacSHA1 / HmacSHA256) with every parameter form-encoded in the body. ' +
          'Errors are answered with HTTP 200 and Response.Error, as Tencent Cloud does.',
        tags: ['tencent'],
        security: [{ tc3: [] }],
        headers: TencentHeaders,
        body: withExamples(TencentRequestBody, { Url: EXAMPLE_IMAGE_URL, FaceModelVersion: FACE_MODEL_VERSION }),
        response,
      },
    },
    (request, reply) => detectLiveFaceAccurate(context, request, reply),
  );
  app.get(
    '/',
    {
      schema: {
        summary: 'Tencent Cloud DetectLiveFaceAccurate (2020-03-03) with the parameters in the query (reqMethod GET)',
        description:
          'As POST, with Image / Url / FaceModelVersion in the query string: TC3-HMAC-SHA256 (X-TC-Action header, the query signed as sent) or signature v1 (Action, SecretId, Signature… in the query). ' +
          "A base64 image in a URL is limited by Node's 16 KB limit on the request line and headers; send Url, or POST.",
        tags: ['tencent'],
        security: [{ tc3: [] }],
        querystring: TencentQuery,
        response,
      },
    },
    (request, reply) => detectLiveFaceAccurate(context, request, reply),
  );
};
