/**
 * Where `models fetch` reads pack files from: upstream (each file's pinned GitHub raw URL, or the
 * same layout on a mirror), or a model pack (a directory or a base URL holding the files under
 * their pack names, `licenses/` included). Every source returns a file's bytes only once they
 * are one of the files it may serve there.
 */
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { FaceliveError } from '../errors/catalogue.js';
import { download, DownloadError, matchAccepted, type DownloadLimits } from './download.js';
import type { PinnedFile } from './manifest.js';
import { packFilePath, type PackFile } from './pack-files.js';

/** GitHub's raw-file host: `<base>/<owner>/<repo>/<commit>/<path>` serves a file at a commit. */
export const UPSTREAM_BASE_URL = 'https://raw.githubusercontent.com';

/** A place pack files are read from. */
export interface PackSource {
  /** `upstream <base>`, the pack directory, or the pack's base URL. */
  readonly label: string;
  /** Whether the file is pinned upstream (upstream sources can only serve those). */
  readonly upstream: boolean;
  /** Where this file is read from: a path or a URL. */
  locate(file: PackFile): string;
  /** The exact files this source may serve for `file`. */
  expected(file: PackFile): readonly PinnedFile[];
  /** The file's bytes, checked against {@link expected}; throws {@link DownloadError}. */
  read(file: PackFile, limits: DownloadLimits, onBytes: (receivedBytes: number) => void): Promise<Uint8Array>;
}

const encodePath = (segments: string): string => segments.split('/').map(encodeURIComponent).join('/');

function upstreamSource(base: URL): PackSource {
  const root = base.href.replace(/\/+$/, '');
  const locate = (file: PackFile): string => {
    if (!file.upstream) throw new Error(`${file.file} has no upstream source`);
    const { repo, commit, path: upstreamPath } = file.upstream;
    return `${root}/${encodePath(repo)}/${encodeURIComponent(commit)}/${encodePath(upstreamPath)}`;
  };
  const expected = (file: PackFile): readonly PinnedFile[] => (file.upstream ? [file.upstream] : []);
  return {
    label: `upstream ${root}`,
    upstream: true,
    locate,
    expected,
    read: (file, limits, onBytes) => download(locate(file), expected(file), limits, onBytes),
  };
}

function packUrlSource(base: URL): PackSource {
  const locate = (file: PackFile): string => new URL(encodePath(file.file), base).href;
  return {
    label: base.href,
    upstream: false,
    locate,
    expected: (file) => file.accepted,
    read: (file, limits, onBytes) => download(locate(file), file.accepted, limits, onBytes),
  };
}

function packDirectorySource(dir: string): PackSource {
  return {
    label: dir,
    upstream: false,
    locate: (file) => packFilePath(dir, file.file),
    expected: (file) => file.accepted,
    async read(file, _limits, onBytes) {
      const where = packFilePath(dir, file.file);
      try {
        // The size first: a wrong file is refused without reading it.
        const { size } = await stat(where);
        if (!file.accepted.some((a) => a.sizeBytes === size)) matchAccepted(new Uint8Array(size), file.accepted);
        const bytes = await readFile(where);
        onBytes(bytes.byteLength);
        matchAccepted(bytes, file.accepted);
        return bytes;
      } catch (error) {
        if (error instanceof DownloadError) throw error;
        const missing = (error as NodeJS.ErrnoException)?.code === 'ENOENT';
        const remedy = 'Check that the directory holds a facelive model pack (its files under their pack names, licenses/ included).';
        throw new DownloadError(missing ? 'the file does not exist' : String((error as Error)?.message ?? error), remedy, {}, { cause: error });
      }
    },
  };
}

/** Parses and checks an http(s) base URL given as `field`. */
function baseUrl(raw: string, field: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch (error) {
    throw new FaceliveError('INVALID_ARGUMENT', { field, expected: 'an http(s) URL', received: raw }, { cause: error });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new FaceliveError('INVALID_ARGUMENT', { field, expected: 'an http: or https: URL', received: `a ${url.protocol} URL` });
  }
  // fetch() refuses URLs with credentials, and they would end up in messages and logs.
  if (url.username || url.password) {
    throw new FaceliveError('INVALID_ARGUMENT', { field, expected: 'a URL without user name or password', received: `a URL with credentials for ${url.host}` });
  }
  url.hash = '';
  url.search = '';
  if (!url.pathname.endsWith('/')) url.pathname += '/';
  return url;
}

/** Where to fetch from: a model pack (`from`), else upstream, on `mirror` when given. */
export interface PackSourceOptions {
  /** A directory holding a model pack, or its http(s) base URL. */
  readonly from?: string;
  /** Base URL that replaces {@link UPSTREAM_BASE_URL}. */
  readonly mirror?: string;
}

/**
 * The source for `options`; both `from` and `mirror` is INVALID_ARGUMENT, as is a URL that is
 * not http(s) or carries credentials, or a `from` directory that does not exist.
 *
 * @example
 * const source = await resolvePackSource({ mirror: 'http://127.0.0.1:8000' });
 */
export async function resolvePackSource(options: PackSourceOptions): Promise<PackSource> {
  const { from, mirror } = options;
  if (from !== undefined && mirror !== undefined) {
    throw new FaceliveError('INVALID_ARGUMENT', { field: '--from / --mirror', expected: 'one of them', received: 'both' });
  }
  if (from === undefined) return upstreamSource(baseUrl(mirror ?? UPSTREAM_BASE_URL, 'upstream mirror (--mirror)'));
  if (/^[a-z][a-z\d+.-]*:\/\//i.test(from)) return packUrlSource(baseUrl(from, 'pack source (--from)'));
  const dir = path.resolve(from);
  const info = await stat(dir).catch(() => undefined);
  if (!info?.isDirectory()) {
    throw new FaceliveError('INVALID_ARGUMENT', { field: 'pack source (--from)', expected: 'an existing directory or an http(s) URL', received: dir });
  }
  return packDirectorySource(dir);
}
