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
  /** The image as analysed: EXIF-oriented, downscaled when larger than `limits.maxDecodedPixels`. */
  readonly frame: RgbFrame;
  readonly format: ImageFormat;
  readonly encodedBytes: number;
  /** The image's own size once oriented; equal to the frame's unless the frame was downscaled. */
  readonly original: { readonly width: number; readonly height: number };
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
  /** Face width / image width (informational: a portrait selfie can be near 1 and still have context). */
  readonly contextRatio: number;
  /**
   * Fraction of the PAD models' context window around the primary face that lies inside the image:
   * the MiniFASNet scale-2.7 crop window (box adapter × 2.7, MODELS.md 3.3) before the reference
   * pipeline clamps its scale and shifts it inside. Tight face crops give about 0.1–0.25.
   */
  readonly contextFraction: number;
  /** True when contextFraction is below the configured minimum: the verdict becomes `retry`. */
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

/**
 * Why a verdict is `retry`; stable codes. Each has a short human hint in `RETRY_REASONS`
 * (`retry-reasons.ts`).
 */
export type RetryReasonCode = 'insufficientContext' | 'monochrome' | 'multipleFaces';

/** One face judged on its own by the PAD models. */
export interface FaceLiveness {
  /** Calibrated liveness score of this face, 0..100 (the same scale as the result's `score`). */
  readonly score100: number;
  /** Fused live probability of this face, 0..1. */
  readonly liveProbability: number;
  /** This face alone at the call's threshold: `live` when `score100 >= threshold`. */
  readonly decision: 'live' | 'spoof';
  /** Each PAD model's opinion on this face. */
  readonly models: readonly ModelOpinion[];
}

/** A detected face as results report it. */
export interface AnalysedFace extends Face {
  /**
   * The PAD models' verdict on this face; null when it was not judged (a face other than the
   * primary one narrower than `quality.minFaceSizePx`).
   */
  readonly liveness: FaceLiveness | null;
}

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
  /**
   * Liveness score 0..100 (higher = more likely live) of the image: the lowest score of its
   * judged faces, which is the primary face's unless another face scores lower (see
   * `faces[i].liveness`). A photo is only as live as its least live face.
   */
  readonly score: number;
  /** Fused live probability before any calibration, 0..1, of the face that sets `score`. */
  readonly liveProbability: number;
  readonly decision: Decision;
  /** Score threshold the decision was made at (score >= threshold → live). */
  readonly threshold: number;
  /** Why the decision is `retry`, empty otherwise. */
  readonly retryReasons: readonly RetryReasonCode[];
  /** A short hint for the person taking the photo per retry reason, in the same order. */
  readonly retryHints: readonly string[];
  /** Each PAD model's opinion on the primary face. */
  readonly models: readonly ModelOpinion[];
  /**
   * All detected faces, largest first; `faces[0]` is the primary face. Coordinates are in pixels
   * of the oriented image (`image.width` x `image.height`), also when it was analysed downscaled.
   */
  readonly faces: readonly AnalysedFace[];
  readonly quality: QualitySignals;
  readonly image: {
    readonly width: number;
    readonly height: number;
    readonly format: ImageFormat;
    /** Size of the frame the models saw: the image's unless it exceeded `limits.maxDecodedPixels`. */
    readonly analysedWidth: number;
    readonly analysedHeight: number;
  };
  readonly modelIds: { readonly detector: string; readonly classifiers: readonly string[] };
  readonly timings: StageTimings;
  /** Present only when the call asked for it (`returnFaceCrop`). */
  readonly faceCrop?: FaceCrop;
}
