import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';

/** One image to check: a file path, or `-` for standard input. */
export interface CheckInput {
  /** Name shown in output: the path as given (or found while walking), `-` for stdin. */
  readonly name: string;
}

/**
 * Extensions picked up when walking a directory, so that labels, READMEs and the like are not
 * reported as failures. Files named explicitly are always checked: the bytes decide the format.
 */
const IMAGE_EXTENSIONS = new Set(['.jpg', '.jpeg', '.jpe', '.jfif', '.png', '.bmp', '.dib', '.webp', '.gif', '.tif', '.tiff']);

/** Appends the image files under `dir` (recursively, sorted, image extensions only) to `found`. */
export async function walk(dir: string, found: CheckInput[]): Promise<void> {
  const entries = await readdir(dir, { withFileTypes: true });
  entries.sort((a, b) => a.name.localeCompare(b.name));
  for (const entry of entries) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) await walk(full, found);
    else if (entry.isFile() && IMAGE_EXTENSIONS.has(path.extname(entry.name).toLowerCase())) found.push({ name: full });
  }
}

/**
 * Expands the command line's operands into images, in order: files as given, directories walked
 * recursively (sorted, image extensions only), `-` as standard input. A path that does not exist
 * stays in the list so that it is reported as a failed image, not silently dropped.
 */
export async function collectInputs(operands: readonly string[]): Promise<CheckInput[]> {
  const found: CheckInput[] = [];
  for (const operand of operands) {
    if (operand === '-') {
      found.push({ name: '-' });
      continue;
    }
    const info = await stat(operand).catch(() => undefined);
    if (info?.isDirectory()) await walk(operand, found);
    else found.push({ name: operand });
  }
  return found;
}
