/**
 * The native REST surface, registered under `/v1`: `POST /v1/liveness` (JSON base64, JSON URL,
 * or multipart file) and `GET /v1/models`. Bearer API keys, unless auth is disabled and no key is
 * configured; `POST /v1/liveness` also takes the demo page's tokens when the demo is on
 * (demo/demo-auth.ts).
 */
import multipart from '@fastify/multipart';
import type { FastifyInstance, FastifyPluginAsync, FastifyRequest } from 'fastify';
import type { LivenessResult } from '../../engine/types.js';
import { FaceliveError } from '../../errors/catalogue.js';
import { findModel } from '../../models/manifest.js';
import type { ApiContext, DialectPluginOptions } from '../api-context.js';
import { authenticateBearer } from '../bearer-auth.js';
import { demoPrincipal } from '../demo/demo-auth.js';
import type { Principal } from '../credentials.js';
import { describeValue } from '../http-errors.js';
import type { ImageInput } from '../image-input.js';
import { readFormParts } from '../multipart-form.js';
import { enforceRateLimit } from '../rate-limiter.js';
import { withExamples } from '../openapi-examples.js';
import { LIVENESS_REQUEST_EXAMPLE, LIVENESS_RESPONSE_EXAMPLE, MODELS_RESPONSE_EXAMPLE } from './examples.js';
import { LivenessJsonBody, LivenessMultipartBody, LivenessResponse, ModelsResponse, NativeError } from './schemas.js';

interface LivenessRequest {
  readonly input: ImageInput;
  readonly threshold?: number;
  readonly returnFaces: boolean;
}

const MISSING_IMAGE = { field: 'image', expected: 'image (base64) or imageUrl in a JSON body, or a multipart file part named image' };
const MULTIPART_FIELDS = new Set(['imageUrl', 'threshold', 'returnFaces']);

/** The caller: anonymous (bucketed by client address) only when auth is off and no key exists. */
function authenticate(request: FastifyRequest, context: ApiContext): Principal {
  const { server } = context.config;
  if (!server.native.auth.enabled && context.credentials.count('native') === 0) {
    return { api: 'native', label: 'anonymous', bucket: `native:anonymous:${request.ip}`, limit: server.rateLimit };
  }
  return authenticateBearer(request, context.credentials, 'native', 'API key');
}

function inputFromJson(body: LivenessJsonBody): ImageInput {
  if (body.image !== undefined && body.imageUrl !== undefined) {
    throw new FaceliveError('INVALID_ARGUMENT', { field: 'image/imageUrl', expected: 'one of image or imageUrl', received: 'both' });
  }
  if (body.image !== undefined) return { kind: 'base64', field: 'image', value: body.image };
  if (body.imageUrl !== undefined) return { kind: 'url', field: 'imageUrl', url: body.imageUrl };
  throw new FaceliveError('ARGUMENT_MISSING', MISSING_IMAGE);
}

function parseThreshold(raw: string): number {
  const value = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(value) || value < 0 || value > 100) {
    throw new FaceliveError('INVALID_ARGUMENT', { field: 'threshold', expected: 'a number from 0 to 100', received: describeValue(raw) });
  }
  return value;
}

function parseBoolean(raw: string, field: string): boolean {
  if (raw === 'true' || raw === '1') return true;
  if (raw === 'false' || raw === '0') return false;
  throw new FaceliveError('INVALID_ARGUMENT', { field, expected: 'true or false', received: describeValue(raw) });
}

/** Streams the multipart parts: one file part `image`, or an `imageUrl` field, plus options. */
async function readMultipart(request: FastifyRequest): Promise<LivenessRequest> {
  let bytes: Uint8Array | undefined;
  const fields = new Map<string, string>();
  await readFormParts(request, async (part) => {
    if (part.type === 'file') {
      if (part.fieldname !== 'image' || bytes) {
        part.file.resume();
        throw new FaceliveError('INVALID_ARGUMENT', { field: part.fieldname, expected: 'a single file part named image', received: 'another file part' });
      }
      bytes = await part.toBuffer();
    } else {
      if (!MULTIPART_FIELDS.has(part.fieldname)) {
        throw new FaceliveError('INVALID_ARGUMENT', {
          field: part.fieldname,
          expected: 'one of image (file), imageUrl, threshold, returnFaces',
          received: 'an unknown field',
        });
      }
      fields.set(part.fieldname, String(part.value));
    }
  });
  const imageUrl = fields.get('imageUrl');
  if (bytes && imageUrl !== undefined) {
    throw new FaceliveError('INVALID_ARGUMENT', { field: 'image/imageUrl', expected: 'one of image or imageUrl', received: 'both' });
  }
  let input: ImageInput;
  if (bytes) input = { kind: 'bytes', field: 'image', bytes };
  else if (imageUrl !== undefined) input = { kind: 'url', field: 'imageUrl', url: imageUrl };
  else throw new FaceliveError('ARGUMENT_MISSING', MISSING_IMAGE);
  const threshold = fields.get('threshold');
  const returnFaces = fields.get('returnFaces');
  return {
    input,
    threshold: threshold === undefined ? undefined : parseThreshold(threshold),
    returnFaces: returnFaces === undefined ? true : parseBoolean(returnFaces, 'returnFaces'),
  };
}

function modelInfo(id: string) {
  const entry = findModel(id);
  return {
    id: entry.id,
    version: entry.id.slice(entry.id.indexOf('@') + 1),
    role: entry.role,
    file: entry.file,
    sha256: entry.sha256,
    sizeBytes: entry.sizeBytes,
    licence: entry.licence,
    source: entry.source,
  };
}

function responseBody(requestId: string, result: LivenessResult, returnFaces: boolean) {
  const { faces, ...rest } = result;
  return returnFaces ? { requestId, ...rest, faces } : { requestId, ...rest };
}

function registerRoutes(app: FastifyInstance, context: ApiContext): void {
  const { config } = context;
  app.post(
    '/liveness',
    {
      config: { admission: 'engine' },
      schema: {
        summary: 'Judge one face image: live, spoof or retry',
        tags: ['native'],
        security: [{ bearer: [] }],
        body: {
          content: {
            'application/json': { schema: withExamples(LivenessJsonBody, LIVENESS_REQUEST_EXAMPLE) },
            'multipart/form-data': { schema: LivenessMultipartBody },
          },
        },
        response: { 200: withExamples(LivenessResponse, LIVENESS_RESPONSE_EXAMPLE), '4xx': NativeError, '5xx': NativeError },
      },
      // Authentication and the rate limit come before the body is read.
      onRequest: async (request) => {
        // The demo page's token is good for this route only (see demo/demo-auth.ts).
        const principal = demoPrincipal(request, context) ?? authenticate(request, context);
        request.outcome.credential = principal.label;
        await enforceRateLimit(context.rateLimiter, principal);
      },
      // A multipart body is streamed by the handler; the validator gets an empty object to pass.
      preValidation: async (request) => {
        if (request.isMultipart()) request.body = {};
        else if (request.body === undefined) throw new FaceliveError('ARGUMENT_MISSING', MISSING_IMAGE);
      },
    },
    async (request, reply) => {
      let parsed: LivenessRequest;
      if (request.isMultipart()) parsed = await readMultipart(request);
      else {
        const body = request.body as LivenessJsonBody;
        parsed = { input: inputFromJson(body), threshold: body.threshold, returnFaces: body.returnFaces ?? true };
      }
      const result = await context.liveness.analyse(request, parsed.input, parsed.threshold === undefined ? {} : { threshold: parsed.threshold });
      return reply.send(responseBody(request.id, result, parsed.returnFaces));
    },
  );

  app.get(
    '/models',
    {
      schema: {
        summary: 'The loaded model set: ids, versions, licences, sha256',
        tags: ['native'],
        security: [{ bearer: [] }],
        response: { 200: withExamples(ModelsResponse, MODELS_RESPONSE_EXAMPLE), '4xx': NativeError },
      },
    },
    async (request) => {
      const principal = authenticate(request, context);
      request.outcome.credential = principal.label;
      await enforceRateLimit(context.rateLimiter, principal);
      return {
        ready: context.engine.state === 'ready',
        detector: modelInfo(config.models.detector),
        classifiers: config.models.pad.map((pad) => ({ ...modelInfo(pad.id), weight: pad.weight })),
        decision: { threshold: config.decision.threshold },
      };
    },
  );
}

/**
 * The native API plugin (encapsulated: its multipart parser and hooks stay inside); register it
 * under the dialect's prefix `/v1`.
 *
 * @example
 * await app.register(nativeApi, { context, prefix: '/v1' });
 */
export const nativeApi: FastifyPluginAsync<DialectPluginOptions> = async (app, { context }) => {
  const { server } = context.config;
  await app.register(multipart, {
    limits: { fileSize: server.bodyLimitBytes, files: 1, fields: 8, parts: 9, fieldSize: 16_384 },
  });
  registerRoutes(app, context);
};
