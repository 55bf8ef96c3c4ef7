/**
 * Bulk scoring end to end on the real Redis (FACELIVE_TEST_REDIS_URL, default 127.0.0.1:6379; a key
 * prefix of its own, removed afterwards) and the real PostgreSQL (FACELIVE_TEST_POSTGRES_URL, a schema of its own, dropped
 * afterwards): three `facelive worker` processes, two batches of the pad-dev set (over 1,100
 * jobs, with bad images, a missing file and URLs), one worker SIGKILLed mid-run. Every image must
 * end with exactly one result, and that result must be what `facelive check --json` says of it.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import pg from 'pg';
import { QUEUE_NAME } from '../../src/batch/batch-queue.js';
import type { CheckRecord } from '../../src/cli/check-output.js';
import { BatchResultStore, type BatchResult } from '../../src/store/batch-results.js';
import { MODELS_DIR, PAD_DEV_DIR, REPO_ROOT, requireDir } from '../helpers/paths.js';

const POSTGRES_URL = process.env.FACELIVE_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const REDIS_URL = process.env.FACELIVE_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const RUN = `${process.pid}_${Date.now()}`;
const PREFIX = `facelive-test-batch-${RUN}`;
const SCHEMA = `facelive_test_batch_${RUN}`;
const CLI = path.join(REPO_ROOT, 'src/cli/main.ts');
const WORKERS = 3;

interface CliRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

function startCli(args: readonly string[]): ChildProcess & { output: Promise<CliRun> } {
  const child = spawn(process.execPath, ['--import', 'tsx', CLI, ...args], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk));
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk));
  const output = new Promise<CliRun>((resolve) => child.once('close', (code) => resolve({ code, stdout, stderr })));
  return Object.assign(child, { output });
}

async function cli(args: readonly string[]): Promise<CliRun> {
  return startCli(args).output;
}

/** Starts `facelive worker` and resolves once it has loaded its models and joined the queue. */
async function startWorker(configFile: string): Promise<ChildProcess & { output: Promise<CliRun> }> {
  const child = startCli(['worker', '--config', configFile]);
  await new Promise<void>((resolve, reject) => {
    let seen = '';
    const onData = (chunk: Buffer) => {
      seen += chunk;
      if (seen.includes('batch worker ready')) {
        child.stdout!.off('data', onData);
        resolve();
      }
    };
    child.stdout!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`worker exited early with ${code}: ${seen}`)));
  });
  return child;
}

/**
 * A loopback server for the URL inputs: /image.jpg is one pad-dev photo, /flaky.jpg the same
 * after two 503 answers, /down.jpg always 503, anything else 404.
 */
async function startImageServer(bytes: Buffer): Promise<{ server: Server; base: string }> {
  let flakyHits = 0;
  const server = createServer((request, response) => {
    if (request.url === '/image.jpg' || (request.url === '/flaky.jpg' && ++flakyHits > 2)) response.writeHead(200, { 'content-type': 'image/jpeg' }).end(bytes);
    else if (request.url === '/flaky.jpg' || request.url === '/down.jpg') response.writeHead(503).end();
    else response.writeHead(404).end();
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { server, base: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('batch scoring on BullMQ with three workers, one SIGKILLed', { timeout: 900_000 }, () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'facelive-batch-e2e-'));
  const configFile = path.join(dir, 'config.json');
  const extrasDir = path.join(dir, 'extras');
  const missing = path.join(dir, 'missing.jpg');
  const workers: (ChildProcess & { output: Promise<CliRun> })[] = [];
  let store: BatchResultStore;
  let imageServer: { server: Server; base: string };
  /** `facelive check --json` of every file input, by absolute path. */
  const reference = new Map<string, CheckRecord>();
  let padDevFiles: string[] = [];
  let servedFile = '';

  before(async () => {
    requireDir(PAD_DEV_DIR, 'the pad-dev set');
    writeFileSync(
      configFile,
      JSON.stringify({
        modelsDir: MODELS_DIR,
        redis: { url: REDIS_URL },
        // A short lock so the killed worker's jobs come back within seconds.
        batch: { queuePrefix: PREFIX, lockDurationMs: 5_000, attempts: 3, backoffMs: 200 },
        store: { postgresUrl: POSTGRES_URL, postgresSchema: SCHEMA },
        server: { logLevel: 'info', urlFetch: { allowCidrs: ['127.0.0.1/32'] } },
      }),
    );
    // Extras made here: an image under another name, text named .jpg, a truncated JPEG.
    const { mkdirSync } = await import('node:fs');
    mkdirSync(extrasDir);
    const reference0 = await cli(['check', '--json', '--config', configFile, PAD_DEV_DIR]);
    assert.ok(reference0.code === 0 || reference0.code === 1, reference0.stderr);
    for (const line of reference0.stdout.trim().split('\n')) {
      const record = JSON.parse(line) as CheckRecord;
      reference.set(record.file, record);
    }
    padDevFiles = [...reference.keys()];
    servedFile = padDevFiles.find((file) => reference.get(file)!.decision === 'live')!;
    copyFileSync(servedFile, path.join(extrasDir, 'renamed-copy.jpg'));
    writeFileSync(path.join(extrasDir, 'not-an-image.jpg'), 'this is text, not a JPEG\n');
    writeFileSync(path.join(extrasDir, 'truncated.jpg'), readFileSync(servedFile).subarray(0, 2_000));
    const extras = await cli(['check', '--json', '--config', configFile, extrasDir, missing]);
    for (const line of extras.stdout.trim().split('\n')) {
      const record = JSON.parse(line) as CheckRecord;
      reference.set(record.file, record);
    }
    assert.equal(reference.size, padDevFiles.length + 4);
    imageServer = await startImageServer(readFileSync(servedFile));
    store = await BatchResultStore.open({ connectionString: POSTGRES_URL, schema: SCHEMA });
  });

  after(async () => {
    for (const worker of workers) if (worker.exitCode === null && worker.signalCode === null) worker.kill('SIGKILL');
    await Promise.all(workers.map((worker) => worker.output));
    imageServer?.server.close();
    await store?.close();
    const queue = new Queue(QUEUE_NAME, { connection: { url: REDIS_URL }, prefix: PREFIX });
    await queue.obliterate({ force: true }).catch(() => undefined);
    await queue.close();
    const redis = new Redis(REDIS_URL);
    for (;;) {
      const keys = await redis.keys(`${PREFIX}:*`);
      if (keys.length === 0) break;
      await redis.del(...keys);
    }
    await redis.quit();
    const client = new pg.Client({ connectionString: POSTGRES_URL });
    await client.connect();
    await client.query(`DROP SCHEMA IF EXISTS ${SCHEMA} CASCADE`);
    await client.end();
    rmSync(dir, { recursive: true, force: true });
  });

  test('every image ends with exactly one result, equal to facelive check', async () => {
    for (let i = 0; i < WORKERS; i++) workers.push(await startWorker(configFile));

    // Batch A: the pad-dev directory, submitted twice under one id (the second adds nothing).
    const submitA = await cli(['batch', 'submit', PAD_DEV_DIR, '--config', configFile]);
    assert.equal(submitA.code, 0, submitA.stderr);
    const batchA = submitA.stdout.trim();
    const again = await cli(['batch', 'submit', PAD_DEV_DIR, '--batch-id', batchA, '--config', configFile]);
    assert.equal(again.code, 0, again.stderr);
    // Batch B: a list file of the same images, the extras, a missing file and three URLs.
    const urls = {
      served: `${imageServer.base}/image.jpg`,
      flaky: `${imageServer.base}/flaky.jpg`,
      down: `${imageServer.base}/down.jpg`,
      notFound: `${imageServer.base}/absent.jpg`,
      metadata: 'http://169.254.169.254/latest/image.jpg',
    };
    const listFile = path.join(dir, 'list.txt');
    const extraFiles = ['renamed-copy.jpg', 'not-an-image.jpg', 'truncated.jpg'].map((name) => path.join(extrasDir, name));
    writeFileSync(listFile, ['# batch B', ...padDevFiles, ...extraFiles, missing, ...Object.values(urls), ''].join('\n'));
    const submitB = await cli(['batch', 'submit', listFile, '--batch-id', 'e2e-list', '--config', configFile]);
    assert.equal(submitB.code, 0, submitB.stderr);
    const batchB = 'e2e-list';
    const totalA = padDevFiles.length;
    const totalB = padDevFiles.length + extraFiles.length + 1 + Object.keys(urls).length;
    assert.ok(totalA + totalB >= 1_000, `${totalA + totalB} jobs`);
    const watcher = startCli(['batch', 'status', batchB, '--watch', '--interval-ms', '500', '--config', configFile]);

    // Kill one worker once the run is well under way.
    const victim = workers[0];
    for (;;) {
      const done = (await store.progress(batchA)).done + (await store.progress(batchB)).done;
      if (done >= 250) break;
      await sleep(200);
    }
    victim.kill('SIGKILL');
    await victim.output;

    const deadline = Date.now() + 600_000;
    for (;;) {
      const [a, b] = [await store.progress(batchA), await store.progress(batchB)];
      if (a.done >= a.total && b.done >= b.total) break;
      assert.ok(Date.now() < deadline, `timed out at ${a.done}/${a.total} and ${b.done}/${b.total}`);
      await sleep(500);
    }
    const watched = await watcher.output;
    assert.equal(watched.code, 0, watched.stderr);
    assert.match(watched.stdout, new RegExp(`batch ${batchB}: complete, ${totalB}/${totalB} images`));

    const resultsOf = async (batchId: string) => {
      const rows: BatchResult[] = [];
      for await (const row of store.results(batchId)) rows.push(row);
      return rows;
    };
    const [rowsA, rowsB] = [await resultsOf(batchA), await resultsOf(batchB)];
    assert.equal(rowsA.length, totalA);
    assert.equal(rowsB.length, totalB);
    assert.equal(new Set(rowsA.map((row) => row.input)).size, totalA, 'one result per image of A');
    assert.equal(new Set(rowsB.map((row) => row.input)).size, totalB, 'one result per image of B');
    assert.deepEqual(rowsA.map((row) => row.input).sort(), [...padDevFiles].sort());

    const same = (row: BatchResult, expected: CheckRecord) => {
      const label = `${row.batchId} ${row.input}`;
      assert.equal(row.decision, expected.decision, label);
      assert.equal(row.score, expected.score, label);
      assert.equal(row.liveProbability, expected.liveProbability, label);
      assert.equal(row.errorCode, expected.error?.code ?? null, label);
      assert.equal((row.record as CheckRecord).score, expected.score, label);
    };
    for (const row of [...rowsA, ...rowsB]) {
      if (row.input === urls.served) same(row, reference.get(servedFile)!);
      else if (row.input === urls.flaky) same(row, reference.get(servedFile)!);
      else if (row.input === urls.down) assert.equal(row.errorCode, 'URL_HTTP_STATUS');
      else if (row.input === urls.notFound) assert.equal(row.errorCode, 'URL_HTTP_STATUS');
      else if (row.input === urls.metadata) assert.equal(row.errorCode, 'URL_ADDRESS_REFUSED');
      else same(row, reference.get(row.input)!);
    }
    // Transient failures were retried with backoff: the flaky URL succeeded at the third try,
    // the one always down has its error as result after the last. Bad inputs got their
    // catalogue errors at the first try, not a retry loop.
    const rowOf = (input: string) => rowsB.find((row) => row.input === input)!;
    assert.deepEqual([rowOf(urls.flaky).attempts, rowOf(urls.down).attempts], [3, 3]);
    for (const row of rowsB.filter((r) => r.errorCode !== null && r.input !== urls.down)) {
      assert.equal(row.attempts, 1, `${row.input}: ${row.errorCode}`);
    }
    const extraCodes = new Set(rowsB.filter((row) => extraFiles.includes(row.input) || row.input === missing).map((row) => row.errorCode));
    assert.ok(extraCodes.has('INVALID_ARGUMENT') && extraCodes.has(null) && extraCodes.size >= 3, [...extraCodes].join());

    // The killed worker had written results before it died; the survivors finished its jobs.
    const byWorker = new Map<string, number>();
    for (const row of [...rowsA, ...rowsB]) byWorker.set(row.worker, (byWorker.get(row.worker) ?? 0) + 1);
    assert.ok((byWorker.get(`${os.hostname()}:${victim.pid}`) ?? 0) > 0, JSON.stringify([...byWorker]));
    assert.equal(byWorker.size, WORKERS, JSON.stringify([...byWorker]));

    // Export: CSV and JSON lines carry every result once.
    const csv = await cli(['batch', 'export', batchB, '--format', 'csv', '--config', configFile]);
    assert.equal(csv.code, 0, csv.stderr);
    assert.equal(csv.stdout.trimEnd().split('\r\n').length, totalB + 1);
    const exported = path.join(dir, 'a.jsonl');
    const jsonl = await cli(['batch', 'export', batchA, '--format', 'jsonl', '--out', exported, '--config', configFile]);
    assert.equal(jsonl.code, 0, jsonl.stderr);
    const lines = readFileSync(exported, 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as CheckRecord & { input: string; batchId: string });
    assert.equal(lines.length, totalA);
    for (const line of lines) {
      assert.equal(line.batchId, batchA);
      assert.equal(line.file, line.input);
      assert.equal(line.score, reference.get(line.input)!.score);
      assert.equal(line.decision, reference.get(line.input)!.decision);
    }

    // Resubmitting a finished batch re-queues its jobs (finished jobs leave Redis), but every
    // one finds its result and writes nothing.
    const resubmit = await cli(['batch', 'submit', PAD_DEV_DIR, '--batch-id', batchA, '--config', configFile]);
    assert.equal(resubmit.code, 0, resubmit.stderr);
    const queue = new Queue(QUEUE_NAME, { connection: { url: REDIS_URL }, prefix: PREFIX });
    try {
      for (;;) {
        const counts = await queue.getJobCounts('wait', 'active', 'delayed', 'prioritized', 'waiting-children');
        if (Object.values(counts).every((count) => count === 0)) break;
        await sleep(250);
      }
      assert.equal((await queue.getJobCounts('failed')).failed, 0);
    } finally {
      await queue.close();
    }
    assert.equal((await resultsOf(batchA)).length, totalA);
    const status = await cli(['batch', 'status', batchA, '--json', '--config', configFile]);
    assert.equal(status.code, 0, status.stderr);
    const summary = JSON.parse(status.stdout) as Record<string, unknown>;
    assert.deepEqual([summary.batchId, summary.total, summary.done, summary.complete, summary.etaSeconds], [batchA, totalA, totalA, true, 0]);

    // The surviving workers stop cleanly on SIGTERM.
    for (const worker of workers.slice(1)) worker.kill('SIGTERM');
    for (const worker of workers.slice(1)) assert.equal((await worker.output).code, 0);
  });

  test('an unknown batch is BATCH_NOT_FOUND; no Redis URL is CONFIG_INVALID; an unreachable one QUEUE_UNAVAILABLE', async () => {
    const unknown = await cli(['batch', 'status', 'no-such-batch', '--config', configFile]);
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /BATCH_NOT_FOUND/);
    const noRedis = path.join(dir, 'no-redis.json');
    writeFileSync(noRedis, JSON.stringify({ store: { postgresUrl: POSTGRES_URL, postgresSchema: SCHEMA } }));
    const refused = await cli(['batch', 'submit', PAD_DEV_DIR, '--config', noRedis]);
    assert.equal(refused.code, 2);
    assert.match(refused.stderr, /CONFIG_INVALID.*redis\.url/);
    const deadRedis = path.join(dir, 'dead-redis.json');
    writeFileSync(deadRedis, JSON.stringify({ redis: { url: 'redis://127.0.0.1:1' }, store: { postgresUrl: POSTGRES_URL, postgresSchema: SCHEMA } }));
    const unreachable = await cli(['batch', 'submit', extrasDir, '--batch-id', 'never-queued', '--config', deadRedis]);
    assert.equal(unreachable.code, 2);
    assert.match(unreachable.stderr, /QUEUE_UNAVAILABLE/);
    await assert.rejects(store.progress('never-queued'), (error: Error & { code?: string }) => error.code === 'BATCH_NOT_FOUND');
  });
});
