/**
 * Making a photo sendable, for the capture and demo pages: a file the server decodes and whose
 * size the page accepts goes as it is (the server applies EXIF orientation); any other is drawn
 * upright onto a canvas and re-encoded as JPEG with a long side of RESIZED_LONG_SIDE.
 */

const RESIZED_LONG_SIDE = 1600;
const JPEG_QUALITY = 0.92;

/** Types the server decodes, which may be sent without re-encoding. */
export const SENDABLE_TYPES = new Set(['image/jpeg', 'image/png', 'image/webp', 'image/bmp']);

/** `1.2 MB`, `340 KB`. */
export function describeBytes(bytes) {
  return bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MB` : `${Math.max(1, Math.round(bytes / 1024))} KB`;
}

/** The canvas as a JPEG blob; `fail(code, message)` makes the page's error when the browser cannot. */
export function canvasToJpeg(canvas, fail) {
  return new Promise((resolve, reject) =>
    canvas.toBlob(
      (blob) => (blob ? resolve(blob) : reject(fail('IMAGE_ENCODE_FAILED', 'The browser could not encode the photo.'))),
      'image/jpeg',
      JPEG_QUALITY,
    ),
  );
}

/**
 * `{ blob, note }`: the photo to send and a line describing it. `fits({ size, type, longSide })`
 * says whether the file may go as it is; `fail(code, message)` makes the page's own error.
 *
 * @example
 * const { blob, note } = await prepareImage(file, { fits: ({ size }) => size <= maxBytes, fail: (code, message) => new PageError(code, message) });
 */
export async function prepareImage(blob, { fits, fail }) {
  let bitmap;
  try {
    bitmap = await createImageBitmap(blob);
  } catch {
    throw fail('IMAGE_UNREADABLE', 'This file is not an image the browser can read; use a JPEG, PNG or WebP photo.');
  }
  const { width, height } = bitmap;
  const longSide = Math.max(width, height);
  if (SENDABLE_TYPES.has(blob.type) && fits({ size: blob.size, type: blob.type, longSide })) {
    bitmap.close();
    return { blob, note: `${width}×${height}, ${describeBytes(blob.size)}` };
  }
  const scale = Math.min(1, RESIZED_LONG_SIDE / longSide);
  const canvas = document.createElement('canvas');
  canvas.width = Math.round(width * scale);
  canvas.height = Math.round(height * scale);
  canvas.getContext('2d').drawImage(bitmap, 0, 0, canvas.width, canvas.height);
  bitmap.close();
  const resized = await canvasToJpeg(canvas, fail);
  return { blob: resized, note: `${canvas.width}×${canvas.height}, ${describeBytes(resized.size)} (resized from ${width}×${height})` };
}
