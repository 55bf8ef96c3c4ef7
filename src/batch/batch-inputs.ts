/**
 * What `facelive batch submit` takes: a directory (walked like `facelive check` walks one) or a
 * list file with one path or URL per line. Paths become absolute, because a worker on another
 * machine reads them (a shared filesystem mounted at the same place); URLs stay as given and are
 * fetched by the worker through the SSRF guard.
 */
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { walk, type CheckInput } from '../cli/collect-inputs.js';
import { FaceliveError } from '../errors/catalogue.js';

/** One image of a batch: a file path (absolute) or a URL. */
export interface BatchInput {
  readonly kind: 'file' | 'url';
  readonly input: string;
}

/** A line that names a URL rather than a path: any `scheme://` (the worker refuses all but http and https). */
const URL_LINE = /^[a-z][a-z0-9+.-]*:\/\//i;

/** A source with one of these extensions is one image rather than a list. */
const SINGLE_IMAGE = /\.(jpe?g|jpe|jfif|png|bmp|dib|webp|gif|tiff?)$/i;

/**
 * Parses a list file: one path or URL per line; blank lines and lines starting with `#` are
 * skipped; relative paths are relative to the list file's directory.
 *
 * @example
 * parseInputList('# backlog\n/srv/selfies/a.jpg\nhttps://img.example.com/b.jpg\n', '/srv');
 */
export function parseInputList(text: string, baseDir: string): BatchInput[] {
  const inputs: BatchInput[] = [];
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    inputs.push(URL_LINE.test(line) ? { kind: 'url', input: line } : { kind: 'file', input: path.resolve(baseDir, line) });
  }
  return inputs;
}

/** Drops repeated entries (the same path or URL twice is one image of the batch). */
function unique(inputs: readonly BatchInput[]): BatchInput[] {
  const seen = new Set<string>();
  return inputs.filter(({ kind, input }) => {
    const key = `${kind}\n${input}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/**
 * Expands a submit operand into the batch's images, in order, without repeats. A missing source
 * is INVALID_ARGUMENT; a listed path that does not exist stays, so it gets its error as result.
 */
export async function expandBatchSource(source: string, cwd = process.cwd()): Promise<BatchInput[]> {
  const resolved = path.resolve(cwd, source);
  const info = await stat(resolved).catch((error: unknown) => {
    throw new FaceliveError(
      'INVALID_ARGUMENT',
      { field: 'source', expected: 'a directory or a list file of paths or URLs', received: (error as NodeJS.ErrnoException).code ?? 'unreadable' },
      { cause: error },
    );
  });
  if (info.isDirectory()) {
    const found: CheckInput[] = [];
    await walk(resolved, found);
    return found.map(({ name }) => ({ kind: 'file', input: name }));
  }
  if (SINGLE_IMAGE.test(resolved)) return [{ kind: 'file', input: resolved }];
  return unique(parseInputList(await readFile(resolved, 'utf8'), path.dirname(resolved)));
}
