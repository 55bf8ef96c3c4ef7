import sharp, { type OutputInfo } from 'sharp';
import { FaceliveError } from '../../errors/catalogue.js';
import type { ImageFormat, RgbFrame } from '../types.js';

/** Options for {@link decodeWithSharp}. */
export interface SharpDecodeOptions {
  /** Used for error messages only; sharp picks its loader from the bytes. */
  readonly format: Exclude<ImageFormat, 'bmp'>;
  /**
   * Backstop pixel limit (width × height): the header's own pixel count, already checked
   * against the limits. It guards against a loader that reports one size in its header and
   * decodes another.
   */
  readonly maxInputPixels: number;
  /**
   * Long side of the frame to produce when the image is larger than the working size (see
   * `decodedLongSide`); undefined decodes at the image's own size. JPEG is shrunk while it is
   * decoded (libjpeg DCT scaling where the factor allows, streamed resampling otherwise), so the
   * full-size image is never held in memory.
   */
  readonly longSide?: number;
}

/**
 * Decodes JPEG, PNG or WebP into an EXIF-oriented, 3-channel, 8-bit sRGB frame, with exactly the
 * pipeline the model spec was measured with. Greyscale, grey+alpha, CMYK, RGBA and 16-bit inputs
 * all come out as 8-bit RGB: `toColourspace('srgb')` converts both channel layout and depth.
 * With `longSide`, the frame is downscaled (Lanczos-3, as sharp does by default) to fit a
 * `longSide` square.
 *
 * @example
 * const frame = await decodeWithSharp(bytes, { format: 'jpeg', maxInputPixels: 3024 * 4032 });
 */
export async function decodeWithSharp(bytes: Uint8Array, options: SharpDecodeOptions): Promise<RgbFrame> {
  const { format } = options;
  let output: { data: Buffer; info: OutputInfo };
  try {
    let pipeline = sharp(bytes, {
      limitInputPixels: options.maxInputPixels,
      // 'error' refuses truncated JPEG/PNG (libjpeg's "premature end" and libpng read errors)
      // yet tolerates the benign warnings real camera JPEGs carry, which 'warning' would refuse.
      failOn: 'error',
    }).rotate(); // no angle: apply the EXIF orientation
    if (options.longSide !== undefined) {
      pipeline = pipeline.resize({ width: options.longSide, height: options.longSide, fit: 'inside', withoutEnlargement: true });
    }
    output = await pipeline.removeAlpha().toColourspace('srgb').raw().toBuffer({ resolveWithObject: true });
  } catch (error) {
    // libvips messages can be long and name internals; the client gets a short phrase and the
    // original stays in `cause` for logs.
    throw new FaceliveError('IMAGE_DECODE_FAILED', { format, reason: 'the data is corrupt or truncated' }, { cause: error });
  }

  const { data, info } = output;
  // With 3 channels, the byte count also proves 8-bit samples (16-bit would be twice as long).
  if (info.channels !== 3 || data.length !== info.width * info.height * 3) {
    throw new FaceliveError('IMAGE_DECODE_FAILED', { format, reason: 'the decoder did not return 8-bit RGB' });
  }
  return { width: info.width, height: info.height, data };
}
