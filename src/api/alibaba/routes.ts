/**
 * Alibaba Cloud facebody `DetectLivingFace` (version 2019-12-30) at `POST /`, RPC style: the
 * action is named by `x-acs-action` (signature V3) or the query's `Action` (legacy RPC
 * signature), the body is a form (`Tasks.N.ImageURL` / `Tasks.N.ImageData`), often chunked.
 * The raw body is kept for the signature and parsed afterwards; the route schemas document the
 * API but do not validate (fields are checked here in the vendor's order, so each failure gets
 * the vendor's code).
 */
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { FaceliveError } from '../../errors/catalogue.js';
import type { ApiContext, DialectPluginOptions } from '../api-context.js';
import { describeValue } from '../http-errors.js';
import { enforceRateLimit } from '../rate-limiter.js';
import { verifyAcsSignature } from './acs-signature.js';
import { createNonceMemory, type NonceMemory } from './nonce-memory.js';
import { judgedElement, noFaceElement, taskIdOf, type AlibabaElementBody } from './response.js';
import { AlibabaErrorBody, AlibabaHeaders, AlibabaRequestBody, AlibabaSuccessResponse } from './schemas.js';
import { tasksOf } from './tasks.js';
import { errorExamples, REQUEST_EXAMPLE, SUCCESS_EXAMPLE } from './examples.js';
import { withExamples } from '../openapi-examples.js';

/** The one action served, of the one version. */
export const ALIBABA_ACTION = 'DetectLivingFace';
/** API version of DetectLivingFace (facebody). */
export const ALIBABA_VERSION = '2019-12-30';

const FORM = 'application/x-www-form-urlencoded';

function header(request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function queryOf(request: FastifyRequest): URLSearchParams {
  const at = request.url.indexOf('?');
  return new URLSearchParams(at < 0 ? '' : request.url.slice(at + 1));
}

function checkAction(request: FastifyRequest, query: URLSearchParams): void {
  const action = header(request, 'x-acs-action') ?? query.get('Action') ?? '';
  const version = header(request, 'x-acs-version') ?? query.get('Version') ?? '';
  if (action !== ALIBABA_ACTION || version !== ALIBABA_VERSION) {
    throw new FaceliveError('API_ACTION_UNKNOWN', {
      action: action.slice(0, 64),
      version: version.slice(0, 32),
      expected: `${ALIBABA_ACTION} of version ${ALIBABA_VERSION}`,
    });
  }
}

/**
 * Each task through the engine, in order. A task without a face gets the vendor's `block`
 * element (noted as FACE_NOT_FOUND on the log line); any other failure fails the call, naming
 * the task's field, since the answer has no per-task error.
 */
async function elementsOf(context: ApiContext, request: FastifyRequest, form: URLSearchParams): Promise<AlibabaElementBody[]> {
  const elements: AlibabaElementBody[] = [];
  for (const task of tasksOf(form)) {
    const taskId = taskIdOf(request.id, task.index);
    try {
      elements.push(judgedElement(taskId, task.imageUrl, await context.liveness.analyse(request, task.input)));
    } catch (error) {
      if (!(error instanceof FaceliveError)) throw error;
      if (error.code !== 'FACE_NOT_FOUND') throw error.concerning(task.input.field);
      request.outcome.errorCode = 'FACE_NOT_FOUND';
      elements.push(noFaceElement(taskId, task.imageUrl));
    }
  }
  return elements;
}

async function detectLivingFace(context: ApiContext, nonces: NonceMemory, request: FastifyRequest, reply: FastifyReply) {
  const query = queryOf(request);
  checkAction(request, query);
  const body = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
  const form = new URLSearchParams(body.toString('utf8'));
  const nowMs = context.now();
  const accessKeyId = verifyAcsSignature(
    { method: request.method, query, headers: request.headers, body, form },
    {
      secretOf: (id) => context.credentials.findById('alibaba', id)?.secret,
      nowMs,
      maxSkewSeconds: context.config.server.alibaba.maxClockSkewSeconds,
      firstUseOf: (id, nonce) => nonces.firstUseOf(id, nonce, nowMs),
    },
  );
  const principal = context.credentials.findById('alibaba', accessKeyId)!.principal;
  request.outcome.credential = principal.label;
  await enforceRateLimit(context.rateLimiter, principal);
  return reply.code(200).send({ RequestId: request.id, Data: { Elements: await elementsOf(context, request, form) } });
}

/**
 * The Alibaba Cloud dialect plugin (encapsulated: its form parser, no-op validator and nonce
 * memory stay inside); registered at the root, its one route is `POST /` for the requests the
 * dialect claims.
 *
 * @example
 * await app.register(alibabaApi, { context });
 */
export const alibabaApi: FastifyPluginAsync<DialectPluginOptions> = async (app, { context }) => {
  const { server } = context.config;
  // A nonce is accepted while its date is within the skew on either side of the clock.
  const nonces = createNonceMemory(2 * server.alibaba.maxClockSkewSeconds * 1000);
  app.removeAllContentTypeParsers();
  app.addContentTypeParser(FORM, { parseAs: 'buffer', bodyLimit: server.bodyLimitBytes }, (_request, body, done) => done(null, body));
  app.addContentTypeParser('*', (request, _payload, done) => {
    done(new FaceliveError('REQUEST_CONTENT_TYPE_UNSUPPORTED', { received: describeValue(request.headers['content-type'] ?? 'none'), expected: FORM }));
  });
  app.setValidatorCompiler(() => () => true);
  app.addHook('onRequest', async () => {
    // No AccessKey at all means no call can succeed: refuse before reading the body.
    context.credentials.requireConfigured('alibaba');
  });
  app.post(
    '/',
    {
      schema: {
        summary: 'Alibaba Cloud facebody DetectLivingFace (2019-12-30), ACS3-HMAC-SHA256 or RPC HMAC-SHA1 signed',
        description:
          'Claimed by the x-acs-action header or the Action query parameter. Form body Tasks.N.ImageURL / Tasks.N.ImageData (N = 1..10). No face is a 200 answer with a block result.',
        tags: ['alibaba'],
        security: [{ acs3: [] }, { acsRpc: [] }],
        headers: AlibabaHeaders,
        body: withExamples(AlibabaRequestBody, REQUEST_EXAMPLE),
        consumes: [FORM],
        response: {
          200: withExamples({ description: 'One element per task', ...AlibabaSuccessResponse }, SUCCESS_EXAMPLE),
          '4XX': withExamples({ description: 'Error envelope', ...AlibabaErrorBody }, ...errorExamples('4XX')),
          '5XX': withExamples({ description: 'Error envelope', ...AlibabaErrorBody }, ...errorExamples('5XX')),
        },
      },
    },
    (request, reply) => detectLivingFace(context, nonces, request, reply),
  );
};
