/**
 * Every HTTP code of the catalogue is mapped on every surface of `DIALECTS` (and no code only
 * the command line raises), renders in that surface's envelope (matching its documented schema,
 * carrying the request id, no placeholder left, no unsafe detail shown), and the vendor codes
 * are the vendors' own or documented extensions. Catalogue parameters are typed: the checks at
 * the end do not compile if a placeholder is missing or misspelt.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import { Ajv } from 'ajv';
import { ACEDATA_ERRORS } from '../../src/api/acedata/errors.js';
import { DIALECTS } from '../../src/api/dialects.js';
import { toHttpError } from '../../src/api/http-errors.js';
import { TENCENT_ERRORS } from '../../src/api/tencent/errors.js';
import { ERROR_CATALOGUE, ERROR_CODES, FaceliveError, HTTP_ERROR_CODES, isHttpErrorCode } from '../../src/errors/catalogue.js';
import { sampleError } from '../helpers/catalogue.js';
import { SHARED_DIR } from '../helpers/paths.js';

/** Tencent Cloud API 3.0 common errors (not in the API's own table, used by every API). */
const TENCENT_COMMON = [
  'AuthFailure.InvalidAuthorization',
  'AuthFailure.SecretIdNotFound',
  'AuthFailure.SignatureExpire',
  'AuthFailure.SignatureFailure',
  'AuthFailure.TokenFailure',
  'InvalidAction',
  'RequestLimitExceeded',
  'RequestSizeLimitExceeded',
];
/** facelive's own Ace Data codes for what the vendor document leaves out (docs/http-api.md). */
const ACEDATA_EXTENSIONS = ['invalid_image', 'invalid_request', 'payload_too_large'];

describe('error mapping on every surface', () => {
  test('every HTTP code is mapped on every surface, and nothing else', () => {
    const cliCodes = ERROR_CODES.filter((code) => !isHttpErrorCode(code));
    assert.ok(cliCodes.includes('MODEL_PACK_FETCH_FAILED') && cliCodes.includes('CONFIG_INVALID'), 'the command line has codes of its own');
    for (const dialect of DIALECTS) {
      assert.deepEqual(Object.keys(dialect.errors.mapping).sort(), [...HTTP_ERROR_CODES].sort(), `${dialect.name} maps exactly the HTTP codes`);
      for (const code of HTTP_ERROR_CODES) assert.ok(dialect.errors.describe(code).length > 0, `${dialect.name}: ${code}`);
    }
  });

  test('every code renders in each envelope, matching the envelope schema, with the request id', () => {
    const ajv = new Ajv({ strict: false, allErrors: true });
    for (const dialect of DIALECTS) {
      const validate = ajv.compile(JSON.parse(JSON.stringify(dialect.errors.schema)));
      for (const code of HTTP_ERROR_CODES) {
        const rendered = dialect.errors.render(sampleError(code), 'request-7f3a');
        const text = JSON.stringify(rendered.body);
        assert.ok(validate(rendered.body), `${dialect.name} ${code}: ${ajv.errorsText(validate.errors)} in ${text}`);
        assert.ok(rendered.status >= 200 && rendered.status < 600, `${dialect.name} ${code}: status ${rendered.status}`);
        assert.ok(text.includes('request-7f3a'), `${dialect.name} ${code}: the body carries the request id`);
        assert.doesNotMatch(text, /\{\w+\}/, `${dialect.name} ${code}: unfilled placeholder`);
        assert.doesNotMatch(text, /FST_/, `${dialect.name} ${code}: a framework code`);
        if (!ERROR_CATALOGUE[code].clientSafe) assert.doesNotMatch(text, /<\w+>/, `${dialect.name} ${code}: unsafe params reached the client`);
      }
    }
  });

  test('the native envelope has the catalogue status; Retry-After and WWW-Authenticate where they apply', () => {
    const native = DIALECTS.find((dialect) => dialect.name === 'native')!;
    for (const code of HTTP_ERROR_CODES) {
      const rendered = native.errors.render(sampleError(code), 'r');
      assert.equal(rendered.status, ERROR_CATALOGUE[code].httpStatus, code);
      assert.equal((rendered.body as { error: { code: string } }).error.code, code);
    }
    assert.equal(native.errors.render(sampleError('SERVER_OVERLOADED'), 'r').headers['retry-after'], '1');
    assert.match(native.errors.render(sampleError('AUTH_CREDENTIAL_MISSING'), 'r').headers['www-authenticate'] ?? '', /^Bearer/);
  });

  test('a code only the command line raises reaches a client as INTERNAL_ERROR, with its cause kept for the log', () => {
    const config = new FaceliveError('CONFIG_INVALID', { reason: 'calibration file /secret/path is not JSON' });
    const answered = toHttpError(config);
    assert.equal(answered.code, 'INTERNAL_ERROR');
    assert.equal(answered.cause, config);
    for (const dialect of DIALECTS) assert.doesNotMatch(JSON.stringify(dialect.errors.render(answered, 'r').body), /secret\/path/);
  });

  test("vendor codes are the documents' own (or documented extensions)", () => {
    const tencentDoc = readFileSync(path.join(SHARED_DIR, 'reference', '002_5480f69133800077.txt'), 'utf8');
    for (const code of new Set(Object.values(TENCENT_ERRORS))) {
      assert.ok(
        TENCENT_COMMON.includes(code) || new RegExp(`^${code.replace('.', '\\.')} `, 'm').test(tencentDoc),
        `Tencent code ${code} is not in the document`,
      );
    }
    const aceDoc = readFileSync(path.join(SHARED_DIR, 'reference', '000_668bd249f6fa966f.txt'), 'utf8');
    for (const { status, code } of Object.values(ACEDATA_ERRORS)) {
      if (ACEDATA_EXTENSIONS.includes(code)) continue;
      assert.match(aceDoc, new RegExp(`${status} ${code}:`), `Ace Data ${status} ${code} is not in the document`);
    }
  });
});

describe('typed catalogue parameters', () => {
  test('params fill the message; the request field an error concerns is kept apart', () => {
    const error = new FaceliveError('IMAGE_SIZE_EXCEEDED', { bytes: 10, maxBytes: 5 });
    assert.equal(error.message, 'The image is 10 bytes; the limit is 5 bytes.');
    const concerning = error.concerning('imageNear');
    assert.equal(concerning.field, 'imageNear');
    assert.equal(concerning.message, error.message);
    assert.equal(concerning.concerning('imageFar').field, 'imageNear', 'the first field named stays');
    assert.equal(new FaceliveError('INVALID_ARGUMENT', { field: 'threshold', expected: 'a number', received: '"x"' }).field, 'threshold');
  });

  test('a missing or misspelt parameter does not compile', () => {
    // Each line below is a compile error (checked by `npm run typecheck`); at run time they only build errors.
    // @ts-expect-error maxBytes is missing
    new FaceliveError('IMAGE_SIZE_EXCEEDED', { bytes: 10 });
    // @ts-expect-error maxByte is not a parameter of this code
    new FaceliveError('IMAGE_SIZE_EXCEEDED', { bytes: 10, maxByte: 5 });
    // @ts-expect-error INVALID_ARGUMENT needs its parameters
    new FaceliveError('INVALID_ARGUMENT');
    // @ts-expect-error IMAGE_EMPTY has no parameters
    new FaceliveError('IMAGE_EMPTY', { bytes: 0 });
    // Declared details and the field are optional extras.
    new FaceliveError('MODEL_CHECKSUM_MISMATCH', { modelId: 'm', file: 'f', actual: 'a', expected: 'e', actualSizeBytes: 1 });
    new FaceliveError('FACE_NOT_FOUND', { field: 'imageNear' });
  });
});
