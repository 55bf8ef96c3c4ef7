/**
 * `facelive batch submit|status|export`: bulk scoring through the BullMQ queue (see
 * docs/batch.md). Submitting needs Redis and PostgreSQL; status and export read PostgreSQL only.
 */
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { SingleBar } from 'cli-progress';
import { Option, type Command } from 'commander';
import { expandBatchSource } from '../batch/batch-inputs.js';
import { checkBatchId, jobsOf, newBatchId } from '../batch/batch-job.js';
import { loadConfig } from '../config/load-config.js';
import { FaceliveError } from '../errors/catalogue.js';
import type { BatchResultStore } from '../store/batch-results.js';
import { csvHeader, csvLine, EXPORT_FORMATS, jsonLine, type ExportFormat } from './batch-export.js';
import { formatDuration, formatProgress, progressJson, rateOf } from './batch-progress.js';
import { parseNumberOption, type CliIo } from './cli-io.js';

interface ConfigOption {
  readonly config?: string;
}

async function withStore<T>(options: ConfigOption, use: (store: BatchResultStore) => Promise<T>): Promise<T> {
  const config = loadConfig({ configFile: options.config });
  const { openBatchStore } = await batchModules();
  const store = await openBatchStore(config);
  try {
    return await use(store);
  } finally {
    await store.close();
  }
}

/** The queue and store modules, loaded when a batch command runs: BullMQ and its Redis client cost every other command ~90 ms at start. */
const batchModules = async () => ({ ...(await import('../batch/batch-queue.js')), ...(await import('../batch/batch-worker.js')) });

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function submit(source: string, options: ConfigOption & { batchId?: string }, io: CliIo): Promise<void> {
  const config = loadConfig({ configFile: options.config });
  const batchId = checkBatchId(options.batchId ?? newBatchId());
  const { enqueueJobs, openBatchQueue, openBatchStore, queueConnection } = await batchModules();
  queueConnection(config); // refuses a missing redis.url before any work
  const inputs = await expandBatchSource(source);
  if (inputs.length === 0) throw new FaceliveError('INVALID_ARGUMENT', { field: 'source', expected: 'at least one image path or URL', received: 'none' });
  const jobs = await jobsOf(batchId, inputs);
  // Redis is reached before the batch is recorded, so an unreachable queue leaves no trace.
  const queue = await openBatchQueue(config);
  try {
    const store = await openBatchStore(config);
    try {
      // The batch row before the jobs: a worker may finish an image before the last is added.
      await store.saveBatch(batchId, jobs.length, new Date());
    } finally {
      await store.close();
    }
    await enqueueJobs(queue, jobs, config);
  } finally {
    await queue.close();
  }
  io.stdout.write(`${batchId}\n`);
  io.stderr.write(`batch ${batchId}: ${jobs.length} images queued (${inputs.filter((i) => i.kind === 'url').length} URLs)\n`);
}

async function watch(store: BatchResultStore, batchId: string, intervalMs: number, io: CliIo): Promise<void> {
  let progress = await store.progress(batchId);
  const bar = new SingleBar({
    stream: io.stderr,
    noTTYOutput: !io.stderrIsTTY,
    notTTYSchedule: 5_000,
    format: 'batch {bar} {value}/{total} images | {rate} images/s | ETA {etaText} | errors {errors}',
  });
  const payload = () => {
    const { imagesPerSecond, etaSeconds } = rateOf(progress);
    return { rate: imagesPerSecond === undefined ? '?' : imagesPerSecond.toFixed(1), etaText: formatDuration(etaSeconds), errors: progress.errors };
  };
  bar.start(progress.total, progress.done, payload());
  try {
    while (progress.done < progress.total) {
      await sleep(intervalMs);
      progress = await store.progress(batchId);
      bar.setTotal(progress.total);
      bar.update(progress.done, payload());
    }
  } finally {
    bar.stop();
  }
}

async function status(batchId: string, options: ConfigOption & { watch?: boolean; json?: boolean; intervalMs: number }, io: CliIo): Promise<void> {
  await withStore(options, async (store) => {
    if (options.watch) await watch(store, checkBatchId(batchId), options.intervalMs, io);
    const progress = await store.progress(checkBatchId(batchId));
    io.stdout.write(options.json ? `${JSON.stringify(progressJson(progress))}\n` : formatProgress(progress));
  });
}

async function exportResults(batchId: string, options: ConfigOption & { format: ExportFormat; out?: string }, io: CliIo): Promise<void> {
  await withStore(options, async (store) => {
    const out = options.out ? createWriteStream(options.out) : io.stdout;
    const write = async (text: string) => {
      if (!out.write(text)) await once(out, 'drain');
    };
    if (options.format === 'csv') await write(csvHeader());
    for await (const result of store.results(checkBatchId(batchId))) await write(options.format === 'csv' ? csvLine(result) : jsonLine(result));
    if (options.out) {
      out.end();
      await once(out, 'finish');
    }
  });
}

/** Adds `facelive batch submit|status|export` to the program. */
export function registerBatchCommand(program: Command, io: CliIo): void {
  const batch = program.command('batch').description('Bulk scoring on a Redis queue, results in PostgreSQL (see docs/batch.md)');
  batch
    .command('submit')
    .description('Queue every image of a directory (walked) or a list file (one path or http(s) URL per line); prints the batch id')
    .argument('<source>', 'directory, or list file of paths and URLs')
    .option('--batch-id <id>', 'add to (or resubmit) this batch instead of a new one')
    .option('--config <file>', 'JSON config file (else FACELIVE_CONFIG)')
    .action((source: string, options: ConfigOption & { batchId?: string }) => submit(source, options, io));
  batch
    .command('status')
    .description('Show how far a batch is: counts, images/s, ETA')
    .argument('<batchId>', 'the id printed by submit')
    .option('--watch', 'show a progress bar until every image has a result')
    .option('--json', 'print the status as one JSON object')
    .option('--interval-ms <ms>', 'polling interval of --watch', parseNumberOption, 1_000)
    .option('--config <file>', 'JSON config file (else FACELIVE_CONFIG)')
    .action((batchId: string, options: ConfigOption & { watch?: boolean; json?: boolean; intervalMs: number }) => status(batchId, options, io));
  batch
    .command('export')
    .description('Write every result of a batch, ordered by input')
    .argument('<batchId>', 'the id printed by submit')
    .addOption(new Option('--format <format>', 'output format').choices(EXPORT_FORMATS).default('jsonl'))
    .option('--out <file>', 'write to this file instead of standard output')
    .option('--config <file>', 'JSON config file (else FACELIVE_CONFIG)')
    .action((batchId: string, options: ConfigOption & { format: ExportFormat; out?: string }) => exportResults(batchId, options, io));
}
