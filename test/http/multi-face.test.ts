/**
 * A photo with a second face held up beside the person (the live sample with a screen-attack
 * sample pasted in its corner, test/fixtures/phone-photos.ts) in every dialect's own terms: the
 * native API lists both faces with their own scores and does not answer a clean `live`; AccuAuth's
 * `extra` says `multiple_faces` and lists each face with its own hack score; the dialects that
 * carry one number (Tencent Score, Ace Data score, ADVANCE.AI livenessScore) carry the least live
 * face's, which is what each one's probe expects from the engine result; and with only the live
 * sample pasted, nothing is flagged.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ACCUAUTH_HACK_THRESHOLD } from '../../src/api/accuauth/score.js';
import { DIALECTS } from '../../src/api/dialects.js';
import { multipartBody, probeOf } from '../helpers/dialect-probe.js';
import { ACCUAUTH_AUTH, NATIVE_AUTH, httpConfig, startHttpFixture, type HttpFixture } from '../helpers/http-server.js';
import { withSecondFace } from '../fixtures/phone-photos.js';

describe('several faces, per dialect', () => {
  let fixture: HttpFixture;
  let attack: Buffer;
  let twoLive: Buffer;

  before(async () => {
    // Calibration on, as served by default: the decision at the shipped threshold.
    fixture = await startHttpFixture(httpConfig({ calibration: { enabled: true } }));
    attack = await withSecondFace('image_F2.jpg');
    twoLive = await withSecondFace('image_T1.jpg');
  });
  after(() => fixture?.close());

  test('the engine sees two judged faces, the pasted screen below the threshold', async () => {
    const result = await fixture.pool.analyse(attack);
    const judged = result.faces.filter((face) => face.liveness !== null);
    assert.ok(judged.length >= 2, `judged faces: ${judged.length}`);
    assert.equal(judged[0].liveness?.decision, 'live', 'the person scores live');
    assert.ok(
      judged.slice(1).some((face) => face.liveness?.decision === 'spoof'),
      'the pasted screen scores spoof',
    );
    assert.notEqual(result.decision, 'live');
  });

  test('native: faces[] with a score per face, and no clean live', async () => {
    const response = await fixture.app.inject({
      method: 'POST',
      url: '/v1/liveness',
      headers: { ...NATIVE_AUTH, 'content-type': 'application/json' },
      payload: JSON.stringify({ image: attack.toString('base64') }),
    });
    const body = response.json();
    assert.equal(response.statusCode, 200, response.body);
    assert.notEqual(body.decision, 'live');
    const scores = body.faces.filter((face: any) => face.liveness).map((face: any) => face.liveness.score100);
    assert.equal(body.score, Math.min(...scores), "the score is the least live face's");
    assert.ok(body.faces.some((face: any) => face.liveness?.decision === 'spoof'));
  });

  test('AccuAuth: extra.multiple_faces and extra.faces with a hack score per face', async () => {
    const post = (image: Buffer) => {
      const form = multipartBody([
        { name: 'liveness_data_file', file: image },
        { name: 'return_extra', value: '1' },
      ]);
      return fixture.app.inject({
        method: 'POST',
        url: '/face/liveness_anti_hack',
        headers: { ...ACCUAUTH_AUTH, 'content-type': form.contentType },
        payload: form.payload,
      });
    };
    const flagged = (await post(attack)).json();
    assert.equal(flagged.status, 'OK');
    assert.equal(flagged.extra.multiple_faces, true);
    assert.equal(flagged.extra.is_live, false);
    assert.ok(flagged.score >= ACCUAUTH_HACK_THRESHOLD, "not a real person by the vendor's rule");
    assert.equal(flagged.extra.faces[0].is_live, true);
    assert.ok(flagged.extra.faces[0].score < ACCUAUTH_HACK_THRESHOLD);
    const pasted = flagged.extra.faces.slice(1).find((face: any) => face.is_live === false);
    assert.ok(pasted && pasted.score >= ACCUAUTH_HACK_THRESHOLD, JSON.stringify(flagged.extra.faces));
    for (const face of flagged.extra.faces) assert.ok(face.rect.width > 0 && face.rect.height > 0);

    const clean = (await post(twoLive)).json();
    assert.equal(clean.extra.multiple_faces, true);
    assert.ok(
      clean.extra.faces.filter((face: any) => face.score !== null).every((face: any) => face.is_live === true),
      JSON.stringify(clean.extra.faces),
    );
  });

  test("Tencent, Ace Data, ADVANCE.AI: their one number is the least live face's", async () => {
    const result = await fixture.pool.analyse(attack);
    const lowest = Math.min(...result.faces.filter((face) => face.liveness).map((face) => face.liveness!.score100));
    assert.equal(result.score, lowest);
    for (const dialect of DIALECTS.filter((candidate) => ['tencent', 'acedata', 'advance'].includes(candidate.name))) {
      const probe = await probeOf(dialect);
      const response = await probe.analyse(fixture.app, { kind: 'base64', value: attack.toString('base64') });
      assert.equal(probe.numberOf(response), probe.expectedNumber(result), `${dialect.name}: ${response.body.slice(0, 300)}`);
      // ADVANCE.AI names the verdict too: 1 = presentation attack.
      if (dialect.name === 'advance') assert.equal(response.json().data.attackType, result.decision === 'spoof' ? 1 : 3);
    }
  });
});
