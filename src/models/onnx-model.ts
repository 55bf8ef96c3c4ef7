import { readFile } from 'node:fs/promises';
import * as ort from 'onnxruntime-node';
import { FaceliveError } from '../errors/catalogue.js';
import type { ModelEntry, OutputSpec } from './manifest.js';
import { decodeModel, encodeModel, type ModelProto } from './onnx/onnx-proto.js';
import { verifyModelFile } from './verify-pack.js';

/** A verified, loaded and warmed ONNX session together with its manifest entry. */
export interface LoadedModel<E extends ModelEntry = ModelEntry> {
  readonly entry: E;
  readonly session: ort.InferenceSession;
}

/**
 * A change made in memory to a model's graph before its session is created (the file, which the
 * manifest's sha256 covers, stays as it is), and the input the changed graph takes instead of the
 * manifest's.
 */
export interface GraphEdit {
  apply(model: ModelProto): ModelProto;
  readonly input: {
    readonly name: string;
    readonly type: 'uint8' | 'float32';
    readonly shape: readonly (number | string)[];
    /** Dims of the zero tensor the session is warmed with (dynamic sizes filled in). */
    readonly warmUpDims: readonly number[];
  };
  /** Shape of a manifest output in the changed graph (e.g. a batch of one), when it changes. */
  readonly outputShape?: (output: OutputSpec) => readonly (number | string)[];
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

interface ExpectedValue {
  readonly name: string;
  readonly shape: readonly (number | string)[];
  readonly type?: 'uint8' | 'float32';
}

function checkValue(kind: 'input' | 'output', expected: ExpectedValue, actual: readonly ValueMetadata[]): string | undefined {
  const found = actual.find((value) => value.name === expected.name);
  if (!found) return `${kind} "${expected.name}" is missing (model has ${actual.map((v) => v.name).join(', ')})`;
  const type = expected.type ?? 'float32';
  if (!found.isTensor || found.type !== type) return `${kind} "${expected.name}" is not a ${type} tensor`;
  if (!shapeMatches(expected.shape, found.shape)) {
    return `${kind} "${expected.name}" has shape ${describeShape(found.shape)}, manifest says ${describeShape(expected.shape)}`;
  }
  return undefined;
}

/**
 * Compares a session's input/output metadata with the manifest entry (or, for an edited graph,
 * with the edit's input); the first difference is a MODEL_METADATA_MISMATCH naming the tensor,
 * what the manifest expects and what the file has.
 */
export function checkSessionMetadata(entry: ModelEntry, inputs: readonly ValueMetadata[], outputs: readonly ValueMetadata[], edit?: GraphEdit): void {
  const expectedOutput = (output: OutputSpec): ExpectedValue => (edit?.outputShape ? { ...output, shape: edit.outputShape(output) } : output);
  const problems = [
    checkValue('input', edit?.input ?? entry.input, inputs),
    ...entry.outputs.map((output: OutputSpec) => checkValue('output', expectedOutput(output), outputs)),
  ].filter((problem): problem is string => problem !== undefined);
  if (problems.length > 0) {
    throw new FaceliveError('MODEL_METADATA_MISMATCH', { modelId: entry.id, reason: problems.join('; ') });
  }
}

/** A zero input of the model's nominal shape (dynamic sizes replaced by a typical selfie size). */
function warmUpInput(entry: ModelEntry, edit: GraphEdit | undefined): ort.Tensor {
  if (edit) {
    const { type, warmUpDims } = edit.input;
    const count = warmUpDims.reduce((a, b) => a * b, 1);
    return type === 'uint8'
      ? new ort.Tensor('uint8', new Uint8Array(count), [...warmUpDims])
      : new ort.Tensor('float32', new Float32Array(count), [...warmUpDims]);
  }
  const typical: Record<number, number> = { 0: 1, 1: 3, 2: 480, 3: 640 };
  const dims = entry.input.shape.map((dim, i) => (typeof dim === 'number' ? dim : typical[i]));
  return new ort.Tensor('float32', new Float32Array(dims.reduce((a, b) => a * b, 1)), dims);
}

/** What the session is created from: the file's path, or the edited graph's bytes. */
async function sessionSource(path: string, entry: ModelEntry, edit: GraphEdit | undefined): Promise<string | Uint8Array> {
  if (!edit) return path;
  return encodeModel(edit.apply(decodeModel(await readFile(path), entry.id)));
}

/**
 * Loads one model: checks size and sha256 against the manifest, creates the session (from the
 * graph as `edit` changes it, when given), checks its metadata, and runs it once so the first real
 * request does not pay for allocation.
 * Every failure is a catalogue error naming the model; there is no fallback.
 */
export async function loadModel<E extends ModelEntry>(entry: E, modelsDir: string, threads: SessionThreads, edit?: GraphEdit): Promise<LoadedModel<E>> {
  const path = await verifyModelFile(modelsDir, entry);
  const source = await sessionSource(path, entry, edit);
  const options: ort.InferenceSession.SessionOptions = {
    intraOpNumThreads: threads.intraOpNumThreads,
    interOpNumThreads: 1,
    executionMode: 'sequential',
    graphOptimizationLevel: 'all',
  };
  let session: ort.InferenceSession;
  try {
    session = await (typeof source === 'string' ? ort.InferenceSession.create(source, options) : ort.InferenceSession.create(source, options));
  } catch (error) {
    throw new FaceliveError('MODEL_LOAD_FAILED', { modelId: entry.id, reason: String((error as Error)?.message ?? error) }, { cause: error });
  }
  try {
    checkSessionMetadata(entry, session.inputMetadata, session.outputMetadata, edit);
    await session.run({ [edit?.input.name ?? entry.input.name]: warmUpInput(entry, edit) });
  } catch (error) {
    await session.release();
    if (error instanceof FaceliveError) throw error;
    throw new FaceliveError('MODEL_LOAD_FAILED', { modelId: entry.id, reason: `warm-up failed: ${String(error)}` }, { cause: error });
  }
  return { entry, session };
}
