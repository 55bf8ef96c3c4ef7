/**
 * `GET /healthz` (the process answers) and `GET /readyz` (every worker has loaded, verified and
 * warmed its models). Neither needs a credential.
 */
import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsync } from 'fastify';
import type { DialectPluginOptions } from './api-context.js';
import { withExamples } from './openapi-examples.js';

const Health = Type.Object({ status: Type.Literal('ok') });
const Readiness = Type.Object({
  status: Type.Union([Type.Literal('ready'), Type.Literal('loading'), Type.Literal('failed')]),
  workers: Type.Optional(Type.Integer()),
  maxQueue: Type.Optional(Type.Number()),
  queued: Type.Optional(Type.Integer()),
  error: Type.Optional(Type.Object({ code: Type.String(), message: Type.String() })),
});

/** Health and readiness probes. */
export const healthRoutes: FastifyPluginAsync<DialectPluginOptions> = async (app, { context }) => {
  app.get('/healthz', { schema: { summary: 'The process is up', tags: ['server'], response: { 200: withExamples(Health, { status: 'ok' }) } } }, async () => ({ status: 'ok' as const }));
  app.get(
    '/readyz',
    {
      schema: {
        summary: 'Models loaded and warmed on every worker',
        tags: ['server'],
        response: {
          200: withExamples(Readiness, { status: 'ready', workers: 2, maxQueue: 32, queued: 0 }),
          503: withExamples(Readiness, { status: 'loading' }, { status: 'failed', error: { code: 'MODEL_FILE_MISSING', message: 'The model set could not be loaded; see the server log.' } }),
        },
      },
    },
    async (_request, reply) => {
      const { engine } = context;
      if (engine.state === 'ready' && engine.pool) {
        return { status: 'ready' as const, workers: engine.pool.size, maxQueue: engine.pool.maxQueue, queued: engine.pool.queued };
      }
      reply.code(503);
      // The failure's code is safe to show; its message may name files, so only the code travels.
      return engine.state === 'failed' && engine.failure
        ? { status: 'failed' as const, error: { code: engine.failure.code, message: 'The model set could not be loaded; see the server log.' } }
        : { status: 'loading' as const };
    },
  );
};
