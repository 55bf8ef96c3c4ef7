/**
 * The image of a request, as every dialect can carry it: base64 text, a URL, or raw bytes from a
 * multipart part. Turning it into bytes is shared so that every dialect refuses the same way.
 */
import { FaceliveError } from '../errors/catalogue.js';

/** Where a request's image comes from; `field` is the dialect's field name, for messages. */
export type ImageInput =
  | { readonly kind: 'base64'; readonly field: string; readonly value: string }
  | { readonly kind: 'url'; readonly field: string; readonly url: string }
  | { readonly kind: 'bytes'; readonly field: string; readonly bytes: Uint8Array };

const BASE64 = /^[A-Za-z0-9+/_-]*={0,2}$/;
const WHITESPACE = /\s+/g;

/**
 * Decodes base64 (standard or URL-safe alphabet, padding optional, line breaks tolerated) after
 * checking the size implied by its length, so an oversized string is refused without decoding.
 *
 * @example
 * decodeBase64Image(body.Image, 'Image', config.limits.maxEncodedBytes);
 */
export function decodeBase64Image(value: string, field: string, maxEncodedBytes: number): Uint8Array {
  if (value.length === 0) throw new FaceliveError('IMAGE_EMPTY');
  let text = value;
  if (!BASE64.test(text)) {
    text = text.replace(WHITESPACE, '');
    if (!BASE64.test(text)) throw new FaceliveError('IMAGE_BASE64_INVALID', { field, reason: 'it contains characters outside the base64 alphabet' });
  }
  const unpadded = text.replace(/=+$/, '').length;
  if (unpadded % 4 === 1) throw new FaceliveError('IMAGE_BASE64_INVALID', { field, reason: 'its length is impossible for base64' });
  const bytes = Math.floor((unpadded * 3) / 4);
  if (bytes > maxEncodedBytes) throw new FaceliveError('IMAGE_SIZE_EXCEEDED', { bytes, maxBytes: maxEncodedBytes });
  if (bytes === 0) throw new FaceliveError('IMAGE_EMPTY');
  return Buffer.from(text, 'base64');
}
