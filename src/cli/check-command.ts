import { readFile } from 'node:fs/promises';
import { SingleBar } from 'cli-progress';
import type { Command } from 'commander';
import { loadConfig } from '../config/load-config.js';
import { createEnginePool, workerCount } from '../engine/engine-pool.js';
import { FaceliveError, toFaceliveError } from '../errors/catalogue.js';
import { collectInputs, type CheckInput } from './collect-inputs.js';
import { errorRecord, formatTable, resultRecord, type CheckRecord } from './check-output.js';
import { parseNumberOption, type CliIo, withEngineOptions, type EngineCliOptions } from './cli-io.js';
import { DEFAULT_COLUMNS } from './text-layout.js';

/** Options of `facelive check`. */
interface CheckOptions extends EngineCliOptions {
  readonly json?: boolean;
  readonly threshold?: number;
}

/** Runs on more images than this get a progress bar (when stderr is a terminal). */
const PROGRESS_MIN_IMAGES = 10;

async function readInput(input: CheckInput, stdin: NodeJS.ReadableStream): Promise<Uint8Array> {
  if (input.name !== '-') return readFile(input.name);
  const chunks: Buffer[] = [];
  for await (const chunk of stdin) chunks.push(Buffer.from(chunk as Buffer));
  return Buffer.concat(chunks);
}

function unreadableFile(error: unknown): FaceliveError {
  const reason = (error as NodeJS.ErrnoException)?.code ?? 'unreadable';
  return new FaceliveError('INVALID_ARGUMENT', { field: 'file', expected: 'a readable image file', received: reason }, { cause: error });
}

/**
 * Checks every input on the engine pool, at most a few images per worker in flight (so a huge
 * folder is never read into memory at once), and hands records back in input order.
 */
async function checkAll(inputs: readonly CheckInput[], options: CheckOptions, io: CliIo, onRecord: (record: CheckRecord) => void): Promise<void> {
  const config = loadConfig({ configFile: options.config, modelsDir: options.modelsDir, threshold: options.threshold, workers: options.workers });
  const pool = await createEnginePool(config, { workers: Math.max(1, Math.min(workerCount(config), inputs.length)) });
  const showBar = !options.json && io.stderrIsTTY && inputs.length > PROGRESS_MIN_IMAGES;
  const bar = showBar ? new SingleBar({ stream: io.stderr, format: 'checking {bar} {value}/{total} images | {eta}s left' }) : undefined;
  bar?.start(inputs.length, 0);
  const pending = new Map<number, CheckRecord>();
  let nextToEmit = 0;
  let nextToStart = 0;
  const emitReady = () => {
    while (pending.has(nextToEmit)) {
      onRecord(pending.get(nextToEmit)!);
      pending.delete(nextToEmit++);
    }
  };
  const runOne = async (index: number): Promise<void> => {
    const input = inputs[index];
    let record: CheckRecord;
    try {
      const bytes = await readInput(input, io.stdin).catch((error: unknown) => {
        throw unreadableFile(error);
      });
      record = resultRecord(input.name, await pool.analyse(bytes));
    } catch (error) {
      record = errorRecord(input.name, toFaceliveError(error).toJSON());
    }
    pending.set(index, record);
    bar?.increment();
    emitReady();
  };
  const lane = async (): Promise<void> => {
    while (nextToStart < inputs.length) await runOne(nextToStart++);
  };
  try {
    await Promise.all(Array.from({ length: pool.size * 2 }, lane));
  } finally {
    bar?.stop();
    await pool.close();
  }
}

/** Adds `facelive check <file|dir|->...` to the program. */
export function registerCheckCommand(program: Command, io: CliIo): void {
  withEngineOptions(program.command('check'))
    .description('Check images for liveness: files, directories (walked) or - for stdin')
    .argument('<inputs...>', 'image files, directories, or - for standard input')
    .option('--json', 'print one JSON object per image per line')
    .option('--threshold <score>', 'decision threshold on the 0..100 score', parseNumberOption)
    .action(async (operands: string[], options: CheckOptions) => {
      const inputs = await collectInputs(operands);
      if (inputs.length === 0) {
        io.stderr.write('error: no images found in the given paths\n');
        process.exitCode = 1;
        return;
      }
      const records: CheckRecord[] = [];
      let failed = 0;
      await checkAll(inputs, options, io, (record) => {
        if (record.error) failed++;
        if (options.json) io.stdout.write(`${JSON.stringify(record)}\n`);
        else records.push(record);
      });
      if (!options.json) io.stdout.write(formatTable(records, io.stdoutColumns ?? DEFAULT_COLUMNS));
      if (failed > 0) {
        io.stderr.write(`${failed} of ${inputs.length} images could not be checked\n`);
        process.exitCode = 1;
      }
    });
}
