import { FaceliveError } from '../errors/catalogue.js';
import type { ConverterId } from './convert/converters.js';

/**
 * The model pack manifest: declarative data about every model facelive knows, taken from the
 * pack's MODELS.md. Code never branches on a model's name; it reads these fields.
 */

/** How 0..255 channel values become tensor values: `(v - mean) / std`. */
export interface Normalisation {
  readonly mean: number;
  readonly std: number;
}

/** The tensor a model takes. Dimensions given as strings are dynamic (any size). */
export interface InputSpec {
  readonly name: string;
  readonly shape: readonly (number | string)[];
  readonly layout: 'NCHW';
  readonly colourOrder: 'BGR' | 'RGB';
  readonly normalisation: Normalisation;
  /** Whether N > 1 is accepted (the YuNet graphs reshape to batch 1). */
  readonly batchable: boolean;
}

export interface OutputSpec {
  readonly name: string;
  readonly shape: readonly (number | string)[];
  readonly meaning: string;
}

/**
 * Crop rules from MODELS.md. `minifasnet`: section 3.3 (box adapter, scale clamp, shift inside,
 * INTER_LINEAR). `square-reflect`: section 4.3 (square of `factor` × longer side, reflect-101
 * padding, area downscaling). `square-clip`: section 9.3 (square of 2 × `factor` × longer side,
 * clipped to the image, never padded).
 */
export type CropRule =
  | {
      readonly kind: 'minifasnet';
      readonly scale: number;
      /** YuNet → Silent-Face Caffe box adapter (section 3.3). */
      readonly boxAdapter: { readonly widthFactor: number; readonly heightFactor: number; readonly centreYShift: number };
    }
  | { readonly kind: 'square-reflect'; readonly factor: number }
  | { readonly kind: 'square-clip'; readonly factor: number };

/** Where the live probability is read from the model's outputs. */
export type LiveReadout =
  /** `output[n, index]` already is a probability. */
  | { readonly kind: 'probability'; readonly output: string; readonly index: number }
  /** `softmax(output[n, :])[index]`. */
  | { readonly kind: 'softmax'; readonly output: string; readonly index: number };

/** Size and sha256 of a file as published upstream. */
export interface PinnedFile {
  readonly sha256: string;
  readonly sizeBytes: number;
}

/**
 * Where a model comes from: `path` in GitHub repository `repo` at `commit`. With `pinned`,
 * `models fetch` downloads it from `https://raw.githubusercontent.com/<repo>/<commit>/<path>`
 * (or a mirror), checks it against `pinned`, and applies `converter` if one is named; without,
 * the model can only be copied from a model pack (`models fetch --from`).
 */
export interface UpstreamSource {
  readonly repo: string;
  readonly commit: string;
  readonly path: string;
  /** What is done to the upstream file to make the model file, if anything. */
  readonly conversion?: string;
  readonly pinned?: PinnedFile;
  readonly converter?: ConverterId;
}

/**
 * Another exact file accepted for a model besides the one `models fetch` installs (`sha256`):
 * `models verify` and the engine's start-up check accept it too, byte for byte.
 */
export interface AlternateBuild extends PinnedFile {
  /** Short name shown by `models verify`, e.g. `pytorch-export`. */
  readonly label: string;
  /** Where this file comes from and how it differs. */
  readonly origin: string;
}

interface ModelEntryBase {
  /** `role/name@version`; responses and logs carry it. */
  readonly id: string;
  readonly file: string;
  /** The file `models fetch` installs: the upstream file, or facelive's conversion of it. */
  readonly sha256: string;
  readonly sizeBytes: number;
  /** Other exact files accepted for this model (see {@link AlternateBuild}). */
  readonly alternateBuilds?: readonly AlternateBuild[];
  readonly licence: string;
  /** Licence texts (in the pack's `licenses/` folder) that must travel with the file. */
  readonly licenceFiles: readonly string[];
  readonly source: UpstreamSource;
  readonly input: InputSpec;
  readonly outputs: readonly OutputSpec[];
  readonly notes?: string;
}

export interface DetectorEntry extends ModelEntryBase {
  readonly role: 'face-detector';
  /** Longest side the image is downscaled to before detection. */
  readonly maxInputSide: number;
  /** Input sides must be multiples of this; the image is zero-padded bottom/right. */
  readonly inputAlignment: number;
  readonly strides: readonly number[];
}

export interface PadEntry extends ModelEntryBase {
  readonly role: 'pad';
  readonly crop: CropRule;
  readonly live: LiveReadout;
}

export interface ObjectDetectorEntry extends ModelEntryBase {
  readonly role: 'object-detector';
}

export type ModelEntry = DetectorEntry | PadEntry | ObjectDetectorEntry;

/** A licence text shipped with the pack; with `source`, fetched from upstream unchanged. */
export interface LicenceFileEntry {
  readonly file: string;
  readonly sha256: string;
  readonly sizeBytes: number;
  readonly source?: Pick<UpstreamSource, 'repo' | 'commit' | 'path'>;
}

const YUNET_OUTPUTS: readonly OutputSpec[] = ['cls', 'obj', 'bbox', 'kps'].flatMap((kind) =>
  [8, 16, 32].map((stride) => ({
    name: `${kind}_${stride}`,
    shape: ['batch', 'dim', { cls: 1, obj: 1, bbox: 4, kps: 10 }[kind] as number],
    meaning: `${kind} per anchor at stride ${stride} (sigmoid applied in-graph)`,
  })),
);

const YUNET_INPUT: InputSpec = {
  name: 'input',
  shape: ['batch', 3, 'height', 'width'],
  layout: 'NCHW',
  colourOrder: 'BGR',
  normalisation: { mean: 0, std: 1 },
  batchable: false,
};

const LIBFACEDETECTION = {
  repo: 'ShiqiYu/libfacedetection.train',
  commit: '0047ac24afb1a50a0c6105001c89d1b5b805dbf1',
} as const;

const SILENT_FACE = {
  repo: 'minivision-ai/Silent-Face-Anti-Spoofing',
  commit: 'b6d5f04ad78778917853b25c778acef6d5626d15',
} as const;

const FACE_ANTISPOOF_ONNX = {
  repo: 'johnraivenolazo/face-antispoof-onnx',
  commit: '2b9830bb0eccafddcf0abcedf5c6ad506f0a1142',
} as const;

const SILENT_FACE_CONVERSION =
  'converted by facelive (src/models/convert): the MiniFASNet.py inference graph, batch norms folded, softmax output added, opset 13, dynamic batch';

/** The pack's own conversion of the same weights (MODELS.md 3.1), accepted beside facelive's. */
const PYTORCH_EXPORT_ORIGIN =
  "PyTorch 1.13 torch.onnx.export (opset 13, constant folding, softmax output added) of the same .pth, as in the model pack (MODELS.md 3.1); its outputs agree with facelive's conversion within 1e-5";

/** Fitted over 263 faces in MODELS.md 3.3: YuNet box → Silent-Face Caffe box. */
const YUNET_TO_CAFFE_BOX = { widthFactor: 1.16, heightFactor: 0.86, centreYShift: 0.068 } as const;

const MINIFASNET_INPUT: InputSpec = {
  name: 'input',
  shape: ['N', 3, 80, 80],
  layout: 'NCHW',
  colourOrder: 'BGR',
  normalisation: { mean: 0, std: 1 },
  batchable: true,
};

const MINIFASNET_OUTPUTS: readonly OutputSpec[] = [
  { name: 'logits', shape: ['N', 3], meaning: 'logits; class 1 = live, classes 0 and 2 = spoof' },
  { name: 'probs', shape: ['N', 3], meaning: 'softmax(logits); class 1 = live' },
];

/** Every model of the pack, in the order `models fetch` copies them. */
export const MODEL_MANIFEST: readonly ModelEntry[] = [
  {
    id: 'detector/yunet-s@2023.1',
    role: 'face-detector',
    file: 'yunet_s_dynamic.onnx',
    sha256: 'daede24002cc8590f457998cc5e6c9e8b82f45f6bd969506a8913cd4ed10a2d3',
    sizeBytes: 237_823,
    licence: 'Apache-2.0',
    licenceFiles: ['libfacedetection.train.LICENSE'],
    source: {
      ...LIBFACEDETECTION,
      path: 'onnx/yunet_s_dynamic.onnx',
      pinned: { sha256: 'daede24002cc8590f457998cc5e6c9e8b82f45f6bd969506a8913cd4ed10a2d3', sizeBytes: 237_823 },
    },
    input: YUNET_INPUT,
    outputs: YUNET_OUTPUTS,
    maxInputSide: 640,
    inputAlignment: 32,
    strides: [8, 16, 32],
    notes: 'Default face detector. Trained on WIDER Face. Same weights as face_detection_yunet_2023mar.onnx.',
  },
  {
    id: 'detector/yunet-n@2023.1',
    role: 'face-detector',
    file: 'yunet_n_dynamic.onnx',
    sha256: '104ee26c71d5c270ce79a6b3dced91c91013260d29a6bf18f9296c5b8c4c2b12',
    sizeBytes: 322_906,
    licence: 'Apache-2.0',
    licenceFiles: ['libfacedetection.train.LICENSE'],
    source: { ...LIBFACEDETECTION, path: 'onnx/yunet_n_dynamic.onnx' },
    input: YUNET_INPUT,
    outputs: YUNET_OUTPUTS,
    maxInputSide: 640,
    inputAlignment: 32,
    strides: [8, 16, 32],
    notes: 'Larger YuNet variant; slower, similar accuracy on the pack data.',
  },
  {
    id: 'detector/yunet-2023mar-640@2023.3',
    role: 'face-detector',
    file: 'face_detection_yunet_2023mar.onnx',
    sha256: '8f2383e4dd3cfbb4553ea8718107fc0423210dc964f9f4280604804ed2552fa4',
    sizeBytes: 232_589,
    licence: 'MIT',
    licenceFiles: ['opencv_zoo-face_detection_yunet.LICENSE'],
    source: {
      repo: 'opencv/opencv_zoo',
      commit: '966be4cb6eefc2a4f586ed0581bf4bbaa2533070',
      path: 'models/face_detection_yunet/face_detection_yunet_2023mar.onnx',
    },
    input: { ...YUNET_INPUT, shape: [1, 3, 640, 640] },
    outputs: YUNET_OUTPUTS.map((o) => ({
      ...o,
      shape: [1, { 8: 6400, 16: 1600, 32: 400 }[Number(o.name.split('_')[1])] as number, o.shape[2] as number],
    })),
    maxInputSide: 640,
    inputAlignment: 640,
    strides: [8, 16, 32],
    notes: 'Fixed 640x640 input; kept for reference, facelive uses the dynamic file.',
  },
  {
    id: 'pad/minifasnet-v2-s2.7@1.0',
    role: 'pad',
    file: 'minifasnet_v2_scale2.7_80x80.onnx',
    sha256: '9383257d268059264451b84088a97793ff8754a6369ef7bdaa5a899dbd493a51',
    sizeBytes: 1_741_568,
    alternateBuilds: [
      {
        label: 'pytorch-export',
        sha256: 'f9daa0bf51f633ca096ca4932ade4aad54d87181191ea8318ed6dc682d759356',
        sizeBytes: 1_745_799,
        origin: PYTORCH_EXPORT_ORIGIN,
      },
    ],
    licence: 'Apache-2.0',
    licenceFiles: ['Silent-Face-Anti-Spoofing.LICENSE'],
    source: {
      ...SILENT_FACE,
      path: 'resources/anti_spoof_models/2.7_80x80_MiniFASNetV2.pth',
      conversion: SILENT_FACE_CONVERSION,
      pinned: { sha256: 'a5eb02e1843f19b5386b953cc4c9f011c3f985d0ee2bb9819eea9a142099bec0', sizeBytes: 1_849_453 },
      converter: 'minifasnet-v2-pth',
    },
    input: MINIFASNET_INPUT,
    outputs: MINIFASNET_OUTPUTS,
    crop: { kind: 'minifasnet', scale: 2.7, boxAdapter: YUNET_TO_CAFFE_BOX },
    live: { kind: 'probability', output: 'probs', index: 1 },
    notes: 'Training data not published.',
  },
  {
    id: 'pad/minifasnet-v1se-s4.0@1.0',
    role: 'pad',
    file: 'minifasnet_v1se_scale4.0_80x80.onnx',
    sha256: '6df666cf77b711c90b698bf817294c8d75b0720336501409ef3a4b905677de7d',
    sizeBytes: 1_739_661,
    alternateBuilds: [
      {
        label: 'pytorch-export',
        sha256: 'ae486f511db63311fbc5946ef081115273f5f7201c23ba1e2c586e3ad65a8aea',
        sizeBytes: 1_745_200,
        origin: PYTORCH_EXPORT_ORIGIN,
      },
    ],
    licence: 'Apache-2.0',
    licenceFiles: ['Silent-Face-Anti-Spoofing.LICENSE'],
    source: {
      ...SILENT_FACE,
      path: 'resources/anti_spoof_models/4_0_0_80x80_MiniFASNetV1SE.pth',
      conversion: SILENT_FACE_CONVERSION,
      pinned: { sha256: '84ee1d37d96894d5e82de5a57df044ef80a58be2b218b5ed7cdfd875ec2f5990', sizeBytes: 1_856_130 },
      converter: 'minifasnet-v1se-pth',
    },
    input: MINIFASNET_INPUT,
    outputs: MINIFASNET_OUTPUTS,
    crop: { kind: 'minifasnet', scale: 4.0, boxAdapter: YUNET_TO_CAFFE_BOX },
    live: { kind: 'probability', output: 'probs', index: 1 },
    notes: 'Training data not published.',
  },
  {
    id: 'pad/celeba-minifasv2se-128@98.20',
    role: 'pad',
    file: 'antispoof_minifasv2se_128_celebaspoof.onnx',
    sha256: 'af2381b88f38769222ed93379e12444e2a50814575de1c46170de570c55a42b6',
    sizeBytes: 1_912_594,
    licence: 'Apache-2.0 (weights); trained on CelebA-Spoof, whose agreement restricts derived data to non-commercial research',
    licenceFiles: ['face-antispoof-onnx.LICENSE'],
    source: {
      ...FACE_ANTISPOOF_ONNX,
      path: 'models/best/98.20/best_model.onnx',
      pinned: { sha256: 'af2381b88f38769222ed93379e12444e2a50814575de1c46170de570c55a42b6', sizeBytes: 1_912_594 },
    },
    input: {
      name: 'input',
      shape: ['batch_size', 3, 128, 128],
      layout: 'NCHW',
      colourOrder: 'RGB',
      normalisation: { mean: 0, std: 255 },
      batchable: true,
    },
    outputs: [{ name: 'output', shape: ['batch_size', 2], meaning: 'logits [real, spoof]' }],
    crop: { kind: 'square-reflect', factor: 1.5 },
    live: { kind: 'softmax', output: 'output', index: 0 },
    notes: 'Not trained on 3D masks or paper cut-outs. See the training-data caveat in the README.',
  },
  {
    id: 'pad/hyperfas-mbv050-224@1.0',
    role: 'pad',
    file: 'hyperfas_mobilenet050_224.onnx',
    sha256: '323b21669e27c39f86c276b7064e6756e90435f3a8f00c2513266941c4604fc8',
    sizeBytes: 3_437_618,
    licence: 'BSD-3-Clause (training data unstated)',
    licenceFiles: ['HyperFAS.LICENSE'],
    source: {
      repo: 'zeusees/HyperFAS',
      commit: 'da55c0201072a3b9b45da6d944d1306cd5f0aaff',
      path: 'model/fas.h5',
      conversion: 'Keras graph rebuilt layer by layer, exported with PyTorch 1.13 (opset 13, dynamic batch)',
    },
    input: {
      name: 'input',
      shape: ['N', 3, 224, 224],
      layout: 'NCHW',
      colourOrder: 'BGR',
      normalisation: { mean: 127.5, std: 127.5 },
      batchable: true,
    },
    outputs: [{ name: 'live', shape: ['N', 1], meaning: 'sigmoid probability that the face is live' }],
    crop: { kind: 'square-clip', factor: 0.6 },
    live: { kind: 'probability', output: 'live', index: 0 },
    notes: 'Experimental; not in the default set. No box adapter fitted (YuNet box used as is).',
  },
  {
    id: 'object/yolox-nano-416@0.1.1rc0',
    role: 'object-detector',
    file: 'yolox_nano_416_coco.onnx',
    sha256: 'c789161ed43c8269fcd4e67c67eeeb4e80c622da2eb296a20bc6007bd18a0b7d',
    sizeBytes: 3_659_407,
    licence: 'Apache-2.0',
    licenceFiles: ['YOLOX.LICENSE'],
    source: {
      repo: 'opencv/opencv_zoo',
      commit: '371cb249700106b50b2f934b7f18df3f9d127473',
      path: 'models/object_detection_yolox/yolox_nano.onnx',
    },
    input: {
      name: 'images',
      shape: [1, 3, 416, 416],
      layout: 'NCHW',
      colourOrder: 'BGR',
      normalisation: { mean: 0, std: 1 },
      batchable: false,
    },
    outputs: [{ name: 'output', shape: [1, 3549, 85], meaning: 'raw boxes, objectness, 80 COCO class scores' }],
    notes: 'Scene-cue experiments only (MODELS.md section 8); the engine does not load it.',
  },
];

/** Licence texts of the pack (folder `licenses/` in the models directory). */
export const LICENCE_FILES: readonly LicenceFileEntry[] = [
  { file: 'HyperFAS.LICENSE', sha256: '3ebb324deacb19bf6feb0f8f03dc2104d5aaee9da848bd608688493200b8a028', sizeBytes: 1506 },
  {
    file: 'Silent-Face-Anti-Spoofing.LICENSE',
    sha256: 'daf94bf1dc9cc5700fe5af2c7c0cbd1836e70d509ed78fd0bebef7432edee6fb',
    sizeBytes: 11340,
    source: { ...SILENT_FACE, path: 'LICENSE' },
  },
  { file: 'YOLOX.LICENSE', sha256: '0ec3668d3274bcf29e8a29e9576d5a2cd96fc78d3c5bec4387355a796e5d9088', sizeBytes: 11371 },
  {
    file: 'face-antispoof-onnx.LICENSE',
    sha256: '9df8ad985dda74cabb315efa976f22434aa0c4bae153b93050649ccc805b20a0',
    sizeBytes: 11347,
    source: { ...FACE_ANTISPOOF_ONNX, path: 'LICENSE' },
  },
  {
    file: 'libfacedetection.train.LICENSE',
    sha256: 'd096f0e4f790316e1df89675682a51c68ca64745a611689ccd37bd246835440e',
    sizeBytes: 11494,
    source: { ...LIBFACEDETECTION, path: 'LICENSE' },
  },
  { file: 'opencv_zoo-face_detection_yunet.LICENSE', sha256: 'c83b8120c50ccbd4c4f96edf53141bdd566ebb8f8e9227e415326aa1b1aba958', sizeBytes: 1085 },
];

/** The model entry with this id; an unknown id is a configuration error. */
export function findModel(id: string): ModelEntry {
  const entry = MODEL_MANIFEST.find((m) => m.id === id);
  if (!entry) {
    const known = MODEL_MANIFEST.map((m) => m.id).join(', ');
    throw new FaceliveError('CONFIG_INVALID', { reason: `unknown model id "${id}"; known ids: ${known}` });
  }
  return entry;
}
