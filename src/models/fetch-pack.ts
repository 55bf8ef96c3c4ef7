/**
 * `models fetch`: installs the files of a model set into the models directory, from upstream
 * (each file's pinned commit on GitHub, or a mirror of it) or from a model pack (`from`). Every
 * file is checked before it is installed, converted first when its manifest entry names a
 * converter, and written atomically (temporary file, fsync, rename), so the models directory
 * never holds a partial or wrong file. Files already correct are skipped, which makes a
 * failed or interrupted run resumable.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, open, readdir, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { FaceliveError } from '../errors/catalogue.js';
import { convertUpstreamFile } from './convert/converters.js';
import { DownloadError, matchAccepted } from './download.js';
import { MODEL_MANIFEST, type ModelEntry } from './manifest.js';
import { listPackFiles, type PackFile } from './pack-files.js';
import { resolvePackSource, type PackSource, type PackSourceOptions } from './pack-source.js';
import { checkPackFile } from './verify-pack.js';

/** Default longest time one file may take, from connecting to the last byte. */
export const DEFAULT_FETCH_TIMEOUT_MS = 120_000;
/** Default longest time without receiving a byte. */
export const DEFAULT_STALL_TIMEOUT_MS = 20_000;

/** What {@link fetchPack} reports for one file. */
export interface FetchFileReport {
  readonly file: PackFile;
  /** Absolute destination path. */
  readonly path: string;
  /** `present`: already in place and correct, left untouched. */
  readonly status: 'fetched' | 'present';
  /** Where the file was (or would have been) read from: a path or a URL. */
  readonly source: string;
  /** Label of the accepted build now in place (`upstream`, `facelive-conversion`, `pytorch-export`…). */
  readonly build: string;
  /** Milliseconds spent converting, when the file was converted. */
  readonly convertMs?: number;
}

/** Result of a successful {@link fetchPack}; a failure throws instead. */
export interface FetchReport {
  readonly modelsDir: string;
  /** `upstream <base URL>`, the pack directory, or the pack's base URL. */
  readonly source: string;
  readonly files: readonly FetchFileReport[];
  readonly fetchedCount: number;
  readonly presentCount: number;
}

/** Progress of {@link fetchPack}, for CLIs that print as they go. */
export type FetchProgressEvent =
  /** `expectedBytes` is absent when the source may serve files of several sizes there. */
  | { readonly type: 'start'; readonly file: PackFile; readonly source: string; readonly expectedBytes?: number }
  | { readonly type: 'bytes'; readonly file: PackFile; readonly receivedBytes: number; readonly expectedBytes?: number }
  | { readonly type: 'convert'; readonly file: PackFile }
  | { readonly type: 'done'; readonly result: FetchFileReport };

/** Options of {@link fetchPack}. */
export interface FetchPackOptions extends PackSourceOptions {
  /** Destination; created if needed, with its `licenses/` folder. */
  readonly modelsDir: string;
  /** Models to install, with the licence texts they require (default: the whole manifest). */
  readonly entries?: readonly ModelEntry[];
  readonly onProgress?: (event: FetchProgressEvent) => void;
  /** Longest time one file may take (default {@link DEFAULT_FETCH_TIMEOUT_MS}). */
  readonly timeoutMs?: number;
  /** Longest time without a byte (default {@link DEFAULT_STALL_TIMEOUT_MS}). */
  readonly stallTimeoutMs?: number;
}

/** A temporary file this module writes: `.<name>.part-<12 hex>` beside its destination. */
const TEMP_FILE = /^\.(.+)\.part-[0-9a-f]{12}$/;

function fetchFailed(
  file: PackFile,
  source: string,
  reason: string,
  remedy: string,
  extra: Record<string, string | number> = {},
  cause?: unknown,
): FaceliveError {
  return new FaceliveError('MODEL_PACK_FETCH_FAILED', { file: file.file, source, reason, remedy, ...extra }, { cause });
}

function positiveMs(value: number, field: string): number {
  if (!Number.isFinite(value) || value <= 0)
    throw new FaceliveError('INVALID_ARGUMENT', { field, expected: 'a positive number of milliseconds', received: value });
  return value;
}

/**
 * Writes `bytes` to `destination` through a temporary file in the same directory: written,
 * flushed, then renamed, so readers see the old file or the whole new one, never a part.
 */
async function installAtomically(destination: string, bytes: Uint8Array): Promise<void> {
  const temp = path.join(path.dirname(destination), `.${path.basename(destination)}.part-${randomBytes(6).toString('hex')}`);
  try {
    // `wx` refuses to reuse a name another fetch is writing.
    const handle = await open(temp, 'wx', 0o644);
    try {
      await handle.writeFile(bytes);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, destination);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}

/** Removes temporary files an interrupted earlier run left beside the files it was writing. */
async function removeLeftovers(modelsDir: string, files: readonly PackFile[]): Promise<void> {
  const byDir = new Map<string, Set<string>>();
  for (const { file } of files) {
    const dir = path.join(modelsDir, path.dirname(file));
    byDir.set(dir, (byDir.get(dir) ?? new Set()).add(path.basename(file)));
  }
  for (const [dir, names] of byDir) {
    const entries = await readdir(dir).catch(() => [] as string[]);
    for (const entry of entries) {
      const match = TEMP_FILE.exec(entry);
      if (match && names.has(match[1])) await rm(path.join(dir, entry), { force: true });
    }
  }
}

/** The one size every file a source may serve for `file` has, if they agree (for progress). */
function knownSize(source: PackSource, file: PackFile): number | undefined {
  const sizes = new Set(source.expected(file).map((f) => f.sizeBytes));
  return sizes.size === 1 ? [...sizes][0] : undefined;
}

/**
 * Reads one file from the source, converts it when its upstream entry says so, and checks that
 * the result is a build the manifest accepts at its path (after a conversion: exactly the pinned
 * conversion, since the converter is deterministic).
 */
async function obtain(
  source: PackSource,
  file: PackFile,
  options: Required<Pick<FetchPackOptions, 'timeoutMs' | 'stallTimeoutMs'>> & Pick<FetchPackOptions, 'onProgress'>,
) {
  const where = source.locate(file);
  const expectedBytes = knownSize(source, file);
  options.onProgress?.({ type: 'start', file, source: where, expectedBytes });
  let bytes: Uint8Array;
  try {
    bytes = await source.read(file, options, (receivedBytes) => options.onProgress?.({ type: 'bytes', file, receivedBytes, expectedBytes }));
  } catch (error) {
    if (error instanceof DownloadError) throw fetchFailed(file, where, error.reason, error.remedy, error.details, error);
    throw error;
  }
  const converter = source.upstream ? file.upstream?.converter : undefined;
  let convertMs: number | undefined;
  if (converter) {
    options.onProgress?.({ type: 'convert', file });
    const started = performance.now();
    try {
      bytes = convertUpstreamFile(file.upstream!, bytes);
    } catch (error) {
      const remedy = 'The upstream file matched its pinned sha256 but could not be converted: please report this as a facelive bug.';
      throw fetchFailed(file, where, `converting with ${converter} failed: ${(error as Error)?.message ?? String(error)}`, remedy, {}, error);
    }
    convertMs = performance.now() - started;
  }
  try {
    return { bytes, where, build: matchAccepted(bytes, converter ? file.accepted.slice(0, 1) : file.accepted), convertMs };
  } catch (error) {
    const reason = `the ${converter ? 'converted' : 'upstream'} file does not match the manifest (${(error as DownloadError).reason})`;
    throw fetchFailed(file, where, reason, 'The manifest and the source or converter disagree: please report this as a facelive bug.', {}, error);
  }
}

/**
 * Installs every file of `entries` (models, then the licence texts they require) into
 * `modelsDir`. With `from`, files are copied or downloaded from a model pack; otherwise each is
 * downloaded from its pinned upstream URL (on `mirror` when given), checked against its pinned
 * size and sha256, and converted when the manifest names a converter. Fails fast: the first
 * refused file throws `MODEL_PACK_FETCH_FAILED` naming it, its URL or path and what to do; files
 * installed before it stay (they are verified), and nothing partial is ever left behind.
 *
 * @example
 * const report = await fetchPack({ modelsDir: 'models', entries: selectModels(['detector/yunet-s@2023.1']) });
 * console.log(`${report.fetchedCount} fetched, ${report.presentCount} already present`);
 */
export async function fetchPack(options: FetchPackOptions): Promise<FetchReport> {
  const timeoutMs = positiveMs(options.timeoutMs ?? DEFAULT_FETCH_TIMEOUT_MS, 'timeoutMs (--timeout-ms)');
  const stallTimeoutMs = positiveMs(options.stallTimeoutMs ?? DEFAULT_STALL_TIMEOUT_MS, 'stallTimeoutMs (--stall-timeout-ms)');
  const modelsDir = path.resolve(options.modelsDir);
  const source = await resolvePackSource(options);
  const files = listPackFiles(options.entries ?? MODEL_MANIFEST);
  if (source.upstream) {
    const packOnly = files.filter((f) => !f.upstream).map((f) => f.id ?? f.file);
    if (packOnly.length > 0) {
      throw new FaceliveError('INVALID_ARGUMENT', {
        field: 'models to fetch',
        expected: 'models facelive can fetch from upstream (others need --from <dir|url> with a copy of the model pack)',
        received: packOnly.join(', '),
      });
    }
  }
  await mkdir(modelsDir, { recursive: true });
  await removeLeftovers(modelsDir, files);
  const reports: FetchFileReport[] = [];
  for (const file of files) {
    const current = await checkPackFile(modelsDir, file);
    let result: FetchFileReport;
    if (current.status === 'ok') {
      result = { file, path: current.path, status: 'present', source: source.locate(file), build: current.build ?? '' };
    } else {
      const { bytes, where, build, convertMs } = await obtain(source, file, { timeoutMs, stallTimeoutMs, onProgress: options.onProgress });
      try {
        await mkdir(path.dirname(current.path), { recursive: true });
        await installAtomically(current.path, bytes);
      } catch (error) {
        throw fetchFailed(
          file,
          where,
          `writing ${current.path} failed: ${(error as Error).message}`,
          'Check that the models directory is writable and the disk has space.',
          {},
          error,
        );
      }
      const label = file.accepted.find((a) => a.sha256 === build.sha256)?.label ?? '';
      result = { file, path: current.path, status: 'fetched', source: where, build: label, ...(convertMs !== undefined && { convertMs }) };
    }
    reports.push(result);
    options.onProgress?.({ type: 'done', result });
  }
  return {
    modelsDir,
    source: source.label,
    files: reports,
    fetchedCount: reports.filter((f) => f.status === 'fetched').length,
    presentCount: reports.filter((f) => f.status === 'present').length,
  };
}
