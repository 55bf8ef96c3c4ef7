/**
 * The Baidu dialect's pure parts: the bce-auth-v1 worked example of ../shared/reference/006
 * (section 9, captured from the SDK and recomputed independently), the stateless access tokens,
 * the token cut at the SDK's doubled query, and the score map with its ladder thresholds.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { checkBaiduToken, issueBaiduToken } from '../../src/api/baidu/access-token.js';
import { accessTokenOf } from '../../src/api/baidu/api-auth.js';
import { bceSignature, canonicalBceRequest, verifyBceAuth } from '../../src/api/baidu/bce-auth.js';
import { baiduAssessment, baiduLiveness, baiduThresholds } from '../../src/api/baidu/score.js';
import { SCORE_LADDER } from '../../src/engine/calibrate/score-ladder.js';
import { FaceliveError } from '../../src/errors/catalogue.js';

const AK = 'fakeApiKeyFakeApiKey0001';
const SK = 'fakeSecretKeyFakeSecretKey000001';
const DATE = '2025-01-15T08:30:00Z';
const SIGNATURE = '51ff8861b3490ba4e5b6c851bf8af2c1227b03e9941f5d7236c70ca365222405';
const captured = {
  method: 'POST',
  path: '/rest/2.0/face/v3/faceverify',
  query: 'aipSdk=node',
  headers: {
    host: 'aip.baidubce.com',
    'content-type': 'application/x-www-form-urlencoded',
    'x-bce-date': DATE,
    authorization: `bce-auth-v1/${AK}/${DATE}/1800/content-type;host;x-bce-date/${SIGNATURE}`,
    'content-length': '93',
  },
};
const secretKeyOf = (key: string) => (key === AK ? SK : undefined);
const at = (iso: string) => Date.parse(iso);

function refusedWith(code: string, run: () => unknown): void {
  assert.throws(run, (error: unknown) => error instanceof FaceliveError && error.code === code);
}

describe('bce-auth-v1', () => {
  test('the worked example: canonical request, signing key and signature', () => {
    const canonical = canonicalBceRequest(captured, ['content-type', 'host', 'x-bce-date']);
    assert.equal(
      canonical,
      'POST\n/rest/2.0/face/v3/faceverify\naipSdk=node\ncontent-type:application%2Fx-www-form-urlencoded\nhost:aip.baidubce.com\nx-bce-date:2025-01-15T08%3A30%3A00Z',
    );
    assert.equal(bceSignature(SK, `bce-auth-v1/${AK}/${DATE}/1800`, canonical), SIGNATURE);
    assert.equal(verifyBceAuth(captured, { secretKeyOf, nowMs: at('2025-01-15T08:40:00Z'), maxSkewSeconds: 300 }), AK);
  });

  test('refusals: window, skew, key, secret, tampered signed header, header form, unsigned host', () => {
    const options = { secretKeyOf, maxSkewSeconds: 300 };
    // Valid for 1800 s from x-bce-date, give or take 300 s.
    assert.equal(verifyBceAuth(captured, { ...options, nowMs: at('2025-01-15T09:04:59Z') }), AK);
    refusedWith('AUTH_SIGNATURE_EXPIRED', () => verifyBceAuth(captured, { ...options, nowMs: at('2025-01-15T09:05:01Z') }));
    refusedWith('AUTH_SIGNATURE_EXPIRED', () => verifyBceAuth(captured, { ...options, nowMs: at('2025-01-15T08:24:59Z') }));
    const now = { ...options, nowMs: at(DATE) };
    refusedWith('AUTH_SIGNATURE_INVALID', () => verifyBceAuth(captured, { ...now, secretKeyOf: () => undefined }));
    refusedWith('AUTH_SIGNATURE_INVALID', () => verifyBceAuth(captured, { ...now, secretKeyOf: () => `${SK}x` }));
    refusedWith('AUTH_SIGNATURE_INVALID', () => verifyBceAuth({ ...captured, headers: { ...captured.headers, host: 'evil.example' } }, now));
    refusedWith('AUTH_SIGNATURE_INVALID', () => verifyBceAuth({ ...captured, query: 'aipSdk=other' }, now));
    refusedWith('AUTH_SIGNATURE_INVALID', () => verifyBceAuth({ ...captured, headers: { ...captured.headers, 'x-bce-date': '2025-01-15T08:30:01Z' } }, now));
    refusedWith('AUTH_HEADER_MALFORMED', () => verifyBceAuth({ ...captured, headers: { ...captured.headers, authorization: 'bce-auth-v1/x' } }, now));
    const unsignedHost = captured.headers.authorization.replace('content-type;host;x-bce-date', 'content-type;x-bce-date');
    refusedWith('AUTH_SIGNATURE_INVALID', () => verifyBceAuth({ ...captured, headers: { ...captured.headers, authorization: unsignedHost } }, now));
  });
});

describe('access tokens', () => {
  const now = Date.parse('2026-12-01T12:00:00Z');

  test("Baidu's shape; valid until expiry, then expired; altered, foreign or unknown-key tokens invalid", () => {
    const issued = issueBaiduToken(AK, SK, 2_592_000, now);
    assert.match(issued.accessToken, new RegExp(`^24\\.[0-9a-f]{32}\\.2592000\\.${now / 1000 + 2_592_000}\\.\\d+-${AK}$`));
    assert.equal(issued.expiresAt, now / 1000 + 2_592_000);
    assert.deepEqual(checkBaiduToken(issued.accessToken, secretKeyOf, now), { status: 'valid', apiKey: AK });
    assert.deepEqual(checkBaiduToken(issued.accessToken, secretKeyOf, issued.expiresAt * 1000 - 1), { status: 'valid', apiKey: AK });
    assert.deepEqual(checkBaiduToken(issued.accessToken, secretKeyOf, issued.expiresAt * 1000), { status: 'expired', apiKey: AK, expiresAt: issued.expiresAt });
    // A later expiry written into the token breaks its MAC.
    const extended = issued.accessToken.replace(`.${issued.expiresAt}.`, `.${issued.expiresAt + 1}.`);
    assert.deepEqual(checkBaiduToken(extended, secretKeyOf, now), { status: 'invalid' });
    assert.deepEqual(
      checkBaiduToken(issued.accessToken, () => `${SK}-rotated`, now),
      { status: 'invalid' },
    );
    assert.deepEqual(
      checkBaiduToken(issued.accessToken, () => undefined, now),
      { status: 'invalid' },
    );
    for (const junk of ['', '24.', 'x'.repeat(600), issued.accessToken.toUpperCase(), `${issued.accessToken}?aipSdk=node`]) {
      assert.deepEqual(checkBaiduToken(junk, secretKeyOf, now), { status: 'invalid' }, junk.slice(0, 40));
    }
    assert.notEqual(issueBaiduToken(AK, SK, 2_592_000, now).accessToken, issued.accessToken, 'two tokens differ');
  });

  test('the token of the SDK\'s doubled query string is cut at its second "?"', () => {
    assert.equal(accessTokenOf('/rest/2.0/face/v3/faceverify?aipSdk=node&access_token=24.abc.1.2.3-k?aipSdk=node'), '24.abc.1.2.3-k');
    assert.equal(accessTokenOf('/rest/2.0/face/v3/faceverify?access_token=24.abc.1.2.3-k'), '24.abc.1.2.3-k');
    assert.equal(accessTokenOf('/rest/2.0/face/v3/faceverify?aipSdk=node'), undefined);
    assert.equal(accessTokenOf('/rest/2.0/face/v3/faceverify?access_token=?aipSdk=node'), undefined);
    assert.equal(accessTokenOf('/rest/2.0/face/v3/faceverify'), undefined);
  });
});

describe('face_liveness and thresholds', () => {
  test('at the default threshold 40: 0.3 on it, the ladder rungs 10 and 70 as frr_1e-4 and frr_1e-2', () => {
    assert.deepEqual(baiduThresholds(40), { 'frr_1e-4': 0.075, 'frr_1e-3': 0.3, 'frr_1e-2': 0.65 });
    assert.equal(baiduLiveness(0, 40), 0);
    assert.equal(baiduLiveness(100, 40), 1);
  });

  test('for every threshold of the ladder, face_liveness ≥ thresholds[k] exactly when the score reaches rung k', () => {
    for (const threshold of SCORE_LADDER) {
      const thresholds = baiduThresholds(threshold);
      assert.ok(thresholds['frr_1e-4'] < thresholds['frr_1e-3'] && thresholds['frr_1e-3'] < thresholds['frr_1e-2'], `ordered at ${threshold}`);
      const below = SCORE_LADDER.filter((rung) => rung < threshold);
      const above = SCORE_LADDER.filter((rung) => rung > threshold);
      const rungs = { 'frr_1e-4': below.at(-1) ?? 0, 'frr_1e-3': threshold, 'frr_1e-2': above[0] ?? 100 } as const;
      for (let score = 0; score <= 100; score = Math.round((score + 0.01) * 100) / 100) {
        const value = baiduLiveness(score, threshold);
        for (const key of Object.keys(rungs) as (keyof typeof rungs)[]) {
          assert.equal(value >= thresholds[key], score >= rungs[key], `threshold ${threshold}, score ${score}, ${key}`);
        }
      }
    }
  });

  test('a retry verdict stays under every threshold; live and spoof keep the map', () => {
    assert.equal(baiduAssessment({ score: 70, decision: 'retry', threshold: 40 }), 0.074999);
    assert.equal(baiduAssessment({ score: 5, decision: 'retry', threshold: 40 }), baiduLiveness(5, 40));
    assert.equal(baiduAssessment({ score: 70, decision: 'live', threshold: 40 }), 0.65);
    assert.equal(baiduAssessment({ score: 20, decision: 'spoof', threshold: 40 }), 0.15);
  });
});
