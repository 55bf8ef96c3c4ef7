/**
 * The request deadline (`server.requestTimeoutMs`) as Node's HTTP server enforces it. Two traps
 * (issue 13): Node checks deadlines every `connectionsCheckingInterval` ms, 30 s by default, so
 * a 30 s deadline fired anywhere between 30 and 60 s (52–67 s were measured); and on Node 20 a
 * `requestTimeout` assigned after the server is created (as fastify does) is not what the check
 * uses, so it must be given to `http.createServer`. Checking every 1/30 of the deadline, between
 * 100 ms and 1 s, enforces it to within a second at the cost of one walk over the open
 * connections per interval.
 */
import type { ServerOptions } from 'node:http';

/** Longest interval: a deadline fires at most this late. */
const MAX_INTERVAL_MS = 1_000;
/** Shortest interval, for short deadlines (tests). */
const MIN_INTERVAL_MS = 100;

/**
 * Options of `http.createServer` (fastify's `http` option) that enforce a request deadline of
 * `requestTimeoutMs` (0 = none) to within a second.
 *
 * @example
 * Fastify({ requestTimeout: 30_000, http: deadlineServerOptions(30_000) });
 */
export function deadlineServerOptions(requestTimeoutMs: number): ServerOptions {
  return { requestTimeout: requestTimeoutMs, connectionsCheckingInterval: deadlineCheckIntervalMs(requestTimeoutMs) };
}

/**
 * The `connectionsCheckingInterval` for a request deadline of `requestTimeoutMs` (0 = none: Node's
 * default stays, since only the headers deadline is left to check).
 *
 * @example
 * http.createServer({ connectionsCheckingInterval: deadlineCheckIntervalMs(30_000) }); // 1000
 */
export function deadlineCheckIntervalMs(requestTimeoutMs: number): number {
  if (requestTimeoutMs <= 0) return 30_000;
  return Math.min(MAX_INTERVAL_MS, Math.max(MIN_INTERVAL_MS, Math.floor(requestTimeoutMs / 30)));
}
