/**
 * Tencent Cloud IAI `DetectLiveFaceAccurate` (version 2020-03-03) at `POST /`, signed with
 * TC3-HMAC-SHA256. The raw body is kept for the signature and parsed afterwards; the route
 * schemas document the API but do not validate (fields are checked in Tencent's order below, so
 * each failure gets Tencent's code).
 */
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { FaceliveError } from '../../errors/catalogue.js';
import type { ApiContext, DialectPluginOptions } from '../api-context.js';
import { describeValue } from '../http-errors.js';
import type { ImageInput } from '../image-input.js';
import { jsonNestsDeeperThan, tooDeep } from '../json-body.js';
import { enforceRateLimit } from '../rate-limiter.js';
import { TencentErrorResponse, TencentHeaders, TencentRequestBody, TencentSuccessResponse } from './schemas.js';
import { tencentScore } from './score.js';
import { verifyTc3 } from './tc3-signature.js';

/** The one action served, of the one version. */
export const TENCENT_ACTION = 'DetectLiveFaceAccurate';
/** API version of DetectLiveFaceAccurate. */
export const TENCENT_VERSION = '2020-03-03';
/** The only FaceModelVersion the document allows. */
export const FACE_MODEL_VERSION = '3.0';

function header(request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function checkAction(request: FastifyRequest): void {
  const action = header(request, 'x-tc-action');
  const version = header(request, 'x-tc-version');
  if (!action) throw new FaceliveError('ARGUMENT_MISSING', { field: 'X-TC-Action', expected: TENCENT_ACTION });
  if (action !== TENCENT_ACTION || version !== TENCENT_VERSION) {
    throw new FaceliveError('API_ACTION_UNKNOWN', {
      action: action.slice(0, 64),
      version: (version ?? '').slice(0, 32),
      expected: `${TENCENT_ACTION} of version ${TENCENT_VERSION}`,
    });
  }
}

function parseBody(raw: Buffer, maxDepth: number): Record<string, unknown> {
  const text = raw.toString('utf8');
  if (jsonNestsDeeperThan(text, maxDepth)) throw tooDeep(maxDepth);
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (error) {
    throw new FaceliveError('REQUEST_MALFORMED', { reason: 'the body is not valid JSON' }, { cause: error });
  }
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw new FaceliveError('REQUEST_MALFORMED', { reason: 'the body is not a JSON object' });
  }
  return body as Record<string, unknown>;
}

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

async function detectLiveFaceAccurate(context: ApiContext, request: FastifyRequest, reply: FastifyReply) {
  checkAction(request);
  const raw = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
  const secretId = verifyTc3(
    { method: request.method, path: request.url.split('?')[0], query: request.url.split('?')[1] ?? '', headers: request.headers, body: raw },
    {
      secretKeyOf: (id) => context.credentials.findById('tencent', id)?.secret,
      nowSeconds: Math.floor(Date.now() / 1000),
      maxSkewSeconds: context.config.server.tencent.maxClockSkewSeconds,
    },
  );
  const principal = context.credentials.findById('tencent', secretId)!.principal;
  request.outcome.credential = principal.label;
  await enforceRateLimit(context.rateLimiter, principal);

  const body = parseBody(raw, context.config.server.maxJsonDepth);
  const faceModelVersion = optionalString(body, 'FaceModelVersion');
  if (faceModelVersion !== undefined && faceModelVersion !== FACE_MODEL_VERSION) {
    throw new FaceliveError('FACE_MODEL_VERSION_UNSUPPORTED', { field: 'FaceModelVersion', received: faceModelVersion.slice(0, 16), expected: FACE_MODEL_VERSION });
  }
  const result = await context.liveness.analyse(request, inputOf(body));
  return reply.code(200).send({ Response: { Score: tencentScore(result.score), FaceModelVersion: FACE_MODEL_VERSION, RequestId: request.id } });
}

/**
 * The Tencent Cloud dialect plugin (encapsulated: its raw-body parser and no-op validator stay
 * inside); registered at the root, its one route is `POST /`.
 *
 * @example
 * await app.register(tencentApi, { context });
 */
export const tencentApi: FastifyPluginAsync<DialectPluginOptions> = async (app, { context }) => {
  const { server } = context.config;
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('application/json', { parseAs: 'buffer', bodyLimit: server.bodyLimitBytes }, (_request, body, done) => done(null, body));
  app.setValidatorCompiler(() => () => true);
  app.addHook('onRequest', async () => {
    // No credential at all means no call can succeed: refuse before reading the body.
    context.credentials.requireConfigured('tencent');
  });
  app.post(
    '/',
    {
      config: { admission: 'engine' },
      schema: {
        summary: 'Tencent Cloud DetectLiveFaceAccurate (2020-03-03), TC3-HMAC-SHA256 signed',
        description: 'Errors are answered with HTTP 200 and Response.Error, as Tencent Cloud does.',
        tags: ['tencent'],
        security: [{ tc3: [] }],
        headers: TencentHeaders,
        body: TencentRequestBody,
        response: { 200: { description: 'Success or error envelope', anyOf: [TencentSuccessResponse, TencentErrorResponse] } },
      },
    },
    (request, reply) => detectLiveFaceAccurate(context, request, reply),
  );
};
