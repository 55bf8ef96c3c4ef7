import { InvalidArgumentError, type Command } from 'commander';
import { outputColumns } from './text-layout.js';

/** The streams a command writes to; tests pass their own. */
export interface CliIo {
  readonly stdout: NodeJS.WritableStream;
  readonly stderr: NodeJS.WritableStream;
  readonly stdin: NodeJS.ReadableStream;
  /** Whether stderr is a terminal (progress bars only go there). */
  readonly stderrIsTTY: boolean;
  /** Width to lay out tables for (`outputColumns`); absent: `DEFAULT_COLUMNS`. */
  readonly stdoutColumns?: number;
}

/** The process's own streams. */
export function processIo(): CliIo {
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    stdin: process.stdin,
    stderrIsTTY: Boolean(process.stderr.isTTY),
    stdoutColumns: outputColumns(process.stdout),
  };
}

/** Commander option parser for numeric options, with a message naming what was received. */
export function parseNumberOption(raw: string): number {
  const value = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(value)) throw new InvalidArgumentError(`expected a number, received "${raw}"`);
  return value;
}

/** The options every engine-running command takes; their values feed `loadConfig`. */
export interface EngineCliOptions {
  readonly modelsDir?: string;
  readonly config?: string;
  readonly workers?: number;
}

/** Adds `--models-dir`, `--config` and `--workers` (see {@link EngineCliOptions}) to a command. */
export function withEngineOptions(command: Command): Command {
  return command
    .option('--models-dir <dir>', 'model pack directory (else FACELIVE_MODELS_DIR, else ./models)')
    .option('--config <file>', 'JSON config file (else FACELIVE_CONFIG)')
    .option('--workers <n>', 'inference worker threads (default: one per core)', parseNumberOption);
}
