import { FaceliveError, toFaceliveError } from '../../errors/catalogue.js';
import type { DecodedImage, RgbFrame } from '../types.js';
import { decodeBmp } from './decode-bmp.js';
import { decodeWithSharp } from './decode-sharp.js';
import { assertDimensions, assertEncodedSize, maxLongSideFor, type DecodeLimits } from './limits.js';
import { readDimensions } from './read-dimensions.js';
import { sniffFormat } from './sniff-format.js';

/**
 * The decode stage: untrusted encoded bytes → EXIF-oriented 8-bit RGB frame.
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

  const maxLongSide = maxLongSideFor(format, limits);
  const frame: RgbFrame =
    format === 'bmp' ? decodeBmp(bytes) : await decodeWithSharp(bytes, { format, maxInputPixels: maxLongSide ** 2 });
  return { frame, format, encodedBytes: bytes.byteLength };
}
