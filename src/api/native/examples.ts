/**
 * Examples of the native API's OpenAPI description: what the server answered for the live sample
 * photo (../shared/models/samples/image_T1.jpg, 480x640, calibration on), request id replaced.
 */
import { EXAMPLE_IMAGE_URL, EXAMPLE_REQUEST_ID, EXAMPLE_SCORE } from '../openapi-examples.js';

const models = [
  { modelId: 'pad/minifasnet-v2-s2.7@1.0', liveProbability: 0.98542, weight: 1 },
  { modelId: 'pad/minifasnet-v1se-s4.0@1.0', liveProbability: 0.99845, weight: 1 },
];

/** A JSON request by URL (base64 works the same with `image`). */
export const LIVENESS_REQUEST_EXAMPLE = { imageUrl: EXAMPLE_IMAGE_URL, threshold: 40, returnFaces: true };

/** The answer for the live sample. */
export const LIVENESS_RESPONSE_EXAMPLE = {
  requestId: EXAMPLE_REQUEST_ID,
  score: EXAMPLE_SCORE,
  liveProbability: 0.99194,
  decision: 'live',
  threshold: 40,
  retryReasons: [],
  retryHints: [],
  models,
  quality: {
    faceSizePx: 170,
    faceCount: 1,
    contextRatio: 0.353,
    contextFraction: 0.837,
    insufficientContext: false,
    faceCutOff: false,
    brightness: 128.7,
    dark: false,
    overexposed: false,
    sharpness: 363.2,
    blurry: false,
    yawDeg: 19.4,
    rollDeg: 14.7,
    poseExtreme: false,
    colourfulness: 50.6,
    monochrome: false,
  },
  image: { width: 480, height: 640, format: 'jpeg', analysedWidth: 480, analysedHeight: 640 },
  modelIds: { detector: 'detector/yunet-s@2023.1', classifiers: ['pad/minifasnet-v2-s2.7@1.0', 'pad/minifasnet-v1se-s4.0@1.0'] },
  timings: { decodeMs: 11.79, detectMs: 141.94, qualityMs: 80.73, cropMs: 13.83, classifyMs: 127.75, totalMs: 376.58 },
  faces: [
    {
      box: { x: 119.13, y: 113.49, width: 169.57, height: 239.91 },
      landmarks: [
        [188.66, 207.36],
        [261.97, 226.64],
        [225.6, 265.34],
        [170.54, 288.37],
        [233.29, 306.08],
      ],
      score: 0.92992,
      liveness: { score100: EXAMPLE_SCORE, liveProbability: 0.99194, decision: 'live', models },
    },
  ],
};

function model(id: string, role: string, file: string, sha256: string, sizeBytes: number, path: string) {
  return {
    id,
    version: id.slice(id.indexOf('@') + 1),
    role,
    file,
    sha256,
    sizeBytes,
    licence: 'Apache-2.0',
    source: { repo: 'minivision-ai/Silent-Face-Anti-Spoofing', commit: 'b6d5f04ad78778917853b25c778acef6d5626d15', path },
  };
}

/** The answer of `GET /v1/models` with the default model set. */
export const MODELS_RESPONSE_EXAMPLE = {
  ready: true,
  detector: {
    ...model(
      'detector/yunet-s@2023.1',
      'face-detector',
      'yunet_s_dynamic.onnx',
      'daede24002cc8590f457998cc5e6c9e8b82f45f6bd969506a8913cd4ed10a2d3',
      237823,
      'onnx/yunet_s_dynamic.onnx',
    ),
    source: { repo: 'ShiqiYu/libfacedetection.train', commit: '0047ac24afb1a50a0c6105001c89d1b5b805dbf1', path: 'onnx/yunet_s_dynamic.onnx' },
  },
  classifiers: [
    {
      ...model(
        'pad/minifasnet-v2-s2.7@1.0',
        'pad',
        'minifasnet_v2_scale2.7_80x80.onnx',
        '9383257d268059264451b84088a97793ff8754a6369ef7bdaa5a899dbd493a51',
        1741568,
        'resources/anti_spoof_models/2.7_80x80_MiniFASNetV2.pth',
      ),
      weight: 1,
    },
    {
      ...model(
        'pad/minifasnet-v1se-s4.0@1.0',
        'pad',
        'minifasnet_v1se_scale4.0_80x80.onnx',
        '6df666cf77b711c90b698bf817294c8d75b0720336501409ef3a4b905677de7d',
        1739661,
        'resources/anti_spoof_models/4_0_0_80x80_MiniFASNetV1SE.pth',
      ),
      weight: 1,
    },
  ],
  decision: { threshold: 40 },
};
