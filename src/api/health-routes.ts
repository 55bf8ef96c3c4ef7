/**
 * `GET /healthz` (the process answers) and `GET /readyz` (every worker has loaded, verified and
 * warmed its models, and every dependency a plugin registered, such as the result store, works;
 * 503 `draining` once a shutdown has begun). Neither needs a credential. When limits live in
 * Redis, `/readyz` reports the connection too, without turning 503 over it: every instance shares
 * that Redis, so failing readiness would take the whole service out of the load balancer, while
 * only quota-limited calls (and rate limits, when `redis.rateLimitFailOpen` is false) need it.
 */
import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsync } from 'fastify';
import type { DialectPluginOptions } from './api-context.js';
import { withExamples } from './openapi-examples.js';

const Health = Type.Object({ status: Type.Literal('ok') });
const Dependency = Type.Object({
  name: Type.String({ description: 'resultStore: the ADVANCE.AI result store (registered when that dialect has a credential)' }),
  ready: Type.Boolean(),
  code: Type.Optional(Type.String({ description: 'Catalogue code of the failure (STORE_UNAVAILABLE); the cause is in the server log' })),
});
const Readiness = Type.Object({
  status: Type.Union([Type.Literal('ready'), Type.Literal('loading'), Type.Literal('failed'), Type.Literal('unavailable'), Type.Literal('draining')], {
    description:
      'ready; loading (models); failed (the model set could not be loaded); unavailable (models ready, a dependency is not); draining (the server is shutting down and finishes what it has; route new requests elsewhere)',
  }),
  workers: Type.Optional(Type.Integer()),
  maxQueue: Type.Optional(Type.Number()),
  queued: Type.Optional(Type.Integer()),
  redis: Type.Optional(
    Type.Object({
      status: Type.Union([Type.Literal('ready'), Type.Literal('unavailable')], {
        description: 'unavailable: quota-limited calls get LIMITS_STORE_UNAVAILABLE until Redis answers again.',
      }),
    }),
  ),
  dependencies: Type.Optional(Type.Array(Dependency)),
  error: Type.Optional(Type.Object({ code: Type.String(), message: Type.String() })),
});

/** Health and readiness probes. */
export const healthRoutes: FastifyPluginAsync<DialectPluginOptions> = async (app, { context }) => {
  app.get('/healthz', { schema: { summary: 'The process is up', tags: ['server'], response: { 200: withExamples(Health, { status: 'ok' }) } } }, async () => ({
    status: 'ok' as const,
  }));
  app.get(
    '/readyz',
    {
      schema: {
        summary: 'Models loaded and warmed on every worker, and the result store able to write',
        tags: ['server'],
        response: {
          200: withExamples(Readiness, { status: 'ready', workers: 2, maxQueue: 32, queued: 0 }),
          503: withExamples(
            Readiness,
            { status: 'loading' },
            { status: 'failed', error: { code: 'MODEL_FILE_MISSING', message: 'The model set could not be loaded; see the server log.' } },
          ),
        },
      },
    },
    async (_request, reply) => {
      const { engine } = context;
      const redis = context.redis && { redis: { status: context.redis.status === 'ready' ? ('ready' as const) : ('unavailable' as const) } };
      if (context.lifecycle.draining) return reply.code(503).send({ status: 'draining' as const, ...redis });
      const states = await context.readiness.states();
      const dependencies = states.length > 0 ? { dependencies: states } : {};
      if (engine.state === 'ready' && engine.pool) {
        const ready = states.every((state) => state.ready);
        if (!ready) reply.code(503);
        const status = ready ? ('ready' as const) : ('unavailable' as const);
        return { status, workers: engine.pool.size, maxQueue: engine.pool.maxQueue, queued: engine.pool.queued, ...redis, ...dependencies };
      }
      reply.code(503);
      // The failure's code is safe to show; its message may name files, so only the code travels.
      return engine.state === 'failed' && engine.failure
        ? {
            status: 'failed' as const,
            error: { code: engine.failure.code, message: 'The model set could not be loaded; see the server log.' },
            ...redis,
            ...dependencies,
          }
        : { status: 'loading' as const, ...redis, ...dependencies };
    },
  );
};
