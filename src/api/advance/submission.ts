/**
 * What a submission carries in (one photo, or a far/near pair, as JSON base64 or multipart file
 * parts) and what it leaves in the result store (the engine's verdict, dialect-neutral, plus the
 * accessKey it was made with). The ADVANCE numbers are derived when the result is read.
 */
import type { FastifyRequest } from 'fastify';
import type { PairGeometry } from '../../engine/pair.js';
import type { Box, Decision, LivenessResult } from '../../engine/types.js';
import { FaceliveError } from '../../errors/catalogue.js';
import type { ImageRole } from '../../store/result-store.js';
import { decodeBase64Image } from '../image-input.js';
import { readFormParts } from '../multipart-form.js';
import type { SubmitJsonBodyType } from './schemas.js';

/** The photo fields of a submission. */
export type PhotoField = 'image' | 'imageFar' | 'imageNear';

/** One submitted photo. */
export interface SubmittedPhoto {
  readonly field: PhotoField;
  readonly role: ImageRole;
  readonly bytes: Uint8Array;
}

const ROLES: Record<PhotoField, ImageRole> = { image: 'single', imageFar: 'far', imageNear: 'near' };
const EXPECTED = 'one photo in image, or a far/near pair in imageFar and imageNear';

/**
 * Re-raises a catalogue error as concerning the photo's field, so that the answer says which
 * photo of a pair failed; the code and message stay the same.
 */
export async function forPhoto<T>(field: PhotoField, work: () => T | Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw error instanceof FaceliveError ? error.concerning(field) : error;
  }
}

/** The photos in submission order (far before near), or an error naming what is wrong with the combination. */
function arrange(found: ReadonlyMap<PhotoField, Uint8Array>): SubmittedPhoto[] {
  const has = (field: PhotoField) => found.has(field);
  const photo = (field: PhotoField): SubmittedPhoto => ({ field, role: ROLES[field], bytes: found.get(field)! });
  if (has('image') && (has('imageFar') || has('imageNear'))) {
    throw new FaceliveError('INVALID_ARGUMENT', { field: 'image', expected: EXPECTED, received: 'image together with imageFar/imageNear' });
  }
  if (has('image')) return [photo('image')];
  if (has('imageFar') && has('imageNear')) return [photo('imageFar'), photo('imageNear')];
  if (has('imageFar') || has('imageNear')) {
    const missing = has('imageFar') ? 'imageNear' : 'imageFar';
    throw new FaceliveError('ARGUMENT_MISSING', { field: missing, expected: 'both photos of a far/near pair' });
  }
  throw new FaceliveError('ARGUMENT_MISSING', { field: 'image', expected: EXPECTED });
}

/** Photos of a JSON body, base64-decoded under the engine's size limit. */
export async function photosFromJson(body: SubmitJsonBodyType, maxEncodedBytes: number): Promise<SubmittedPhoto[]> {
  const found = new Map<PhotoField, Uint8Array>();
  for (const field of ['image', 'imageFar', 'imageNear'] as const) {
    const value = body[field];
    if (value !== undefined) found.set(field, await forPhoto(field, () => decodeBase64Image(value, field, maxEncodedBytes)));
  }
  return arrange(found);
}

/** Photos of a multipart body: file parts named image, imageFar, imageNear; nothing else. */
export async function photosFromMultipart(request: FastifyRequest): Promise<SubmittedPhoto[]> {
  const found = new Map<PhotoField, Uint8Array>();
  await readFormParts(request, async (part) => {
    const field = part.fieldname as PhotoField;
    if (part.type !== 'file') {
      throw new FaceliveError('INVALID_ARGUMENT', {
        field: part.fieldname,
        expected: 'only file parts named image, imageFar or imageNear',
        received: 'a text field',
      });
    }
    if (!Object.hasOwn(ROLES, field) || found.has(field)) {
      part.file.resume();
      throw new FaceliveError('INVALID_ARGUMENT', {
        field: part.fieldname,
        expected: 'one file part each of image, or imageFar and imageNear',
        received: 'another file part',
      });
    }
    found.set(field, await part.toBuffer());
  });
  return arrange(found);
}

/** One photo's own verdict, kept for the record. */
export interface StoredPhoto {
  readonly role: ImageRole;
  readonly score: number;
  readonly decision: Decision;
  readonly faceBox: Box;
}

/** The result JSON of a submission in the store. */
export interface StoredVerdict {
  readonly version: 1;
  /** accessKey of the submitting token: only tokens of the same accessKey read the result. */
  readonly accessKey: string;
  readonly kind: 'single' | 'pair';
  /** The (combined) verdict: score 0..100, decision, threshold and retry reasons. */
  readonly score: number;
  readonly decision: Decision;
  readonly threshold: number;
  readonly retryReasons: readonly string[];
  readonly photos: readonly StoredPhoto[];
  /** Pairs only. */
  readonly pair?: PairGeometry;
  readonly modelIds: LivenessResult['modelIds'];
}

/** A photo's record. */
export function storedPhoto(role: ImageRole, result: LivenessResult): StoredPhoto {
  return { role, score: result.score, decision: result.decision, faceBox: result.faces[0].box };
}

const DECISIONS: readonly unknown[] = ['live', 'spoof', 'retry'];

/** Reads a stored result back; anything else is an internal fault (the store holds only what this module wrote). */
export function parseStoredVerdict(value: unknown): StoredVerdict {
  const verdict = value as Partial<StoredVerdict> | null;
  if (
    verdict?.version !== 1 ||
    typeof verdict.accessKey !== 'string' ||
    typeof verdict.score !== 'number' ||
    typeof verdict.threshold !== 'number' ||
    !DECISIONS.includes(verdict.decision)
  ) {
    throw new FaceliveError('INTERNAL_ERROR', {}, { cause: new Error('a stored submission has an unexpected shape') });
  }
  return verdict as StoredVerdict;
}
