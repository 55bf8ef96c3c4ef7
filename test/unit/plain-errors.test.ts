/**
 * web/shared/plain-errors.js, the plain words the capture and demo pages show for errors: every
 * catalogue code that can reach an HTTP client has an entry, every HTTP status those codes use
 * has a fallback, every ADVANCE.AI envelope code the capture page reads has one, and the lookup
 * finds the right entry from what each surface sends (a native code, a vendor message prefixed
 * with the catalogue code, a bare status).
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { ADVANCE_DOCUMENT_CODES, ADVANCE_EXTENSION_CODES } from '../../src/api/advance/errors.js';
import { ERROR_CATALOGUE, ERROR_CODES, HTTP_ERROR_CODES } from '../../src/errors/catalogue.js';
import { REPO_ROOT } from '../helpers/paths.js';

interface Plain {
  readonly text: string;
  readonly next: string;
}

interface PlainErrorsModule {
  readonly PLAIN_ERRORS: Record<string, Plain>;
  readonly PLAIN_STATUS: Record<string, Plain>;
  readonly PLAIN_VENDOR: Record<string, Plain>;
  readonly PLAIN_PAGE: Record<string, Plain>;
  plainError(input: { code?: string; status?: number; message?: string; field?: string }): Plain;
  catalogueCodeIn(message: string): string | undefined;
}

// The page's own module, loaded as the browser loads it (plain ES module, no build step).
const plain = (await import(pathToFileURL(path.join(REPO_ROOT, 'web/shared/plain-errors.js')).href)) as PlainErrorsModule;

function assertPlain(entry: Plain | undefined, what: string): void {
  assert.ok(entry, `${what} has plain words`);
  assert.match(entry.text, /^[A-Z].*\.$/, `${what}: text is a sentence`);
  assert.match(entry.next, /^[A-Z].*\.$/, `${what}: next is a sentence`);
  // Plain words: no catalogue code, no HTTP jargon.
  assert.doesNotMatch(`${entry.text} ${entry.next}`, /[A-Z]{2,}_[A-Z]|HTTP|\b[45]\d\d\b/, `${what} is in plain words`);
}

describe('plain error words (web/shared/plain-errors.js)', () => {
  test('every catalogue code reachable over HTTP has plain words, and no other code does', () => {
    for (const code of HTTP_ERROR_CODES) assertPlain(plain.PLAIN_ERRORS[code], code);
    assert.deepEqual(Object.keys(plain.PLAIN_ERRORS).sort(), [...HTTP_ERROR_CODES].sort(), 'only HTTP codes of the catalogue');
    for (const code of ERROR_CODES.filter((c) => !HTTP_ERROR_CODES.includes(c as never))) assert.equal(plain.PLAIN_ERRORS[code], undefined, code);
  });

  test('every HTTP status the catalogue uses has a fallback', () => {
    const statuses = new Set(HTTP_ERROR_CODES.map((code) => (ERROR_CATALOGUE[code] as { httpStatus: number }).httpStatus));
    for (const status of statuses) assertPlain(plain.PLAIN_STATUS[status], `HTTP ${status}`);
  });

  test('every ADVANCE.AI error code the capture page can read has plain words', () => {
    for (const code of [...ADVANCE_DOCUMENT_CODES, ...ADVANCE_EXTENSION_CODES].filter((c) => c !== 'SUCCESS')) assertPlain(plain.PLAIN_VENDOR[code], code);
    for (const [code, entry] of Object.entries(plain.PLAIN_PAGE)) assertPlain(entry, code);
  });

  test('the lookup: native code, vendor message with the catalogue code and field, pair reasons, status, unknown', () => {
    assert.equal(plain.plainError({ code: 'FACE_NOT_FOUND', status: 422 }), plain.PLAIN_ERRORS.FACE_NOT_FOUND);
    assert.equal(plain.catalogueCodeIn('FACE_TOO_SMALL: The face is 40 px wide; at least 100 px is required.'), 'FACE_TOO_SMALL');
    assert.equal(plain.catalogueCodeIn('PARAMETER_ERROR: nothing'), undefined);
    const vendor = plain.plainError({ code: 'PARAMETER_ERROR', message: 'FACE_NOT_FOUND: No face was found in the image. (imageNear)' });
    assert.equal(vendor.text, 'No face was found in the photo (near photo).');
    assert.equal(vendor.next, plain.PLAIN_ERRORS.FACE_NOT_FOUND.next);
    const pair = plain.plainError({
      code: 'PARAMETER_ERROR',
      message: 'INVALID_ARGUMENT: Invalid imageFar/imageNear: expected a near face larger than the far one, received 1.0x (NEAR_FACE_NOT_LARGER).',
    });
    assert.match(pair.text, /not larger in the near photo/);
    assert.equal(plain.plainError({ code: 'IAM_FAILED', message: 'something' }), plain.PLAIN_VENDOR.IAM_FAILED);
    assert.equal(plain.plainError({ code: 'HTTP_502', status: 502 }), plain.PLAIN_STATUS[502]);
    assert.equal(plain.plainError({ code: 'NETWORK_ERROR' }), plain.PLAIN_PAGE.NETWORK_ERROR);
    assertPlain(plain.plainError({ code: 'SOMETHING_NEW' }), 'an unknown code');
  });
});
