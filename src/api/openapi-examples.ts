/**
 * Examples of the OpenAPI description, so that /docs shows (and "Try it out" starts from) real
 * requests and answers instead of `"string"`. Success examples are what the server answered for
 * the live sample photo (../shared/models/samples/image_T1.jpg, calibration on); error examples
 * are rendered by each dialect's own renderer, so they cannot drift from what a client receives.
 * fastify-swagger turns a schema's `examples` into the media type's `example` (one) or named
 * `examples` (several).
 */
import type { TSchema } from '@sinclair/typebox';
import { FaceliveError, type HttpErrorCode } from '../errors/catalogue.js';
import type { Dialect } from './dialect.js';

/** The request id every example carries. */
export const EXAMPLE_REQUEST_ID = '6f1c2a8e-3b4d-4f5a-9c7e-0d1e2f3a4b5c';

/** The live sample's score (0..100, calibrated) as every surface reports it. */
export const EXAMPLE_SCORE = 88.46;

/** An image URL for request examples. */
export const EXAMPLE_IMAGE_URL = 'https://cdn.example.com/selfie.jpg';

/** `schema` with `examples` (a copy: schemas are shared between routes). */
export function withExamples<T extends TSchema | Record<string, unknown>>(schema: T, ...examples: unknown[]): T {
  return { ...schema, examples };
}

/** Errors the examples show, with the parameters their messages need. */
const SAMPLE_ERRORS: readonly FaceliveError<HttpErrorCode>[] = [
  new FaceliveError('FACE_NOT_FOUND'),
  new FaceliveError('AUTH_CREDENTIAL_INVALID', { credential: 'credential', api: 'this' }),
  new FaceliveError('RATE_LIMITED', { ratePerSecond: 5, burst: 10, retryAfterSeconds: 1 }),
  new FaceliveError('SERVER_OVERLOADED', { maxQueue: 32 }),
  new FaceliveError('ROUTE_NOT_FOUND', { method: 'POST', url: '/nope' }),
  new FaceliveError('INTERNAL_ERROR'),
];

/** The envelope `dialect` answers `error` with. */
export function errorExample(dialect: Pick<Dialect, 'errors'>, error: FaceliveError<HttpErrorCode>): unknown {
  return dialect.errors.render(error, EXAMPLE_REQUEST_ID).body;
}

/** Sample error envelopes of `dialect` whose HTTP status matches a response key (`4xx`, `5xx`, `200`, `404`). */
export function errorExamplesFor(dialect: Pick<Dialect, 'errors'>, statusKey: string): unknown[] {
  const matches = (status: number) => (/^\dxx$/i.test(statusKey) ? String(status)[0] === statusKey[0] : String(status) === statusKey);
  return SAMPLE_ERRORS.filter((error) => matches(dialect.errors.render(error, EXAMPLE_REQUEST_ID).status)).map((error) => errorExample(dialect, error));
}

/**
 * Adds error examples to a route's responses that use `dialect`'s error envelope and have none:
 * called from the dialect scope's `onRoute` hook, so every route of every dialect documents its
 * errors without repeating them.
 */
export function addErrorExamples(dialect: Dialect, response: Record<string, unknown> | undefined): void {
  if (!response) return;
  for (const [key, schema] of Object.entries(response)) {
    if (schema !== dialect.errors.schema) continue;
    const examples = errorExamplesFor(dialect, key);
    if (examples.length > 0) response[key] = withExamples(schema as TSchema, ...examples);
  }
}
