/**
 * What a model pack consists of: for a set of manifest models, every file (the models, then the
 * licence texts they require) with the exact files accepted at each path and where `models
 * fetch` finds it upstream. Shared by verification and fetching so both agree on what a pack is.
 */
import path from 'node:path';
import { FaceliveError } from '../errors/catalogue.js';
import type { ConverterId } from './convert/converters.js';
import { LICENCE_FILES, MODEL_MANIFEST, findModel, type LicenceFileEntry, type ModelEntry, type PinnedFile } from './manifest.js';

/** Folder of the models directory that holds the licence texts. */
export const LICENCES_DIR = 'licenses';

/** What kind of file of the pack a report line is about. */
export type PackFileKind = 'model' | 'licence';

/** One exact file accepted at a pack path, with a short name for reports. */
export interface AcceptedBuild extends PinnedFile {
  /** `upstream` (the published file), `facelive-conversion`, `pack` (a model pack file), or an alternate's label. */
  readonly label: string;
}

/** A file published upstream that `models fetch` downloads (and converts, with `converter`). */
export interface UpstreamFile extends PinnedFile {
  readonly repo: string;
  readonly commit: string;
  readonly path: string;
  readonly converter?: ConverterId;
}

/** One file the pack must contain, as listed by {@link listPackFiles}. */
export interface PackFile {
  /** Path inside the pack with `/` separators: `yunet_s_dynamic.onnx`, `licenses/YOLOX.LICENSE`. */
  readonly file: string;
  readonly kind: PackFileKind;
  /** Model id (`role/name@version`); only for models. */
  readonly id?: string;
  /** The file `models fetch` installs. */
  readonly sha256: string;
  readonly sizeBytes: number;
  /** Every exact file accepted here, the installed one first. */
  readonly accepted: readonly AcceptedBuild[];
  /** Where `models fetch` gets it without `--from`; absent: only from a model pack. */
  readonly upstream?: UpstreamFile;
}

// Manifest names are joined onto directories and URLs; a name with a separator or `..` would
// let a bad manifest read or write outside the models directory.
function assertPlainFileName(name: string): void {
  if (name === '' || name === '.' || name === '..' || /[/\\]/.test(name)) {
    throw new FaceliveError('CONFIG_INVALID', { reason: `manifest file name "${name}" must be a plain file name` });
  }
}

function modelFile(entry: ModelEntry): PackFile {
  assertPlainFileName(entry.file);
  const { repo, commit, path: upstreamPath, pinned, converter } = entry.source;
  const label = converter ? 'facelive-conversion' : pinned ? 'upstream' : 'pack';
  const accepted = [
    { label, sha256: entry.sha256, sizeBytes: entry.sizeBytes },
    ...(entry.alternateBuilds ?? []).map(({ label, sha256, sizeBytes }) => ({ label, sha256, sizeBytes })),
  ];
  return {
    file: entry.file,
    kind: 'model',
    id: entry.id,
    sha256: entry.sha256,
    sizeBytes: entry.sizeBytes,
    accepted,
    ...(pinned && { upstream: { repo, commit, path: upstreamPath, ...pinned, ...(converter && { converter }) } }),
  };
}

function licenceFile(licence: LicenceFileEntry): PackFile {
  assertPlainFileName(licence.file);
  const { sha256, sizeBytes, source } = licence;
  return {
    file: `${LICENCES_DIR}/${licence.file}`,
    kind: 'licence',
    sha256,
    sizeBytes,
    accepted: [{ label: source ? 'upstream' : 'pack', sha256, sizeBytes }],
    ...(source && { upstream: { ...source, sha256, sizeBytes } }),
  };
}

/** The licence texts `entries` require, in the order of {@link LICENCE_FILES}. */
export function licencesFor(entries: readonly Pick<ModelEntry, 'licenceFiles'>[], licences: readonly LicenceFileEntry[] = LICENCE_FILES): LicenceFileEntry[] {
  const needed = new Set(entries.flatMap((e) => e.licenceFiles));
  const known = new Set(licences.map((l) => l.file));
  const unknown = [...needed].filter((name) => !known.has(name));
  if (unknown.length > 0) throw new FaceliveError('CONFIG_INVALID', { reason: `licence files ${unknown.join(', ')} are not in the manifest` });
  return licences.filter((l) => needed.has(l.file));
}

/**
 * Every file of the pack for `entries` (default: the whole manifest), models first in the given
 * order, then the licence texts they require.
 */
export function listPackFiles(entries: readonly ModelEntry[] = MODEL_MANIFEST, licences: readonly LicenceFileEntry[] = licencesFor(entries)): PackFile[] {
  return [...entries.map(modelFile), ...licences.map(licenceFile)];
}

/**
 * Manifest entries for model ids, deduplicated, in manifest order; an unknown id is
 * CONFIG_INVALID naming the known ones.
 *
 * @example
 * selectModels(['detector/yunet-s@2023.1', 'pad/minifasnet-v2-s2.7@1.0']);
 */
export function selectModels(ids: readonly string[]): ModelEntry[] {
  const wanted = new Set(ids.map((id) => findModel(id).id));
  return MODEL_MANIFEST.filter((m) => wanted.has(m.id));
}

/** Absolute path of a pack file (as named by {@link PackFile.file}) inside `modelsDir`. */
export function packFilePath(modelsDir: string, file: string): string {
  return path.join(path.resolve(modelsDir), ...file.split('/'));
}
