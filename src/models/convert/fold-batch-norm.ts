/**
 * Batch-norm folding for inference: in evaluation mode `bn(W x)` is an affine map per output
 * channel, `s·(W x) + (β − μ·s)` with `s = γ / √(σ² + ε)`, so it merges into the preceding
 * bias-free convolution or linear layer. Computed in float64 and rounded to float32 once, which
 * is as close as float32 weights can get and the same on every machine.
 */
import type { Float32Tensor } from './torch-legacy.js';

/** `torch.nn.BatchNorm{1,2}d` default epsilon, the one MiniFASNet.py uses. */
export const BATCH_NORM_EPSILON = 1e-5;

/** A batch norm's parameters and running statistics, one value per channel. */
export interface BatchNormParameters {
  readonly weight: Float32Array;
  readonly bias: Float32Array;
  readonly runningMean: Float32Array;
  readonly runningVar: Float32Array;
}

/** Weight and bias of a layer with the batch norm merged in. */
export interface FoldedLayer {
  readonly weight: Float32Tensor;
  readonly bias: Float32Tensor;
}

/**
 * Folds a batch norm into a bias-free layer whose weight has the output channels first
 * (`[out, …]`: Conv `[out, in/groups, kh, kw]`, Linear `[out, in]`).
 *
 * @example
 * const { weight, bias } = foldBatchNorm(convWeight, bn); // then Conv(x, weight, bias)
 */
export function foldBatchNorm(weight: Float32Tensor, bn: BatchNormParameters, epsilon = BATCH_NORM_EPSILON): FoldedLayer {
  const channels = weight.shape[0];
  for (const [what, values] of Object.entries(bn)) {
    if (values.length !== channels) throw new RangeError(`batch norm ${what} has ${values.length} values for ${channels} channels`);
  }
  const perChannel = weight.data.length / channels;
  const folded = new Float32Array(weight.data.length);
  const bias = new Float32Array(channels);
  for (let c = 0; c < channels; c++) {
    const scale = bn.weight[c] / Math.sqrt(bn.runningVar[c] + epsilon);
    for (let k = c * perChannel; k < (c + 1) * perChannel; k++) folded[k] = weight.data[k] * scale;
    bias[c] = bn.bias[c] - bn.runningMean[c] * scale;
  }
  return { weight: { shape: weight.shape, data: folded }, bias: { shape: [channels], data: bias } };
}
