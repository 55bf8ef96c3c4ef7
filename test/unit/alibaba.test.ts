/**
 * The Alibaba Cloud dialect without models: both signatures against the worked examples of the
 * reference notes (../shared/reference/005, section 8, produced by the official SDK), the
 * verifier's order of checks, the nonce memory, the `Tasks` form, the verdict fields at the
 * threshold and the ladder, and the vendor codes against the notes.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import {
  acs3CanonicalRequest,
  acs3Signature,
  rpcSignature,
  rpcStringToSign,
  signAcs3,
  signRpc,
  verifyAcsSignature,
  type AcsRequest,
  type AcsVerifyOptions,
} from '../../src/api/alibaba/acs-signature.js';
import { ALIBABA_ERRORS } from '../../src/api/alibaba/errors.js';
import { createNonceMemory } from '../../src/api/alibaba/nonce-memory.js';
import { alibabaVerdict, blockBelow } from '../../src/api/alibaba/score.js';
import { tasksOf } from '../../src/api/alibaba/tasks.js';
import { FaceliveError } from '../../src/errors/catalogue.js';
import { SHARED_DIR } from '../helpers/paths.js';

/** The fake key, clock, nonce and body of the notes' worked examples. */
const EXAMPLE = {
  accessKeyId: 'LTAI5tFAKEFAKEFAKEFAKE01',
  accessKeySecret: 'fakeSecretFakeSecretFakeSecret01',
  host: '127.0.0.1:8765',
  date: '2025-01-15T08:30:00Z',
  nonce: '3f1d2c9a0b8e4d7f9a6b5c4d3e2f1a0b',
  body: 'Tasks.1.ImageURL=https%3A%2F%2Fexample.com%2Fface.jpg',
  action: 'DetectLivingFace',
  version: '2019-12-30',
};
const EXAMPLE_MS = Date.parse(EXAMPLE.date);

/** The V3 headers the SDK sent in the notes' capture. */
const CAPTURED_V3 = {
  host: EXAMPLE.host,
  'x-acs-version': EXAMPLE.version,
  'x-acs-action': EXAMPLE.action,
  'user-agent': 'AlibabaCloud (linux; x64) Node.js/v20.20.2 Core/1.0.1 TeaDSL/1',
  'x-acs-date': EXAMPLE.date,
  'x-acs-signature-nonce': EXAMPLE.nonce,
  accept: 'application/json',
  'content-type': 'application/x-www-form-urlencoded',
  'x-acs-content-sha256': '2b52f306687e2b5f96caaf09b887bfd320578875872c15d50b56cfbf445b140d',
  'x-acs-credentials-provider': 'static_ak',
  authorization:
    'ACS3-HMAC-SHA256 Credential=LTAI5tFAKEFAKEFAKEFAKE01,SignedHeaders=content-type;host;x-acs-action;x-acs-content-sha256;x-acs-credentials-provider;x-acs-date;x-acs-signature-nonce;x-acs-version,Signature=f28ecd43f71db2f7b19bb5f0f8d3c8208c71e22262df2bfef4034a1f0d1464f4',
};

/** The query of the notes' captured legacy RPC request. */
const CAPTURED_RPC_QUERY =
  'Action=DetectLivingFace&Format=json&Version=2019-12-30&Timestamp=2025-01-15T08%3A30%3A00Z&SignatureNonce=3f1d2c9a0b8e4d7f9a6b5c4d3e2f1a0b&SignatureMethod=HMAC-SHA1&SignatureVersion=1.0&AccessKeyId=LTAI5tFAKEFAKEFAKEFAKE01&Signature=svTQYDaf3v1QhiSpC0dVANHhkkw%3D';

function request(headers: Record<string, string>, query = '', body = EXAMPLE.body): AcsRequest {
  return { method: 'POST', query: new URLSearchParams(query), headers, body: Buffer.from(body), form: new URLSearchParams(body) };
}

function options(overrides: Partial<AcsVerifyOptions> = {}): AcsVerifyOptions {
  const nonces = createNonceMemory(1_800_000);
  return {
    secretOf: (id) => (id === EXAMPLE.accessKeyId ? EXAMPLE.accessKeySecret : undefined),
    nowMs: EXAMPLE_MS + 60_000,
    maxSkewSeconds: 900,
    firstUseOf: (id, nonce) => nonces.firstUseOf(id, nonce, EXAMPLE_MS),
    ...overrides,
  };
}

function codeOf(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    assert.ok(error instanceof FaceliveError, String(error));
    return error.code;
  }
  return 'accepted';
}

describe('Alibaba Cloud signatures: the worked examples of the reference notes', () => {
  test('ACS3-HMAC-SHA256: canonical request, signature, and the captured request verifies', () => {
    const signed = CAPTURED_V3.authorization.split('SignedHeaders=')[1].split(',')[0].split(';');
    const canonical = acs3CanonicalRequest(request(CAPTURED_V3), signed);
    assert.equal(canonical.split('\n').length, 14);
    assert.equal(canonical.split('\n')[2], '', 'the empty canonical query string');
    assert.equal(acs3Signature(EXAMPLE.accessKeySecret, canonical), 'f28ecd43f71db2f7b19bb5f0f8d3c8208c71e22262df2bfef4034a1f0d1464f4');
    assert.equal(verifyAcsSignature(request(CAPTURED_V3), options()), EXAMPLE.accessKeyId);
  });

  test('legacy RPC HMAC-SHA1: string to sign, signature, and the captured request verifies', () => {
    const captured = request({ host: EXAMPLE.host, 'content-type': 'application/x-www-form-urlencoded' }, CAPTURED_RPC_QUERY);
    const stringToSign = rpcStringToSign('POST', [...captured.query, ...captured.form]);
    assert.equal(
      stringToSign,
      'POST&%2F&AccessKeyId%3DLTAI5tFAKEFAKEFAKEFAKE01%26Action%3DDetectLivingFace%26Format%3Djson%26SignatureMethod%3DHMAC-SHA1%26SignatureNonce%3D3f1d2c9a0b8e4d7f9a6b5c4d3e2f1a0b%26SignatureVersion%3D1.0%26Tasks.1.ImageURL%3Dhttps%253A%252F%252Fexample.com%252Fface.jpg%26Timestamp%3D2025-01-15T08%253A30%253A00Z%26Version%3D2019-12-30',
    );
    assert.equal(rpcSignature(EXAMPLE.accessKeySecret, stringToSign), 'svTQYDaf3v1QhiSpC0dVANHhkkw=');
    assert.equal(verifyAcsSignature(captured, options()), EXAMPLE.accessKeyId);
  });

  test('the test signers reproduce the SDK: same signature for the same inputs', () => {
    const headers = signAcs3(EXAMPLE);
    assert.equal(
      headers.authorization.split('Signature=')[1],
      acs3Signature(EXAMPLE.accessKeySecret, acs3CanonicalRequest(request(headers), headers.authorization.split('SignedHeaders=')[1].split(',')[0].split(';'))),
    );
    assert.equal(verifyAcsSignature(request(headers), options()), EXAMPLE.accessKeyId);
    const query = new URLSearchParams(signRpc(EXAMPLE));
    assert.equal(query.get('Signature'), 'svTQYDaf3v1QhiSpC0dVANHhkkw=');
  });
});

describe('Alibaba Cloud signature verification: each failure its own code', () => {
  const v3 = (patch: (headers: Record<string, string>) => void = () => undefined, body = EXAMPLE.body) => {
    const headers: Record<string, string> = { ...CAPTURED_V3 };
    patch(headers);
    return request(headers, '', body);
  };

  test('V3: missing, malformed, other algorithm, date, unknown key, wrong secret, tampered, unsigned headers', () => {
    assert.equal(
      codeOf(() =>
        verifyAcsSignature(
          v3((h) => delete h.authorization),
          options(),
        ),
      ),
      'AUTH_CREDENTIAL_MISSING',
    );
    assert.equal(
      codeOf(() =>
        verifyAcsSignature(
          v3((h) => (h.authorization = 'ACS3-HMAC-SHA256 garbage')),
          options(),
        ),
      ),
      'AUTH_HEADER_MALFORMED',
    );
    assert.equal(
      codeOf(() =>
        verifyAcsSignature(
          v3((h) => (h.authorization = h.authorization.replace('ACS3-HMAC-SHA256', 'ACS3-HMAC-SM3'))),
          options(),
        ),
      ),
      'AUTH_SIGNATURE_INVALID',
    );
    assert.equal(
      codeOf(() =>
        verifyAcsSignature(
          v3((h) => (h['x-acs-date'] = '2025-01-15 08:30:00')),
          options(),
        ),
      ),
      'AUTH_HEADER_MALFORMED',
    );
    assert.equal(
      codeOf(() => verifyAcsSignature(v3(), options({ nowMs: EXAMPLE_MS + 901_000 }))),
      'AUTH_SIGNATURE_EXPIRED',
    );
    assert.equal(
      codeOf(() => verifyAcsSignature(v3(), options({ nowMs: EXAMPLE_MS - 901_000 }))),
      'AUTH_SIGNATURE_EXPIRED',
    );
    assert.equal(
      codeOf(() => verifyAcsSignature(v3(), options({ nowMs: EXAMPLE_MS + 899_000 }))),
      'accepted',
    );
    assert.equal(
      codeOf(() => verifyAcsSignature(v3(), options({ secretOf: () => undefined }))),
      'AUTH_SIGNATURE_INVALID',
    );
    assert.equal(
      codeOf(() => verifyAcsSignature(v3(), options({ secretOf: () => 'the-wrong-secret-0123456789' }))),
      'AUTH_SIGNATURE_INVALID',
    );
    assert.equal(
      codeOf(() =>
        verifyAcsSignature(
          v3(() => undefined, `${EXAMPLE.body}x`),
          options(),
        ),
      ),
      'AUTH_SIGNATURE_INVALID',
    );
    assert.equal(
      codeOf(() =>
        verifyAcsSignature(
          v3((h) => (h.host = '127.0.0.1:8766')),
          options(),
        ),
      ),
      'AUTH_SIGNATURE_INVALID',
    );
    const unsigned = v3((h) => (h.authorization = h.authorization.replace('x-acs-signature-nonce;', '')));
    assert.throws(() => verifyAcsSignature(unsigned, options()), /SignedHeaders must include x-acs-signature-nonce/);
  });

  test('a nonce is spent by a valid request only, and a replay is refused', () => {
    const shared = options();
    assert.equal(
      codeOf(() => verifyAcsSignature(v3(), { ...shared, secretOf: () => 'the-wrong-secret-0123456789' })),
      'AUTH_SIGNATURE_INVALID',
    );
    assert.equal(
      codeOf(() => verifyAcsSignature(v3(), shared)),
      'accepted',
    );
    assert.throws(() => verifyAcsSignature(v3(), shared), /nonce was already used/);
  });

  test('RPC: method and version, timestamp, key, a form field changed after signing', () => {
    const rpc = (query: string, body = EXAMPLE.body) => request({ host: EXAMPLE.host }, query, body);
    assert.equal(
      codeOf(() => verifyAcsSignature(rpc(CAPTURED_RPC_QUERY.replace('HMAC-SHA1', 'HMAC-SHA256')), options())),
      'AUTH_SIGNATURE_INVALID',
    );
    assert.equal(
      codeOf(() => verifyAcsSignature(rpc(CAPTURED_RPC_QUERY.replace('Timestamp=2025', 'Timestamp=x2025')), options())),
      'AUTH_HEADER_MALFORMED',
    );
    assert.equal(
      codeOf(() => verifyAcsSignature(rpc(CAPTURED_RPC_QUERY), options({ nowMs: EXAMPLE_MS + 3_600_000 }))),
      'AUTH_SIGNATURE_EXPIRED',
    );
    assert.equal(
      codeOf(() => verifyAcsSignature(rpc(CAPTURED_RPC_QUERY.replace('AccessKeyId=LTAI5t', 'AccessKeyId=LTAI6t')), options())),
      'AUTH_SIGNATURE_INVALID',
    );
    assert.equal(
      codeOf(() => verifyAcsSignature(rpc(CAPTURED_RPC_QUERY, 'Tasks.1.ImageURL=https%3A%2F%2Fevil.example%2Fx.jpg'), options())),
      'AUTH_SIGNATURE_INVALID',
    );
  });

  test('the nonce memory forgets after its window and past its size', () => {
    const memory = createNonceMemory(1_000, 3);
    assert.equal(memory.firstUseOf('k', 'a', 0), true);
    assert.equal(memory.firstUseOf('k', 'a', 999), false);
    assert.equal(memory.firstUseOf('other', 'a', 999), true, 'nonces are per AccessKey');
    assert.equal(memory.firstUseOf('k', 'a', 1_000), true, 'forgotten after the window');
    for (const nonce of ['b', 'c', 'd', 'e']) memory.firstUseOf('k', nonce, 1_001);
    assert.ok(memory.size <= 3);
  });
});

describe('Alibaba Cloud Tasks form', () => {
  test('tasks in index order; ImageURL wins; an unescaped + in ImageData is kept', () => {
    const tasks = tasksOf(new URLSearchParams('Tasks.2.ImageData=ab+c&Tasks.1.ImageURL=https%3A%2F%2Fx.example%2Fa.jpg&Tasks.1.ImageData=abcd&Other=1'));
    assert.deepEqual(
      tasks.map((task) => [task.index, task.input.kind, task.imageUrl]),
      [
        [1, 'url', 'https://x.example/a.jpg'],
        [2, 'base64', ''],
      ],
    );
    assert.equal(tasks[1].input.kind === 'base64' && tasks[1].input.value, 'ab+c');
  });

  test('no task, other shapes, repeats, more than 10, empty fields', () => {
    assert.equal(
      codeOf(() => tasksOf(new URLSearchParams(''))),
      'ARGUMENT_MISSING',
    );
    assert.equal(
      codeOf(() => tasksOf(new URLSearchParams('Tasks.1=12345'))),
      'INVALID_ARGUMENT',
    );
    assert.equal(
      codeOf(() => tasksOf(new URLSearchParams('Tasks.0.ImageData=abcd'))),
      'INVALID_ARGUMENT',
    );
    assert.equal(
      codeOf(() => tasksOf(new URLSearchParams('Tasks.1.ImageData=abcd&Tasks.1.ImageData=abcd'))),
      'INVALID_ARGUMENT',
    );
    const eleven = Array.from({ length: 11 }, (_, i) => `Tasks.${i + 1}.ImageData=abcd`).join('&');
    assert.equal(
      codeOf(() => tasksOf(new URLSearchParams(eleven))),
      'INVALID_ARGUMENT',
    );
    assert.equal(tasksOf(new URLSearchParams(eleven.split('&').slice(0, 10).join('&'))).length, 10);
    assert.equal(
      codeOf(() => tasksOf(new URLSearchParams('Tasks.1.ImageData=&Tasks.1.ImageURL='))),
      'IMAGE_EMPTY',
    );
  });
});

describe('Alibaba Cloud verdict fields', () => {
  test('Label and Suggestion follow the decision; Rate is 50 on the threshold, 100 at the ends, never under 50', () => {
    assert.deepEqual(alibabaVerdict({ score: 40, decision: 'live', threshold: 40 }), { Label: 'normal', Rate: 50, Suggestion: 'pass' });
    assert.deepEqual(alibabaVerdict({ score: 100, decision: 'live', threshold: 40 }), { Label: 'normal', Rate: 100, Suggestion: 'pass' });
    assert.deepEqual(alibabaVerdict({ score: 0, decision: 'spoof', threshold: 40 }), { Label: 'liveness', Rate: 100, Suggestion: 'block' });
    assert.deepEqual(alibabaVerdict({ score: 9.99, decision: 'spoof', threshold: 40 }).Suggestion, 'block');
    assert.deepEqual(alibabaVerdict({ score: 10, decision: 'spoof', threshold: 40 }), { Label: 'liveness', Rate: 87.5, Suggestion: 'review' });
    assert.deepEqual(alibabaVerdict({ score: 39.99, decision: 'spoof', threshold: 40 }), { Label: 'liveness', Rate: 50.02, Suggestion: 'review' });
    assert.deepEqual(alibabaVerdict({ score: 90, decision: 'retry', threshold: 40 }), { Label: 'liveness', Rate: 50, Suggestion: 'review' });
    for (let i = 0; i <= 10_000; i += 7) {
      const score = i / 100;
      const verdict = alibabaVerdict({ score, decision: score >= 40 ? 'live' : 'spoof', threshold: 40 });
      assert.ok(verdict.Rate >= 50 && verdict.Rate <= 100, `${score}: ${verdict.Rate}`);
      assert.equal(verdict.Label === 'normal', score >= 40, String(score));
    }
  });

  test('block lies one ladder rung below the threshold', () => {
    assert.deepEqual([5, 10, 40, 70, 90, 95].map(blockBelow), [5, 5, 10, 40, 70, 90]);
    assert.equal(alibabaVerdict({ score: 50, decision: 'spoof', threshold: 70 }).Suggestion, 'review');
    assert.equal(alibabaVerdict({ score: 4, decision: 'spoof', threshold: 5 }).Suggestion, 'block');
  });
});

test('every Alibaba code the dialect answers with is in the reference notes', () => {
  const notes = readFileSync(path.join(SHARED_DIR, 'reference', '005-alibaba-cloud-detectlivingface.md'), 'utf8');
  for (const { code } of Object.values(ALIBABA_ERRORS)) {
    if (code !== null) assert.ok(notes.includes(`\`${code}\``), `${code} is not in the notes`);
  }
});
