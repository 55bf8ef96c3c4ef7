import { FaceliveError } from '../../errors/catalogue.js';
import type { ImageFormat } from '../types.js';

/**
 * Limits the decode stage enforces before any pixel is allocated. Every untrusted image passes
 * these checks in order: byte count, format, then the dimensions read from the header.
 */
export interface DecodeLimits {
  /** Largest encoded image accepted, in bytes. */
  readonly maxEncodedBytes: number;
  /**
   * Most pixels (width × height) accepted for JPEG. JPEG is the only format decoded at a reduced
   * size without ever holding the full image (libjpeg shrink-on-load, streamed resampling), so
   * camera photos of 48 to 64 MP can be accepted.
   */
  readonly maxPixelsJpeg: number;
  /** Longest side accepted for JPEG, in pixels: a sanity cap against strips no camera takes. */
  readonly maxLongSideJpeg: number;
  /**
   * Longest side accepted for PNG, BMP and WebP, in pixels. These are decoded in full (BMP by
   * bmp-ts, PNG without shrink-on-load) and a PNG bomb costs a few kilobytes, so they stay small.
   */
  readonly maxLongSideOther: number;
  /** Shortest side accepted, in pixels; smaller images cannot hold a usable face. */
  readonly minShortSide: number;
  /**
   * Largest frame the decoder produces, in pixels. A larger image is decoded downscaled (EXIF
   * orientation applied) to at most this many pixels, which bounds the memory of every later
   * stage; smaller images are decoded exactly as they are.
   */
  readonly maxDecodedPixels: number;
}

/**
 * Defaults: 32 MiB encoded (a real 48-50 MP camera JPEG is 10-25 MB); JPEG up to 64 Mi pixels
 * (8192²: 48, 50 and 64 MP camera sensors, e.g. 9248x6936) with a 12,000 px long side; 2000 px
 * for other formats; 64 px short side; frames of at most 16 Mi pixels (4096², so 12 MP photos are
 * decoded in full: docs/engine.md gives the measurement behind this choice).
 */
export const DEFAULT_DECODE_LIMITS: DecodeLimits = {
  maxEncodedBytes: 33_554_432,
  maxPixelsJpeg: 67_108_864,
  maxLongSideJpeg: 12_000,
  maxLongSideOther: 2000,
  minShortSide: 64,
  maxDecodedPixels: 16_777_216,
};

/** Width and height as stored in the encoded image, before any EXIF orientation. */
export interface EncodedDimensions {
  readonly width: number;
  readonly height: number;
}

/** The long-side and pixel limits that apply to `format`. */
export function resolutionLimitsFor(format: ImageFormat, limits: DecodeLimits): { readonly maxLongSide: number; readonly maxPixels: number } {
  if (format === 'jpeg') return { maxLongSide: limits.maxLongSideJpeg, maxPixels: limits.maxPixelsJpeg };
  return { maxLongSide: limits.maxLongSideOther, maxPixels: limits.maxLongSideOther ** 2 };
}

/**
 * Throws IMAGE_SIZE_EXCEEDED when the encoded image is larger than the byte limit.
 *
 * @example
 * assertEncodedSize(bytes.byteLength, DEFAULT_DECODE_LIMITS);
 */
export function assertEncodedSize(byteCount: number, limits: DecodeLimits): void {
  if (byteCount > limits.maxEncodedBytes) {
    throw new FaceliveError('IMAGE_SIZE_EXCEEDED', { bytes: byteCount, maxBytes: limits.maxEncodedBytes });
  }
}

/**
 * Throws IMAGE_RESOLUTION_EXCEEDED or IMAGE_RESOLUTION_TOO_SMALL for header dimensions outside
 * the limits. Orientation swaps width and height but never changes the pixel count, the long or
 * the short side, so the stored dimensions are checked as they are.
 *
 * @example
 * assertDimensions({ width: 8000, height: 8000 }, 'png', DEFAULT_DECODE_LIMITS); // throws
 */
export function assertDimensions(dimensions: EncodedDimensions, format: ImageFormat, limits: DecodeLimits): void {
  const { width, height } = dimensions;
  const { maxLongSide, maxPixels } = resolutionLimitsFor(format, limits);
  if (Math.max(width, height) > maxLongSide || width * height > maxPixels) {
    throw new FaceliveError('IMAGE_RESOLUTION_EXCEEDED', { width, height, maxLongSide, maxPixels, format });
  }
  if (Math.min(width, height) < limits.minShortSide) {
    throw new FaceliveError('IMAGE_RESOLUTION_TOO_SMALL', { width, height, minShortSide: limits.minShortSide });
  }
}

/**
 * The long side to decode an image to, or undefined to decode it at its own size: the largest
 * long side whose frame keeps the aspect ratio within `maxDecodedPixels`. Orientation does not
 * matter, since the long side stays the long side.
 *
 * @example
 * decodedLongSide({ width: 8000, height: 6000 }, DEFAULT_DECODE_LIMITS); // 4729 (4729 x 3547 ≤ 16 Mi px)
 */
export function decodedLongSide(dimensions: EncodedDimensions, limits: DecodeLimits): number | undefined {
  const pixels = dimensions.width * dimensions.height;
  // Written so that a limits object without the field decodes in full rather than to NaN.
  if (!(pixels > limits.maxDecodedPixels)) return undefined;
  return Math.floor(Math.max(dimensions.width, dimensions.height) * Math.sqrt(limits.maxDecodedPixels / pixels));
}
