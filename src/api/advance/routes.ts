/**
 * ADVANCE.AI liveness, register with prefix `/openapi`:
 * - `POST /openapi/auth/ticket/v1/generate-token` issues an access token for a signed request;
 * - `POST /openapi/liveness/v3/submit` (the vendor's capture SDK step) judges one photo or a
 *   far/near pair and stores the result, answering a `livenessId`;
 * - `POST /openapi/liveness/v3/detection-result` reads a stored result back in the document's shape;
 * - `GET /openapi/liveness/v3/image/:token` serves a stored photo while its result is retained.
 * The first three answer in the vendor's envelope with HTTP 200; the calls after the token API
 * carry `X-ACCESS-TOKEN`. The token issuer and the result store are opened here, only when the
 * dialect has a credential (services.ts).
 */
import { randomUUID } from 'node:crypto';
import multipart from '@fastify/multipart';
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { judgePair } from '../../engine/pair.js';
import type { LivenessResult } from '../../engine/types.js';
import { FaceliveError, type HttpErrorCode } from '../../errors/catalogue.js';
import type { ApiContext, DialectPluginOptions } from '../api-context.js';
import type { Principal } from '../credentials.js';
import { describeValue } from '../http-errors.js';
import { enforceRateLimit } from '../rate-limiter.js';
import { ADVANCE_MESSAGES, advanceBody } from './errors.js';
import { detectionData, publicBaseOf, type ResultType } from './result-view.js';
import {
  AdvanceErrorResponse,
  DetectionResultBody,
  DetectionResultResponse,
  ImageParams,
  SubmitJsonBody,
  SubmitMultipartBody,
  SubmitResponse,
  TokenRequestBody,
  TokenResponse,
  type DetectionResultBodyType,
  type SubmitJsonBodyType,
  type TokenRequestBodyType,
} from './schemas.js';
import { openAdvanceServices, type AdvanceServices } from './services.js';
import { forPhoto, parseStoredVerdict, photosFromJson, photosFromMultipart, storedPhoto, type StoredVerdict, type SubmittedPhoto } from './submission.js';
import { verifyTokenRequest } from './token-request.js';
import { advanceDialect } from './dialect.js';
import { EXAMPLE_REQUEST_ID, errorExample, withExamples } from '../openapi-examples.js';

/** A success envelope around `data`, for the OpenAPI examples. */
function ok(data: unknown) {
  return { code: 'SUCCESS', message: 'OK', data, extra: null, transactionId: EXAMPLE_REQUEST_ID, pricingStrategy: 'FREE' };
}

/** The envelope of an error, rendered by the dialect, for the OpenAPI examples. */
function errorOf(error: FaceliveError<HttpErrorCode>): unknown {
  return errorExample(advanceDialect, error);
}

const TOKEN_HEADER = 'x-access-token';
const IMAGE_TOKEN = /^[A-Za-z0-9_-]{43}$/;
const MAX_ID_LENGTH = 128;
const RESULT_TYPES: readonly ResultType[] = ['IMAGE_URL', 'IMAGE_BASE64'];
const CONTENT_TYPES = { jpeg: 'image/jpeg', png: 'image/png', bmp: 'image/bmp', webp: 'image/webp' } as const;

/** The caller of a token-carrying call: its accessKey (owner of results) and principal (rate limit). */
interface Caller {
  readonly accessKey: string;
  readonly principal: Principal;
}

function authenticate(request: FastifyRequest, context: ApiContext, services: AdvanceServices): Caller {
  const header = request.headers[TOKEN_HEADER];
  const token = Array.isArray(header) ? header[0] : header;
  if (token === undefined || token.trim() === '') {
    throw new FaceliveError('AUTH_CREDENTIAL_MISSING', { expected: 'an X-ACCESS-TOKEN header (from POST /openapi/auth/ticket/v1/generate-token)' });
  }
  const verified = services.tokens.verify(token.trim());
  const credential = verified && context.credentials.findById('advance', verified.accessKey);
  if (!verified || !credential) {
    throw new FaceliveError('AUTH_CREDENTIAL_INVALID', { credential: 'access token (unknown, altered or expired)', api: context.credentials.title('advance') });
  }
  return { accessKey: verified.accessKey, principal: credential.principal };
}

function requireBody(request: FastifyRequest): void {
  if (request.body === undefined || request.body === null) throw new FaceliveError('ARGUMENT_MISSING', { field: 'body', expected: 'a JSON object' });
}

/** Runs every photo through the engine (concurrently) and reports the first failure in field order. */
async function analysePhotos(context: ApiContext, request: FastifyRequest, photos: readonly SubmittedPhoto[]): Promise<LivenessResult[]> {
  const settled = await Promise.allSettled(
    photos.map((photo) => forPhoto(photo.field, () => context.liveness.analyse(request, { kind: 'bytes', field: photo.field, bytes: photo.bytes }))),
  );
  const failed = settled.find((outcome) => outcome.status === 'rejected');
  if (failed) throw failed.reason;
  return settled.map((outcome) => (outcome as PromiseFulfilledResult<LivenessResult>).value);
}

/** The verdict to store: the photo's own, or the pair's combination (which may refuse the pair). */
function verdictOf(accessKey: string, photos: readonly SubmittedPhoto[], results: readonly LivenessResult[]): StoredVerdict {
  const common = { version: 1 as const, accessKey, photos: photos.map((p, i) => storedPhoto(p.role, results[i])), modelIds: results[0].modelIds };
  if (photos.length === 1) {
    const [result] = results;
    return { ...common, kind: 'single', score: result.score, decision: result.decision, threshold: result.threshold, retryReasons: result.retryReasons };
  }
  const outcome = judgePair(results[0], results[1]);
  if (!outcome.accepted) {
    throw new FaceliveError('INVALID_ARGUMENT', {
      field: 'imageFar/imageNear',
      expected: outcome.expected,
      received: `${outcome.received} (${outcome.reason})`,
    });
  }
  const { verdict } = outcome;
  return {
    ...common,
    kind: 'pair',
    score: verdict.score,
    decision: verdict.decision,
    threshold: verdict.threshold,
    retryReasons: verdict.retryReasons,
    pair: verdict.geometry,
  };
}

function idOf(body: DetectionResultBodyType): string {
  const id = body.signatureId || body.livenessId;
  if (!id) throw new FaceliveError('ARGUMENT_MISSING', { field: 'livenessId', expected: 'livenessId or signatureId' });
  if (id.length > MAX_ID_LENGTH)
    throw new FaceliveError('INVALID_ARGUMENT', { field: 'livenessId', expected: `at most ${MAX_ID_LENGTH} characters`, received: describeValue(id) });
  return id;
}

function resultTypeOf(body: DetectionResultBodyType): ResultType {
  const value = body.resultType ?? 'IMAGE_URL';
  if (!(RESULT_TYPES as readonly string[]).includes(value)) {
    throw new FaceliveError('INVALID_ARGUMENT', { field: 'resultType', expected: 'IMAGE_URL or IMAGE_BASE64', received: describeValue(value) });
  }
  return value as ResultType;
}

/**
 * The ADVANCE.AI dialect plugin (encapsulated: its multipart parser, hooks, token issuer and
 * result store stay inside).
 *
 * @example
 * await app.register(advanceApi, { context, prefix: '/openapi' });
 */
export const advanceApi: FastifyPluginAsync<DialectPluginOptions> = async (app, { context }) => {
  const { config } = context;
  const { server } = config;
  const opened = context.credentials.count('advance') > 0 ? await openAdvanceServices(app, context) : undefined;
  // Without a credential every call is refused, so nothing is ever read from a store.
  const services = (): AdvanceServices => {
    context.credentials.requireConfigured('advance');
    if (!opened) throw new FaceliveError('INTERNAL_ERROR');
    return opened;
  };
  const callers = new WeakMap<FastifyRequest, Caller>();
  const callerOf = (request: FastifyRequest) => callers.get(request)!;
  const now = () => new Date(context.now());
  const tokenAuth = async (request: FastifyRequest) => {
    const caller = authenticate(request, context, services());
    request.outcome.credential = caller.principal.label;
    callers.set(request, caller);
    await enforceRateLimit(context.rateLimiter, caller.principal);
  };

  await app.register(multipart, { limits: { fileSize: server.bodyLimitBytes, files: 3, fields: 4, parts: 6, fieldSize: 16_384 } });

  app.post(
    '/auth/ticket/v1/generate-token',
    {
      // Read before any credential is checked (the signature is in the body): a few hundred bytes suffice.
      bodyLimit: server.preAuthBodyLimitBytes,
      schema: {
        summary: 'ADVANCE.AI access token for a signed request',
        tags: ['advance'],
        body: withExamples(TokenRequestBody, {
          accessKey: 'your-access-key',
          timestamp: '1767222000000',
          signature: '3f0c4b6a1f7e2d9c8b5a4e3f2d1c0b9a8f7e6d5c4b3a29180f7e6d5c4b3a2918',
          periodSecond: 3600,
        }),
        response: {
          200: withExamples(
            TokenResponse,
            ok({ token: 'eyJhbGciOiJIUzI1NiJ9.ZXhhbXBsZQ.c2lnbmF0dXJl', expiredTime: 1767225600000 }),
            errorOf(new FaceliveError('AUTH_SIGNATURE_INVALID', { reason: 'signature is not the hex SHA-256 of accessKey + secretKey + timestamp' })),
          ),
        },
      },
      onRequest: async () => {
        services();
      },
      preValidation: async (request) => requireBody(request),
    },
    async (request, _reply) => {
      const asked = verifyTokenRequest(request.body as TokenRequestBodyType, {
        credentials: context.credentials,
        nowMs: context.now(),
        maxSkewSeconds: server.advance.maxClockSkewSeconds,
      });
      request.outcome.credential = asked.principal.label;
      await enforceRateLimit(context.rateLimiter, asked.principal);
      const issued = services().tokens.issue(asked.accessKey, asked.periodSeconds);
      return advanceBody(request.id, 'SUCCESS', ADVANCE_MESSAGES.SUCCESS, { token: issued.token, expiredTime: issued.expiredTime });
    },
  );

  app.post(
    '/liveness/v3/submit',
    {
      config: { admission: 'engine' },
      schema: {
        summary: 'Judge one photo or a far/near pair and store the result (the capture SDK step)',
        tags: ['advance'],
        security: [{ accessToken: [] }],
        body: {
          content: {
            'application/json': {
              schema: withExamples(SubmitJsonBody, {
                image: '/9j/4AAQSkZJRgABAQAAAQABAAD/2wBDAAgGBgcGBQgHBwcJCQgKDBQNDAsLDBkSEw8UHSEfHh0aHBwgJC4nICIsIxwcKDcpLDAxNDQ0Hyc5PTgyPC4zNDL/…',
              }),
            },
            'multipart/form-data': { schema: SubmitMultipartBody },
          },
        },
        response: { 200: withExamples(SubmitResponse, ok({ livenessId: 'b7e3f0a2c4d64e1f9a8b7c6d5e4f3a2b' }), errorOf(new FaceliveError('FACE_NOT_FOUND'))) },
      },
      // Authentication and the rate limit come before the body is read.
      onRequest: tokenAuth,
      // A multipart body is streamed by the handler; the validator gets an empty object to pass.
      preValidation: async (request) => {
        if (request.isMultipart()) request.body = {};
        else requireBody(request);
      },
    },
    async (request, _reply) => {
      const multipartBody = request.isMultipart();
      const photos = multipartBody
        ? await photosFromMultipart(request)
        : await photosFromJson(request.body as SubmitJsonBodyType, config.limits.maxEncodedBytes);
      const results = await analysePhotos(context, request, photos);
      const verdict = verdictOf(callerOf(request).accessKey, photos, results);
      Object.assign(request.outcome, {
        imageSource: multipartBody ? 'multipart' : 'base64',
        imageBytes: photos.reduce((sum, photo) => sum + photo.bytes.length, 0),
        verdict: verdict.decision,
        score: verdict.score,
      });
      const createdAt = now();
      const livenessId = randomUUID();
      await services().store.save({
        id: livenessId,
        createdAt,
        expiresAt: new Date(createdAt.getTime() + config.store.retentionHours * 3_600_000),
        result: verdict,
        images: photos.map((photo, i) => ({ role: photo.role, format: results[i].image.format, bytes: photo.bytes })),
      });
      return advanceBody(request.id, 'SUCCESS', ADVANCE_MESSAGES.SUCCESS, { livenessId });
    },
  );

  app.post(
    '/liveness/v3/detection-result',
    {
      schema: {
        summary: 'The stored result of a submission',
        tags: ['advance'],
        security: [{ accessToken: [] }],
        body: withExamples(DetectionResultBody, { livenessId: 'b7e3f0a2c4d64e1f9a8b7c6d5e4f3a2b', resultType: 'IMAGE_URL' }),
        response: {
          200: withExamples(
            DetectionResultResponse,
            ok({
              detectionResult: 'https://facelive.example.com/openapi/liveness/v3/image/Xq8rT2vLk9mN4pW7sZ1cB6dF3gH5jK0a',
              livenessScore: 80.34,
              auditImageUrl: null,
              imageFarUrl: null,
              imageNearUrl: 'https://facelive.example.com/openapi/liveness/v3/image/Xq8rT2vLk9mN4pW7sZ1cB6dF3gH5jK0a',
              farImageTime: null,
              nearImageTime: 1767222000000,
              attackType: null,
              attackSubType: null,
            }),
            errorOf(new FaceliveError('AUTH_CREDENTIAL_INVALID', { credential: 'access token', api: 'ADVANCE.AI' })),
          ),
        },
      },
      onRequest: tokenAuth,
      preValidation: async (request) => requireBody(request),
    },
    async (request, _reply) => {
      const body = request.body as DetectionResultBodyType;
      const id = idOf(body);
      const resultType = resultTypeOf(body);
      const at = now();
      const { store } = services();
      const notFound = (code: 'LIVENESS_ID_NOT_EXISTED' | 'RESULT_NOT_FOUND') => advanceBody(request.id, code, ADVANCE_MESSAGES[code], null);
      const lookup = await store.lookup(id, at);
      if (lookup.status === 'unknown') return notFound('LIVENESS_ID_NOT_EXISTED');
      if (lookup.status === 'expired') return notFound('RESULT_NOT_FOUND');
      const verdict = parseStoredVerdict(lookup.submission.result);
      // Another accessKey's result does not exist as far as this caller can tell.
      if (verdict.accessKey !== callerOf(request).accessKey) return notFound('LIVENESS_ID_NOT_EXISTED');
      const data = await detectionData(lookup.submission, verdict, {
        resultType,
        baseUrl: publicBaseOf(request, server.publicBaseUrl),
        loadImage: (token) => store.imageByToken(token, at),
      });
      if (!data) return notFound('RESULT_NOT_FOUND');
      return advanceBody(request.id, 'SUCCESS', ADVANCE_MESSAGES.SUCCESS, data);
    },
  );

  app.get(
    '/liveness/v3/image/:token',
    {
      schema: {
        summary: 'A stored photo, by the unguessable token of its URL; 404 once its result is past retention',
        tags: ['advance'],
        params: ImageParams,
        response: {
          200: {
            description: 'The photo as submitted, in its own format',
            content: Object.fromEntries(Object.values(CONTENT_TYPES).map((type) => [type, { schema: { type: 'string', format: 'binary' } }])),
          },
          404: withExamples(
            { ...AdvanceErrorResponse, description: 'Unknown token, or past retention (RESULT_NOT_FOUND envelope)' },
            advanceBody(EXAMPLE_REQUEST_ID, 'RESULT_NOT_FOUND', ADVANCE_MESSAGES.RESULT_NOT_FOUND, null),
          ),
        },
      },
    },
    async (request, reply) => {
      const { token } = request.params as { token: string };
      const image = opened && IMAGE_TOKEN.test(token) ? await opened.store.imageByToken(token, now()) : undefined;
      reply.header('cache-control', 'private, no-store').header('referrer-policy', 'no-referrer');
      if (!image) {
        return reply.code(404).send(advanceBody(request.id, 'RESULT_NOT_FOUND', ADVANCE_MESSAGES.RESULT_NOT_FOUND, null));
      }
      return reply
        .header('content-type', CONTENT_TYPES[image.format])
        .header('x-content-type-options', 'nosniff')
        .send(Buffer.from(image.bytes.buffer, image.bytes.byteOffset, image.bytes.byteLength));
    },
  );
};
