import { FaceliveError } from '../../errors/catalogue.js';
import type { InputSpec } from '../../models/manifest.js';

/**
 * Writes an interleaved RGB uint8 patch (`size x size x 3`) into `out` at `offset` as one planar
 * NCHW image in the colour order and value scaling the model's manifest entry declares.
 * Values are rounded uint8 first (as OpenCV hands them to the models), then `(v - mean) / std`.
 */
export function writePatchTensor(rgb: Uint8Array, size: number, input: InputSpec, out: Float32Array, offset: number): void {
  const plane = size * size;
  const { mean, std } = input.normalisation;
  // Planes 0,1,2 receive R,G,B for RGB models and B,G,R for BGR models.
  const [plane0, plane2] = input.colourOrder === 'RGB' ? [0, 2] : [2, 0];
  for (let p = 0, i = 0; p < plane; p++, i += 3) {
    out[offset + plane0 * plane + p] = (rgb[i] - mean) / std;
    out[offset + plane + p] = (rgb[i + 1] - mean) / std;
    out[offset + plane2 * plane + p] = (rgb[i + 2] - mean) / std;
  }
}

/** The square spatial size (H = W) a PAD model's manifest input declares, e.g. 80 or 128. */
export function patchSizeOf(input: InputSpec): number {
  const height = input.shape[2];
  const width = input.shape[3];
  if (typeof height !== 'number' || height !== width) {
    throw new FaceliveError('CONFIG_INVALID', { reason: `model input ${input.name} is not a fixed square: ${JSON.stringify(input.shape)}` });
  }
  return height;
}
