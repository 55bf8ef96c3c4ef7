import type { ImageFormat } from '../types.js';

/**
 * Formats recognised only so that the refusal can name them. The value is echoed in a
 * client-safe message, so it is always one of these fixed labels and never taken from the bytes.
 */
export type UnsupportedFormat = 'gif' | 'tiff' | 'avif' | 'heif' | 'jxl' | 'ico' | 'pdf' | 'unknown';

/** What the leading bytes of an image say it is. */
export type SniffedFormat = { readonly supported: true; readonly format: ImageFormat } | { readonly supported: false; readonly format: UnsupportedFormat };

interface Signature {
  readonly format: ImageFormat | UnsupportedFormat;
  /** Byte offset of `magic`. */
  readonly offset: number;
  readonly magic: readonly number[];
}

const ascii = (text: string): number[] => [...text].map((char) => char.charCodeAt(0));

// Checked in order; the first match wins. WebP and the ISO-BMFF formats need a second check
// (see sniffFormat) because their first bytes are shared containers (RIFF, ftyp).
const SIGNATURES: readonly Signature[] = [
  { format: 'jpeg', offset: 0, magic: [0xff, 0xd8, 0xff] },
  { format: 'png', offset: 0, magic: [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a] },
  { format: 'bmp', offset: 0, magic: ascii('BM') },
  { format: 'webp', offset: 8, magic: ascii('WEBP') },
  { format: 'gif', offset: 0, magic: ascii('GIF8') },
  { format: 'tiff', offset: 0, magic: [0x49, 0x49, 0x2a, 0x00] },
  { format: 'tiff', offset: 0, magic: [0x4d, 0x4d, 0x00, 0x2a] },
  { format: 'jxl', offset: 0, magic: [0xff, 0x0a] },
  { format: 'jxl', offset: 0, magic: [0x00, 0x00, 0x00, 0x0c, 0x4a, 0x58, 0x4c, 0x20] },
  { format: 'ico', offset: 0, magic: [0x00, 0x00, 0x01, 0x00] },
  { format: 'pdf', offset: 0, magic: ascii('%PDF') },
];

const AVIF_BRANDS = new Set(['avif', 'avis']);
const HEIF_BRANDS = new Set(['heic', 'heix', 'heim', 'heis', 'hevc', 'hevx', 'mif1', 'msf1']);

function matchesAt(bytes: Uint8Array, offset: number, magic: readonly number[]): boolean {
  if (bytes.length < offset + magic.length) return false;
  return magic.every((value, index) => bytes[offset + index] === value);
}

function readAscii(bytes: Uint8Array, offset: number, length: number): string {
  return String.fromCharCode(...bytes.subarray(offset, offset + length));
}

/**
 * Detects the image format from magic bytes. File names and content types are never consulted:
 * they are chosen by the sender and prove nothing about the bytes.
 *
 * @example
 * sniffFormat(new Uint8Array([0xff, 0xd8, 0xff, 0xe0])); // { supported: true, format: 'jpeg' }
 */
export function sniffFormat(bytes: Uint8Array): SniffedFormat {
  for (const signature of SIGNATURES) {
    if (!matchesAt(bytes, signature.offset, signature.magic)) continue;
    if (signature.format === 'webp' && !matchesAt(bytes, 0, ascii('RIFF'))) continue;
    return toSniffed(signature.format);
  }
  if (matchesAt(bytes, 4, ascii('ftyp'))) {
    const brand = readAscii(bytes, 8, 4);
    if (AVIF_BRANDS.has(brand)) return toSniffed('avif');
    if (HEIF_BRANDS.has(brand)) return toSniffed('heif');
  }
  return toSniffed('unknown');
}

function toSniffed(format: ImageFormat | UnsupportedFormat): SniffedFormat {
  switch (format) {
    case 'jpeg':
    case 'png':
    case 'bmp':
    case 'webp':
      return { supported: true, format };
    default:
      return { supported: false, format };
  }
}
