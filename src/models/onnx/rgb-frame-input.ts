/**
 * Moves a face detector's input preparation into its graph. YuNet takes NCHW float32 BGR planes
 * of raw 0..255 values, zero-padded bottom and right to a multiple of its alignment (MODELS.md
 * 2.2); writing that tensor in JavaScript cost 1.5–2 ms per 640x480 image (3.7 MB of floats), more
 * than a fifth of the detector's own time (issue 14). The edited graph takes the decoded frame as
 * it is, uint8 HWC RGB, and pads, transposes, reorders the channels and casts it itself, inside
 * onnxruntime's optimised kernels.
 *
 * The edit is made in memory when the model loads: the file on disk, which the manifest's sha256
 * covers, is unchanged. The values reaching the first convolution are exactly those the
 * JavaScript path wrote (integers 0..255 and zero padding are exact in float32), so detections do
 * not change by a bit.
 */
import { FaceliveError } from '../../errors/catalogue.js';
import type { DetectorEntry } from '../manifest.js';
import type { GraphEdit, loadModel } from '../onnx-model.js';
import { attribute, int64Tensor, node } from './onnx-builders.js';
import { TensorDataType, type ModelProto, type NodeProto, type TensorProto, type ValueInfoProto } from './onnx-proto.js';

/** Name of the edited graph's input: the frame, uint8 `[height, width, 3]`, RGB. */
export const RGB_FRAME_INPUT = 'facelive_rgb_frame';

const PREFIX = 'facelive_frame_input/';
const name = (local: string) => `${PREFIX}${local}`;

function frameValueInfo(): ValueInfoProto {
  return {
    name: RGB_FRAME_INPUT,
    type: { tensorType: { elemType: TensorDataType.UINT8, shape: { dim: [{ dimParam: 'height' }, { dimParam: 'width' }, { dimValue: 3 }] } } },
  };
}

/** Nodes and constants that turn the frame into the detector's NCHW float input `target`. */
function preparation(entry: DetectorEntry, target: string): { nodes: NodeProto[]; constants: TensorProto[] } {
  const align = entry.inputAlignment;
  const constants = [
    int64Tensor(name('zero'), [1], [0]),
    int64Tensor(name('two'), [1], [2]),
    int64Tensor(name('align'), [1], [align]),
    int64Tensor(name('align_minus_one'), [1], [align - 1]),
    int64Tensor(name('no_padding_before'), [3], [0, 0, 0]),
    int64Tensor(name('bgr_planes'), [3], [2, 1, 0]),
  ];
  const swapsChannels = entry.input.colourOrder === 'BGR';
  const planes = swapsChannels ? name('bgr') : name('chw');
  const nodes = [
    // Padded size: ceil(side / align) * align for height and width, as integers.
    node('Shape', name('shape'), [RGB_FRAME_INPUT], [name('shape')]),
    node('Slice', name('sides'), [name('shape'), name('zero'), name('two'), name('zero')], [name('sides')]),
    node('Add', name('sides_up'), [name('sides'), name('align_minus_one')], [name('sides_up')]),
    node('Div', name('blocks'), [name('sides_up'), name('align')], [name('blocks')]),
    node('Mul', name('aligned'), [name('blocks'), name('align')], [name('aligned')]),
    node('Sub', name('extra'), [name('aligned'), name('sides')], [name('extra')]),
    // Pad's layout is all the begins, then all the ends: [0, 0, 0, extraH, extraW, 0].
    node('Concat', name('pads'), [name('no_padding_before'), name('extra'), name('zero')], [name('pads')], [attribute.int('axis', 0)]),
    node('Pad', name('padded'), [RGB_FRAME_INPUT, name('pads')], [name('padded')], [attribute.string('mode', 'constant')]),
    node('Transpose', name('chw'), [name('padded')], [name('chw')], [attribute.ints('perm', [2, 0, 1])]),
    ...(swapsChannels ? [node('Gather', name('bgr'), [name('chw'), name('bgr_planes')], [name('bgr')], [attribute.int('axis', 0)])] : []),
    node('Cast', name('float'), [planes], [name('float')], [attribute.int('to', TensorDataType.FLOAT)]),
    node('Unsqueeze', name('batch'), [name('float')], [target], [attribute.ints('axes', [0])]),
  ];
  return { nodes, constants };
}

/**
 * Edits a decoded detector model (opset 11 or later, as YuNet's) so that it takes the frame as
 * uint8 HWC RGB under {@link RGB_FRAME_INPUT} instead of the manifest's NCHW float input. Only a
 * detector whose normalisation is the identity (mean 0, std 1) can be edited: any other would
 * round differently in the graph than the reference's float64 arithmetic.
 *
 * @example
 * const model = decodeModel(await readFile(file));
 * const session = await ort.InferenceSession.create(encodeModel(acceptRgbFrames(model, entry)));
 * await session.run({ [RGB_FRAME_INPUT]: new ort.Tensor('uint8', frame.data, [frame.height, frame.width, 3]) });
 */
export function acceptRgbFrames(model: ModelProto, entry: DetectorEntry): ModelProto {
  const { mean, std } = entry.input.normalisation;
  const graph = model.graph;
  const original = graph?.input?.find((input) => input.name === entry.input.name);
  if (!graph || !original) throw new FaceliveError('MODEL_METADATA_MISMATCH', { modelId: entry.id, reason: `input "${entry.input.name}" is missing` });
  if (mean !== 0 || std !== 1) {
    throw new FaceliveError('MODEL_LOAD_FAILED', {
      modelId: entry.id,
      reason: `frame input needs identity normalisation, the manifest has mean ${mean}, std ${std}`,
    });
  }
  const { nodes, constants } = preparation(entry, entry.input.name);
  return {
    ...model,
    graph: {
      ...graph,
      input: [frameValueInfo(), ...(graph.input ?? []).filter((input) => input !== original)],
      initializer: [...(graph.initializer ?? []), ...constants],
      node: [...nodes, ...(graph.node ?? [])],
    },
  };
}

/**
 * The {@link acceptRgbFrames} edit for {@link loadModel}: the session takes uint8
 * `[height, width, 3]` RGB frames under {@link RGB_FRAME_INPUT}.
 *
 * @example
 * const detector = await loadModel(entry, modelsDir, threads, rgbFrameInput(entry));
 */
export function rgbFrameInput(entry: DetectorEntry): GraphEdit {
  return {
    apply: (model) => acceptRgbFrames(model, entry),
    input: { name: RGB_FRAME_INPUT, type: 'uint8', shape: ['height', 'width', 3], warmUpDims: [480, 640, 3] },
    // One frame is one image: onnxruntime infers a batch of 1 for the outputs.
    outputShape: (output) => [1, ...output.shape.slice(1)],
  };
}
