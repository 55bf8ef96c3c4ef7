/**
 * The inference graph of Silent-Face's MiniFASNet (upstream `src/model_lib/MiniFASNet.py`,
 * Apache-2.0) as ONNX, built from a state dict: `forward()` in evaluation mode, batch norms
 * folded into the convolutions and the linear layer, dropout gone, the Fourier-transform
 * training branch (`FTGenerator`) not part of it, and a softmax output `probs` next to `logits`.
 * Channel counts, kernels and groups are read from the weights and checked for consistency;
 * strides, paddings and the block order are those of MiniFASNet.py. Every weight of the state
 * dict must be used, so a file of the other variant is refused rather than half-read.
 */
import type { GraphProto, NodeProto, TensorProto } from '../onnx/onnx-proto.js';
import { attribute, floatTensor, floatValueInfo, node } from '../onnx/onnx-builders.js';
import { foldBatchNorm, type BatchNormParameters } from './fold-batch-norm.js';
import type { Float32Tensor } from './torch-legacy.js';

/** The two MiniFASNet variants facelive converts. */
export type MiniFasNetVariant = 'MiniFASNetV2' | 'MiniFASNetV1SE';

/** Tensor names and sizes of the converted graph, as MODELS.md section 3.2 specifies them. */
export const MINIFASNET_IO = { input: 'input', logits: 'logits', probs: 'probs', batch: 'N', inputSide: 80, channels: 3 } as const;

/** A state dict that does not fit the architecture; the message names the weight. */
export class ArchitectureMismatchError extends Error {
  override readonly name = 'ArchitectureMismatchError';
}

/** Whether the last block of each residual stage carries a squeeze-and-excitation module. */
const SQUEEZE_EXCITATION: Record<MiniFasNetVariant, boolean> = { MiniFASNetV2: false, MiniFASNetV1SE: true };

/** Emits nodes and initializers while tracking the running tensor's channels and side. */
class GraphWriter {
  readonly nodes: NodeProto[] = [];
  readonly initializers: TensorProto[] = [];
  private readonly unused: Set<string>;

  constructor(private readonly weights: ReadonlyMap<string, Float32Tensor>) {
    // Batch norms' `num_batches_tracked` are int64 and not in `weights`; FTGenerator is training only.
    this.unused = new Set([...weights.keys()].filter((k) => !k.startsWith('FTGenerator.')));
  }

  take(name: string): Float32Tensor {
    const tensor = this.weights.get(name);
    if (!tensor) throw new ArchitectureMismatchError(`weight ${name} is missing`);
    this.unused.delete(name);
    return tensor;
  }

  batchNorm(path: string): BatchNormParameters {
    return {
      weight: this.take(`${path}.weight`).data,
      bias: this.take(`${path}.bias`).data,
      runningMean: this.take(`${path}.running_mean`).data,
      runningVar: this.take(`${path}.running_var`).data,
    };
  }

  initializer(name: string, tensor: Float32Tensor): string {
    this.initializers.push(floatTensor(name, tensor.shape, tensor.data));
    return name;
  }

  add(opType: string, name: string, inputs: string[], attributes: Parameters<typeof node>[4] = []): string {
    this.nodes.push(node(opType, name, inputs, [name], attributes));
    return name;
  }

  assertAllUsed(): void {
    if (this.unused.size > 0) throw new ArchitectureMismatchError(`weights not part of the architecture: ${[...this.unused].slice(0, 5).join(', ')}`);
  }
}

interface Activation {
  readonly name: string;
  readonly channels: number;
  readonly side: number;
}

/** MiniFASNet.py `Conv_block` (with PReLU) or `Linear_block` (without): conv → bn (folded) [→ prelu]. */
function convBlock(g: GraphWriter, path: string, x: Activation, stride: number, padding: number, prelu: boolean): Activation {
  const raw = g.take(`${path}.conv.weight`);
  const [outChannels, inPerGroup, kernel, kernelW] = raw.shape;
  if (raw.shape.length !== 4 || kernel !== kernelW) throw new ArchitectureMismatchError(`${path}.conv.weight has shape [${raw.shape}]`);
  if (x.channels % inPerGroup !== 0)
    throw new ArchitectureMismatchError(`${path}.conv.weight takes ${inPerGroup} channels per group, the input has ${x.channels}`);
  const groups = x.channels / inPerGroup;
  const { weight, bias } = foldBatchNorm(raw, g.batchNorm(`${path}.bn`));
  const side = Math.floor((x.side + 2 * padding - kernel) / stride) + 1;
  let out = g.add(
    'Conv',
    `${path}.conv`,
    [x.name, g.initializer(`${path}.conv.weight`, weight), g.initializer(`${path}.conv.bias`, bias)],
    [
      attribute.ints('dilations', [1, 1]),
      attribute.int('group', groups),
      attribute.ints('kernel_shape', [kernel, kernel]),
      attribute.ints('pads', [padding, padding, padding, padding]),
      attribute.ints('strides', [stride, stride]),
    ],
  );
  if (prelu) {
    const slope = g.take(`${path}.prelu.weight`);
    if (slope.data.length !== outChannels)
      throw new ArchitectureMismatchError(`${path}.prelu.weight has ${slope.data.length} values for ${outChannels} channels`);
    // [C, 1, 1] broadcasts over [N, C, H, W]: one slope per channel, as torch.nn.PReLU(C).
    out = g.add('PRelu', `${path}.prelu`, [out, g.initializer(`${path}.prelu.weight`, { shape: [outChannels, 1, 1], data: slope.data })]);
  }
  return { name: out, channels: outChannels, side };
}

/** `SEModule`: x · sigmoid(bn2(fc2(relu(bn1(fc1(avgpool(x))))))). */
function squeezeExcitation(g: GraphWriter, path: string, x: Activation): Activation {
  const pooled = g.add('GlobalAveragePool', `${path}.avg_pool`, [x.name]);
  const fc = (name: string, bn: string, input: string): string => {
    const { weight, bias } = foldBatchNorm(g.take(`${path}.${name}.weight`), g.batchNorm(`${path}.${bn}`));
    return g.add(
      'Conv',
      `${path}.${name}`,
      [input, g.initializer(`${path}.${name}.weight`, weight), g.initializer(`${path}.${name}.bias`, bias)],
      [attribute.ints('kernel_shape', [1, 1])],
    );
  };
  const squeezed = g.add('Relu', `${path}.relu`, [fc('fc1', 'bn1', pooled)]);
  const gate = g.add('Sigmoid', `${path}.sigmoid`, [fc('fc2', 'bn2', squeezed)]);
  return { ...x, name: g.add('Mul', `${path}.mul`, [x.name, gate]) };
}

/** `Depth_Wise` / `Depth_Wise_SE`: 1x1 expand → 3x3 depthwise → 1x1 project [→ SE] [+ shortcut]. */
function depthWise(g: GraphWriter, path: string, x: Activation, stride: number, residual: boolean, se: boolean): Activation {
  const expanded = convBlock(g, `${path}.conv`, x, 1, 0, true);
  const filtered = convBlock(g, `${path}.conv_dw`, expanded, stride, 1, true);
  let out = convBlock(g, `${path}.project`, filtered, 1, 0, false);
  if (!residual) return out;
  if (se) out = squeezeExcitation(g, `${path}.se_module`, out);
  if (out.channels !== x.channels || out.side !== x.side) throw new ArchitectureMismatchError(`${path}: the residual branch changes the shape`);
  return { ...out, name: g.add('Add', `${path}.add`, [x.name, out.name]) };
}

/** `Residual` / `ResidualSE`: `blocks` residual Depth_Wise blocks, the last with SE in the SE variant. */
function residualStage(g: GraphWriter, path: string, x: Activation, blocks: number, se: boolean): Activation {
  let out = x;
  for (let i = 0; i < blocks; i++) out = depthWise(g, `${path}.model.${i}`, out, 1, true, se && i === blocks - 1);
  return out;
}

/** `Linear` (no bias) followed by `BatchNorm1d`, folded into one Gemm. */
function linearWithBatchNorm(g: GraphWriter, x: string, inFeatures: number): { name: string; features: number } {
  const raw = g.take('linear.weight');
  if (raw.shape[1] !== inFeatures) throw new ArchitectureMismatchError(`linear.weight takes ${raw.shape[1]} features, the flattened map has ${inFeatures}`);
  const { weight, bias } = foldBatchNorm(raw, g.batchNorm('bn'));
  const name = g.add('Gemm', 'linear', [x, g.initializer('linear.weight', weight), g.initializer('linear.bias', bias)], [attribute.int('transB', 1)]);
  return { name, features: raw.shape[0] };
}

/**
 * The ONNX graph of one MiniFASNet variant from its state dict (keys without the `module.`
 * prefix). Input `input` `[N, 3, 80, 80]` (BGR, 0..255), outputs `logits` and `probs` `[N, 3]`.
 *
 * @example
 * const graph = buildMiniFasNetGraph('MiniFASNetV2', stripPrefix(readLegacyStateDict(pth), 'module.'));
 */
export function buildMiniFasNetGraph(variant: MiniFasNetVariant, weights: ReadonlyMap<string, Float32Tensor>): GraphProto {
  const g = new GraphWriter(weights);
  const se = SQUEEZE_EXCITATION[variant];
  let x: Activation = { name: MINIFASNET_IO.input, channels: MINIFASNET_IO.channels, side: MINIFASNET_IO.inputSide };
  x = convBlock(g, 'conv1', x, 2, 1, true);
  x = convBlock(g, 'conv2_dw', x, 1, 1, true);
  x = depthWise(g, 'conv_23', x, 2, false, false);
  x = residualStage(g, 'conv_3', x, 4, se);
  x = depthWise(g, 'conv_34', x, 2, false, false);
  x = residualStage(g, 'conv_4', x, 6, se);
  x = depthWise(g, 'conv_45', x, 2, false, false);
  x = residualStage(g, 'conv_5', x, 2, se);
  x = convBlock(g, 'conv_6_sep', x, 1, 0, true);
  x = convBlock(g, 'conv_6_dw', x, 1, 0, false);
  if (x.side !== 1)
    throw new ArchitectureMismatchError(
      `conv_6_dw leaves a ${x.side}x${x.side} map; the weights are not for ${MINIFASNET_IO.inputSide}x${MINIFASNET_IO.inputSide} input`,
    );
  const flat = g.add('Flatten', 'conv_6_flatten', [x.name], [attribute.int('axis', 1)]);
  // MiniFASNet.py skips `linear` for a 512-wide embedding; every published file has one (128).
  const embedding = linearWithBatchNorm(g, flat, x.channels);
  const prob = g.take('prob.weight');
  if (prob.shape[1] !== embedding.features)
    throw new ArchitectureMismatchError(`prob.weight takes ${prob.shape[1]} features, the embedding has ${embedding.features}`);
  const classes = prob.shape[0];
  g.nodes.push(node('Gemm', 'prob', [embedding.name, g.initializer('prob.weight', prob)], [MINIFASNET_IO.logits], [attribute.int('transB', 1)]));
  g.nodes.push(node('Softmax', 'softmax', [MINIFASNET_IO.logits], [MINIFASNET_IO.probs], [attribute.int('axis', 1)]));
  g.assertAllUsed();
  const { input, logits, probs, batch, channels, inputSide } = MINIFASNET_IO;
  return {
    name: variant,
    node: g.nodes,
    initializer: g.initializers,
    input: [floatValueInfo(input, [batch, channels, inputSide, inputSide])],
    output: [floatValueInfo(logits, [batch, classes]), floatValueInfo(probs, [batch, classes])],
  };
}
