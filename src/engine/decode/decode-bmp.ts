import { decode } from 'bmp-ts';
import type { RgbFrame } from '../types.js';
import { BMP_COMPRESSION, BMP_FILE_HEADER_BYTES, BMP_INFO_HEADER_BYTES, bmpDecodeFailed, readBmpHeader, type BmpHeader } from './bmp-header.js';

const SUPPORTED_BITS_PER_PIXEL = new Set([1, 4, 8, 16, 24, 32]);
const DECODABLE_COMPRESSION = new Set<number>([BMP_COMPRESSION.rgb, BMP_COMPRESSION.bitFields, BMP_COMPRESSION.alphaBitFields]);

/** Where the RGB(A) channel masks live when the info header is larger than 40 bytes. */
const MASKS_OFFSET = BMP_FILE_HEADER_BYTES + BMP_INFO_HEADER_BYTES;
/** The masks BI_RGB implies; `alpha: 0` makes bmp-ts treat the image as opaque. */
const DEFAULT_MASKS = {
  16: { red: 0x7c00, green: 0x03e0, blue: 0x001f, alpha: 0 },
  32: { red: 0x00ff0000, green: 0x0000ff00, blue: 0x000000ff, alpha: 0 },
} as const;

/**
 * Decodes a BMP with bmp-ts (sharp cannot read BMP) into an RGB frame, rows top-down.
 *
 * The caller has already checked the dimensions against the limits; this function re-reads the
 * header (a few bytes) rather than trusting a header passed in.
 *
 * @example
 * const frame = decodeBmp(bytes);
 */
export function decodeBmp(bytes: Uint8Array): RgbFrame {
  const header = readBmpHeader(bytes);
  assertDecodable(header);
  const input = toBmpTsLayout(bytes, header);

  let decoded: ReturnType<typeof decode>;
  try {
    decoded = decode(input);
  } catch (error) {
    // bmp-ts reads with Buffer.readUInt8 and friends, so truncation surfaces as a RangeError.
    throw bmpDecodeFailed('the data is corrupt or truncated', error);
  }

  const { width, height } = header;
  if (decoded.width !== width || decoded.height !== height || decoded.data.length !== width * height * 4) {
    throw bmpDecodeFailed('the decoder returned an unexpected pixel layout');
  }
  return { width, height, data: abgrToRgb(decoded.data, width * height) };
}

/**
 * Refuses the variants bmp-ts decodes wrongly instead of failing, so a client gets an error
 * rather than a scrambled image: RLE (pixels are written at the wrong offsets) and 4-bit images
 * of odd width (decoding stops after the first row).
 */
function assertDecodable(header: BmpHeader): void {
  if (!SUPPORTED_BITS_PER_PIXEL.has(header.bitsPerPixel)) {
    throw bmpDecodeFailed(`${header.bitsPerPixel} bits per pixel is not supported`);
  }
  if (header.compression === BMP_COMPRESSION.rle8 || header.compression === BMP_COMPRESSION.rle4) {
    throw bmpDecodeFailed('RLE-compressed BMP is not supported');
  }
  if (!DECODABLE_COMPRESSION.has(header.compression)) {
    throw bmpDecodeFailed('this BMP compression method is not supported');
  }
  if (header.bitsPerPixel === 4 && header.width % 2 === 1) {
    throw bmpDecodeFailed('4-bit BMP of odd width is not supported');
  }
}

/**
 * Where bmp-ts starts reading pixels. It ignores `bfOffBits` and reads straight on after the
 * header, masks and palette, so this mirrors its header walk (decoder.js parseHeader).
 */
function bmpTsPixelStart(header: BmpHeader): number {
  const { infoHeaderBytes, compression, bitsPerPixel, paletteColours } = header;
  const hasBitFields = compression === BMP_COMPRESSION.bitFields || compression === BMP_COMPRESSION.alphaBitFields;
  let position = BMP_FILE_HEADER_BYTES + BMP_INFO_HEADER_BYTES;
  if (infoHeaderBytes > 40 || hasBitFields) position += 12; // red, green, blue masks
  if (infoHeaderBytes > 52 || compression === BMP_COMPRESSION.alphaBitFields) position += 4; // alpha mask
  if (infoHeaderBytes > 56) position += 108 - 56; // rest of BITMAPV4HEADER
  if (infoHeaderBytes > 108) position += 124 - 108; // rest of BITMAPV5HEADER
  if (bitsPerPixel <= 8 || paletteColours > 0) {
    position += 4 * (paletteColours === 0 ? 2 ** bitsPerPixel : paletteColours);
  }
  return position;
}

/**
 * Returns bytes bmp-ts reads correctly: the pixel array moved to where bmp-ts expects it when
 * the file leaves a gap before it, and, for BI_RGB with a V2+ header, the default channel masks
 * written over the header's mask fields (the spec says they are unused there, writers leave them
 * zero, and bmp-ts would decode every pixel as black). Returns the input unchanged when neither
 * applies, which is the common case.
 */
function toBmpTsLayout(bytes: Uint8Array, header: BmpHeader): Buffer {
  const pixelStart = bmpTsPixelStart(header);
  if (pixelStart > header.pixelOffset) throw bmpDecodeFailed('the pixel data offset is inconsistent with the header');
  if (header.pixelOffset >= bytes.length) throw bmpDecodeFailed('the data is truncated');

  const masks = header.compression === BMP_COMPRESSION.rgb && header.infoHeaderBytes > BMP_INFO_HEADER_BYTES ? defaultMasksFor(header.bitsPerPixel) : undefined;
  if (pixelStart === header.pixelOffset && masks === undefined) {
    return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  const copy = Buffer.concat([bytes.subarray(0, pixelStart), bytes.subarray(header.pixelOffset)]);
  if (masks !== undefined) {
    copy.writeUInt32LE(masks.red, MASKS_OFFSET);
    copy.writeUInt32LE(masks.green, MASKS_OFFSET + 4);
    copy.writeUInt32LE(masks.blue, MASKS_OFFSET + 8);
    if (header.infoHeaderBytes > 52) copy.writeUInt32LE(masks.alpha, MASKS_OFFSET + 12);
  }
  return copy;
}

function defaultMasksFor(bitsPerPixel: number): (typeof DEFAULT_MASKS)[16 | 32] | undefined {
  if (bitsPerPixel === 16 || bitsPerPixel === 32) return DEFAULT_MASKS[bitsPerPixel];
  return undefined;
}

/**
 * bmp-ts writes A,B,G,R per pixel. Its `toRGBA` option is not honoured by the palette paths
 * (1-, 4- and 8-bit always write ABGR), so the default order is the only consistent one.
 */
function abgrToRgb(abgr: Uint8Array, pixelCount: number): Uint8Array {
  const rgb = new Uint8Array(pixelCount * 3);
  for (let pixel = 0; pixel < pixelCount; pixel++) {
    rgb[pixel * 3] = abgr[pixel * 4 + 3];
    rgb[pixel * 3 + 1] = abgr[pixel * 4 + 2];
    rgb[pixel * 3 + 2] = abgr[pixel * 4 + 1];
  }
  return rgb;
}
