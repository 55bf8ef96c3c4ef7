/**
 * `npm run bench:overload`: does overload collapse throughput? Starts the built `facelive serve`
 * as a child process on loopback (default config: one worker per core, `maxQueue: auto`, the
 * waiting room `admission.*`; BENCH_MAX_WAITING sets its size, 0 for none), then drives
 * `POST /v1/liveness` (640x480 JPEGs of the dev set, base64 in JSON) with autocannon at 8, 32
 * and 128 connections, each for BENCH_DURATION seconds, while a worker thread probes `/healthz`
 * every 20 ms on its own connection. Per run it prints successful answers per second (HTTP 200
 * with a verdict), refusals (SERVER_OVERLOADED), and the probe's p50/p99/max latency. Goal
 * (issue 13): at 32 and 128 connections the successful answers stay ≥ 90% of the 8-connection
 * figure, and the `/healthz` p99 stays ≤ 50 ms. Writes bench/results/overload-<date>.json
 * (git-ignored) with CPU, cores, commit and model ids. Not a test: the load generator shares the
 * machine with the server, so figures vary with whatever else runs.
 *
 * Options (env): BENCH_DURATION seconds per run (default 25), BENCH_CONCURRENCY (default
 * 8,32,128), BENCH_WORKERS (default: one per core), BENCH_MAX_WAITING (default: the config's), FACELIVE_MODELS_DIR (default
 * ../shared/models), FACELIVE_PAD_DEV_DIR (default ../shared/datasets/pad-dev).
 */
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import autocannon from 'autocannon';
import { loadConfig } from '../src/config/load-config.js';
import { benchEnvironment, REPO_ROOT, startBuiltServer } from './environment.js';

const shared = path.resolve(REPO_ROOT, '../shared');
const modelsDir = path.resolve(process.env.FACELIVE_MODELS_DIR || path.join(shared, 'models'));
const padDev = path.resolve(process.env.FACELIVE_PAD_DEV_DIR ?? path.join(shared, 'datasets/pad-dev'));
const duration = Number(process.env.BENCH_DURATION ?? 25);
const concurrencies = (process.env.BENCH_CONCURRENCY ?? '8,32,128').split(',').map(Number);
const workers = process.env.BENCH_WORKERS ? Number(process.env.BENCH_WORKERS) : undefined;
const maxWaiting = process.env.BENCH_MAX_WAITING ? Number(process.env.BENCH_MAX_WAITING) : undefined;
const config = loadConfig({ workers, modelsDir });

const API_KEY = 'bench-overload-key-0123456789abcdef';
const PROBE_EVERY_MS = 20;

/** Starts the built `facelive serve` with the bench key (its waiting room sized by BENCH_MAX_WAITING when set). */
function startServer() {
  // The rate limit stays off: this measures the engine queue's admission, not a credential's allowance.
  const admission = maxWaiting === undefined ? {} : { admission: { maxWaiting } };
  const args = ['--models-dir', modelsDir, ...(workers ? ['--workers', String(workers)] : [])];
  return startBuiltServer({ server: { native: { apiKeys: [{ key: API_KEY, name: 'bench' }] }, ...admission } }, args, { FACELIVE_LOG_LEVEL: 'warn' });
}

/** Bodies of dev-set JPEGs the server judges (answers 200), so every admitted request can succeed. */
async function loadBodies(url: string): Promise<string[]> {
  const dir = path.join(padDev, 'images/nuaa-imironica/live');
  const bodies: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    if (!name.endsWith('.jpg')) continue;
    const body = JSON.stringify({ image: readFileSync(path.join(dir, name)).toString('base64') });
    const response = await fetch(`${url}/v1/liveness`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${API_KEY}` },
      body,
    });
    if (response.status === 200) bodies.push(body);
    await response.arrayBuffer();
    if (bodies.length >= 12) break;
  }
  if (bodies.length === 0) throw new Error(`no image of ${dir} was judged`);
  return bodies;
}

// The probe runs on its own thread and connection, so autocannon's work does not delay its clock.
const PROBE_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const http = require('node:http');
const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
const latencies = [];
let failed = 0;
let stop = false;
parentPort.on('message', () => { stop = true; });
function once() {
  return new Promise((resolve) => {
    const start = process.hrtime.bigint();
    const request = http.get(workerData.url + '/healthz', { agent }, (response) => {
      response.resume();
      response.on('end', () => {
        if (response.statusCode === 200) latencies.push(Number(process.hrtime.bigint() - start) / 1e6);
        else failed++;
        resolve();
      });
    });
    request.on('error', () => { failed++; resolve(); });
  });
}
(async () => {
  while (!stop) {
    const started = Date.now();
    await once();
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, workerData.everyMs - (Date.now() - started))));
  }
  agent.destroy();
  parentPort.postMessage({ latencies, failed });
})();
`;

interface Probe {
  readonly latencies: number[];
  readonly failed: number;
}

function startProbe(url: string): { stop(): Promise<Probe> } {
  const worker = new Worker(PROBE_SOURCE, { eval: true, workerData: { url, everyMs: PROBE_EVERY_MS } });
  const done = new Promise<Probe>((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
  });
  return {
    stop: async () => {
      worker.postMessage('stop');
      const result = await done;
      await worker.terminate();
      return result;
    },
  };
}

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return Number(sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)].toFixed(1));
}

interface RunResult {
  readonly connections: number;
  readonly successPerSecond: number;
  readonly refusedPerSecond: number;
  readonly otherFailures: number;
  readonly latencyP50Ms: number;
  readonly latencyP99Ms: number;
  readonly healthz: { readonly samples: number; readonly failed: number; readonly p50Ms: number; readonly p99Ms: number; readonly maxMs: number };
}

async function run(url: string, bodies: readonly string[], connections: number, seconds: number): Promise<RunResult> {
  let next = 0;
  let ok = 0;
  let refused = 0;
  let other = 0;
  const probe = startProbe(url);
  const result = await autocannon({
    url: `${url}/v1/liveness`,
    connections,
    duration: seconds,
    requests: [
      {
        method: 'POST',
        setupRequest: (request) => ({
          ...request,
          headers: { 'content-type': 'application/json', authorization: `Bearer ${API_KEY}` },
          body: bodies[next++ % bodies.length],
        }),
        onResponse: (status, body) => {
          if (status === 200 && body.includes('"decision"')) ok++;
          else if (status === 503 && body.includes('SERVER_OVERLOADED')) refused++;
          else other++;
        },
      },
    ],
  });
  const health = await probe.stop();
  const sorted = [...health.latencies].sort((a, b) => a - b);
  return {
    connections,
    successPerSecond: Number((ok / result.duration).toFixed(1)),
    refusedPerSecond: Number((refused / result.duration).toFixed(1)),
    otherFailures: other + result.errors + result.timeouts,
    latencyP50Ms: result.latency.p50,
    latencyP99Ms: result.latency.p99,
    healthz: { samples: sorted.length, failed: health.failed, p50Ms: percentile(sorted, 50), p99Ms: percentile(sorted, 99), maxMs: percentile(sorted, 100) },
  };
}

const server = await startServer();
const results: RunResult[] = [];
try {
  const bodies = await loadBodies(server.url);
  await run(server.url, bodies, 4, 3); // warm-up, excluded
  for (const connections of concurrencies) {
    const result = await run(server.url, bodies, connections, duration);
    results.push(result);
    console.log(
      `c=${String(connections).padStart(3)}  ${String(result.successPerSecond).padStart(6)} ok/s  ${String(result.refusedPerSecond).padStart(7)} refused/s  healthz p99 ${result.healthz.p99Ms} ms`,
    );
  }
} finally {
  await server.stop();
}

const baseline = results.find((result) => result.connections === 8)?.successPerSecond;
const report = {
  ...benchEnvironment(),
  loadAverageAtEnd: os.loadavg().map((v) => Number(v.toFixed(2))),
  server: { workers: server.readiness.workers, maxQueue: server.readiness.maxQueue },
  modelIds: { detector: config.models.detector, pad: config.models.pad.map((p) => p.id) },
  loadGenerator: 'autocannon and the /healthz probe (worker thread, every 20 ms) on the same machine as the server',
  durationSeconds: duration,
  runs: results.map((result) => ({ ...result, shareOfC8: baseline ? Number((result.successPerSecond / baseline).toFixed(3)) : null })),
};
mkdirSync(path.join(REPO_ROOT, 'bench/results'), { recursive: true });
const out = path.join(REPO_ROOT, 'bench/results', `overload-${report.date.slice(0, 19).replace(/:/g, '')}.json`);
writeFileSync(out, `${JSON.stringify(report, null, 2)}\n`);

console.log(`\nfacelive overload benchmark  ${report.date}  commit ${report.commit}  node ${report.node}`);
console.log(`${report.cpu}, ${report.cores} cores; server: ${report.server.workers} workers, queue ${report.server.maxQueue}; ${duration} s per run`);
console.log(
  '| connections | ok/s | share of c8 | refused/s | other failures | request p50 ms | request p99 ms | /healthz p50 ms | /healthz p99 ms | /healthz max ms |',
);
console.log('|---|---|---|---|---|---|---|---|---|---|');
for (const run of report.runs) {
  const { healthz } = run;
  console.log(
    `| ${run.connections} | ${run.successPerSecond} | ${run.shareOfC8 === null ? '–' : `${Math.round(run.shareOfC8 * 100)}%`} | ${run.refusedPerSecond} | ${run.otherFailures} | ${run.latencyP50Ms} | ${run.latencyP99Ms} | ${healthz.p50Ms} | ${healthz.p99Ms} | ${healthz.maxMs} |`,
  );
}
const held = report.runs.every((run) => (run.shareOfC8 === null || run.shareOfC8 >= 0.9) && run.healthz.p99Ms <= 50);
console.log(`goal (≥ 90% of c8 at every concurrency, /healthz p99 ≤ 50 ms): ${held ? 'held' : 'missed'}`);
console.log(`report written to ${path.relative(REPO_ROOT, out)}`);
