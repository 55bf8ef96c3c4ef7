import { createHash, randomBytes } from 'node:crypto';
import { mkdir, open, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { FaceliveError } from '../errors/catalogue.js';
import { LICENCE_FILES, MODEL_MANIFEST, type LicenceFileEntry, type ModelEntry } from './manifest.js';
import { checkPackFile, listPackFiles, packFilePath, type PackFile } from './verify-pack.js';

/** Default longest time one file may take, from opening the source to the final rename. */
export const DEFAULT_FETCH_TIMEOUT_MS = 60_000;

/** What {@link fetchPack} reports for one file. */
export interface FetchFileReport extends PackFile {
  /** Absolute destination path. */
  readonly path: string;
  /** `present`: already in place with the right sha256, left untouched. */
  readonly status: 'fetched' | 'present';
  /** Where the file was (or would have been) read from: a path or a URL. */
  readonly source: string;
}

/** Result of a successful {@link fetchPack}; a failure throws instead. */
export interface FetchReport {
  readonly modelsDir: string;
  /** The pack source: an absolute directory or the base URL (with a trailing slash). */
  readonly source: string;
  readonly files: readonly FetchFileReport[];
  readonly fetchedCount: number;
  readonly presentCount: number;
}

/** Progress of {@link fetchPack}, for CLIs that print as they go. */
export type FetchProgressEvent =
  | { readonly type: 'start'; readonly file: PackFile; readonly source: string }
  | { readonly type: 'bytes'; readonly file: PackFile; readonly receivedBytes: number }
  | { readonly type: 'done'; readonly result: FetchFileReport };

/** Options of {@link fetchPack}. */
export interface FetchPackOptions {
  /** A directory holding a pack, or an `http:`/`https:` base URL (trailing slash optional). */
  readonly from: string;
  /** Destination; created if needed, with its `licenses/` folder. */
  readonly modelsDir: string;
  /** Models to fetch (default: the whole manifest). */
  readonly entries?: readonly Pick<ModelEntry, 'id' | 'file' | 'sha256' | 'sizeBytes'>[];
  /** Licence texts to fetch (default: all of them). */
  readonly licences?: readonly LicenceFileEntry[];
  readonly onProgress?: (event: FetchProgressEvent) => void;
  /** Longest time one file may take, connect included (default {@link DEFAULT_FETCH_TIMEOUT_MS}). */
  readonly timeoutMs?: number;
}

/** Where pack files come from: a directory or a base URL. */
interface PackSource {
  readonly label: string;
  locate(file: string): string;
  /** The bytes of one file; refuses up front what is known to be wrong (status, length). */
  open(file: PackFile, signal: AbortSignal): Promise<AsyncIterable<Uint8Array>>;
}

function fetchFailed(file: string, source: string, reason: string, extra: Record<string, string | number> = {}, cause?: unknown): FaceliveError {
  return new FaceliveError('MODEL_PACK_FETCH_FAILED', { file, source, reason, ...extra }, { cause });
}

function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  // fetch() rejects with a bare "fetch failed"; the useful part (ECONNREFUSED…) is the cause.
  if (error.cause instanceof Error) return `${error.message}: ${error.cause.message}`;
  return error.message;
}

function errnoCode(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : undefined;
}

function directorySource(dir: string): PackSource {
  return {
    label: dir,
    locate: (file) => packFilePath(dir, file),
    async open(file) {
      const where = packFilePath(dir, file.file);
      const handle = await open(where, 'r').catch((error: unknown) => {
        const reason = errnoCode(error) === 'ENOENT' ? 'the file does not exist' : describeError(error);
        throw fetchFailed(file.file, where, reason, {}, error);
      });
      return handle.createReadStream();
    },
  };
}

function urlSource(base: URL): PackSource {
  const label = base.href;
  const locate = (file: string): string => new URL(file.split('/').map(encodeURIComponent).join('/'), base).href;
  return {
    label,
    locate,
    async open(file, signal) {
      const url = locate(file.file);
      const response = await fetch(url, { signal, redirect: 'follow' });
      if (!response.ok) {
        await response.body?.cancel().catch(() => undefined);
        throw fetchFailed(file.file, url, `HTTP ${response.status} ${response.statusText}`.trim(), { status: response.status });
      }
      if (!response.body) throw fetchFailed(file.file, url, 'the response has no body');
      // With a content-encoding, Content-Length counts compressed bytes, not the file's.
      const length = response.headers.get('content-length');
      const encoded = (response.headers.get('content-encoding') ?? 'identity') !== 'identity';
      if (length !== null && !encoded && Number(length) !== file.sizeBytes) {
        // Cancelled so a refused file does not keep downloading in the background.
        await response.body.cancel().catch(() => undefined);
        throw fetchFailed(file.file, url, `the server announces ${length} bytes, expected ${file.sizeBytes}`, {
          actualSizeBytes: Number(length),
          expectedSizeBytes: file.sizeBytes,
        });
      }
      return response.body;
    },
  };
}

async function resolveSource(from: string): Promise<PackSource> {
  if (/^[a-z][a-z\d+.-]*:\/\//i.test(from)) {
    let url: URL;
    try {
      url = new URL(from);
    } catch (error) {
      throw new FaceliveError('INVALID_ARGUMENT', { field: 'pack source (--from)', expected: 'a directory or an http(s) URL', received: from }, { cause: error });
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      throw new FaceliveError('INVALID_ARGUMENT', {
        field: 'pack source (--from)',
        expected: 'a directory or an http: or https: URL',
        received: `a ${url.protocol} URL`,
      });
    }
    // fetch() refuses URLs with credentials, and they would end up in messages and logs.
    if (url.username || url.password) {
      throw new FaceliveError('INVALID_ARGUMENT', {
        field: 'pack source (--from)',
        expected: 'a URL without user name or password',
        received: `a URL with credentials for ${url.host}`,
      });
    }
    url.hash = '';
    if (!url.pathname.endsWith('/')) url.pathname += '/';
    return urlSource(url);
  }
  const dir = path.resolve(from);
  const info = await stat(dir).catch(() => undefined);
  if (!info?.isDirectory()) {
    throw new FaceliveError('INVALID_ARGUMENT', { field: 'pack source (--from)', expected: 'an existing directory or an http(s) URL', received: dir });
  }
  return directorySource(dir);
}

/**
 * Streams one file into a temporary file beside its destination while hashing and counting,
 * and renames it into place only when size and sha256 match: readers of the models directory
 * never see a partial or wrong file, and a failure leaves the previous file untouched.
 */
async function transferFile(
  source: PackSource,
  file: PackFile,
  destination: string,
  timeoutMs: number,
  onBytes: (receivedBytes: number) => void,
): Promise<void> {
  const where = source.locate(file.file);
  const signal = AbortSignal.timeout(timeoutMs);
  const dir = path.dirname(destination);
  const temp = path.join(dir, `.${path.basename(destination)}.part-${randomBytes(6).toString('hex')}`);
  try {
    await mkdir(dir, { recursive: true });
    // The temporary file is opened before the source so that nothing opened is left dangling
    // when the other fails; `wx` refuses to reuse a name another fetch is writing.
    const handle = await open(temp, 'wx', 0o644);
    const hash = createHash('sha256');
    let receivedBytes = 0;
    try {
      const body = await source.open(file, signal);
      // Leaving the loop early (throw) cancels the source stream, which aborts the download.
      for await (const chunk of body) {
        signal.throwIfAborted();
        receivedBytes += chunk.byteLength;
        if (receivedBytes > file.sizeBytes) {
          throw fetchFailed(file.file, where, `received more than the expected ${file.sizeBytes} bytes`, {
            expectedSizeBytes: file.sizeBytes,
          });
        }
        hash.update(chunk);
        // write() may write less than asked; loop rather than trust one call.
        for (let offset = 0; offset < chunk.byteLength; ) {
          offset += (await handle.write(chunk, offset)).bytesWritten;
        }
        onBytes(receivedBytes);
      }
      // Flushed before the rename so a crash cannot leave a renamed but empty file.
      await handle.sync();
    } finally {
      await handle.close();
    }
    if (receivedBytes !== file.sizeBytes) {
      throw fetchFailed(file.file, where, `received ${receivedBytes} bytes, expected ${file.sizeBytes} (truncated)`, {
        actualSizeBytes: receivedBytes,
        expectedSizeBytes: file.sizeBytes,
      });
    }
    const sha256 = hash.digest('hex');
    if (sha256 !== file.sha256) {
      throw fetchFailed(file.file, where, `sha256 is ${sha256}, expected ${file.sha256}`, {
        actualSha256: sha256,
        expectedSha256: file.sha256,
      });
    }
    await rename(temp, destination);
  } catch (error) {
    await rm(temp, { force: true });
    if (error instanceof FaceliveError) throw error;
    const reason = signal.aborted ? `timed out after ${timeoutMs} ms` : describeError(error);
    throw fetchFailed(file.file, where, reason, {}, error);
  }
}

/**
 * Copies (directory) or downloads (URL: `<base>/<file>` and `<base>/licenses/<file>`) every
 * model and licence file into `modelsDir`, verifying size and sha256 on the way. Files already
 * present with the right sha256 are skipped. Fails fast: the first refused file throws
 * `MODEL_PACK_FETCH_FAILED` naming it; files fetched before it stay (they are verified), and a
 * refused file never reaches its destination.
 *
 * @example
 * const report = await fetchPack({ from: 'https://example.org/facelive-pack/', modelsDir: '/srv/models' });
 * console.log(`${report.fetchedCount} fetched, ${report.presentCount} already present`);
 */
export async function fetchPack(options: FetchPackOptions): Promise<FetchReport> {
  const { onProgress, timeoutMs = DEFAULT_FETCH_TIMEOUT_MS } = options;
  if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) {
    throw new FaceliveError('INVALID_ARGUMENT', { field: 'timeoutMs (--timeout-ms)', expected: 'a positive number of milliseconds', received: timeoutMs });
  }
  const modelsDir = path.resolve(options.modelsDir);
  const source = await resolveSource(options.from);
  const files: FetchFileReport[] = [];
  for (const file of listPackFiles(options.entries ?? MODEL_MANIFEST, options.licences ?? LICENCE_FILES)) {
    const where = source.locate(file.file);
    const current = await checkPackFile(modelsDir, file);
    let status: FetchFileReport['status'] = 'present';
    if (current.status !== 'ok') {
      onProgress?.({ type: 'start', file, source: where });
      await transferFile(source, file, current.path, timeoutMs, (receivedBytes) => onProgress?.({ type: 'bytes', file, receivedBytes }));
      status = 'fetched';
    }
    const result: FetchFileReport = { ...file, path: current.path, status, source: where };
    files.push(result);
    onProgress?.({ type: 'done', result });
  }
  return {
    modelsDir,
    source: source.label,
    files,
    fetchedCount: files.filter((f) => f.status === 'fetched').length,
    presentCount: files.filter((f) => f.status === 'present').length,
  };
}
