/**
 * Every converter `models fetch` can apply to an upstream file, by id. A manifest entry names
 * one in `source.converter`; everything else (fetching, verification, docs) reads this table.
 */
import { convertMiniFasNet, type ConversionProvenance } from './convert-minifasnet.js';

/** Turns an upstream file (already checked against its pinned sha256) into the model file. */
export interface Converter {
  /** One line for help texts and reports. */
  readonly description: string;
  convert(upstream: Uint8Array, provenance: ConversionProvenance): Uint8Array;
}

/** The converters, by the id manifests use. */
export const CONVERTERS = {
  'minifasnet-v2-pth': {
    description: 'Silent-Face MiniFASNetV2 .pth (legacy torch.save) → ONNX, batch norms folded, softmax output added',
    convert: (upstream, provenance) => convertMiniFasNet(upstream, 'MiniFASNetV2', provenance),
  },
  'minifasnet-v1se-pth': {
    description: 'Silent-Face MiniFASNetV1SE .pth (legacy torch.save) → ONNX, batch norms folded, softmax output added',
    convert: (upstream, provenance) => convertMiniFasNet(upstream, 'MiniFASNetV1SE', provenance),
  },
} as const satisfies Record<string, Converter>;

/** Id of a converter in {@link CONVERTERS}. */
export type ConverterId = keyof typeof CONVERTERS;

/** An upstream file to convert: where it comes from (recorded in the output) and with what. */
export interface ConversionRequest extends ConversionProvenance {
  readonly converter?: ConverterId;
}

/**
 * Converts an upstream file (already checked against its pinned sha256) with the converter the
 * request names, recording its source in the output. Throws when no converter is named.
 *
 * @example
 * const [v2] = listPackFiles([findModel('pad/minifasnet-v2-s2.7@1.0')], []);
 * const onnx = convertUpstreamFile(v2.upstream!, pthBytes);
 */
export function convertUpstreamFile(request: ConversionRequest, upstream: Uint8Array): Uint8Array {
  const { repo, commit, path, sha256, converter } = request;
  if (!converter) throw new Error(`${repo}/${path} names no converter`);
  return CONVERTERS[converter].convert(upstream, { repo, commit, path, sha256 });
}
