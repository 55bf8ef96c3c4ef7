/**
 * Admission before the body: a request to a route that runs the engine is admitted or refused
 * the moment its headers arrive, from the number of engine requests already admitted. A refused
 * request gets SERVER_OVERLOADED in its dialect's envelope at once, without its body being read,
 * parsed or base64-decoded, so refusals cost the event loop almost nothing and the accepted
 * requests keep the workers busy. Without this, the queue-full answer came only after the body
 * had been read and decoded, and at 32–128 connections the main thread spent itself on requests
 * it then refused (issue 13).
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import { FaceliveError } from '../errors/catalogue.js';
import type { EngineGate } from './liveness-service.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /**
     * Set on routes that run the engine (`{ admission: 'engine' }`): such requests take an
     * admission slot on arrival and give it back when their response is done.
     */
    admission?: 'engine';
  }
}

/** Engine requests admitted and not yet answered, against the pool's capacity. */
export interface AdmissionCounter {
  /** Requests holding a slot now. */
  readonly admitted: number;
  /** Slots: the pool's workers plus the tasks that may wait for one; undefined while the pool loads. */
  readonly capacity: number | undefined;
}

/**
 * Registers the admission hook (call at the root, before any route). A request to a route marked
 * `admission: 'engine'` takes a slot when fewer than `workers + maxQueue` requests hold one;
 * otherwise it is refused with SERVER_OVERLOADED before its body is read. The slot is given back
 * when the answer is ready to send or the connection closes, whichever comes first. While the pool
 * loads nothing is counted (the route answers SERVER_NOT_READY as before).
 *
 * @example
 * const admission = registerAdmission(app, engineGate);
 * app.post('/liveness', { config: { admission: 'engine' } }, handler);
 */
export function registerAdmission(app: FastifyInstance, engine: EngineGate): AdmissionCounter {
  let admitted = 0;
  const capacityOf = () => (engine.pool ? engine.pool.size + engine.pool.maxQueue : undefined);
  const admit = (reply: FastifyReply): void => {
    const { pool } = engine;
    if (!pool) return;
    if (admitted >= pool.size + pool.maxQueue) throw new FaceliveError('SERVER_OVERLOADED', { maxQueue: pool.maxQueue });
    admitted += 1;
    let held = true;
    const release = () => {
      if (!held) return;
      held = false;
      admitted -= 1;
    };
    // Given back as soon as the answer is ready (onSend): the response's own 'finish' and 'close'
    // may come after the client, answered, has already sent its next request. 'close' covers a
    // client that goes away first.
    releases.set(reply, release);
    reply.raw.once('close', release);
  };
  const releases = new WeakMap<FastifyReply, () => void>();
  app.addHook('onRequest', async (request, reply) => {
    if (request.routeOptions.config.admission === 'engine') admit(reply);
  });
  app.addHook('onSend', async (_request, reply) => {
    releases.get(reply)?.();
  });
  return {
    get admitted() {
      return admitted;
    },
    get capacity() {
      return capacityOf();
    },
  };
}
