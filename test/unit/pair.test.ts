/**
 * Far/near pairs (src/engine/pair.ts) on hand-made engine results: the plausibility rules (near
 * face larger, centres close, both relative to each frame), the combination (lower score, retry
 * if either photo is retry, spoof if either is below the threshold), and ADVANCE.AI's two verdict
 * fields derived from a verdict (src/api/advance/score.ts advanceAssessment).
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { advanceAssessment, advanceLivenessScore } from '../../src/api/advance/score.js';
import { decide } from '../../src/engine/calibrate/decision.js';
import { DEFAULT_PAIR_RULES, judgePair, measurePair } from '../../src/engine/pair.js';
import { retryHintsFor } from '../../src/engine/retry-reasons.js';
import type { Box, LivenessResult, RetryReasonCode } from '../../src/engine/types.js';

const THRESHOLD = 40;

/** A result with one face `box` in a `width` x `height` frame. */
function result(
  box: Box,
  options: { score?: number; retryReasons?: RetryReasonCode[]; width?: number; height?: number; threshold?: number } = {},
): LivenessResult {
  const score = options.score ?? 80;
  const retryReasons = options.retryReasons ?? [];
  const threshold = options.threshold ?? THRESHOLD;
  return {
    score,
    liveProbability: score / 100,
    decision: decide(score, threshold, retryReasons),
    threshold,
    retryReasons,
    retryHints: retryHintsFor(retryReasons),
    models: [],
    faces: [{ box, landmarks: [], score: 0.9, liveness: null }],
    quality: {} as LivenessResult['quality'],
    image: {
      width: options.width ?? 480,
      height: options.height ?? 640,
      format: 'jpeg',
      analysedWidth: options.width ?? 480,
      analysedHeight: options.height ?? 640,
    },
    modelIds: { detector: 'detector/test@1', classifiers: ['pad/test@1'] },
    timings: { decodeMs: 0, detectMs: 0, qualityMs: 0, cropMs: 0, classifyMs: 0, totalMs: 0 },
  };
}

/** A centred face of `size` px in a 480 x 640 frame. */
const centred = (size: number, options: Parameters<typeof result>[1] = {}) =>
  result({ x: 240 - size / 2, y: 320 - size / 2, width: size, height: size }, options);

describe('far/near pairs', () => {
  test('geometry is relative to each frame: a crop of the far photo makes the face larger', () => {
    const far = result({ x: 190, y: 270, width: 100, height: 100 });
    // The same face cropped to a 240 x 320 window around it.
    const near = result({ x: 70, y: 110, width: 100, height: 100 }, { width: 240, height: 320 });
    const geometry = measurePair(far, near);
    assert.equal(geometry.sizeRatio, 2);
    assert.ok(geometry.centreShift < 0.01, `${geometry.centreShift}`);
  });

  test('the combination: the lower score, and its decision', () => {
    const outcome = judgePair(centred(150, { score: 90 }), centred(220, { score: 70 }));
    assert.ok(outcome.accepted);
    assert.equal(outcome.verdict.score, 70);
    assert.equal(outcome.verdict.scoredBy, 'near');
    assert.equal(outcome.verdict.decision, 'live');
    assert.deepEqual(outcome.verdict.retryReasons, []);
    assert.equal(outcome.verdict.threshold, THRESHOLD);

    const spoofNear = judgePair(centred(150, { score: 90 }), centred(220, { score: 12 }));
    assert.ok(spoofNear.accepted);
    assert.equal(spoofNear.verdict.decision, 'spoof', 'one photo below the threshold makes the pair a spoof');
    assert.equal(spoofNear.verdict.score, 12);

    const spoofFar = judgePair(centred(150, { score: 5 }), centred(220, { score: 95 }));
    assert.ok(spoofFar.accepted);
    assert.equal(spoofFar.verdict.decision, 'spoof');
    assert.equal(spoofFar.verdict.scoredBy, 'far');
  });

  test("retry on either photo makes the pair retry, with both photos' reasons prefixed", () => {
    const outcome = judgePair(centred(150, { score: 90, retryReasons: ['monochrome'] }), centred(220, { score: 10, retryReasons: ['insufficientContext'] }));
    assert.ok(outcome.accepted);
    assert.equal(outcome.verdict.decision, 'retry');
    assert.deepEqual(outcome.verdict.retryReasons, ['far:monochrome', 'near:insufficientContext']);
    const nearOnly = judgePair(centred(150, { score: 90 }), centred(220, { score: 90, retryReasons: ['monochrome'] }));
    assert.ok(nearOnly.accepted);
    assert.equal(nearOnly.verdict.decision, 'retry');
  });

  test('rejected: the near face is not larger (same photo twice, swapped, or barely closer)', () => {
    for (const [farSize, nearSize] of [
      [200, 200],
      [220, 150],
      [200, 215],
    ]) {
      const outcome = judgePair(centred(farSize), centred(nearSize));
      assert.equal(outcome.accepted, false, `${farSize} → ${nearSize}`);
      if (!outcome.accepted) {
        assert.equal(outcome.reason, 'NEAR_FACE_NOT_LARGER');
        assert.match(outcome.expected, /1\.1x/);
        assert.equal(outcome.received, `${outcome.geometry.sizeRatio}x`);
      }
    }
    assert.ok(judgePair(centred(200), centred(Math.ceil(200 * DEFAULT_PAIR_RULES.minNearToFarSize))).accepted, 'exactly the minimum ratio passes');
  });

  test('rejected: the faces differ wildly in position', () => {
    const far = result({ x: 10, y: 10, width: 120, height: 120 });
    const near = centred(200);
    const outcome = judgePair(far, near);
    assert.equal(outcome.accepted, false);
    if (!outcome.accepted) {
      assert.equal(outcome.reason, 'FACE_POSITION_MISMATCH');
      assert.ok(outcome.geometry.centreShift > DEFAULT_PAIR_RULES.maxCentreShift);
    }
    // A modest drift (a tenth of the frame) is normal hand movement.
    assert.ok(judgePair(result({ x: 160, y: 230, width: 120, height: 120 }), centred(200)).accepted);
  });

  test('custom rules; results made at different thresholds are refused', () => {
    assert.ok(judgePair(centred(200), centred(200), { minNearToFarSize: 1, maxCentreShift: 0.3 }).accepted);
    assert.throws(() => judgePair(centred(150), centred(220, { threshold: 60 })), { code: 'INVALID_ARGUMENT' });
  });
});

describe('ADVANCE.AI livenessScore and attackType of a verdict', () => {
  test('live: the mapped score (>= 50), attackType null', () => {
    assert.deepEqual(advanceAssessment({ score: 70, decision: 'live', threshold: 40 }), { livenessScore: 75, attackType: null });
    assert.deepEqual(advanceAssessment({ score: 40, decision: 'live', threshold: 40 }), { livenessScore: 50, attackType: null });
  });

  test('spoof: the mapped score (< 50), attackType 1 (presentation attack)', () => {
    const assessed = advanceAssessment({ score: 20, decision: 'spoof', threshold: 40 });
    assert.deepEqual(assessed, { livenessScore: 25, attackType: 1 });
  });

  test('retry: attackType 3 (unsure) and a livenessScore below 50 even when the score is high', () => {
    assert.deepEqual(advanceAssessment({ score: 95, decision: 'retry', threshold: 40 }), { livenessScore: 49.99, attackType: 3 });
    assert.deepEqual(advanceAssessment({ score: 10, decision: 'retry', threshold: 40 }), { livenessScore: advanceLivenessScore(10), attackType: 3 });
  });

  test('the pass mark follows the configured threshold', () => {
    assert.equal(advanceAssessment({ score: 60, decision: 'live', threshold: 60 }).livenessScore, 50);
    assert.ok(advanceAssessment({ score: 59, decision: 'spoof', threshold: 60 }).livenessScore < 50);
  });
});
