/** Catalogue errors for the envelope tests: every placeholder filled with `<name>`, so a leak of an unsafe param is visible. */
import { ERROR_CATALOGUE, reviveError, type FaceliveError, type HttpErrorCode } from '../../src/errors/catalogue.js';

/** `code` with `<name>` for every placeholder of its message. */
export function sampleError(code: HttpErrorCode): FaceliveError<HttpErrorCode> {
  const names = [...ERROR_CATALOGUE[code].message.matchAll(/\{(\w+)\}/g)].map((match) => match[1]);
  return reviveError(code, Object.fromEntries(names.map((name) => [name, `<${name}>`]))) as FaceliveError<HttpErrorCode>;
}
