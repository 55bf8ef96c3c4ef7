/**
 * `npm run bench:startup`: time from starting `facelive serve` (the built CLI, as `npm start` and
 * the container run it) to its first answer on /healthz (listening) and to /readyz answering 200
 * (models loaded, verified and warmed in every worker), and the process's resident memory at that
 * moment, over several runs (median and spread). Needs `npm run build` first. Not a test.
 *
 * Options (env): FACELIVE_MODELS_DIR (default ./models), BENCH_ROUNDS (default 5), BENCH_WORKERS
 * (default: one per core).
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { BUILT_CLI, NPM_START_ENV, REPO_ROOT, benchEnvironment, freePort, rssMiB } from './environment.js';

const modelsDir = path.resolve(process.env.FACELIVE_MODELS_DIR ?? path.join(REPO_ROOT, 'models'));
const rounds = Number(process.env.BENCH_ROUNDS ?? 5);
const workers = process.env.BENCH_WORKERS;

/** Polls `url` every 10 ms until it answers `status`; the time it did, from `start`. */
async function firstAnswer(url: string, status: number, start: number, child: { exitCode: number | null }): Promise<number> {
  for (;;) {
    if (child.exitCode !== null) throw new Error(`facelive serve exited with ${child.exitCode}`);
    const answered = await fetch(url).then(
      (response) => response.status === status,
      () => false,
    );
    if (answered) return performance.now() - start;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

async function once() {
  const port = await freePort();
  const start = performance.now();
  const child = spawn(process.execPath, [BUILT_CLI, 'serve', '--port', String(port), ...(workers ? ['--workers', workers] : [])], {
    cwd: REPO_ROOT,
    env: {
      PATH: process.env.PATH,
      FACELIVE_MODELS_DIR: modelsDir,
      FACELIVE_API_KEY: 'bench-key-0123456789abcdef',
      ...NPM_START_ENV,
    },
    stdio: 'ignore',
  });
  try {
    const base = `http://127.0.0.1:${port}`;
    const listeningMs = await firstAnswer(`${base}/healthz`, 200, start, child);
    const readyMs = await firstAnswer(`${base}/readyz`, 200, start, child);
    return { listeningMs: Math.round(listeningMs), readyMs: Math.round(readyMs), rssAtReadyMiB: Math.round(rssMiB(child.pid!)) };
  } finally {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  }
}

if (!existsSync(BUILT_CLI)) throw new Error('dist/cli/main.js is missing: run npm run build first');
const runs: Awaited<ReturnType<typeof once>>[] = [];
for (let round = 0; round < rounds; round++) {
  const run = await once();
  runs.push(run);
  console.log(`run ${round + 1}/${rounds}: listening after ${run.listeningMs} ms, ready after ${run.readyMs} ms, RSS at ready ${run.rssAtReadyMiB} MiB`);
}
const figure = (pick: (run: (typeof runs)[number]) => number) => {
  const values = runs.map(pick).sort((a, b) => a - b);
  return { median: values[values.length >> 1], min: values[0], max: values.at(-1)! };
};
const summary = { listeningMs: figure((r) => r.listeningMs), readyMs: figure((r) => r.readyMs), rssAtReadyMiB: figure((r) => r.rssAtReadyMiB) };
const report = { ...benchEnvironment(), workers: workers ?? 'one per core', summary, runs };
mkdirSync(path.join(REPO_ROOT, 'bench/results'), { recursive: true });
const out = path.join(REPO_ROOT, 'bench/results', `startup-${report.date.slice(0, 19).replace(/:/g, '')}.json`);
writeFileSync(out, `${JSON.stringify(report, null, 2)}\n`);
const show = (f: { median: number; min: number; max: number }) => `${f.median} (${f.min}–${f.max})`;
console.log(`facelive start-up  ${report.date}  commit ${report.commit}  ${report.cpu}, ${report.cores} cores, workers: ${report.workers}`);
console.log(
  `median of ${rounds} (min–max): listening ${show(summary.listeningMs)} ms, ready ${show(summary.readyMs)} ms, RSS at ready ${show(summary.rssAtReadyMiB)} MiB`,
);
console.log(`report written to ${path.relative(REPO_ROOT, out)}`);
