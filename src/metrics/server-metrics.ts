/**
 * The Prometheus metrics of one server (prom-client), in a registry of its own so that tests can
 * build several servers in one process. Request, decision and stage figures are recorded once
 * per request from the request's outcome (the same record as its log line); pool figures are read
 * from the pool when scraped; store and Redis figures are counted where those calls are made.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { Config } from '../config/schema.js';
import type { EnginePool } from '../engine/engine-pool.js';

/** Latency buckets, seconds: 5 ms (probes, refusals) to 30 s (a queued camera photo on a busy host). */
const SECONDS_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
/** Score buckets on the 0..100 calibrated scale; 5/10/40/70/90 are the documented threshold ladder. */
const SCORE_BUCKETS = [5, 10, 20, 30, 40, 50, 60, 70, 80, 90, 95, 100];

/** Label values of one finished request. */
export interface RequestRecord {
  readonly dialect: string;
  readonly route: string;
  readonly method: string;
  /** `OK`, or the catalogue code answered. */
  readonly code: string;
  readonly seconds: number;
  readonly verdict?: string;
  readonly score?: number;
  /** Engine and input stages, ms (`decodeMs`, `detectMs`, `engineMs`, …). */
  readonly stageMs?: Readonly<Record<string, number>>;
}

let processRegistry: Registry | undefined;

/**
 * prom-client's process metrics (CPU, memory, event-loop lag, GC) describe the process, not a
 * server, and each collection starts observers that are never stopped: one registry for the
 * process, made on first use, whatever number of servers a test builds.
 */
function processMetrics(): Registry {
  if (!processRegistry) {
    processRegistry = new Registry();
    collectDefaultMetrics({ register: processRegistry });
  }
  return processRegistry;
}

/** What the server records. */
export interface ServerMetrics {
  /** This server's own metrics. */
  readonly registry: Registry;
  /** Content type of {@link ServerMetrics.render}. */
  readonly contentType: string;
  /** The scrape: this server's metrics and the process metrics, in Prometheus text format. */
  render(): Promise<string>;
  /** Counts one finished request (not the scrapes of `/metrics` themselves). */
  recordRequest(record: RequestRecord): void;
  /** Requests being served now (between the request's arrival and its response). */
  readonly inFlight: Gauge;
  /** One store call and how it ended. */
  recordStoreOp(operation: string, ok: boolean): void;
  /** One failed Redis command or connection error. */
  recordRedisError(): void;
  /** Reads queue depth, running tasks and utilisation from `pool` at each scrape. */
  observePool(pool: () => EnginePool | undefined): void;
  /** Reads the requests in the admission waiting room at each scrape. */
  observeWaitingRoom(waiting: () => number): void;
}

/**
 * Creates the metrics of a server with `config` (model ids in `facelive_build_info`).
 *
 * @example
 * const metrics = createServerMetrics(config, FACELIVE_VERSION);
 * reply.type(metrics.contentType).send(await metrics.render());
 */
export function createServerMetrics(config: Config, version: string): ServerMetrics {
  const registry = new Registry();
  const registers = [registry];

  const buildInfo = new Gauge({
    name: 'facelive_build_info',
    help: 'Always 1; labels carry the facelive version and the model ids in use.',
    labelNames: ['version', 'detector', 'pad_models', 'node_version'],
    registers,
  });
  buildInfo.set({ version, detector: config.models.detector, pad_models: config.models.pad.map((pad) => pad.id).join(','), node_version: process.version }, 1);

  const requests = new Counter({
    name: 'facelive_http_requests_total',
    help: 'Finished HTTP requests by dialect, route, method and outcome code (OK or the catalogue code answered).',
    labelNames: ['dialect', 'route', 'method', 'code'],
    registers,
  });
  const requestSeconds = new Histogram({
    name: 'facelive_http_request_duration_seconds',
    help: 'End-to-end request time, first byte received to response sent, seconds.',
    labelNames: ['dialect', 'route'],
    buckets: SECONDS_BUCKETS,
    registers,
  });
  const stageSeconds = new Histogram({
    name: 'facelive_stage_duration_seconds',
    help: "Time per stage of the requests that reached it: input (base64 decode), fetch (image URL), engine (pool round trip, queue included), engineTotal and the engine's own stages (decode, detect, quality, crop, classify, …), seconds.",
    labelNames: ['stage'],
    buckets: SECONDS_BUCKETS,
    registers,
  });
  const decisions = new Counter({
    name: 'facelive_decisions_total',
    help: 'Engine verdicts answered: live, spoof or retry.',
    labelNames: ['decision'],
    registers,
  });
  const scores = new Histogram({ name: 'facelive_score', help: 'Calibrated scores (0..100) answered.', buckets: SCORE_BUCKETS, registers });
  const overload = new Counter({
    name: 'facelive_rejected_overload_total',
    help: 'Requests refused at once because every worker was busy and the queue full (SERVER_OVERLOADED).',
    registers,
  });
  const inFlight = new Gauge({ name: 'facelive_http_in_flight_requests', help: 'HTTP requests being served now.', registers });
  const storeOps = new Counter({
    name: 'facelive_store_operations_total',
    help: 'Result-store calls by operation (save, lookup, imageByToken, purge) and outcome (ok, error).',
    labelNames: ['operation', 'outcome'],
    registers,
  });
  const redisErrors = new Counter({
    name: 'facelive_redis_errors_total',
    help: 'Failed Redis commands and connection errors of the shared limits.',
    registers,
  });

  return {
    registry,
    contentType: registry.contentType,
    render: async () => `${await registry.metrics()}\n${await processMetrics().metrics()}`,
    inFlight,
    recordRequest: (record) => {
      requests.inc({ dialect: record.dialect, route: record.route, method: record.method, code: record.code });
      requestSeconds.observe({ dialect: record.dialect, route: record.route }, record.seconds);
      if (record.code === 'SERVER_OVERLOADED') overload.inc();
      if (record.verdict) decisions.inc({ decision: record.verdict });
      if (record.score !== undefined) scores.observe(record.score);
      for (const [name, ms] of Object.entries(record.stageMs ?? {})) stageSeconds.observe({ stage: name.replace(/Ms$/, '') }, ms / 1000);
    },
    recordStoreOp: (operation, ok) => storeOps.inc({ operation, outcome: ok ? 'ok' : 'error' }),
    recordRedisError: () => redisErrors.inc(),
    observePool: (pool) => {
      const read = (pick: (ready: EnginePool) => number) =>
        function (this: Gauge) {
          const ready = pool();
          if (ready) this.set(pick(ready));
        };
      new Gauge({ name: 'facelive_engine_workers', help: 'Inference worker threads.', registers, collect: read((p) => p.size) });
      new Gauge({ name: 'facelive_engine_queue_depth', help: 'Analyses waiting for a free worker.', registers, collect: read((p) => p.queued) });
      new Gauge({
        name: 'facelive_engine_queue_limit',
        help: 'Analyses that may wait before the overload error (server.maxQueue).',
        registers,
        collect: read((p) => p.maxQueue),
      });
      new Gauge({
        name: 'facelive_engine_in_flight',
        help: 'Analyses accepted by the pool and not finished (running or queued).',
        registers,
        collect: read((p) => p.inFlight),
      });
      new Gauge({
        name: 'facelive_engine_utilization_ratio',
        help: "Share of the workers' time spent on tasks since the pool started (piscina utilisation, 0..1).",
        registers,
        collect: read((p) => p.utilization),
      });
    },
    observeWaitingRoom: (waiting) => {
      new Gauge({
        name: 'facelive_admission_waiting',
        help: 'Engine requests waiting, bodies unread, for a worker or queue place (server.admission).',
        registers,
        collect(this: Gauge) {
          this.set(waiting());
        },
      });
    },
  };
}
