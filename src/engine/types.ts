/**
 * Types shared by the engine's stages. Stages import this file and `models/`, never each other.
 */

/** Image formats facelive decodes; detected from the bytes, never from names. */
export type ImageFormat = 'jpeg' | 'png' | 'bmp' | 'webp';

/** A decoded, EXIF-oriented image: 8-bit RGB, interleaved, row-major, no padding. */
export interface RgbFrame {
  readonly width: number;
  readonly height: number;
  /** `width * height * 3` bytes, R,G,B per pixel. */
  readonly data: Uint8Array;
}

/** The decode stage's output: the frame plus what was learned about the encoded image. */
export interface DecodedImage {
  readonly frame: RgbFrame;
  readonly format: ImageFormat;
  readonly encodedBytes: number;
}

/** Axis-aligned box in pixels of the original (oriented) image; x,y is the top-left corner. */
export interface Box {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

/** A 2-D point in image pixels. */
export type Point = readonly [x: number, y: number];

/**
 * One detected face. Landmarks follow YuNet/OpenCV order (subject's perspective):
 * right eye, left eye, nose tip, right mouth corner, left mouth corner.
 */
export interface Face {
  readonly box: Box;
  readonly landmarks: readonly Point[];
  /** Detector confidence, sqrt(cls * obj), 0..1. */
  readonly score: number;
}

/** Quality signals of the primary face, reported in every successful result. */
export interface QualitySignals {
  /** Width of the primary face box in original-image pixels. */
  readonly faceSizePx: number;
  /** Number of faces the detector kept. */
  readonly faceCount: number;
  /** Face width / image width. Near 1 the PAD models see no surrounding context. */
  readonly contextRatio: number;
  /** True when contextRatio exceeds the configured limit: the verdict becomes `retry`. */
  readonly insufficientContext: boolean;
  /** True when the face box crosses the image border. */
  readonly faceCutOff: boolean;
  /** Mean luma (BT.601) over the face box, 0..255. */
  readonly brightness: number;
  readonly dark: boolean;
  readonly overexposed: boolean;
  /** Variance of the 3x3 Laplacian of the face's luma, measured at a fixed face scale. */
  readonly sharpness: number;
  readonly blurry: boolean;
  /** Yaw estimated from landmarks, degrees; positive when the nose is right of the eye midpoint in the image. */
  readonly yawDeg: number;
  /** Roll of the eye line, degrees; positive when clockwise in the image. */
  readonly rollDeg: number;
  /** True when |yaw| or |roll| exceeds the configured limit. */
  readonly poseExtreme: boolean;
  /** Mean of max(R,G,B) - min(R,G,B) over the face, 0..255. */
  readonly colourfulness: number;
  /** True for greyscale images: the PAD models need colour, so the verdict becomes `retry`. */
  readonly monochrome: boolean;
}

/** One PAD model's opinion on the primary face. */
export interface ModelOpinion {
  /** `role/name@version` from the manifest. */
  readonly modelId: string;
  /** Probability that the face is live, 0..1. */
  readonly liveProbability: number;
  /** Fusion weight this model had. */
  readonly weight: number;
}

/** The verdict: `retry` when the image cannot be judged reliably (see quality). */
export type Decision = 'live' | 'spoof' | 'retry';

/** Milliseconds spent per stage for one image. */
export interface StageTimings {
  decodeMs: number;
  detectMs: number;
  qualityMs: number;
  cropMs: number;
  classifyMs: number;
  totalMs: number;
}

/** The primary face's region as a JPEG, produced only when `AnalyseOptions.returnFaceCrop` is set. */
export interface FaceCrop {
  /** The face box widened by a small margin, clamped to the image, in whole pixels of the oriented image. */
  readonly box: Box;
  /** JPEG bytes of that region. Never logged. */
  readonly jpeg: Uint8Array;
}

/** The engine's answer for one image. Every API surface derives its response from this. */
export interface LivenessResult {
  /** Liveness score 0..100 (higher = more likely live). */
  readonly score: number;
  /** Fused live probability before any calibration, 0..1. */
  readonly liveProbability: number;
  readonly decision: Decision;
  /** Score threshold the decision was made at (score >= threshold → live). */
  readonly threshold: number;
  /** Why the decision is `retry`, empty otherwise. */
  readonly retryReasons: readonly string[];
  readonly models: readonly ModelOpinion[];
  /** All detected faces, largest first; `faces[0]` is the primary face. */
  readonly faces: readonly Face[];
  readonly quality: QualitySignals;
  readonly image: { readonly width: number; readonly height: number; readonly format: ImageFormat };
  readonly modelIds: { readonly detector: string; readonly classifiers: readonly string[] };
  readonly timings: StageTimings;
  /** Present only when the call asked for it (`returnFaceCrop`). */
  readonly faceCrop?: FaceCrop;
}
