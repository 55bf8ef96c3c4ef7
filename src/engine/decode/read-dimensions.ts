import sharp, { type Metadata } from 'sharp';
import { FaceliveError } from '../../errors/catalogue.js';
import type { ImageFormat } from '../types.js';
import { readBmpHeader } from './bmp-header.js';
import type { EncodedDimensions } from './limits.js';

/**
 * Reads the stored width and height from the image header, without decoding any pixel: this is
 * what lets a few-kilobyte decompression bomb be refused before gigabytes are allocated.
 * sharp's `metadata()` parses headers only; BMP, which sharp cannot read, is parsed by hand.
 *
 * @example
 * const { width, height } = await readDimensions(bytes, 'png');
 */
export async function readDimensions(bytes: Uint8Array, format: ImageFormat): Promise<EncodedDimensions> {
  if (format === 'bmp') {
    const { width, height } = readBmpHeader(bytes);
    return { width, height };
  }

  let metadata: Metadata;
  try {
    // No pixel limit here: metadata() reads the header only, and sharp's default limit (268 Mpx)
    // would turn a too-large image into an unreadable one instead of IMAGE_RESOLUTION_EXCEEDED.
    metadata = await sharp(bytes, { limitInputPixels: false }).metadata();
  } catch (error) {
    throw new FaceliveError('IMAGE_DECODE_FAILED', { format, reason: 'the header is unreadable' }, { cause: error });
  }
  // sharp picks its loader from the bytes as we did; a disagreement means a crafted or broken
  // file, and decoding it would run a loader we never meant to expose.
  if (metadata.format !== format) {
    throw new FaceliveError('IMAGE_DECODE_FAILED', { format, reason: 'the header does not match the format' });
  }
  const { width, height } = metadata;
  if (!Number.isInteger(width) || !Number.isInteger(height) || width <= 0 || height <= 0) {
    throw new FaceliveError('IMAGE_DECODE_FAILED', { format, reason: 'the header has invalid dimensions' });
  }
  return { width, height };
}
