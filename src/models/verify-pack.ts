import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { FaceliveError } from '../errors/catalogue.js';
import { MODEL_MANIFEST, type ModelEntry } from './manifest.js';
import { licencesFor, listPackFiles, packFilePath, type PackFile } from './pack-files.js';

/**
 * State of one file. `unreadable` covers what is there but cannot be hashed (permissions, a
 * directory in place of the file), which otherwise would be misreported as missing or corrupt.
 * `not-installed`: an optional model that is absent, which is fine.
 */
export type PackFileStatus = 'ok' | 'missing' | 'not-installed' | 'size-mismatch' | 'checksum-mismatch' | 'unreadable';

/** Result of checking one file. `actual*` are filled as far as the check got. */
export interface PackFileReport extends PackFile {
  /** Absolute path that was checked. */
  readonly path: string;
  readonly status: PackFileStatus;
  /** For `ok`: the label of the accepted build the file is (`upstream`, `facelive-conversion`, `pytorch-export`…). */
  readonly build?: string;
  readonly actualSizeBytes?: number;
  /** Only computed when the size matched an accepted build: hashing a file of the wrong size tells nothing new. */
  readonly actualSha256?: string;
  /** Why the file is `unreadable`. */
  readonly reason?: string;
}

/** Result of {@link verifyPack}: `ok` when every file is `ok` or `not-installed`. */
export interface PackReport {
  readonly modelsDir: string;
  readonly ok: boolean;
  readonly files: readonly PackFileReport[];
}

/** Which models {@link verifyPack} checks. */
export interface VerifyPackOptions {
  /** Models that must be present (default: the whole manifest). */
  readonly required?: readonly ModelEntry[];
  /** Models checked only when their file is there; absent ones are `not-installed`. */
  readonly optional?: readonly ModelEntry[];
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

function errnoCode(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : undefined;
}

function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Checks one file against the exact files accepted at its path (size and sha256). The size is
 * compared first because a `stat` is free and catches truncated downloads without reading
 * megabytes.
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
  if (!expected.accepted.some((b) => b.sizeBytes === sizeBytes)) return { ...base, status: 'size-mismatch', actualSizeBytes: sizeBytes };
  let sha256: string;
  try {
    sha256 = await sha256File(filePath);
  } catch (error) {
    return { ...base, status: 'unreadable', actualSizeBytes: sizeBytes, reason: describeError(error) };
  }
  const build = expected.accepted.find((b) => b.sha256 === sha256 && b.sizeBytes === sizeBytes);
  if (!build) return { ...base, status: 'checksum-mismatch', actualSizeBytes: sizeBytes, actualSha256: sha256 };
  return { ...base, status: 'ok', build: build.label, actualSizeBytes: sizeBytes, actualSha256: sha256 };
}

/**
 * Checks the models of a pack and the licence texts they require (existence, size, sha256) and
 * reports each file; files not in the manifest are ignored. Required models must be there;
 * optional ones are checked only when present (their licences then become required). Never
 * throws for a bad pack: the report is the answer, so `models verify` can list every problem.
 *
 * @example
 * const report = await verifyPack('/srv/models', { required: selectModels(['detector/yunet-s@2023.1']) });
 * if (!report.ok) console.log(report.files.filter((f) => f.status !== 'ok'));
 */
export async function verifyPack(modelsDir: string, options: VerifyPackOptions = {}): Promise<PackReport> {
  const absoluteDir = path.resolve(modelsDir);
  const required = options.required ?? MODEL_MANIFEST;
  const optional = (options.optional ?? []).filter((entry) => !required.includes(entry));
  const files: PackFileReport[] = [];
  // Sequential on purpose: the pack is small, and parallel hashing would only contend for disk.
  for (const file of listPackFiles(required, [])) files.push(await checkPackFile(absoluteDir, file));
  const installed: ModelEntry[] = [];
  for (const entry of optional) {
    const report = await checkPackFile(absoluteDir, listPackFiles([entry], [])[0]);
    files.push(report.status === 'missing' ? { ...report, status: 'not-installed' } : report);
    if (report.status !== 'missing') installed.push(entry);
  }
  for (const file of listPackFiles([], licencesFor([...required, ...installed]))) files.push(await checkPackFile(absoluteDir, file));
  return { modelsDir: absoluteDir, ok: files.every((f) => f.status === 'ok' || f.status === 'not-installed'), files };
}

/**
 * Verifies one model file before it is loaded and returns its absolute path. The file must be
 * byte for byte one of the builds the manifest pins for the model (see `alternateBuilds`). Throws
 * `MODEL_FILE_MISSING`, `MODEL_CHECKSUM_MISMATCH` (also for a wrong size, with
 * `actualSizeBytes`/`expectedSizeBytes` params, without hashing) or `MODEL_LOAD_FAILED` when
 * the file exists but cannot be read.
 *
 * @example
 * const file = await verifyModelFile(modelsDir, findModel('detector/yunet-s@2023.1'));
 */
export async function verifyModelFile(modelsDir: string, entry: ModelEntry): Promise<string> {
  const [expected] = listPackFiles([entry], []);
  const report = await checkPackFile(modelsDir, expected);
  const { id: modelId, file } = entry;
  const expectedSha256 = expected.accepted.map((b) => (expected.accepted.length > 1 ? `${b.sha256} (${b.label})` : b.sha256)).join(' or ');
  const expectedSizes = expected.accepted.map((b) => b.sizeBytes).join(' or ');
  switch (report.status) {
    case 'ok':
      return report.path;
    case 'missing':
    case 'not-installed':
      throw new FaceliveError('MODEL_FILE_MISSING', { modelId, file, modelsDir: path.resolve(modelsDir) });
    case 'size-mismatch':
      throw new FaceliveError('MODEL_CHECKSUM_MISMATCH', {
        modelId,
        file,
        actual: `unknown (the file is ${report.actualSizeBytes} bytes instead of ${expectedSizes})`,
        expected: expectedSha256,
        actualSizeBytes: report.actualSizeBytes,
        expectedSizeBytes: entry.sizeBytes,
      });
    case 'checksum-mismatch':
      throw new FaceliveError('MODEL_CHECKSUM_MISMATCH', { modelId, file, actual: report.actualSha256 ?? 'unknown', expected: expectedSha256 });
    case 'unreadable':
      throw new FaceliveError('MODEL_LOAD_FAILED', { modelId, reason: `${report.path}: ${report.reason}` });
  }
}
