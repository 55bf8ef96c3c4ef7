import { InvalidArgumentError, type Command } from 'commander';
import { toFaceliveError } from '../errors/catalogue.js';
import { DEFAULT_FETCH_TIMEOUT_MS, fetchPack } from '../models/fetch-pack.js';
import { resolveModelsDir } from '../models/models-dir.js';
import { verifyPack, type PackFileReport } from '../models/verify-pack.js';

/** Streams the CLI writes to; injected so tests can capture output. */
export interface CliIo {
  readonly stdout: NodeJS.WritableStream;
  readonly stderr: NodeJS.WritableStream;
}

/**
 * The `--models-dir` value closest to the subcommand. Walking up the parents lets the option
 * work both after the subcommand and as a global option of the program (which commander hands
 * to the program, not the subcommand, when both define it).
 */
function modelsDirFlag(command: Command): string | undefined {
  for (let current: Command | null = command; current; current = current.parent) {
    const value: unknown = current.opts().modelsDir;
    if (typeof value === 'string') return value;
  }
  return undefined;
}

function parsePositiveInteger(value: string): number {
  const parsed = Number(value);
  if (!Number.isSafeInteger(parsed) || parsed <= 0) throw new InvalidArgumentError('expected a positive whole number.');
  return parsed;
}

/** One readable line per file: `status  file  model-id  (details)`. */
function formatLine(status: string, file: { file: string; id?: string }, details?: string): string {
  return [status, file.file, file.id, details && `(${details})`].filter(Boolean).join('  ');
}

function verifyDetails(report: PackFileReport): string | undefined {
  switch (report.status) {
    case 'size-mismatch':
      return `${report.actualSizeBytes} bytes, expected ${report.sizeBytes}`;
    case 'checksum-mismatch':
      return `sha256 ${report.actualSha256}, expected ${report.sha256}`;
    case 'unreadable':
      return report.reason;
    default:
      return undefined;
  }
}

// A failed command sets the exit code instead of calling process.exit, so pending output is
// flushed and the program stays usable inside tests and other hosts.
async function runReportingErrors(io: CliIo, run: () => Promise<void>): Promise<void> {
  try {
    await run();
  } catch (thrown) {
    const error = toFaceliveError(thrown);
    // INTERNAL_ERROR's message says nothing; on a terminal the cause is what the operator needs.
    const cause = error.code === 'INTERNAL_ERROR' && error.cause instanceof Error ? ` (${error.cause.message})` : '';
    io.stderr.write(`error ${error.code}: ${error.message}${cause}\n`);
    process.exitCode = 1;
  }
}

/**
 * Adds `models fetch` and `models verify` to a commander program. Both accept `--models-dir`
 * after the subcommand or as a global option; otherwise `FACELIVE_MODELS_DIR`, then `./models`.
 * A failure sets `process.exitCode = 1` and prints `error CODE: message` on stderr.
 *
 * @example
 * const program = new Command('facelive');
 * registerModelsCommand(program, { stdout: process.stdout, stderr: process.stderr });
 * await program.parseAsync(); // facelive models verify --models-dir /srv/models
 */
export function registerModelsCommand(program: Command, io: CliIo): Command {
  const write = (line: string): void => void io.stdout.write(`${line}\n`);
  const models = program.command('models').description('fetch and verify the model pack (ONNX files and licence texts)');

  models
    .command('fetch')
    .description('copy or download every model and licence file, verifying each sha256')
    .requiredOption('--from <dir|url>', 'directory or http(s) base URL that holds the pack')
    .option('--models-dir <dir>', 'destination (default: $FACELIVE_MODELS_DIR, else ./models)')
    .option('--timeout-ms <ms>', `longest time one file may take (default: ${DEFAULT_FETCH_TIMEOUT_MS})`, parsePositiveInteger)
    .action((options: { from: string; timeoutMs?: number }, command: Command) =>
      runReportingErrors(io, async () => {
        const modelsDir = resolveModelsDir({ flag: modelsDirFlag(command) });
        const report = await fetchPack({
          from: options.from,
          modelsDir,
          timeoutMs: options.timeoutMs,
          // Printed as each file completes, so a failure still shows what was done before it.
          onProgress: (event) => {
            if (event.type === 'done') write(formatLine(event.result.status, event.result));
          },
        });
        write(`Fetched ${report.fetchedCount} files (${report.presentCount} already present) from ${report.source} into ${report.modelsDir}.`);
      }),
    );

  models
    .command('verify')
    .description('check that every model and licence file is present with the right size and sha256')
    .option('--models-dir <dir>', 'models directory (default: $FACELIVE_MODELS_DIR, else ./models)')
    .option('--json', 'print the report as JSON')
    .action((options: { json?: boolean }, command: Command) =>
      runReportingErrors(io, async () => {
        const report = await verifyPack(resolveModelsDir({ flag: modelsDirFlag(command) }));
        if (!report.ok) process.exitCode = 1;
        if (options.json) {
          write(JSON.stringify(report, null, 2));
          return;
        }
        for (const file of report.files) write(formatLine(file.status, file, verifyDetails(file)));
        const bad = report.files.filter((f) => f.status !== 'ok');
        if (bad.length === 0) {
          write(`All ${report.files.length} files are ok in ${report.modelsDir}.`);
          return;
        }
        const counts = new Map<string, number>();
        for (const f of bad) counts.set(f.status, (counts.get(f.status) ?? 0) + 1);
        const breakdown = [...counts].map(([status, n]) => `${n} ${status}`).join(', ');
        write(
          `${bad.length} of ${report.files.length} files are not ok in ${report.modelsDir} (${breakdown}). ` +
            'Run `facelive models fetch --from <dir|url>` to repair the pack.',
        );
      }),
    );

  return models;
}
