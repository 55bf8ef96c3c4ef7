/**
 * The body of `POST /v1/liveness` for an image: bytes go as a multipart file part (no base64
 * inflation), a URL as JSON `imageUrl` for facelive to fetch. Both bodies can be sent again
 * unchanged when the call is retried.
 */
import type { ImageInput, LivenessSettings } from './types.js';

/** A request body and, for JSON, its content type (FormData sets its own boundary). */
export interface RequestBody {
  readonly body: FormData | string;
  readonly contentType?: string;
}

const EXPECTED = 'expected image bytes (Uint8Array, ArrayBuffer or Blob) or an http(s) URL string';

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'string') return value.length > 40 ? `a string of ${value.length} characters` : JSON.stringify(value);
  if (typeof value === 'object') return `an object (${Object.prototype.toString.call(value).slice(8, -1)})`;
  return `${typeof value} ${String(value)}`;
}

function urlOf(text: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new TypeError(`image: ${EXPECTED}, received ${describe(text)}, which is not an absolute URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new TypeError(`image: ${EXPECTED}, received a ${url.protocol} URL`);
  }
  return url.href;
}

function blobOf(image: Exclude<ImageInput, string>): Blob {
  if (image instanceof Blob) return image;
  if (image instanceof ArrayBuffer) return new Blob([image]);
  // A view over a SharedArrayBuffer is copied: Blob accepts only views over ordinary buffers.
  return new Blob([image.buffer instanceof ArrayBuffer ? (image as Uint8Array<ArrayBuffer>) : image.slice()]);
}

/**
 * Builds the body for `image` with the call's settings; throws a TypeError naming what was
 * expected for anything else (before any request is sent).
 *
 * @example
 * const { body } = livenessBody(new Uint8Array(jpeg), { threshold: 60 });
 */
export function livenessBody(image: ImageInput, settings: LivenessSettings = {}): RequestBody {
  if (typeof image === 'string') {
    return {
      body: JSON.stringify({ imageUrl: urlOf(image), threshold: settings.threshold, returnFaces: settings.returnFaces }),
      contentType: 'application/json',
    };
  }
  if (!(image instanceof Blob || image instanceof ArrayBuffer || image instanceof Uint8Array)) {
    throw new TypeError(`image: ${EXPECTED}, received ${describe(image)}`);
  }
  const form = new FormData();
  form.append('image', blobOf(image), 'image');
  if (settings.threshold !== undefined) form.append('threshold', String(settings.threshold));
  if (settings.returnFaces !== undefined) form.append('returnFaces', String(settings.returnFaces));
  return { body: form };
}
