/**
 * AccuAuth `POST /face/liveness_anti_hack`: a multipart form with the image, credentials in
 * `X-DF-API-ID` / `X-DF-API-SECRET`, the hack score (and optionally `extra` and the face crop) in
 * `{request_id, status: "OK", …}`, errors in `{status, reason, request_id}` with the document's
 * statuses. Credentials, expiry, rate limit and call quota are checked before the body is read.
 */
import multipart from '@fastify/multipart';
import { EXAMPLE_REQUEST_ID, withExamples } from '../openapi-examples.js';
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { FaceliveError } from '../../errors/catalogue.js';
import type { DialectPluginOptions } from '../api-context.js';
import { checkCallQuota, countedCall, type CallQuota } from '../call-quota.js';
import { describeValue } from '../http-errors.js';
import { enforceRateLimit } from '../rate-limiter.js';
import { authenticateAccuAuth } from './auth.js';
import { readAccuAuthForm } from './form.js';
import { keyTermsOf, type AccuAuthKey } from './keys.js';
import { accuAuthSuccess } from './response.js';
import { AccuAuthErrorResponse, AccuAuthForm, AccuAuthSuccessResponse } from './schemas.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The authenticated AccuAuth key (set by the route's onRequest hook, null elsewhere). */
    accuAuthKey: AccuAuthKey | null;
  }
}

const MULTIPART = /^multipart\/form-data\s*(;|$)/i;

function quotaOf(key: AccuAuthKey, quota: number): CallQuota {
  return { key: key.principal.bucket, quota, credential: `API ID ${key.apiId}` };
}

/** What the server answered for the live sample photo with return_extra=1 (request id replaced). */
const ACCUAUTH_SUCCESS_EXAMPLE = {
  request_id: EXAMPLE_REQUEST_ID,
  status: 'OK',
  score: 0.18848,
  extra: {
    mask_proba: 0.5,
    quality_score: 0.63,
    quality_too_low: false,
    blur_or_dark: false,
    has_no_face: false,
    face_too_small: false,
    image_too_small: false,
    masked: false,
    face_quality_low: false,
    face_quality_score: 0.63,
    is_live: true,
    live_proba: 0.90383,
    eye_closed: false,
    eye_score: 0.5,
    multiple_faces: false,
    faces: [{ rect: { left: 119, top: 113, width: 170, height: 240 }, score: 0.18848, is_live: true }],
  },
};
/** Errors about the image itself name the form field it came from (the reason then says which). */
function withField(error: unknown, field: string): unknown {
  return error instanceof FaceliveError && /^(IMAGE|URL)_/.test(error.code) ? error.concerning(field) : error;
}

/** Only multipart bodies are read; anything else is refused before parsing, in this dialect's words. */
function checkContentType(request: FastifyRequest): void {
  const type = request.headers['content-type'];
  if (type === undefined) {
    throw new FaceliveError('ARGUMENT_MISSING', { field: 'liveness_data_file', expected: 'a multipart/form-data body with the image' });
  }
  if (!MULTIPART.test(type)) {
    throw new FaceliveError('REQUEST_CONTENT_TYPE_UNSUPPORTED', { received: describeValue(type), expected: 'multipart/form-data' });
  }
}

/**
 * The AccuAuth dialect plugin; register with prefix `/face/liveness_anti_hack`, the route itself
 * (other methods and sub-paths answer NOT_FOUND in this dialect's envelope). Call counters of
 * keys with a `callQuota` are the server's (`context.callQuota`: Redis when configured, so every
 * instance counts against one quota).
 *
 * @example
 * await app.register(accuAuthApi, { context, prefix: '/face/liveness_anti_hack' });
 */
export const accuAuthApi: FastifyPluginAsync<DialectPluginOptions> = async (app, { context }) => {
  const { server } = context.config;
  const terms = keyTermsOf(server.accuauth);
  const { callQuota } = context;
  app.removeAllContentTypeParsers();
  await app.register(multipart, {
    limits: { fileSize: server.bodyLimitBytes, files: 2, fields: 8, parts: 10, fieldSize: 16_384 },
  });
  // The schemas document the API; the form and headers are checked by hand, in the document's terms.
  app.setValidatorCompiler(() => () => true);
  app.decorateRequest('accuAuthKey', null);
  // '' rather than '/': the route is exactly the prefix (no trailing-slash twin in the OpenAPI paths).
  app.post(
    '',
    {
      config: { admission: 'engine' },
      schema: {
        summary: 'AccuAuth liveness anti-hack: hack score of one face image',
        description: "Credentials in X-DF-API-ID and X-DF-API-SECRET. Errors: {status, reason, request_id} with the document's HTTP codes.",
        tags: ['accuauth'],
        security: [{ accuauthApiId: [], accuauthApiSecret: [] }],
        consumes: ['multipart/form-data'],
        body: AccuAuthForm,
        response: { 200: withExamples(AccuAuthSuccessResponse, ACCUAUTH_SUCCESS_EXAMPLE), '4xx': AccuAuthErrorResponse, '5xx': AccuAuthErrorResponse },
      },
      onRequest: async (request) => {
        const key = authenticateAccuAuth(request, context.credentials, terms, context.now());
        request.outcome.credential = key.principal.label;
        await enforceRateLimit(context.rateLimiter, key.principal);
        if (key.callQuota !== undefined) await checkCallQuota(callQuota, quotaOf(key, key.callQuota));
        request.accuAuthKey = key;
      },
      preParsing: async (request) => checkContentType(request),
    },
    async (request, reply) => {
      const key = request.accuAuthKey;
      if (!key) throw new FaceliveError('INTERNAL_ERROR');
      const form = await readAccuAuthForm(request);
      const analyse = () =>
        context.liveness.analyse(request, form.input, form.returnImage ? { returnFaceCrop: true } : {}).catch((error: unknown) => {
          throw withField(error, form.input.field);
        });
      const result = key.callQuota === undefined ? await analyse() : await countedCall(callQuota, quotaOf(key, key.callQuota), analyse);
      return reply.code(200).send(accuAuthSuccess(request.id, result, context.config, form));
    },
  );
};
