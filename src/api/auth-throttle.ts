/**
 * Failed authentication throttled per client address. Every answer that says a presented
 * credential is wrong (AUTH_CREDENTIAL_INVALID, AUTH_SIGNATURE_INVALID) counts as a failure of the
 * client's address; past `freeFailures`, the address is locked out for `baseDelayMs`, doubling
 * with each further failure up to `maxDelayMs`, and while locked out each of its requests to an
 * API gets AUTH_THROTTLED (429, Retry-After) before anything else is done. A success does not
 * reset the count (a client holding one valid key could otherwise guess others between its own
 * calls); an address with no failure for `forgetAfterMs` starts again from zero. Probes, docs and
 * the capture page are never throttled.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { FaceliveError, type ErrorCode } from '../errors/catalogue.js';
import { answererOf } from './dialect-scope.js';

/** The throttle's settings (`server.authThrottle`). */
export interface AuthThrottleConfig {
  readonly freeFailures: number;
  /** 0 turns the throttle off. */
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  readonly forgetAfterMs: number;
}

/** Answers that mean "this credential is wrong": guesses, as opposed to a missing or expired one. */
const FAILURES: ReadonlySet<ErrorCode> = new Set(['AUTH_CREDENTIAL_INVALID', 'AUTH_SIGNATURE_INVALID']);

/** Addresses remembered at most; the oldest entries go first (bounds memory under spoofed-looking churn). */
const MAX_ADDRESSES = 100_000;

interface Record {
  failures: number;
  lastFailureMs: number;
  lockedUntilMs: number;
}

/** The throttle's state, for tests. */
export interface AuthThrottle {
  /** Milliseconds `address` is still locked out for (0 when it is not). */
  lockedForMs(address: string): number;
}

/**
 * Registers the throttle at the root (before any route). `now` is injectable for tests.
 *
 * @example
 * registerAuthThrottle(app, config.server.authThrottle);
 */
export function registerAuthThrottle(app: FastifyInstance, config: AuthThrottleConfig, now: () => number = () => performance.now()): AuthThrottle {
  const records = new Map<string, Record>();
  const lockedForMs = (address: string): number => {
    const record = records.get(address);
    return record ? Math.max(0, record.lockedUntilMs - now()) : 0;
  };
  const fail = (address: string): void => {
    const at = now();
    let record = records.get(address);
    if (!record || at - record.lastFailureMs > config.forgetAfterMs) record = { failures: 0, lastFailureMs: at, lockedUntilMs: 0 };
    records.delete(address);
    if (records.size >= MAX_ADDRESSES) records.delete(records.keys().next().value as string);
    records.set(address, record);
    record.failures += 1;
    record.lastFailureMs = at;
    const beyond = record.failures - config.freeFailures;
    if (beyond > 0) record.lockedUntilMs = at + Math.min(config.maxDelayMs, config.baseDelayMs * 2 ** Math.min(beyond - 1, 30));
  };
  const throttled = (request: FastifyRequest): boolean => answererOf(request).surface !== 'server';

  if (config.baseDelayMs <= 0) return { lockedForMs: () => 0 };
  app.addHook('onRequest', async (request) => {
    const waitMs = lockedForMs(request.ip);
    if (waitMs > 0 && throttled(request)) throw new FaceliveError('AUTH_THROTTLED', { retryAfterSeconds: Math.max(1, Math.ceil(waitMs / 1000)) });
  });
  app.addHook('onResponse', async (request) => {
    const code = request.outcome?.errorCode;
    if (code !== undefined && FAILURES.has(code)) fail(request.ip);
  });
  return { lockedForMs };
}
