/**
 * `npm run bench:http`: HTTP load on the native (`POST /v1/liveness`) and Tencent (`POST /`)
 * routes with 640x480 JPEG base64 bodies from the dev set (NUAA), with autocannon. Not a test: it
 * starts the built `facelive serve` (run `npm run build` first) as a child process on loopback
 * with `npm start`'s allocator settings (default config, all-core pool), checks
 * that both routes return exactly the scores of `facelive check` for the same images, warms up
 * (excluded), then measures closed-loop throughput and latency at several concurrencies and an
 * open-loop run paced at a fixed rate (bench/paced-load.ts: one request every 1/rate s). Every
 * run is repeated for several rounds; the summary gives the median and the spread (min–max).
 * Prints a table and writes bench/results/http-<date>.json (git-ignored) with CPU, cores, commit
 * and model ids.
 *
 * Options (env): FACELIVE_MODELS_DIR (default ./models), FACELIVE_PAD_DEV_DIR (default
 * ../shared/datasets/pad-dev), BENCH_DURATION seconds per run (default 10), BENCH_CONCURRENCY
 * (default 1,8,16), BENCH_RATE req/s of the paced run (default 60), BENCH_ROUNDS (default 3),
 * BENCH_IMAGES (default 24), BENCH_WORKERS (default: one per core).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import sharp from 'sharp';
import { signTc3 } from '../src/api/tencent/tc3-signature.js';
import { BUILT_CLI, benchEnvironment, REPO_ROOT, startBuiltServer } from './environment.js';
import { pacedLoad } from './paced-load.js';
import { showSpread, spreadOf } from './stats.js';
import { loadConfig } from '../src/config/load-config.js';

const padDev = path.resolve(process.env.FACELIVE_PAD_DEV_DIR ?? path.join(REPO_ROOT, '../shared/datasets/pad-dev'));
const duration = Number(process.env.BENCH_DURATION ?? 10);
const concurrencies = (process.env.BENCH_CONCURRENCY ?? '1,8,16').split(',').map(Number);
const fixedRate = Number(process.env.BENCH_RATE ?? 60);
const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
const imageCount = Number(process.env.BENCH_IMAGES ?? 24);
const workers = process.env.BENCH_WORKERS ? Number(process.env.BENCH_WORKERS) : undefined;
const config = loadConfig({ workers });

const API_KEY = 'bench-native-key-0123456789abcdef';
const SECRET_ID = 'AKIDfaceliveBench';
const SECRET_KEY = 'bench-tencent-secret-0123456789';

interface BenchImage {
  readonly file: string;
  readonly base64: string;
  readonly cliScore: number;
}

/** 640x480 JPEGs of the dev set, half live half spoof, that `facelive check` scores (no error). */
async function loadImages(): Promise<BenchImage[]> {
  const files: string[] = [];
  for (const label of ['live', 'spoof']) {
    const dir = path.join(padDev, 'images/nuaa-imironica', label);
    const names = readdirSync(dir).sort();
    for (const name of names) {
      const file = path.join(dir, name);
      const meta = await sharp(file).metadata();
      if (meta.format === 'jpeg' && meta.width === 640 && meta.height === 480) files.push(file);
      if (files.length >= (label === 'live' ? imageCount : imageCount * 2)) break;
    }
  }
  // Exit status 1 only means that some images could not be checked; those are left out.
  const check = spawnSync(process.execPath, [BUILT_CLI, 'check', '--json', ...files], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
    env: process.env,
    maxBuffer: 64 << 20,
  });
  if (check.status !== 0 && check.status !== 1) throw new Error(`facelive check failed (${check.status}): ${check.stderr.slice(0, 500)}`);
  const records = check.stdout
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as { file: string; score: number | null });
  return records
    .filter((record) => record.score !== null)
    .map((record) => ({ file: record.file, base64: readFileSync(record.file).toString('base64'), cliScore: record.score! }));
}

/** Starts the built `facelive serve` with bench credentials and a queue deep enough for closed-loop runs. */
function startServer() {
  const config = {
    server: {
      maxQueue: 64,
      native: { apiKeys: [{ key: API_KEY, name: 'bench' }] },
      tencent: { credentials: [{ secretId: SECRET_ID, secretKey: SECRET_KEY, name: 'bench' }] },
    },
  };
  return startBuiltServer(config, workers ? ['--workers', String(workers)] : []);
}

type Route = 'native' | 'tencent';

/** Pre-built request (body and headers) per image and route; Tencent bodies signed once. */
function buildRequests(images: readonly BenchImage[]): Record<Route, { body: string; headers: Record<string, string> }[]> {
  const timestamp = Math.floor(Date.now() / 1000);
  return {
    native: images.map((image) => ({
      body: JSON.stringify({ image: image.base64 }),
      headers: { 'content-type': 'application/json', authorization: `Bearer ${API_KEY}` },
    })),
    tencent: images.map((image) => {
      const body = JSON.stringify({ Image: image.base64 });
      return {
        body,
        headers: {
          'content-type': 'application/json',
          'x-tc-action': 'DetectLiveFaceAccurate',
          'x-tc-version': '2020-03-03',
          'x-tc-timestamp': String(timestamp),
          'x-tc-region': 'ap-guangzhou',
          authorization: signTc3({ secretId: SECRET_ID, secretKey: SECRET_KEY, host: '127.0.0.1', body, timestampSeconds: timestamp }),
        },
      };
    }),
  };
}

/** A scored answer: 200 and no error envelope (Tencent answers its errors with 200). */
const answered = (status: number, body: string) => status === 200 && !body.includes('"Error"') && !body.includes('"error"');
const routePath = (route: Route) => (route === 'native' ? '/v1/liveness' : '/');

/** Scores of one route for every image must equal the CLI's. */
async function checkScores(url: string, route: Route, requests: ReturnType<typeof buildRequests>[Route], images: readonly BenchImage[]): Promise<number> {
  let mismatches = 0;
  for (const [i, request] of requests.entries()) {
    const response = await fetch(`${url}${routePath(route)}`, { method: 'POST', headers: request.headers, body: request.body });
    const body = (await response.json()) as { score?: number; Response?: { Score?: number } };
    const score = route === 'native' ? body.score : body.Response?.Score;
    if (score !== images[i].cliScore) {
      mismatches++;
      console.error(`score mismatch on ${route} for ${path.basename(images[i].file)}: http ${score}, cli ${images[i].cliScore}`);
    }
  }
  return mismatches;
}

interface RunResult {
  route: Route;
  connections: number;
  targetRate: number | null;
  requestsPerSecond: number;
  p50Ms: number;
  p90Ms: number;
  p99Ms: number;
  maxMs: number;
  completed: number;
  failed: number;
}

/**
 * The paced run: `fixedRate` requests per second, open loop (bench/paced-load.ts), after 2 s at
 * the same pace that are not counted (the closed-loop run before it leaves a queue and a heap to
 * clear).
 */
async function paced(url: string, route: Route, requests: ReturnType<typeof buildRequests>[Route], seconds: number): Promise<RunResult> {
  const routed = requests.map((request) => ({ path: routePath(route), ...request }));
  await pacedLoad(url, routed, fixedRate, 2, answered);
  const result = await pacedLoad(url, routed, fixedRate, seconds, answered);
  return {
    route,
    connections: result.peakConnections,
    targetRate: fixedRate,
    requestsPerSecond: result.requestsPerSecond,
    p50Ms: result.p50Ms,
    p90Ms: result.p90Ms,
    p99Ms: result.p99Ms,
    maxMs: result.maxMs,
    completed: result.sent,
    failed: result.failed,
  };
}

async function run(url: string, route: Route, requests: ReturnType<typeof buildRequests>[Route], connections: number, seconds: number): Promise<RunResult> {
  let next = 0;
  let failed = 0;
  const result = await autocannon({
    url: `${url}${routePath(route)}`,
    connections,
    duration: seconds,
    requests: [
      {
        method: 'POST',
        setupRequest: (request) => {
          const chosen = requests[next++ % requests.length];
          return { ...request, headers: chosen.headers, body: chosen.body };
        },
        onResponse: (status, body) => {
          if (!answered(status, body)) failed++;
        },
      },
    ],
  });
  const completed = result['2xx'] + result.non2xx;
  return {
    route,
    connections,
    targetRate: null,
    requestsPerSecond: Number(((completed - failed) / result.duration).toFixed(1)),
    p50Ms: result.latency.p50,
    p90Ms: result.latency.p90,
    p99Ms: result.latency.p99,
    maxMs: result.latency.max,
    completed,
    failed: failed + result.errors,
  };
}

const describeRun = (result: RunResult) =>
  `${result.route.padEnd(8)} ${result.targetRate ? `paced ${result.targetRate}/s` : `c=${String(result.connections).padStart(2)}`.padEnd(10)} ${String(result.requestsPerSecond).padStart(6)} req/s  p50 ${result.p50Ms} ms  p90 ${result.p90Ms} ms  p99 ${result.p99Ms} ms  failed ${result.failed}`;

console.log('selecting images and scoring them with facelive check …');
if (!existsSync(BUILT_CLI)) throw new Error('dist/cli/main.js is missing: run npm run build first');
const images = await loadImages();
const server = await startServer();
const results: (RunResult & { round: number })[] = [];
let mismatches = 0;
try {
  const requests = buildRequests(images);
  for (const route of ['native', 'tencent'] as const) mismatches += await checkScores(server.url, route, requests[route], images);
  await run(server.url, 'native', requests.native, 4, 3); // warm-up, excluded
  for (let round = 1; round <= rounds; round++) {
    for (const route of ['native', 'tencent'] as const) {
      for (const connections of concurrencies) {
        const result = await run(server.url, route, requests[route], connections, duration);
        results.push({ ...result, round });
        console.log(`round ${round}  ${describeRun(result)}`);
      }
      const result = await paced(server.url, route, requests[route], duration);
      results.push({ ...result, round });
      console.log(`round ${round}  ${describeRun(result)}  (peak ${result.connections} connections)`);
    }
  }
} finally {
  await server.stop();
}

/** Median (min–max) over the rounds of each run, in the order the runs were made. */
const kinds = [...new Map(results.map((r) => [`${r.route} ${r.targetRate ?? `c${r.connections}`}`, r])).keys()];
const summary = kinds.map((kind) => {
  const runs = results.filter((r) => `${r.route} ${r.targetRate ?? `c${r.connections}`}` === kind);
  const figure = (pick: (r: RunResult) => number) => spreadOf(runs.map(pick));
  return {
    run: kind,
    requestsPerSecond: figure((r) => r.requestsPerSecond),
    p50Ms: figure((r) => r.p50Ms),
    p99Ms: figure((r) => r.p99Ms),
    failed: runs.reduce((n, r) => n + r.failed, 0),
  };
});

const report = {
  ...benchEnvironment(),
  loadAverageAtEnd: os.loadavg().map((v) => Number(v.toFixed(2))),
  server: { workers: server.readiness.workers, maxQueue: server.readiness.maxQueue, intraOpNumThreadsPerWorker: 1, logLevel: config.server.logLevel },
  modelIds: { detector: config.models.detector, pad: config.models.pad.map((p) => p.id) },
  dataset: `${images.length} 640x480 JPEGs of pad-dev nuaa-imironica (live and spoof), base64 in JSON (~${Math.round(images[0].base64.length / 1024)} KiB per body)`,
  loadGenerator: 'autocannon (closed loop) and bench/paced-load.ts (open loop), in the same machine (they share the cores with the server)',
  durationSeconds: duration,
  rounds,
  scoresEqualCli: mismatches === 0,
  summary,
  runs: results,
};
mkdirSync(path.join(REPO_ROOT, 'bench/results'), { recursive: true });
const out = path.join(REPO_ROOT, 'bench/results', `http-${report.date.slice(0, 19).replace(/:/g, '')}.json`);
writeFileSync(out, `${JSON.stringify(report, null, 2)}\n`);
console.log(`facelive HTTP benchmark  ${report.date}  commit ${report.commit}  node ${report.node}`);
console.log(`${report.cpu}, ${report.cores} cores; server: ${report.server.workers} workers, queue ${report.server.maxQueue}; ${report.dataset}`);
console.log(`models: ${report.modelIds.detector} + ${report.modelIds.pad.join(' + ')}`);
console.log(`median of ${rounds} rounds (min–max):`);
for (const line of summary) {
  console.log(
    `  ${line.run.padEnd(16)} ${showSpread(line.requestsPerSecond).padStart(20)} req/s  p50 ${showSpread(line.p50Ms)} ms  p99 ${showSpread(line.p99Ms)} ms  failed ${line.failed}`,
  );
}
console.log(`scores identical to facelive check on both routes: ${report.scoresEqualCli}`);
console.log(`report written to ${path.relative(REPO_ROOT, out)}`);
if (mismatches > 0) process.exitCode = 1;
