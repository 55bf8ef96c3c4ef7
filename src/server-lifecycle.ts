/**
 * Running the server as a process: listen first (so `/healthz` answers and `/readyz` reports
 * loading), load the engine pool, report ready; on SIGTERM/SIGINT turn `/readyz` to 503 and keep
 * serving for `drainDelayMs` (a load balancer sees the instance leave before its connections are
 * refused), then stop accepting connections, let in-flight requests finish (bounded by
 * `shutdownTimeoutMs`), close the result store and the pool, resolve; in a process, exit with
 * code 1 if all that after the drain takes longer than `shutdownDeadlineMs`.
 */
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { Config } from './config/schema.js';
import { createEnginePool, workerCount, type EnginePool } from './engine/engine-pool.js';
import { FaceliveError } from './errors/catalogue.js';
import { surfacesOf } from './api/surfaces.js';
import { buildServer } from './server.js';

/**
 * Says which surfaces are enabled, and warns when none can succeed: without any credential every
 * call answers AUTH_NOT_CONFIGURED, which a first run should not discover by trial.
 */
function logSurfaces(logger: Logger, config: Config): void {
  const surfaces = surfacesOf(config.server);
  const enabled = surfaces.filter((surface) => surface.enabled);
  const disabled = surfaces.filter((surface) => !surface.enabled);
  logger.info(
    { enabled: enabled.map((surface) => surface.name), disabled: disabled.map((surface) => surface.name) },
    `surfaces: ${enabled.length > 0 ? enabled.map((surface) => `${surface.title} (${surface.paths.join(', ')})`).join(', ') : 'none'} enabled`,
  );
  if (enabled.length === 0) {
    const hints = disabled.map((surface) => `${surface.title}: ${surface.env.join(' + ')}`).join('; ');
    logger.warn(
      { hint: hints },
      `no surface has a credential, so every call answers AUTH_NOT_CONFIGURED; set one (${hints}) or list credentials in the config file (docs/http-api.md)`,
    );
  }
}
/** A started server. */
export interface RunningServer {
  readonly app: FastifyInstance;
  /** The bound address, e.g. `http://127.0.0.1:8080`. */
  readonly url: string;
  /** Resolves once the models are loaded and warmed on every worker. */
  readonly ready: Promise<void>;
  /** Resolves when the server has shut down (after a signal or {@link RunningServer.shutdown}). */
  readonly closed: Promise<void>;
  /** Stops accepting, waits for in-flight requests, closes the pool. Idempotent. */
  shutdown(reason: string): Promise<void>;
}

/** Tasks that may wait for a worker: `server.maxQueue`, or 4 per worker for `auto`. */
export function maxQueueOf(config: Config, workers: number): number {
  return config.server.maxQueue === 'auto' ? 4 * workers : config.server.maxQueue;
}

/** Options of {@link startServer}. */
export interface StartOptions {
  readonly logger: Logger;
  /** Signals that trigger a graceful shutdown (none in tests). */
  readonly signals?: readonly NodeJS.Signals[];
  /**
   * Ends the process; when given, a shutdown that takes longer than `server.shutdownDeadlineMs`
   * is cut short with `exit(1)` (`facelive serve` passes `process.exit`; tests in-process do not).
   */
  readonly exit?: (code: number) => void;
}

/**
 * Starts listening and loading the models. A model-set failure rejects `ready` and shuts the
 * server down, so that a process supervisor sees the exit.
 *
 * @example
 * const running = await startServer(config, { logger, signals: ['SIGTERM', 'SIGINT'] });
 * await running.closed;
 */
export async function startServer(config: Config, options: StartOptions): Promise<RunningServer> {
  const { logger } = options;
  const workers = workerCount(config);
  const maxQueue = maxQueueOf(config, workers);
  const poolPromise = createEnginePool(config, { workers, maxQueue });
  // The gate inside the server also observes the promise; this keeps a load failure from being unhandled.
  poolPromise.catch(() => undefined);
  let app: FastifyInstance;
  try {
    // Opens the result store too; it is closed by app.close() when the server shuts down.
    app = await buildServer(config, { logger, engine: poolPromise });
  } catch (error) {
    // Said here too (the CLI prints it on stderr): a supervisor reading the JSON log sees why the server never listened.
    logger.fatal({ err: error, errorCode: error instanceof FaceliveError ? error.code : undefined }, 'the server could not start');
    await poolPromise.then(
      (pool) => pool.close(),
      () => undefined,
    );
    throw error;
  }
  try {
    await app.listen({ port: config.server.port, host: config.server.host });
  } catch (error) {
    // The worker threads would keep the process alive: stop them once they have started.
    await app.close();
    await poolPromise.then(
      (pool) => pool.close(),
      () => undefined,
    );
    const reason = `cannot listen on ${config.server.host}:${config.server.port} (${(error as NodeJS.ErrnoException).code ?? String(error)})`;
    throw new FaceliveError('CONFIG_INVALID', { reason }, { cause: error });
  }
  const address = app.server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const url = `${config.server.tls.certFile ? 'https' : 'http'}://${host}:${address.port}`;
  logger.info({ url, workers, maxQueue }, 'listening; loading models');
  logSurfaces(logger, config);

  let pool: EnginePool | undefined;
  let closing: Promise<void> | undefined;
  let resolveClosed: () => void = () => undefined;
  const closed = new Promise<void>((resolve) => (resolveClosed = resolve));

  const onSignal = (signal: NodeJS.Signals) => void shutdown(signal);
  const signals = options.signals ?? [];
  for (const signal of signals) process.once(signal, onSignal);

  function shutdown(reason: string): Promise<void> {
    closing ??= (async () => {
      for (const signal of signals) process.off(signal, onSignal);
      app.startDraining();
      const { drainDelayMs } = config.server;
      if (drainDelayMs > 0) {
        logger.info({ reason, drainDelayMs }, 'draining: /readyz answers 503, requests still served');
        await new Promise((resolve) => setTimeout(resolve, drainDelayMs));
      }
      logger.info({ reason }, 'shutting down: no new connections, finishing in-flight requests');
      let waitingFor = 'in-flight requests, then the result store';
      // The last word: whatever hangs (a store, a worker), the process is gone by the deadline.
      const hardDeadline =
        options.exit &&
        setTimeout(() => {
          logger.fatal({ shutdownDeadlineMs: config.server.shutdownDeadlineMs, waitingFor }, 'shutdown deadline passed; exiting with code 1');
          // The log is written asynchronously: exit once the line is out (or very soon regardless).
          const exit = () => options.exit?.(1);
          setTimeout(exit, 500).unref();
          logger.flush(exit);
        }, config.server.shutdownDeadlineMs);
      const deadline = setTimeout(() => {
        logger.error({ shutdownTimeoutMs: config.server.shutdownTimeoutMs }, 'in-flight requests did not finish in time; closing their connections');
        app.server.closeAllConnections();
      }, config.server.shutdownTimeoutMs);
      // A keep-alive connection whose request finishes after close() began turns idle without
      // being closed; sweep those so the server does not wait for the client's keep-alive.
      const sweep = setInterval(() => app.server.closeIdleConnections(), 50);
      try {
        await app.close();
        waitingFor = 'the inference workers';
        await (pool ?? (await poolPromise.catch(() => undefined)))?.close();
      } finally {
        clearTimeout(hardDeadline);
        clearTimeout(deadline);
        clearInterval(sweep);
        logger.info('stopped');
        logger.flush();
        resolveClosed();
      }
    })();
    return closing;
  }

  const ready = poolPromise.then(
    (loaded) => {
      pool = loaded;
      logger.info({ workers: loaded.size, maxQueue: loaded.maxQueue, models: [config.models.detector, ...config.models.pad.map((p) => p.id)] }, 'ready');
    },
    async (error: unknown) => {
      logger.fatal({ err: error }, 'the model set could not be loaded');
      await shutdown('model load failure');
      throw error;
    },
  );
  return { app, url, ready, closed, shutdown };
}
