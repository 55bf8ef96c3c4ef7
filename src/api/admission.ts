/**
 * Admission before the body: a request to a route that runs the engine is admitted, made to wait
 * or refused the moment its headers arrive, from the number of engine requests already admitted
 * and waiting. A refused request gets SERVER_OVERLOADED in its dialect's envelope without its body
 * being read, parsed or base64-decoded, so refusals cost the event loop little and the accepted
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
  /** Requests waiting for a slot now, their bodies unread. */
  readonly waiting: number;
  /** Slots: the pool's workers plus the tasks that may wait for one; undefined while the pool loads. */
  readonly capacity: number | undefined;
}

/** The waiting room: how many requests may wait for a slot without their bodies being read, and for how long. */
export interface WaitingRoom {
  /** Requests that may wait; 0 refuses every request beyond the capacity at once. */
  readonly maxWaiting: number;
  /** Longest wait, ms; a request still waiting then gets SERVER_OVERLOADED. */
  readonly maxWaitMs: number;
}

interface Waiter {
  /** Hands the waiter a slot that is already counted. */
  readonly grant: () => void;
}

/**
 * Registers the admission hook (call at the root, before any route). A request to a route marked
 * `admission: 'engine'` takes a slot when fewer than `workers + maxQueue` requests hold one.
 * Otherwise it waits in the waiting room, its body unread, until a slot frees (first come, first
 * served) or `maxWaitMs` passes; with the room full, it is refused with SERVER_OVERLOADED at once.
 * A slot is given back when the answer is ready to send or the connection closes, whichever comes
 * first, and goes straight to the longest waiter. While the pool loads nothing is counted (the
 * route answers SERVER_NOT_READY as before).
 *
 * Why wait rather than refuse: a refused client that sends again at once (load generators,
 * retrying SDKs) makes every refusal cost a full request on both sides, and at 32–128 connections
 * on two cores those refusals took the CPU the workers needed. A waiting request costs a socket
 * and the part of its body already in buffers; Node stops reading it until it is admitted.
 *
 * @example
 * const admission = registerAdmission(app, engineGate, { maxWaiting: 256, maxWaitMs: 2_000 });
 * app.post('/liveness', { config: { admission: 'engine' } }, handler);
 */
export function registerAdmission(app: FastifyInstance, engine: EngineGate, room: WaitingRoom): AdmissionCounter {
  let admitted = 0;
  const waiters: Waiter[] = [];
  const capacityOf = () => (engine.pool ? engine.pool.size + engine.pool.maxQueue : undefined);
  const releases = new WeakMap<FastifyReply, () => void>();

  /** A slot given back: to the longest waiter if there is one (it stays counted), else freed. */
  const giveBack = () => {
    const next = waiters.shift();
    if (next) next.grant();
    else admitted -= 1;
  };

  const hold = (reply: FastifyReply) => {
    let held = true;
    const release = () => {
      if (!held) return;
      held = false;
      giveBack();
    };
    // Given back as soon as the answer is ready (onSend): the response's own 'finish' and 'close'
    // may come after the client, answered, has already sent its next request. 'close' covers a
    // client that goes away first.
    releases.set(reply, release);
    reply.raw.once('close', release);
  };

  const wait = (reply: FastifyReply, maxQueue: number) =>
    new Promise<void>((resolve, reject) => {
      const leave = () => {
        clearTimeout(timer);
        reply.raw.removeListener('close', onClose);
        const index = waiters.indexOf(waiter);
        if (index >= 0) waiters.splice(index, 1);
      };
      const waiter: Waiter = {
        grant: () => {
          leave();
          if (reply.raw.destroyed) giveBack();
          else {
            hold(reply);
            resolve();
          }
        },
      };
      const timer = setTimeout(() => {
        leave();
        reply.header('connection', 'close'); // its body is unread too (see admit)
        reject(new FaceliveError('SERVER_OVERLOADED', { maxQueue }));
      }, room.maxWaitMs);
      // A client that gives up while waiting leaves the room, when Node sees it go: it stops
      // reading a connection whose body waits unread, so often only the deadline frees the place.
      const onClose = () => {
        leave();
        reject(new FaceliveError('SERVER_OVERLOADED', { maxQueue }));
      };
      reply.raw.once('close', onClose);
      waiters.push(waiter);
    });

  const admit = async (reply: FastifyReply): Promise<void> => {
    const { pool } = engine;
    if (!pool) return;
    if (admitted < pool.size + pool.maxQueue && waiters.length === 0) {
      admitted += 1;
      hold(reply);
      return;
    }
    if (waiters.length >= room.maxWaiting) {
      // The body stays unread: closing the connection after the answer spares reading and
      // discarding it, and a client that sends again at once must reconnect first.
      reply.header('connection', 'close');
      throw new FaceliveError('SERVER_OVERLOADED', { maxQueue: pool.maxQueue });
    }
    await wait(reply, pool.maxQueue);
  };

  app.addHook('onRequest', async (request, reply) => {
    if (request.routeOptions.config.admission === 'engine') await admit(reply);
  });
  app.addHook('onSend', async (_request, reply) => {
    releases.get(reply)?.();
  });
  return {
    get admitted() {
      return admitted;
    },
    get waiting() {
      return waiters.length;
    },
    get capacity() {
      return capacityOf();
    },
  };
}
