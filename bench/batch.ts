/**
 * `npm run bench:batch`: images/s of bulk scoring with 1 and then 2 `facelive worker` processes
 * (each with its all-core engine pool) on the pad-dev set, through the real queue and store. Not
 * a test: it prints a report and writes it to bench/results/batch-<date>.json (git-ignored).
 *
 * Needs Redis and PostgreSQL: FACELIVE_REDIS_URL (default redis://127.0.0.1:6379) and
 * FACELIVE_STORE_POSTGRES_URL (default postgres://postgres@127.0.0.1:5432/test); every run uses a
 * key prefix and a schema of its own and removes them. Options (env): FACELIVE_MODELS_DIR
 * (default ./models), FACELIVE_PAD_DEV_DIR (default ../shared/datasets/pad-dev), BENCH_PROCESSES
 * (default "1,2").
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Queue } from 'bullmq';
import pg from 'pg';
import { QUEUE_NAME } from '../src/batch/batch-queue.js';
import { rateOf } from '../src/cli/batch-progress.js';
import { loadConfig } from '../src/config/load-config.js';
import { BatchResultStore } from '../src/store/batch-results.js';
import { REPO_ROOT, benchEnvironment } from './environment.js';

const padDev = path.resolve(process.env.FACELIVE_PAD_DEV_DIR ?? path.join(REPO_ROOT, '../shared/datasets/pad-dev'));
const redisUrl = process.env.FACELIVE_REDIS_URL || 'redis://127.0.0.1:6379';
const postgresUrl = process.env.FACELIVE_STORE_POSTGRES_URL || 'postgres://postgres@127.0.0.1:5432/test';
const processCounts = (process.env.BENCH_PROCESSES ?? '1,2').split(',').map(Number);
const config = loadConfig();
const cli = path.join(REPO_ROOT, 'src/cli/main.ts');
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function run(args: string[]): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', cli, ...args], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
}

async function startWorker(configFile: string): Promise<ChildProcess> {
  const child = run(['worker', '--config', configFile]);
  await new Promise<void>((resolve, reject) => {
    let seen = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      seen += chunk;
      if (seen.includes('batch worker ready')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`worker exited with ${code}`)));
  });
  return child;
}

/** Resident memory of a process, MiB (Linux). */
function rssMiB(pid: number): number | null {
  try {
    const kb = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]);
    return Math.round(kb / 1024);
  } catch {
    return null;
  }
}

async function measure(processes: number) {
  const runId = `${process.pid}_${Date.now()}`;
  const prefix = `facelive-bench-batch-${runId}`;
  const schema = `facelive_bench_batch_${runId}`;
  const dir = mkdtempSync(path.join(os.tmpdir(), 'facelive-bench-batch-'));
  const configFile = path.join(dir, 'config.json');
  writeFileSync(
    configFile,
    JSON.stringify({
      modelsDir: config.modelsDir,
      runtime: config.runtime,
      redis: { url: redisUrl },
      batch: { queuePrefix: prefix },
      store: { postgresUrl, postgresSchema: schema },
      server: { logLevel: 'info' },
    }),
  );
  const workers: ChildProcess[] = [];
  const store = await BatchResultStore.open({ connectionString: postgresUrl, schema });
  try {
    for (let i = 0; i < processes; i++) workers.push(await startWorker(configFile));
    const started = Date.now();
    const submit = run(['batch', 'submit', padDev, '--batch-id', 'bench', '--config', configFile]);
    const code = await new Promise<number | null>((resolve) => submit.once('exit', (exitCode) => resolve(exitCode)));
    if (code !== 0) throw new Error(`submit exited with ${code}`);
    let progress = await store.progress('bench');
    const rss: number[] = [];
    while (progress.done < progress.total) {
      await sleep(500);
      progress = await store.progress('bench');
      if (rss.length === 0 && progress.done > progress.total / 2) rss.push(...workers.map((worker) => rssMiB(worker.pid!) ?? 0));
    }
    const wallSeconds = (Date.now() - started) / 1000;
    return {
      processes,
      threadsPerProcess: config.runtime.workers || os.availableParallelism(),
      images: progress.total,
      errors: progress.errors,
      imagesPerSecond: Number(rateOf(progress).imagesPerSecond?.toFixed(1)),
      wallSeconds: Number(wallSeconds.toFixed(1)),
      imagesPerSecondWithSubmit: Number((progress.total / wallSeconds).toFixed(1)),
      workerRssMiB: rss,
    };
  } finally {
    for (const worker of workers) worker.kill('SIGTERM');
    await Promise.all(workers.map((worker) => new Promise((resolve) => (worker.exitCode !== null ? resolve(null) : worker.once('exit', resolve)))));
    await store.close();
    const queue = new Queue(QUEUE_NAME, { connection: { url: redisUrl }, prefix });
    await queue.obliterate({ force: true });
    await queue.close();
    const client = new pg.Client({ connectionString: postgresUrl });
    await client.connect();
    await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await client.end();
    rmSync(dir, { recursive: true, force: true });
  }
}

const runs = [];
for (const processes of processCounts) runs.push(await measure(processes));
const report = { ...benchEnvironment(), dataset: `pad-dev (${padDev})`, runs };
mkdirSync(path.join(REPO_ROOT, 'bench/results'), { recursive: true });
const out = path.join(REPO_ROOT, 'bench/results', `batch-${report.date.slice(0, 19).replace(/:/g, '')}.json`);
writeFileSync(out, `${JSON.stringify(report, null, 2)}\n`);
console.log(`facelive batch benchmark  ${report.date}  commit ${report.commit}  node ${report.node}`);
console.log(
  `${report.cpu}, ${report.cores} cores, load average ${os
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')}; ${report.dataset}`,
);
for (const r of runs) {
  console.log(
    `${r.processes} worker process(es) x ${r.threadsPerProcess} threads: ${r.imagesPerSecond} images/s between first and last result ` +
      `(${r.images} images, ${r.errors} errors; ${r.imagesPerSecondWithSubmit} images/s over ${r.wallSeconds} s including submit); worker RSS ${r.workerRssMiB.join(', ')} MiB`,
  );
}
console.log(`report: ${path.relative(REPO_ROOT, out)}`);
