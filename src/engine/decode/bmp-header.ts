import { FaceliveError } from '../../errors/catalogue.js';

/** BITMAPFILEHEADER length; the info header starts right after it. */
export const BMP_FILE_HEADER_BYTES = 14;
/** BITMAPINFOHEADER length, the smallest info header bmp-ts reads. */
export const BMP_INFO_HEADER_BYTES = 40;
/** Info header sizes bmp-ts understands: INFO, V2, V3, V4, V5. OS/2 core headers (12) are not. */
const SUPPORTED_INFO_HEADER_BYTES = new Set([40, 52, 56, 108, 124]);

/** BMP compression methods, from the `biCompression` field. */
export const BMP_COMPRESSION = { rgb: 0, rle8: 1, rle4: 2, bitFields: 3, jpeg: 4, png: 5, alphaBitFields: 6 } as const;

/** The fields of a BMP header that the decode stage needs. */
export interface BmpHeader {
  readonly width: number;
  /** Always positive; `topDown` keeps the sign of the stored height. */
  readonly height: number;
  readonly topDown: boolean;
  /** Size of the info header: 40, 52, 56, 108 or 124. */
  readonly infoHeaderBytes: number;
  readonly bitsPerPixel: number;
  readonly compression: number;
  /** Palette entries declared in the header (0 means the default 2^bitsPerPixel). */
  readonly paletteColours: number;
  /** Offset of the pixel array from the start of the file (`bfOffBits`). */
  readonly pixelOffset: number;
}

/** IMAGE_DECODE_FAILED for a BMP, with a short reason that is safe to show to clients. */
export function bmpDecodeFailed(reason: string, cause?: unknown): FaceliveError {
  return new FaceliveError('IMAGE_DECODE_FAILED', { format: 'bmp', reason }, cause === undefined ? undefined : { cause });
}

/**
 * Parses the file and info headers of a BMP without touching the pixels, so the dimensions can
 * be checked before bmp-ts allocates `width * height * 4` bytes. Only what is needed to trust
 * the dimensions is validated here; whether the variant can be decoded is decode-bmp's call.
 *
 * @example
 * const { width, height } = readBmpHeader(bytes);
 */
export function readBmpHeader(bytes: Uint8Array): BmpHeader {
  if (bytes.length < BMP_FILE_HEADER_BYTES + BMP_INFO_HEADER_BYTES) throw bmpDecodeFailed('the header is truncated');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const infoHeaderBytes = view.getUint32(14, true);
  if (!SUPPORTED_INFO_HEADER_BYTES.has(infoHeaderBytes)) throw bmpDecodeFailed('the BMP header version is not supported');
  if (bytes.length < BMP_FILE_HEADER_BYTES + infoHeaderBytes) throw bmpDecodeFailed('the header is truncated');

  const width = view.getInt32(18, true);
  const storedHeight = view.getInt32(22, true);
  if (width <= 0 || storedHeight === 0) throw bmpDecodeFailed('the header has invalid dimensions');
  return {
    width,
    // A negative height marks a top-down bitmap; the magnitude is the height.
    height: Math.abs(storedHeight),
    topDown: storedHeight < 0,
    infoHeaderBytes,
    bitsPerPixel: view.getUint16(28, true),
    compression: view.getUint32(30, true),
    paletteColours: view.getUint32(46, true),
    pixelOffset: view.getUint32(10, true),
  };
}
