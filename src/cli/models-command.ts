import { InvalidArgumentError, type Command } from 'commander';
import { loadConfig } from '../config/load-config.js';
import { toFaceliveError } from '../errors/catalogue.js';
import { DEFAULT_FETCH_TIMEOUT_MS, DEFAULT_STALL_TIMEOUT_MS, fetchPack } from '../models/fetch-pack.js';
import { MODEL_MANIFEST, type ModelEntry } from '../models/manifest.js';
import { resolveModelsDir } from '../models/models-dir.js';
import { selectModels } from '../models/pack-files.js';
import { UPSTREAM_BASE_URL } from '../models/pack-source.js';
import { verifyPack, type PackFileReport } from '../models/verify-pack.js';
import { fetchProgressPrinter } from './fetch-progress.js';

/** Streams the CLI writes to; injected so tests can capture output. */
export interface CliIo {
  readonly stdout: NodeJS.WritableStream;
  readonly stderr: NodeJS.WritableStream;
  /** Whether stderr is a terminal (progress is then redrawn in place). */
  readonly stderrIsTTY?: boolean;
}

/** Options shared by `models fetch` and `models verify`. */
interface SelectionOptions {
  readonly model?: string[];
  readonly all?: boolean;
}

interface FetchOptions extends SelectionOptions {
  readonly from?: string;
  readonly mirror?: string;
  readonly timeoutMs?: number;
  readonly stallTimeoutMs?: number;
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

const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

/** The models the default configuration loads (one source: the config schema's defaults). */
function defaultModelIds(): string[] {
  const { models } = loadConfig({}, {});
  return [models.detector, ...models.pad.map((p) => p.id)];
}

/** The default set plus `--model` ids, or with `--all` every model `candidates` allows. */
function selectedModels(options: SelectionOptions, candidates: readonly ModelEntry[]): ModelEntry[] {
  if (options.all) return [...candidates];
  return selectModels([...defaultModelIds(), ...(options.model ?? [])]);
}

/** `--help` text listing which models come from upstream and which only from a model pack. */
function availabilityHelp(): string {
  const defaults = new Set(defaultModelIds());
  const line = (m: ModelEntry) => `  ${m.id.padEnd(38)} ${m.file}${m.source.converter ? ` (converted from ${m.source.path.split('/').pop()})` : ''}`;
  const upstream = MODEL_MANIFEST.filter((m) => m.source.pinned);
  return [
    '',
    'Models (the default set is fetched unless --all; add others with --model <id>):',
    'from upstream (pinned commit, size and sha256), default set marked *:',
    ...upstream.map((m) => `${defaults.has(m.id) ? '*' : ' '}${line(m).slice(1)}`),
    'only from a model pack (--from <dir|url>):',
    ...MODEL_MANIFEST.filter((m) => !m.source.pinned).map(line),
    '',
    `Without --from every file is downloaded from ${UPSTREAM_BASE_URL}/<owner>/<repo>/<commit>/<path>`,
    '(--mirror <url> replaces that host; HTTPS_PROXY is honoured). Progress goes to stderr.',
  ].join('\n');
}

/** One readable line per file: `status  file  model-id  (details)`. */
function formatLine(status: string, file: { file: string; id?: string }, details?: string): string {
  return [status, file.file, file.id, details && `(${details})`].filter(Boolean).join('  ');
}

function verifyDetails(report: PackFileReport): string | undefined {
  switch (report.status) {
    case 'ok':
      return report.accepted.length > 1 ? report.build : undefined;
    case 'size-mismatch':
      return `${report.actualSizeBytes} bytes, expected ${report.accepted.map((b) => b.sizeBytes).join(' or ')}`;
    case 'checksum-mismatch':
      return `sha256 ${report.actualSha256}, expected ${report.accepted.map((b) => b.sha256).join(' or ')}`;
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
 * await program.parseAsync(); // facelive models fetch --mirror http://127.0.0.1:8000
 */
export function registerModelsCommand(program: Command, io: CliIo): Command {
  const write = (line: string): void => void io.stdout.write(`${line}\n`);
  const models = program.command('models').description('fetch and verify the model pack (ONNX files and licence texts)');

  models
    .command('fetch')
    .description(
      'download the default model set from its pinned upstream sources (converting where needed), or copy it from a model pack, verifying every file',
    )
    .option('--model <id>', 'also fetch this model (repeatable)', collect)
    .option('--all', 'every model the source can provide (upstream: every pinned model; --from: the whole manifest)')
    .option('--mirror <url>', `base URL that replaces ${UPSTREAM_BASE_URL} (a mirror of the same layout)`)
    .option('--from <dir|url>', 'copy from a model pack: a directory or an http(s) base URL holding the files')
    .option('--models-dir <dir>', 'destination (default: $FACELIVE_MODELS_DIR, else ./models)')
    .option('--timeout-ms <ms>', `longest time one file may take (default: ${DEFAULT_FETCH_TIMEOUT_MS})`, parsePositiveInteger)
    .option('--stall-timeout-ms <ms>', `longest time without receiving a byte (default: ${DEFAULT_STALL_TIMEOUT_MS})`, parsePositiveInteger)
    .addHelpText('after', availabilityHelp)
    .action((options: FetchOptions, command: Command) =>
      runReportingErrors(io, async () => {
        const modelsDir = resolveModelsDir({ flag: modelsDirFlag(command) });
        const candidates = options.from === undefined ? MODEL_MANIFEST.filter((m) => m.source.pinned) : MODEL_MANIFEST;
        const progress = fetchProgressPrinter({ stream: io.stderr, isTTY: io.stderrIsTTY ?? false });
        const report = await fetchPack({
          from: options.from,
          mirror: options.mirror,
          modelsDir,
          entries: selectedModels(options, candidates),
          timeoutMs: options.timeoutMs,
          stallTimeoutMs: options.stallTimeoutMs,
          onProgress: (event) => {
            progress(event);
            // Printed as each file completes, so a failure still shows what was done before it.
            if (event.type === 'done') write(formatLine(event.result.status, event.result.file, event.result.build));
          },
        });
        write(`Fetched ${report.fetchedCount} files (${report.presentCount} already present) from ${report.source} into ${report.modelsDir}.`);
      }),
    );

  models
    .command('verify')
    .description('check the default model set (and every other model that is installed) and their licence texts: size and sha256')
    .option('--model <id>', 'also require this model (repeatable)', collect)
    .option('--all', 'require every model of the manifest')
    .option('--models-dir <dir>', 'models directory (default: $FACELIVE_MODELS_DIR, else ./models)')
    .option('--json', 'print the report as JSON')
    .action((options: SelectionOptions & { json?: boolean }, command: Command) =>
      runReportingErrors(io, async () => {
        const required = selectedModels(options, MODEL_MANIFEST);
        const optional = MODEL_MANIFEST.filter((m) => !required.includes(m));
        const report = await verifyPack(resolveModelsDir({ flag: modelsDirFlag(command) }), { required, optional });
        if (!report.ok) process.exitCode = 1;
        if (options.json) {
          write(JSON.stringify(report, null, 2));
          return;
        }
        for (const file of report.files) write(formatLine(file.status, file, verifyDetails(file)));
        const checked = report.files.filter((f) => f.status !== 'not-installed');
        const bad = checked.filter((f) => f.status !== 'ok');
        if (bad.length === 0) {
          write(`All ${checked.length} files are ok in ${report.modelsDir}.`);
          return;
        }
        const counts = new Map<string, number>();
        for (const f of bad) counts.set(f.status, (counts.get(f.status) ?? 0) + 1);
        const breakdown = [...counts].map(([status, n]) => `${n} ${status}`).join(', ');
        write(
          `${bad.length} of ${checked.length} files are not ok in ${report.modelsDir} (${breakdown}). ` +
            'Run `facelive models fetch` (with the same --model options) to repair the pack.',
        );
      }),
    );

  return models;
}
