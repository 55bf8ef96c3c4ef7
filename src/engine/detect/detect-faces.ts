import * as ort from 'onnxruntime-node';
import type { DetectorEntry } from '../../models/manifest.js';
import type { LoadedModel } from '../../models/onnx-model.js';
import { RGB_FRAME_INPUT } from '../../models/onnx/rgb-frame-input.js';
import type { Face, RgbFrame } from '../types.js';
import { decodeYunet, type YunetOutputs } from './decode-yunet.js';
import { prepareDetectorInput, type DetectorInput } from './detector-input.js';
import { suppressOverlaps, type Candidate } from './nms.js';

/** Detection settings (MODELS.md 2.3; the pack's measurements used score 0.6, NMS 0.3). */
export interface DetectionOptions {
  readonly scoreThreshold: number;
  readonly nmsIouThreshold: number;
  readonly topK: number;
}

/** Faces in original-image pixels, largest box first, and the detector's view of the image. */
export interface Detection {
  readonly faces: Face[];
  readonly input: DetectorInput;
}

function toOriginalPixels(candidate: Candidate, scale: number): Face {
  return {
    box: {
      x: candidate.x / scale,
      y: candidate.y / scale,
      width: candidate.width / scale,
      height: candidate.height / scale,
    },
    landmarks: candidate.landmarks.map(([x, y]) => [x / scale, y / scale] as const),
    score: candidate.score,
  };
}

/**
 * Runs the face detector (loaded with `loadDetector`, so its graph takes the frame as it is) on a frame and returns every face it keeps after NMS, sorted by box
 * area (largest first: `faces[0]` is the primary face). An empty list means no face.
 */
export async function detectFaces(frame: RgbFrame, detector: LoadedModel<DetectorEntry>, options: DetectionOptions): Promise<Detection> {
  const input = prepareDetectorInput(frame, detector.entry);
  const { data, width, height } = input.frame;
  const tensor = new ort.Tensor('uint8', data, [height, width, 3]);
  const outputs = (await detector.session.run({ [RGB_FRAME_INPUT]: tensor })) as unknown as YunetOutputs;
  const candidates = decodeYunet(outputs, input.paddedWidth, input.paddedHeight, detector.entry.strides, options.scoreThreshold);
  const kept = suppressOverlaps(candidates, options.nmsIouThreshold, options.topK);
  const faces = kept.map((candidate) => toOriginalPixels(candidate, input.scale)).sort((a, b) => b.box.width * b.box.height - a.box.width * a.box.height);
  return { faces, input };
}
