import { FaceliveError } from '../errors/catalogue.js';
import { findModel, type DetectorEntry, type PadEntry } from './manifest.js';
import { loadModel, type LoadedModel, type SessionThreads } from './onnx-model.js';
import { rgbFrameInput } from './onnx/rgb-frame-input.js';

/** One PAD model of the fused set with its fusion weight. */
export interface WeightedPadModel {
  readonly model: LoadedModel<PadEntry>;
  readonly weight: number;
}

/** The models one engine instance runs: a face detector and the PAD models it fuses. */
export interface ModelSet {
  readonly detector: LoadedModel<DetectorEntry>;
  readonly pads: readonly WeightedPadModel[];
  /** Frees the native sessions. */
  release(): Promise<void>;
}

/** Which models to load, by manifest id. */
export interface ModelSetSpec {
  readonly modelsDir: string;
  readonly detectorId: string;
  readonly pad: readonly { readonly id: string; readonly weight: number }[];
  readonly threads: SessionThreads;
}

function requireRole<R extends 'face-detector' | 'pad'>(id: string, role: R) {
  const entry = findModel(id);
  if (entry.role !== role) {
    throw new FaceliveError('CONFIG_INVALID', { reason: `model ${id} has role ${entry.role}, expected ${role}` });
  }
  return entry as R extends 'pad' ? PadEntry : DetectorEntry;
}

/**
 * Loads a face detector whose graph takes the decoded frame itself (uint8 HWC RGB, see
 * {@link rgbFrameInput}), as `detectFaces` feeds it.
 */
export function loadDetector(entry: DetectorEntry, modelsDir: string, threads: SessionThreads): Promise<LoadedModel<DetectorEntry>> {
  return loadModel(entry, modelsDir, threads, rgbFrameInput(entry));
}

/**
 * Loads, verifies and warms every model of a set. All must load: a missing or mismatched model
 * fails the whole set (and frees what was loaded) rather than leaving a partial fusion.
 */
export async function loadModelSet(spec: ModelSetSpec): Promise<ModelSet> {
  if (spec.pad.length === 0) throw new FaceliveError('CONFIG_INVALID', { reason: 'at least one PAD model is required' });
  const detectorEntry = requireRole(spec.detectorId, 'face-detector');
  const padEntries = spec.pad.map((p) => ({ entry: requireRole(p.id, 'pad'), weight: p.weight }));
  const loaded = await Promise.allSettled([
    loadDetector(detectorEntry, spec.modelsDir, spec.threads),
    ...padEntries.map((p) => loadModel(p.entry, spec.modelsDir, spec.threads)),
  ]);
  const failure = loaded.find((result) => result.status === 'rejected');
  if (failure) {
    await Promise.all(loaded.map((r) => (r.status === 'fulfilled' ? r.value.session.release() : undefined)));
    throw (failure as PromiseRejectedResult).reason;
  }
  const models = loaded.map((r) => (r as PromiseFulfilledResult<LoadedModel>).value);
  const detector = models[0] as LoadedModel<DetectorEntry>;
  const pads = padEntries.map((p, i) => ({ model: models[i + 1] as LoadedModel<PadEntry>, weight: p.weight }));
  return {
    detector,
    pads,
    release: async () => {
      await Promise.all(models.map((m) => m.session.release()));
    },
  };
}
