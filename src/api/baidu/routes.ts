/**
 * Baidu AI Cloud face liveness, registered at the root with absolute paths:
 * - `GET|POST /oauth/2.0/token` exchanges an API Key / Secret Key for an access token (oauth.ts);
 * - `POST /rest/2.0/face/v3/faceverify` judges one image (faceverify-request.ts → the engine →
 *   response.ts), authenticated by the token or a bce-auth-v1 signature (api-auth.ts).
 * Both read JSON and form bodies as raw bytes: the Node SDK sends the faceverify JSON array with
 * the form content type, and the token fields as a form. Nothing is stored: tokens are signed.
 * Errors are Baidu's `error_code` envelope with HTTP 200 (errors.ts); the token endpoint's
 * refusals are OAuth answers.
 */
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { FaceliveError } from '../../errors/catalogue.js';
import type { DialectPluginOptions } from '../api-context.js';
import { enforceRateLimit } from '../rate-limiter.js';
import { issueBaiduToken } from './access-token.js';
import { authenticateCall } from './api-auth.js';
import { faceverifyInput } from './faceverify-request.js';
import { authenticateTokenRequest, isRefusal, tokenParams, TOKEN_SCOPE } from './oauth.js';
import { faceverifyResult } from './response.js';
import { withExamples } from '../openapi-examples.js';
import { CLIENT_REFUSED_EXAMPLE, FACEVERIFY_EXAMPLES, FACEVERIFY_REQUEST_EXAMPLE, GRANT_REFUSED_EXAMPLE, TOKEN_EXAMPLE } from './examples.js';
import { BaiduErrorResponse, FaceverifyBody, FaceverifyQuery, FaceverifySuccess, OAuthErrorResponse, TokenParams, TokenResponse } from './schemas.js';

/** Path of the token endpoint. */
export const TOKEN_PATH = '/oauth/2.0/token';
/** Path of online image liveness v3. */
export const FACEVERIFY_PATH = '/rest/2.0/face/v3/faceverify';

const FORM = 'application/x-www-form-urlencoded';

function rawBody(request: FastifyRequest): Buffer | undefined {
  return Buffer.isBuffer(request.body) ? request.body : undefined;
}

/** Token fields of a body: a form, or a JSON object; nothing else. */
function bodyFields(request: FastifyRequest): Record<string, unknown> {
  const raw = rawBody(request);
  if (!raw || raw.length === 0) return {};
  if (
    String(request.headers['content-type'] ?? '')
      .toLowerCase()
      .startsWith(FORM)
  )
    return Object.fromEntries(new URLSearchParams(raw.toString('utf8')));
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw.toString('utf8'));
  } catch (error) {
    throw new FaceliveError('REQUEST_MALFORMED', { reason: 'the body is not valid JSON' }, { cause: error });
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed))
    throw new FaceliveError('REQUEST_MALFORMED', { reason: 'the body is not a JSON object' });
  return parsed as Record<string, unknown>;
}

function queryOf(url: string): URLSearchParams {
  const at = url.indexOf('?');
  return new URLSearchParams(at < 0 ? '' : url.slice(at + 1));
}

/**
 * The Baidu AI Cloud dialect plugin (encapsulated: its raw-body parsers and no-op validator stay
 * inside).
 *
 * @example
 * await app.register(baiduApi, { context });
 */
export const baiduApi: FastifyPluginAsync<DialectPluginOptions> = async (app, { context }) => {
  const { server } = context.config;
  app.removeAllContentTypeParsers();
  app.addContentTypeParser(['application/json', FORM], { parseAs: 'buffer', bodyLimit: server.bodyLimitBytes }, (_request, body, done) => done(null, body));
  // The schemas document; the handlers check fields in Baidu's order, so each fault gets Baidu's code.
  app.setValidatorCompiler(() => () => true);

  const tokenRoute = {
    schema: {
      summary: 'Baidu access token for an API Key / Secret Key (client_credentials)',
      description: 'Fields in the query and/or a form (or JSON) body. A refusal is an OAuth answer, {error, error_description}.',
      tags: ['baidu'],
      querystring: TokenParams,
      response: {
        200: withExamples(TokenResponse, TOKEN_EXAMPLE),
        400: withExamples(OAuthErrorResponse, GRANT_REFUSED_EXAMPLE),
        401: withExamples(OAuthErrorResponse, CLIENT_REFUSED_EXAMPLE),
      },
    },
  };
  const issueToken = async (request: FastifyRequest) => {
    const params = tokenParams(queryOf(request.url), bodyFields(request));
    const outcome = authenticateTokenRequest(params, context.credentials);
    if (isRefusal(outcome)) {
      request.outcome.errorCode = outcome.code;
      return { status: outcome.status, body: outcome.body };
    }
    request.outcome.credential = outcome.principal.label;
    await enforceRateLimit(context.rateLimiter, outcome.principal);
    const issued = issueBaiduToken(params.client_id!, outcome.secret, server.baidu.tokenLifetimeSeconds, context.now());
    return {
      status: 200 as const,
      body: {
        refresh_token: `25.${'0'.repeat(32)}.315360000.${issued.expiresAt}.0-0`,
        expires_in: issued.expiresInSeconds,
        scope: TOKEN_SCOPE,
        session_key: '',
        access_token: issued.accessToken,
        session_secret: '',
      },
    };
  };
  for (const method of ['GET', 'POST'] as const) {
    app.route({
      method,
      url: TOKEN_PATH,
      ...tokenRoute,
      handler: async (request, reply) => {
        const answer = await issueToken(request);
        return reply.code(answer.status).header('cache-control', 'no-store').send(answer.body);
      },
    });
  }

  app.post(
    FACEVERIFY_PATH,
    {
      schema: {
        summary: 'Baidu online image liveness v3 (faceverify): one image, face_liveness with three thresholds',
        description:
          'Errors are answered with HTTP 200 and error_code, as Baidu does. The body is JSON whether sent as application/json or as the form type the Node SDK uses.',
        tags: ['baidu'],
        security: [{ baiduAccessToken: [] }, { bceAuth: [] }],
        querystring: FaceverifyQuery,
        body: {
          content: {
            'application/json': { schema: withExamples(FaceverifyBody, FACEVERIFY_REQUEST_EXAMPLE) },
            [FORM]: { schema: withExamples(FaceverifyBody, FACEVERIFY_REQUEST_EXAMPLE) },
          },
        },
        response: { 200: withExamples({ description: 'Success or error envelope', anyOf: [FaceverifySuccess, BaiduErrorResponse] }, ...FACEVERIFY_EXAMPLES) },
      },
      // Refused before the body is read: no credential configured, then the caller, then its rate.
      onRequest: async (request) => {
        context.credentials.requireConfigured('baidu');
        const credential = authenticateCall(request, context);
        request.outcome.credential = credential.principal.label;
        await enforceRateLimit(context.rateLimiter, credential.principal);
      },
    },
    async (request, reply) => {
      const input = faceverifyInput(rawBody(request));
      const result = await context.liveness.analyse(request, input);
      return reply.code(200).send(faceverifyResult(result, request.id, context.now()));
    },
  );
};
