/**
 * AccuAuth `POST /face/liveness_anti_hack`: a multipart form with the image, credentials in
 * `X-DF-API-ID` / `X-DF-API-SECRET`, the hack score (and optionally `extra` and the face crop) in
 * `{request_id, status: "OK", …}`, errors in `{status, reason, request_id}` with the document's
 * statuses. Credentials, expiry, rate limit and call quota are checked before the body is read.
 */
import multipart from '@fastify/multipart';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { FaceliveError } from '../../errors/catalogue.js';
import type { DialectPluginOptions } from '../api-context.js';
import { checkCallQuota, countedCall, createMemoryCallQuota, type CallQuota, type CallQuotaStore } from '../call-quota.js';
import type { AccuAuthKey } from '../credentials.js';
import { scopeDialect } from '../dialect-scope.js';
import { describeValue, noteError, toApiError } from '../http-errors.js';
import { enforceRateLimit } from '../rate-limiter.js';
import { authenticateAccuAuth } from './auth.js';
import { sendAccuAuthError } from './errors.js';
import { readAccuAuthForm } from './form.js';
import { accuAuthSuccess } from './response.js';
import { AccuAuthErrorResponse, AccuAuthForm, AccuAuthHeaders, AccuAuthSuccessResponse } from './schemas.js';

/** The route, as the vendor serves it. */
export const ACCUAUTH_PATH = '/face/liveness_anti_hack';

/** Options of the plugin. */
export interface AccuAuthPluginOptions extends DialectPluginOptions {
  /** Call counters of the keys with a `callQuota`; in this process's memory by default. */
  readonly callQuota?: CallQuotaStore;
}

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

/** Errors about the image itself name the form field it came from (the reason then says which). */
function withField(error: unknown, field: string): unknown {
  if (!(error instanceof FaceliveError) || !/^(IMAGE|URL)_/.test(error.code) || error.params.field !== undefined) return error;
  return new FaceliveError(error.code, { ...error.params, field }, { cause: error.cause ?? error });
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
 * The AccuAuth dialect plugin; register with prefix {@link ACCUAUTH_PATH} (its own not-found
 * handler then answers other methods and sub-paths with NOT_FOUND).
 *
 * @example
 * await app.register(accuAuthApi, { context, prefix: ACCUAUTH_PATH });
 */
export const accuAuthApi: FastifyPluginAsync<AccuAuthPluginOptions> = async (app, { context, callQuota = createMemoryCallQuota() }) => {
  const { server } = context.config;
  const handleError = (error: unknown, request: FastifyRequest, reply: FastifyReply) => {
    const wrapped = toApiError(error, request, server.bodyLimitBytes);
    noteError(request, wrapped);
    return sendAccuAuthError(reply, wrapped);
  };
  app.removeAllContentTypeParsers();
  await app.register(multipart, {
    limits: { fileSize: server.bodyLimitBytes, files: 2, fields: 8, parts: 10, fieldSize: 16_384 },
  });
  // The schemas document the API; the form and headers are checked by hand, in the document's terms.
  app.setValidatorCompiler(() => () => true);
  app.decorateRequest('accuAuthKey', null);
  scopeDialect(app, 'accuauth', handleError);
  // '' rather than '/': the route is exactly the prefix (no trailing-slash twin in the OpenAPI paths).
  app.post(
    '',
    {
      schema: {
        summary: 'AccuAuth liveness anti-hack: hack score of one face image',
        description: 'Credentials in X-DF-API-ID and X-DF-API-SECRET. Errors: {status, reason, request_id} with the document\'s HTTP codes.',
        tags: ['accuauth'],
        headers: AccuAuthHeaders,
        consumes: ['multipart/form-data'],
        body: AccuAuthForm,
        response: { 200: AccuAuthSuccessResponse, '4xx': AccuAuthErrorResponse, '5xx': AccuAuthErrorResponse },
      },
      onRequest: async (request) => {
        const key = authenticateAccuAuth(request, context.credentials, context.now());
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
