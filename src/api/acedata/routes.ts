/**
 * Ace Data Cloud "Face Static Liveness Detection (High Precision)": `POST /face/detect-live` with
 * `authorization: Bearer <token>`. Ace Data resells Tencent's DetectLiveFaceAccurate (same score
 * scale, thresholds and model version), so the fields follow the same rules: `image_url` wins
 * over the `image_base64` extension, and `face_model_version` is "3.0" only.
 */
import type { FastifyPluginAsync } from 'fastify';
import { EXAMPLE_IMAGE_URL, EXAMPLE_SCORE, withExamples } from '../openapi-examples.js';
import { FaceliveError } from '../../errors/catalogue.js';
import type { DialectPluginOptions } from '../api-context.js';
import { authenticateBearer } from '../bearer-auth.js';
import type { ImageInput } from '../image-input.js';
import { enforceRateLimit } from '../rate-limiter.js';
import { AceDataErrorResponse, AceDataRequestBody, AceDataSuccessResponse, type AceDataRequestBodyType } from './schemas.js';

/** The only `face_model_version` the vendor documents. */
export const ACEDATA_FACE_MODEL_VERSION = '3.0';

/** Version as the client sent it: "3.0", or the JSON number 3 (which 3.0 parses to). */
function modelVersionOf(value: string | number | undefined): string {
  if (value === undefined) return ACEDATA_FACE_MODEL_VERSION;
  return typeof value === 'number' ? value.toFixed(1) : value;
}

function inputOf(body: AceDataRequestBodyType): ImageInput {
  if (body.image_url) return { kind: 'url', field: 'image_url', url: body.image_url };
  if (body.image_base64) return { kind: 'base64', field: 'image_base64', value: body.image_base64 };
  if (body.image_url === '' || body.image_base64 === '') throw new FaceliveError('IMAGE_EMPTY');
  throw new FaceliveError('ARGUMENT_MISSING', { field: 'image_url', expected: 'the image URL (or image_base64)' });
}

/**
 * The Ace Data Cloud dialect plugin; register with prefix `/face` (unknown routes under it
 * answer `api_not_implemented`).
 *
 * @example
 * await app.register(aceDataApi, { context, prefix: '/face' });
 */
export const aceDataApi: FastifyPluginAsync<DialectPluginOptions> = async (app, { context }) => {
  app.post(
    '/detect-live',
    {
      config: { admission: 'engine' },
      schema: {
        summary: 'Ace Data Cloud face static liveness detection (high precision)',
        tags: ['acedata'],
        security: [{ acedataToken: [] }],
        body: withExamples(AceDataRequestBody, { image_url: EXAMPLE_IMAGE_URL, face_model_version: ACEDATA_FACE_MODEL_VERSION }),
        response: {
          200: withExamples(AceDataSuccessResponse, { score: EXAMPLE_SCORE, face_model_version: ACEDATA_FACE_MODEL_VERSION }),
          '4xx': AceDataErrorResponse,
          '5xx': AceDataErrorResponse,
        },
      },
      // Authentication and the rate limit come before the body is read.
      onRequest: async (request) => {
        const principal = authenticateBearer(request, context.credentials, 'acedata', 'token');
        request.outcome.credential = principal.label;
        await enforceRateLimit(context.rateLimiter, principal);
      },
    },
    async (request) => {
      const body = (request.body ?? {}) as AceDataRequestBodyType;
      const version = modelVersionOf(body.face_model_version);
      if (version !== ACEDATA_FACE_MODEL_VERSION) {
        throw new FaceliveError('FACE_MODEL_VERSION_UNSUPPORTED', {
          field: 'face_model_version',
          received: version.slice(0, 16),
          expected: ACEDATA_FACE_MODEL_VERSION,
        });
      }
      const result = await context.liveness.analyse(request, inputOf(body));
      return { score: result.score, face_model_version: ACEDATA_FACE_MODEL_VERSION };
    },
  );
};
