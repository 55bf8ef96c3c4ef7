/**
 * Image files of the embedded store are written whole or not at all: bytes go to a temporary
 * `.<name>.<hex>.part` file that is renamed into place. A write that fails (a full disk, a file
 * size limit, an I/O error) removes its temporary file at once; one a kill interrupted is swept
 * when the store opens next (the data directory belongs to one process).
 */
import { randomBytes } from 'node:crypto';
import { readdirSync, rmSync } from 'node:fs';
import { rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';

const PART = /^\..+\.part$/;

/**
 * Writes `bytes` to `dir/name` through a temporary file; on failure nothing is left behind.
 *
 * @example
 * await writeFileAtomically(imageDir, 'id.single.ab12cd34', bytes);
 */
export async function writeFileAtomically(dir: string, name: string, bytes: Uint8Array): Promise<void> {
  const temporary = path.join(dir, `.${name}.${randomBytes(4).toString('hex')}.part`);
  try {
    await writeFile(temporary, bytes, { flag: 'wx' });
    await rename(temporary, path.join(dir, name));
  } catch (error) {
    await rm(temporary, { force: true }).catch(() => undefined);
    throw error;
  }
}

/**
 * Removes every temporary file in `dir` (left by a process that was killed mid-write); returns
 * how many. Call only when no other process writes there.
 */
export function sweepPartFiles(dir: string): number {
  let removed = 0;
  for (const name of readdirSync(dir)) {
    if (!PART.test(name)) continue;
    rmSync(path.join(dir, name), { force: true });
    removed += 1;
  }
  return removed;
}
