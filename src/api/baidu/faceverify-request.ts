/**
 * The faceverify body, checked in Baidu's order so each fault gets Baidu's code: a JSON array
 * (whatever the Content-Type said: the Node SDK sends JSON as a form) of one image object; its
 * `image` and `image_type` present (222001 `param[…] is null`), `image_type` BASE64 or URL,
 * `face_field` names Baidu knows.
 */
import { FaceliveError } from '../../errors/catalogue.js';
import { describeValue } from '../http-errors.js';
import type { ImageInput } from '../image-input.js';

/** The `face_field` names of Baidu's documentation; facelive accepts them and produces none. */
export const FACE_FIELDS: ReadonlySet<string> = new Set([
  'age',
  'beauty',
  'expression',
  'face_shape',
  'gender',
  'glasses',
  'landmark',
  'landmark150',
  'race',
  'quality',
  'eye_status',
  'emotion',
  'face_type',
  'spoofing',
]);

/** Images per call: one (the document's older revisions allowed several photos of one person). */
export const MAX_IMAGES = 1;

function parse(raw: Buffer): unknown {
  try {
    return JSON.parse(raw.toString('utf8'));
  } catch (error) {
    throw new FaceliveError('REQUEST_MALFORMED', { reason: 'the body is not valid JSON' }, { cause: error });
  }
}

function text(item: Readonly<Record<string, unknown>>, field: string, expected: string): string | undefined {
  const value = item[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw new FaceliveError('INVALID_ARGUMENT', { field, expected, received: describeValue(value) });
  return value;
}

function inputOf(item: Readonly<Record<string, unknown>>): ImageInput {
  const image = text(item, 'image', 'the image as base64, or its URL');
  if (image === undefined) throw new FaceliveError('ARGUMENT_MISSING', { field: 'image', expected: 'the image as base64, or its URL' });
  const imageType = text(item, 'image_type', 'BASE64 or URL');
  if (imageType === undefined) throw new FaceliveError('ARGUMENT_MISSING', { field: 'image_type', expected: 'BASE64 or URL' });
  const faceField = text(item, 'face_field', 'comma-separated face_field names');
  const unknown = faceField
    ?.split(',')
    .map((name) => name.trim())
    .find((name) => name !== '' && !FACE_FIELDS.has(name));
  if (unknown !== undefined)
    throw new FaceliveError('INVALID_ARGUMENT', {
      field: 'face_field',
      expected: `names among ${[...FACE_FIELDS].join(', ')}`,
      received: describeValue(unknown),
    });
  text(item, 'option', 'a scene name such as COMMON');
  switch (imageType) {
    case 'BASE64':
      return { kind: 'base64', field: 'image', value: image };
    case 'URL':
      return { kind: 'url', field: 'image', url: image };
    default:
      throw new FaceliveError('INVALID_ARGUMENT', {
        field: 'image_type',
        expected: imageType === 'FACE_TOKEN' ? 'BASE64 or URL (facelive keeps no face tokens)' : 'BASE64 or URL',
        received: describeValue(imageType),
      });
  }
}

/**
 * The image of a faceverify body.
 *
 * @example
 * const input = faceverifyInput(Buffer.from('[{"image":"/9j/…","image_type":"BASE64"}]'));
 */
export function faceverifyInput(raw: Buffer | undefined): ImageInput {
  if (raw === undefined || raw.length === 0) throw new FaceliveError('ARGUMENT_MISSING', { field: 'body', expected: 'a JSON array of image objects' });
  const body = parse(raw);
  if (!Array.isArray(body) || body.length === 0) {
    throw new FaceliveError('REQUEST_MALFORMED', { reason: 'the body is not a non-empty JSON array of image objects' });
  }
  if (body.length > MAX_IMAGES) {
    throw new FaceliveError('INVALID_ARGUMENT', { field: 'body', expected: `at most ${MAX_IMAGES} image object`, received: describeValue(body) });
  }
  const [item] = body as unknown[];
  if (item === null || typeof item !== 'object' || Array.isArray(item)) {
    throw new FaceliveError('REQUEST_MALFORMED', { reason: 'the array holds something other than an image object' });
  }
  return inputOf(item as Record<string, unknown>);
}
