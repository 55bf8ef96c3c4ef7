/**
 * Silent-Face `.pth` → ONNX: reads the legacy state dict, builds the MiniFASNet inference graph
 * and serialises it with a doc string that records the conversion (the change notice Apache-2.0
 * asks for). The output depends only on the input bytes and {@link MINIFASNET_CONVERTER_VERSION},
 * so its sha256 can be pinned in the manifest.
 */
import { encodeModel, type ModelProto } from '../onnx/onnx-proto.js';
import { buildMiniFasNetGraph, type MiniFasNetVariant } from './minifasnet-graph.js';
import { readLegacyStateDict, type Float32Tensor } from './torch-legacy.js';

/**
 * Written into every converted file as `producer_version`. Bump it whenever the converter's
 * output bytes change, together with the sha256 values the manifest pins for them.
 */
export const MINIFASNET_CONVERTER_VERSION = '1';

/** ONNX opset of the converted graph (Softmax over one axis needs 13). */
const OPSET = 13;
/** IR version 7 is what opset 13 shipped with; onnxruntime 1.30 reads it. */
const IR_VERSION = 7;

/** Where the weights came from, for the doc string and metadata of the converted file. */
export interface ConversionProvenance {
  /** `owner/repo`, commit and path of the upstream `.pth`. */
  readonly repo: string;
  readonly commit: string;
  readonly path: string;
  readonly sha256: string;
}

/** Drops a `module.` prefix left by `nn.DataParallel` from every key. */
function withoutDataParallelPrefix(weights: ReadonlyMap<string, Float32Tensor>): Map<string, Float32Tensor> {
  return new Map([...weights].map(([key, tensor]) => [key.startsWith('module.') ? key.slice('module.'.length) : key, tensor]));
}

/**
 * Converts a Silent-Face MiniFASNet `.pth` (legacy torch.save) into ONNX bytes. Throws
 * `TorchFileError` for a file it cannot read and `ArchitectureMismatchError` for weights that
 * are not this variant's.
 *
 * @example
 * const onnx = convertMiniFasNet(await readFile('2.7_80x80_MiniFASNetV2.pth'), 'MiniFASNetV2', provenance);
 */
export function convertMiniFasNet(pth: Uint8Array, variant: MiniFasNetVariant, provenance: ConversionProvenance): Uint8Array {
  const graph = buildMiniFasNetGraph(variant, withoutDataParallelPrefix(readLegacyStateDict(pth)));
  const source = `${provenance.repo}@${provenance.commit}:${provenance.path}`;
  const model: ModelProto = {
    irVersion: IR_VERSION,
    producerName: 'facelive',
    producerVersion: MINIFASNET_CONVERTER_VERSION,
    docString:
      // Silent-Face's weights and MiniFASNet.py are Apache-2.0; this sentence is its change notice.
      `Converted by facelive from ${source} (Apache-2.0): the ${variant} inference graph of ` +
      'src/model_lib/MiniFASNet.py in evaluation mode, batch norms folded into the convolutions and the linear layer, ' +
      'FTGenerator branch dropped, softmax output probs added. Input: BGR float32 0..255 NCHW 80x80, no normalisation. ' +
      'probs[:,1] = real face.',
    graph,
    opsetImport: [{ version: OPSET }],
    metadataProps: [
      { key: 'source', value: source },
      { key: 'source_sha256', value: provenance.sha256 },
    ],
  };
  return encodeModel(model);
}
