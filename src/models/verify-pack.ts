import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { FaceliveError } from '../errors/catalogue.js';
import { LICENCE_FILES, MODEL_MANIFEST, type LicenceFileEntry, type ModelEntry } from './manifest.js';

/** Folder of the models directory that holds the licence texts. */
export const LICENCES_DIR = 'licenses';

/** What kind of file of the pack a report line is about. */
export type PackFileKind = 'model' | 'licence';

/** One file the pack must contain, as listed by {@link listPackFiles}. */
export interface PackFile {
  /** Path inside the pack with `/` separators: `yunet_s_dynamic.onnx`, `licenses/YOLOX.LICENSE`. */
  readonly file: string;
  readonly kind: PackFileKind;
  /** Model id (`role/name@version`); only for models. */
  readonly id?: string;
  readonly sha256: string;
  readonly sizeBytes: number;
}

/**
 * State of one file. `unreadable` covers what is there but cannot be hashed (permissions, a
 * directory in place of the file), which otherwise would be misreported as missing or corrupt.
 */
export type PackFileStatus = 'ok' | 'missing' | 'size-mismatch' | 'checksum-mismatch' | 'unreadable';

/** Result of checking one file. `actual*` are filled as far as the check got. */
export interface PackFileReport extends PackFile {
  /** Absolute path that was checked. */
  readonly path: string;
  readonly status: PackFileStatus;
  readonly actualSizeBytes?: number;
  /** Only computed when the size matched: hashing a file of the wrong size tells nothing new. */
  readonly actualSha256?: string;
  /** Why the file is `unreadable`. */
  readonly reason?: string;
}

/** Result of {@link verifyPack}: `ok` only when every file is `ok`. */
export interface PackReport {
  readonly modelsDir: string;
  readonly ok: boolean;
  readonly files: readonly PackFileReport[];
}

/**
 * SHA-256 of a file as lowercase hex, read as a stream so a large model never sits in memory.
 *
 * @example
 * await sha256File('/srv/models/yunet_s_dynamic.onnx'); // 'daede240…'
 */
export async function sha256File(filePath: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(filePath)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

// Manifest names are joined onto directories and URLs; a name with a separator or `..` would
// let a bad manifest read or write outside the models directory.
function assertPlainFileName(name: string): void {
  if (name === '' || name === '.' || name === '..' || /[/\\]/.test(name)) {
    throw new FaceliveError('CONFIG_INVALID', { reason: `manifest file name "${name}" must be a plain file name` });
  }
}

/**
 * Every file of the pack, models first (manifest order), then licence texts under
 * `licenses/`. Shared by verification and fetching so both agree on what a pack is.
 */
export function listPackFiles(
  entries: readonly Pick<ModelEntry, 'id' | 'file' | 'sha256' | 'sizeBytes'>[] = MODEL_MANIFEST,
  licences: readonly LicenceFileEntry[] = LICENCE_FILES,
): PackFile[] {
  const models = entries.map((entry): PackFile => {
    assertPlainFileName(entry.file);
    return { file: entry.file, kind: 'model', id: entry.id, sha256: entry.sha256, sizeBytes: entry.sizeBytes };
  });
  const texts = licences.map((licence): PackFile => {
    assertPlainFileName(licence.file);
    return { file: `${LICENCES_DIR}/${licence.file}`, kind: 'licence', sha256: licence.sha256, sizeBytes: licence.sizeBytes };
  });
  return [...models, ...texts];
}

/** Absolute path of a pack file (as named by {@link PackFile.file}) inside `modelsDir`. */
export function packFilePath(modelsDir: string, file: string): string {
  return path.join(path.resolve(modelsDir), ...file.split('/'));
}

function errnoCode(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : undefined;
}

function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Checks one file against its expected size and sha256. The size is compared first because a
 * `stat` is free and catches truncated downloads without reading megabytes.
 */
export async function checkPackFile(modelsDir: string, expected: PackFile): Promise<PackFileReport> {
  const filePath = packFilePath(modelsDir, expected.file);
  const base = { ...expected, path: filePath };
  let sizeBytes: number;
  try {
    const info = await stat(filePath);
    if (!info.isFile()) return { ...base, status: 'unreadable', reason: 'not a regular file' };
    sizeBytes = info.size;
  } catch (error) {
    const code = errnoCode(error);
    if (code === 'ENOENT' || code === 'ENOTDIR') return { ...base, status: 'missing' };
    return { ...base, status: 'unreadable', reason: describeError(error) };
  }
  if (sizeBytes !== expected.sizeBytes) return { ...base, status: 'size-mismatch', actualSizeBytes: sizeBytes };
  let sha256: string;
  try {
    sha256 = await sha256File(filePath);
  } catch (error) {
    return { ...base, status: 'unreadable', actualSizeBytes: sizeBytes, reason: describeError(error) };
  }
  const status = sha256 === expected.sha256 ? 'ok' : 'checksum-mismatch';
  return { ...base, status, actualSizeBytes: sizeBytes, actualSha256: sha256 };
}

/**
 * Checks every model and licence file of the pack in `modelsDir` (existence, size, sha256) and
 * reports each one; files not in the manifest are ignored. Never throws for a bad pack: the
 * report is the answer, so `models verify` can list every problem at once.
 *
 * @example
 * const report = await verifyPack('/srv/models');
 * if (!report.ok) console.log(report.files.filter((f) => f.status !== 'ok'));
 */
export async function verifyPack(
  modelsDir: string,
  entries: readonly Pick<ModelEntry, 'id' | 'file' | 'sha256' | 'sizeBytes'>[] = MODEL_MANIFEST,
  licences: readonly LicenceFileEntry[] = LICENCE_FILES,
): Promise<PackReport> {
  const absoluteDir = path.resolve(modelsDir);
  const files: PackFileReport[] = [];
  // Sequential on purpose: the pack is small, and parallel hashing would only contend for disk.
  for (const file of listPackFiles(entries, licences)) files.push(await checkPackFile(absoluteDir, file));
  return { modelsDir: absoluteDir, ok: files.every((f) => f.status === 'ok'), files };
}

/**
 * Verifies one model file before it is loaded and returns its absolute path. Throws
 * `MODEL_FILE_MISSING`, `MODEL_CHECKSUM_MISMATCH` (also for a wrong size, with
 * `actualSizeBytes`/`expectedSizeBytes` params, without hashing) or `MODEL_LOAD_FAILED` when
 * the file exists but cannot be read.
 *
 * @example
 * const file = await verifyModelFile(modelsDir, findModel('detector/yunet-s@2023.1'));
 */
export async function verifyModelFile(
  modelsDir: string,
  entry: Pick<ModelEntry, 'id' | 'file' | 'sha256' | 'sizeBytes'>,
): Promise<string> {
  const [expected] = listPackFiles([entry], []);
  const report = await checkPackFile(modelsDir, expected);
  const { id: modelId, file } = entry;
  switch (report.status) {
    case 'ok':
      return report.path;
    case 'missing':
      throw new FaceliveError('MODEL_FILE_MISSING', { modelId, file, modelsDir: path.resolve(modelsDir) });
    case 'size-mismatch':
      throw new FaceliveError('MODEL_CHECKSUM_MISMATCH', {
        modelId,
        file,
        actual: `unknown (the file is ${report.actualSizeBytes} bytes instead of ${entry.sizeBytes})`,
        expected: entry.sha256,
        actualSizeBytes: report.actualSizeBytes,
        expectedSizeBytes: entry.sizeBytes,
      });
    case 'checksum-mismatch':
      throw new FaceliveError('MODEL_CHECKSUM_MISMATCH', { modelId, file, actual: report.actualSha256 ?? 'unknown', expected: entry.sha256 });
    case 'unreadable':
      throw new FaceliveError('MODEL_LOAD_FAILED', { modelId, reason: `${report.path}: ${report.reason}` });
  }
}
