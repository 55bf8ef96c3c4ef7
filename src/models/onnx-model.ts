import * as ort from 'onnxruntime-node';
import { FaceliveError } from '../errors/catalogue.js';
import type { ModelEntry, OutputSpec } from './manifest.js';
import { verifyModelFile } from './verify-pack.js';

/** A verified, loaded and warmed ONNX session together with its manifest entry. */
export interface LoadedModel<E extends ModelEntry = ModelEntry> {
  readonly entry: E;
  readonly session: ort.InferenceSession;
}

/** Threading of one session; the worker pool sizes these together with its thread count. */
export interface SessionThreads {
  readonly intraOpNumThreads: number;
}

type ValueMetadata = ort.InferenceSession.ValueMetadata;

function describeShape(shape: readonly (number | string)[]): string {
  return `[${shape.join(', ')}]`;
}

/** Numbers must match exactly; a manifest string means "dynamic", which the session must share. */
function shapeMatches(expected: readonly (number | string)[], actual: readonly (number | string)[]): boolean {
  return expected.length === actual.length && expected.every((dim, i) => (typeof dim === 'number' ? actual[i] === dim : typeof actual[i] === 'string'));
}

function checkValue(
  kind: 'input' | 'output',
  expected: { name: string; shape: readonly (number | string)[] },
  actual: readonly ValueMetadata[],
): string | undefined {
  const found = actual.find((value) => value.name === expected.name);
  if (!found) return `${kind} "${expected.name}" is missing (model has ${actual.map((v) => v.name).join(', ')})`;
  if (!found.isTensor || found.type !== 'float32') return `${kind} "${expected.name}" is not a float32 tensor`;
  if (!shapeMatches(expected.shape, found.shape)) {
    return `${kind} "${expected.name}" has shape ${describeShape(found.shape)}, manifest says ${describeShape(expected.shape)}`;
  }
  return undefined;
}

/**
 * Compares a session's input/output metadata with the manifest entry; the first difference is a
 * MODEL_METADATA_MISMATCH naming the tensor, what the manifest expects and what the file has.
 */
export function checkSessionMetadata(entry: ModelEntry, inputs: readonly ValueMetadata[], outputs: readonly ValueMetadata[]): void {
  const problems = [checkValue('input', entry.input, inputs), ...entry.outputs.map((output: OutputSpec) => checkValue('output', output, outputs))].filter(
    (problem): problem is string => problem !== undefined,
  );
  if (problems.length > 0) {
    throw new FaceliveError('MODEL_METADATA_MISMATCH', { modelId: entry.id, reason: problems.join('; ') });
  }
}

/** A zero input of the model's nominal shape (dynamic sizes replaced by a typical selfie size). */
function warmUpInput(entry: ModelEntry): ort.Tensor {
  const typical: Record<number, number> = { 0: 1, 1: 3, 2: 480, 3: 640 };
  const dims = entry.input.shape.map((dim, i) => (typeof dim === 'number' ? dim : typical[i]));
  return new ort.Tensor('float32', new Float32Array(dims.reduce((a, b) => a * b, 1)), dims);
}

/**
 * Loads one model: checks size and sha256 against the manifest, creates the session, checks its
 * metadata, and runs it once so the first real request does not pay for allocation.
 * Every failure is a catalogue error naming the model; there is no fallback.
 */
export async function loadModel<E extends ModelEntry>(entry: E, modelsDir: string, threads: SessionThreads): Promise<LoadedModel<E>> {
  const path = await verifyModelFile(modelsDir, entry);
  let session: ort.InferenceSession;
  try {
    session = await ort.InferenceSession.create(path, {
      intraOpNumThreads: threads.intraOpNumThreads,
      interOpNumThreads: 1,
      executionMode: 'sequential',
      graphOptimizationLevel: 'all',
    });
  } catch (error) {
    throw new FaceliveError('MODEL_LOAD_FAILED', { modelId: entry.id, reason: String((error as Error)?.message ?? error) }, { cause: error });
  }
  try {
    checkSessionMetadata(entry, session.inputMetadata, session.outputMetadata);
    await session.run({ [entry.input.name]: warmUpInput(entry) });
  } catch (error) {
    await session.release();
    if (error instanceof FaceliveError) throw error;
    throw new FaceliveError('MODEL_LOAD_FAILED', { modelId: entry.id, reason: `warm-up failed: ${String(error)}` }, { cause: error });
  }
  return { entry, session };
}
