import { InvalidArgumentError } from 'commander';

/** The streams a command writes to; tests pass their own. */
export interface CliIo {
  readonly stdout: NodeJS.WritableStream;
  readonly stderr: NodeJS.WritableStream;
  readonly stdin: NodeJS.ReadableStream;
  /** Whether stderr is a terminal (progress bars only go there). */
  readonly stderrIsTTY: boolean;
}

/** The process's own streams. */
export function processIo(): CliIo {
  return { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin, stderrIsTTY: Boolean(process.stderr.isTTY) };
}

/** Commander option parser for numeric options, with a message naming what was received. */
export function parseNumberOption(raw: string): number {
  const value = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(value)) throw new InvalidArgumentError(`expected a number, received "${raw}"`);
  return value;
}
