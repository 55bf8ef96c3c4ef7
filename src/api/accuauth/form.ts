/**
 * The multipart form of `POST /face/liveness_anti_hack`: the image as a file part
 * `liveness_data_file` or a URL in `liveness_data_url`, and the 0/1 switches `return_image` and
 * `return_extra`. `image_id` (images kept by the vendor's H5 SDK) cannot be served and is refused;
 * other fields are ignored, as the vendor's API does.
 */
import type { FastifyRequest } from 'fastify';
import { FaceliveError } from '../../errors/catalogue.js';
import { describeValue } from '../http-errors.js';
import type { ImageInput } from '../image-input.js';
import { readFormParts } from '../multipart-form.js';

/** Field names of the form. */
export const FORM_FIELDS = {
  file: 'liveness_data_file',
  url: 'liveness_data_url',
  imageId: 'image_id',
  returnImage: 'return_image',
  returnExtra: 'return_extra',
} as const;

/** A parsed form. */
export interface AccuAuthForm {
  readonly input: ImageInput;
  readonly returnImage: boolean;
  readonly returnExtra: boolean;
}

const TEXT_FIELDS = new Set<string>([FORM_FIELDS.url, FORM_FIELDS.imageId, FORM_FIELDS.returnImage, FORM_FIELDS.returnExtra]);
const IMAGE_EXPECTED = 'a file part holding the face image (JPEG, PNG, BMP or WebP)';
/** @fastify/multipart's limit errors; their 413 would read as "body too large". */
const PART_LIMITS = new Set(['FST_PARTS_LIMIT', 'FST_FILES_LIMIT', 'FST_FIELDS_LIMIT']);

function parseSwitch(fields: ReadonlyMap<string, string>, field: string): boolean {
  const value = fields.get(field);
  if (value === undefined || value === '0') return false;
  if (value === '1') return true;
  throw new FaceliveError('INVALID_ARGUMENT', { field, expected: '0 or 1', received: describeValue(value) });
}

async function readParts(request: FastifyRequest): Promise<{ bytes?: Uint8Array; fields: Map<string, string> }> {
  let bytes: Uint8Array | undefined;
  const fields = new Map<string, string>();
  await readFormParts(request, async (part) => {
    if (part.type === 'file') {
      if (part.fieldname !== FORM_FIELDS.file) {
        part.file.resume();
        if (TEXT_FIELDS.has(part.fieldname)) {
          throw new FaceliveError('INVALID_ARGUMENT', { field: part.fieldname, expected: 'a text field', received: 'a file part' });
        }
        return;
      }
      if (bytes) {
        part.file.resume();
        throw new FaceliveError('INVALID_ARGUMENT', { field: FORM_FIELDS.file, expected: 'one file part', received: 'several' });
      }
      bytes = await part.toBuffer();
    } else if (part.fieldname === FORM_FIELDS.file) {
      throw new FaceliveError('INVALID_ARGUMENT', { field: FORM_FIELDS.file, expected: IMAGE_EXPECTED, received: 'a text field' });
    } else if (TEXT_FIELDS.has(part.fieldname)) {
      if (fields.has(part.fieldname)) {
        throw new FaceliveError('INVALID_ARGUMENT', { field: part.fieldname, expected: 'one value', received: 'several' });
      }
      fields.set(part.fieldname, String(part.value));
    }
  });
  return { bytes, fields };
}

/**
 * Streams and checks the form. Throws INVALID_ARGUMENT (or ARGUMENT_MISSING) naming the field.
 *
 * @example
 * const { input, returnImage, returnExtra } = await readAccuAuthForm(request);
 */
export async function readAccuAuthForm(request: FastifyRequest): Promise<AccuAuthForm> {
  let parts: Awaited<ReturnType<typeof readParts>>;
  try {
    parts = await readParts(request);
  } catch (error) {
    const { code } = (error ?? {}) as { code?: unknown };
    if (typeof code === 'string' && PART_LIMITS.has(code)) {
      throw new FaceliveError(
        'INVALID_ARGUMENT',
        { field: 'form', expected: `at most the fields ${[FORM_FIELDS.file, ...TEXT_FIELDS].join(', ')}`, received: 'too many parts' },
        { cause: error },
      );
    }
    throw error;
  }
  const { bytes, fields } = parts;
  const imageId = fields.get(FORM_FIELDS.imageId);
  if (imageId !== undefined) {
    throw new FaceliveError('INVALID_ARGUMENT', {
      field: FORM_FIELDS.imageId,
      expected: `no ${FORM_FIELDS.imageId} (facelive keeps no images of the H5 liveness SDK; send the image in ${FORM_FIELDS.file} or ${FORM_FIELDS.url})`,
      received: describeValue(imageId),
    });
  }
  const url = fields.get(FORM_FIELDS.url);
  if (bytes && url !== undefined) {
    throw new FaceliveError('INVALID_ARGUMENT', { field: `${FORM_FIELDS.file}/${FORM_FIELDS.url}`, expected: 'one of the two', received: 'both' });
  }
  let input: ImageInput;
  if (bytes) input = { kind: 'bytes', field: FORM_FIELDS.file, bytes };
  else if (url !== undefined) input = { kind: 'url', field: FORM_FIELDS.url, url };
  else throw new FaceliveError('ARGUMENT_MISSING', { field: FORM_FIELDS.file, expected: `${IMAGE_EXPECTED}, or ${FORM_FIELDS.url}` });
  return { input, returnImage: parseSwitch(fields, FORM_FIELDS.returnImage), returnExtra: parseSwitch(fields, FORM_FIELDS.returnExtra) };
}
