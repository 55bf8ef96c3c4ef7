/**
 * A models directory in which the MiniFASNet pair is facelive's own conversion of the upstream
 * .pth files in ../shared/models/upstream (converted here, in-process), and every other model
 * a link to ../shared/models. Tests compare it with the pack's PyTorch exports. Removed when the
 * test process exits.
 */
import { mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { convertUpstreamFile } from '../../src/models/convert/converters.js';
import { MODEL_MANIFEST, type ModelEntry } from '../../src/models/manifest.js';
import { listPackFiles } from '../../src/models/pack-files.js';
import { SHARED_DIR, requireDir } from './paths.js';

/** The shared model pack (PyTorch-exported MiniFASNet files). */
export const SHARED_MODELS_DIR = path.join(SHARED_DIR, 'models');
/** The upstream files the pack is made from, laid out as `<owner>/<repo>/<commit>/<path>`. */
export const UPSTREAM_DIR = path.join(SHARED_MODELS_DIR, 'upstream');

/** Models the converter builds (the manifest names a converter for them). */
export const CONVERTED_MODELS: readonly ModelEntry[] = MODEL_MANIFEST.filter((m) => m.source.converter);

/** The converted pack and how long each conversion took. */
export interface ConvertedPack {
  readonly dir: string;
  /** Per model id: milliseconds for `.pth` bytes → ONNX bytes. */
  readonly convertMs: Readonly<Record<string, number>>;
}

/** Reads the upstream file of a converted model from ../shared/models/upstream. */
export function readUpstreamFile(entry: ModelEntry): Uint8Array {
  const { repo, commit, path: file } = entry.source;
  return readFileSync(path.join(requireDir(UPSTREAM_DIR, 'the upstream files'), repo, commit, ...file.split('/')));
}

/** Converts one model's upstream file, as `models fetch` does. */
export function convertModel(entry: ModelEntry): Uint8Array {
  const [file] = listPackFiles([entry], []);
  if (!file.upstream?.converter) throw new Error(`${entry.id} is not converted`);
  return convertUpstreamFile(file.upstream, readUpstreamFile(entry));
}

/** Builds the converted pack in a fresh temporary directory. */
export function buildConvertedPack(): ConvertedPack {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'facelive-converted-'));
  process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  const convertMs: Record<string, number> = {};
  for (const entry of MODEL_MANIFEST) {
    if (entry.source.converter) {
      const started = performance.now();
      const onnx = convertModel(entry);
      convertMs[entry.id] = performance.now() - started;
      writeFileSync(path.join(dir, entry.file), onnx);
    } else {
      symlinkSync(path.join(requireDir(SHARED_MODELS_DIR, 'the model pack'), entry.file), path.join(dir, entry.file));
    }
  }
  return { dir, convertMs };
}
