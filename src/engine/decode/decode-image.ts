import { FaceliveError, toFaceliveError } from '../../errors/catalogue.js';
import type { DecodedImage, RgbFrame } from '../types.js';
import { decodeBmp } from './decode-bmp.js';
import { decodeWithSharp } from './decode-sharp.js';
import { assertDimensions, assertEncodedSize, decodedLongSide, type DecodeLimits, type EncodedDimensions } from './limits.js';
import { readDimensions } from './read-dimensions.js';
import { sniffFormat } from './sniff-format.js';

/**
 * The image's own oriented size. Unless the frame was downscaled it is the frame's; otherwise it
 * is the stored size, swapped when the frame came out with the other orientation.
 */
function orientedSize(stored: EncodedDimensions, frame: RgbFrame, longSide: number | undefined): { width: number; height: number } {
  if (longSide === undefined) return { width: frame.width, height: frame.height };
  const swapped = stored.width >= stored.height !== frame.width >= frame.height;
  return swapped ? { width: stored.height, height: stored.width } : { width: stored.width, height: stored.height };
}

/**
 * The decode stage: untrusted encoded bytes → EXIF-oriented 8-bit RGB frame, downscaled to at
 * most `limits.maxDecodedPixels` (only images larger than that are resampled).
 *
 * Checks run cheapest first and all before any pixel is allocated: empty, byte count, format
 * from the magic bytes (JPEG, PNG, BMP, WebP), then the header dimensions against the limits.
 * Only `FaceliveError` leaves this function (IMAGE_EMPTY, IMAGE_SIZE_EXCEEDED,
 * IMAGE_FORMAT_UNSUPPORTED, IMAGE_RESOLUTION_EXCEEDED, IMAGE_RESOLUTION_TOO_SMALL,
 * IMAGE_DECODE_FAILED; INTERNAL_ERROR for anything unforeseen).
 *
 * @example
 * const { frame, format } = await decodeImage(bytes, DEFAULT_DECODE_LIMITS);
 * // frame.data.length === frame.width * frame.height * 3
 */
export async function decodeImage(bytes: Uint8Array, limits: DecodeLimits): Promise<DecodedImage> {
  try {
    return await decodeChecked(bytes, limits);
  } catch (error) {
    throw toFaceliveError(error);
  }
}

async function decodeChecked(bytes: Uint8Array, limits: DecodeLimits): Promise<DecodedImage> {
  if (bytes.byteLength === 0) throw new FaceliveError('IMAGE_EMPTY');
  assertEncodedSize(bytes.byteLength, limits);

  const sniffed = sniffFormat(bytes);
  if (!sniffed.supported) throw new FaceliveError('IMAGE_FORMAT_UNSUPPORTED', { format: sniffed.format });
  const { format } = sniffed;

  const dimensions = await readDimensions(bytes, format);
  assertDimensions(dimensions, format, limits);

  const maxInputPixels = dimensions.width * dimensions.height;
  // bmp-ts cannot decode at a reduced size; BMP stays within maxLongSideOther anyway.
  const longSide = format === 'bmp' ? undefined : decodedLongSide(dimensions, limits);
  const frame: RgbFrame = format === 'bmp' ? decodeBmp(bytes) : await decodeWithSharp(bytes, { format, maxInputPixels, longSide });
  return { frame, format, encodedBytes: bytes.byteLength, original: orientedSize(dimensions, frame, longSide) };
}
