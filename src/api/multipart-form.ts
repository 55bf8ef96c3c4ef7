/**
 * Reading a `multipart/form-data` body part by part, shared by every dialect that takes one. A
 * body that is not a readable form (no boundary, a boundary the body does not use, a truncated
 * or aborted upload) is REQUEST_MALFORMED, never an internal error; catalogue errors of the
 * visitor pass through, and @fastify/multipart's own errors (`FST_…`: size and part limits) are
 * left to the dialect's error path.
 */
import type { MultipartFile, MultipartValue } from '@fastify/multipart';
import type { FastifyRequest } from 'fastify';
import { FaceliveError } from '../errors/catalogue.js';

/** One part of a form: a file (streamed) or a text field. */
export type FormPart = MultipartFile | MultipartValue;

/** Node's codes for a request body that stopped arriving. */
const ENDED_EARLY = new Set(['ERR_STREAM_PREMATURE_CLOSE', 'ECONNRESET', 'ABORT_ERR']);

function formError(error: unknown): unknown {
  if (error instanceof FaceliveError || !(error instanceof Error)) return error;
  const { code } = error as { code?: unknown };
  if (typeof code === 'string' && code.startsWith('FST_')) return error;
  if (typeof code === 'string' && ENDED_EARLY.has(code)) {
    return new FaceliveError('REQUEST_MALFORMED', { reason: 'the multipart/form-data body ended before it was complete' }, { cause: error });
  }
  // busboy reports an unreadable form with a plain Error ("Multipart: Boundary not found",
  // "Unexpected end of form", "Malformed part header"); anything more specific is ours to fix.
  if (code === undefined && Object.getPrototypeOf(error) === Error.prototype) {
    return new FaceliveError('REQUEST_MALFORMED', { reason: `the multipart/form-data body cannot be read (${error.message.slice(0, 100)})` }, { cause: error });
  }
  return error;
}

/**
 * Whether a part is an optional field left empty: a text field with no value, or a file input with
 * no file chosen (no filename). HTML forms and the docs page's "Try it out" send every field of
 * the form, filled or not; an empty one means "not given", never "given as empty".
 */
function isEmptyField(part: FormPart): boolean {
  if (part.type === 'field') return part.value === '' || part.value === undefined || part.value === null;
  return part.filename === '' || part.filename === undefined;
}

/**
 * Streams the parts of `request` through `visit`, in order; empty optional fields are skipped
 * (see isEmptyField), so they read as absent.
 *
 * @example
 * await readFormParts(request, async (part) => {
 *   if (part.type === 'file') bytes = await part.toBuffer();
 * });
 */
export async function readFormParts(request: FastifyRequest, visit: (part: FormPart) => Promise<void>): Promise<void> {
  try {
    for await (const raw of request.parts()) {
      const part = raw as FormPart;
      if (isEmptyField(part)) {
        if (part.type === 'file') part.file.resume();
        continue;
      }
      await visit(part);
    }
  } catch (error) {
    throw formError(error);
  }
}
