import { FaceliveError } from '../../errors/catalogue.js';
import type { ImageFormat } from '../types.js';

/**
 * Limits the decode stage enforces before any pixel is allocated. Every untrusted image passes
 * these checks in order: byte count, format, then the dimensions read from the header.
 */
export interface DecodeLimits {
  /** Largest encoded image accepted, in bytes. */
  readonly maxEncodedBytes: number;
  /** Longest side accepted for JPEG, in pixels (camera photos are large and compress well). */
  readonly maxLongSideJpeg: number;
  /** Longest side accepted for PNG, BMP and WebP, in pixels. */
  readonly maxLongSideOther: number;
  /** Shortest side accepted, in pixels; smaller images cannot hold a usable face. */
  readonly minShortSide: number;
}

/**
 * Defaults: 3,932,160 bytes is what 5 MiB of base64 decodes to; 4000 px JPEG and 2000 px for
 * other formats; 64 px short side.
 */
export const DEFAULT_DECODE_LIMITS: DecodeLimits = {
  maxEncodedBytes: 3_932_160,
  maxLongSideJpeg: 4000,
  maxLongSideOther: 2000,
  minShortSide: 64,
};

/** Width and height as stored in the encoded image, before any EXIF orientation. */
export interface EncodedDimensions {
  readonly width: number;
  readonly height: number;
}

/** The long-side limit that applies to `format`. */
export function maxLongSideFor(format: ImageFormat, limits: DecodeLimits): number {
  return format === 'jpeg' ? limits.maxLongSideJpeg : limits.maxLongSideOther;
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
 * the limits. Orientation swaps width and height but never changes the long or short side, so
 * the stored dimensions are checked as they are.
 *
 * @example
 * assertDimensions({ width: 8000, height: 8000 }, 'png', DEFAULT_DECODE_LIMITS); // throws
 */
export function assertDimensions(dimensions: EncodedDimensions, format: ImageFormat, limits: DecodeLimits): void {
  const { width, height } = dimensions;
  const maxLongSide = maxLongSideFor(format, limits);
  if (Math.max(width, height) > maxLongSide) {
    throw new FaceliveError('IMAGE_RESOLUTION_EXCEEDED', { width, height, maxLongSide, format });
  }
  if (Math.min(width, height) < limits.minShortSide) {
    throw new FaceliveError('IMAGE_RESOLUTION_TOO_SMALL', { width, height, minShortSide: limits.minShortSide });
  }
}
