/**
 * Vendor numbers derived from the calibrated score: the generic "rescale at the threshold"
 * (exact decimal results, the cut-off on the decision threshold, rounding never crossing it) and
 * each vendor's constants (ADVANCE.AI livenessScore, AccuAuth hack score and live_proba, Tencent's
 * score as is). Model-free.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  ACCUAUTH_HACK_SCALE,
  ACCUAUTH_HACK_THRESHOLD,
  ACCUAUTH_LIVE_PROBA_SCALE,
  accuauthHackScore,
  accuauthLiveProbability,
} from '../../src/api/accuauth/score.js';
import { ADVANCE_LIVENESS_SCALE, advanceLivenessScore } from '../../src/api/advance/score.js';
import { rescaleAtThreshold, type ThresholdScale } from '../../src/api/score-scale.js';
import { tencentScore } from '../../src/api/tencent/score.js';
import { RECOMMENDED_THRESHOLD } from '../../src/engine/calibrate/score-ladder.js';
import { FaceliveError } from '../../src/errors/catalogue.js';

const scores = Array.from({ length: 10_001 }, (_, i) => i / 100);

/**
 * The exact result for a score and threshold of 2 decimals (`i / 100`, `j / 100`), in integer
 * arithmetic: what the documented formula gives on decimal inputs.
 */
function exactUnits(i: number, j: number, scale: ThresholdScale): number {
  const units = 10 ** scale.decimals;
  const [zero, cut, hundred] = [scale.atZero, scale.cutOff, scale.atHundred].map((v) => BigInt(Math.round(v * units)));
  const increasing = scale.pass === 'atOrAbove';
  const [s, t] = [BigInt(i), BigInt(j)];
  const floorDiv = (a: bigint, b: bigint) => (a >= 0n ? a / b : -((-a + b - 1n) / b));
  if (i >= j) {
    if (j === 10_000) return Number(hundred);
    const first = increasing ? cut : cut - 1n;
    return Number(floorDiv(first * (10_000n - t) + (hundred - first) * (s - t), 10_000n - t));
  }
  const numerator = zero * t + (cut - zero) * s;
  return increasing ? Math.min(Number(floorDiv(numerator, t)), Number(cut - 1n)) : Math.max(Number(-floorDiv(-numerator, t)), Number(cut));
}

describe('rescale at the threshold', () => {
  const scales: [string, ThresholdScale][] = [
    ['ADVANCE.AI livenessScore', ADVANCE_LIVENESS_SCALE],
    ['AccuAuth hack score', ACCUAUTH_HACK_SCALE],
    ['AccuAuth live_proba', ACCUAUTH_LIVE_PROBA_SCALE],
  ];

  test('equals the exact decimal result for every 2-decimal score at many thresholds', () => {
    const thresholds = [...Array.from({ length: 21 }, (_, k) => k * 500), 1, 1234, 3333, 4170, 6667, 9999];
    for (const [name, scale] of scales) {
      for (const j of thresholds) {
        for (let i = 0; i <= 10_000; i += 1) {
          if (j === 0 && i < j) continue;
          const expected = exactUnits(i, j, scale) / 10 ** scale.decimals;
          const actual = rescaleAtThreshold(i / 100, j / 100, scale);
          if (actual !== expected) assert.fail(`${name} at score ${i / 100}, threshold ${j / 100}: ${actual}, exactly ${expected}`);
        }
      }
    }
  });

  test('a score just beside the threshold stays on its side of the cut-off', () => {
    for (const threshold of [40, 33.333333, 0.01, 99.99]) {
      const below = threshold - 1e-9;
      assert.ok(rescaleAtThreshold(below, threshold, ADVANCE_LIVENESS_SCALE) < 50);
      assert.ok(rescaleAtThreshold(below, threshold, ACCUAUTH_LIVE_PROBA_SCALE) < 0.5);
      assert.ok(rescaleAtThreshold(below, threshold, ACCUAUTH_HACK_SCALE) >= 0.98);
      assert.equal(rescaleAtThreshold(threshold, threshold, ACCUAUTH_HACK_SCALE), 0.97999);
    }
  });

  test('scores and thresholds outside [0, 100] are refused', () => {
    const refused = (e: unknown) => e instanceof FaceliveError && e.code === 'INVALID_ARGUMENT';
    assert.throws(() => rescaleAtThreshold(101, 40, ADVANCE_LIVENESS_SCALE), refused);
    assert.throws(() => rescaleAtThreshold(Number.NaN, 40, ADVANCE_LIVENESS_SCALE), refused);
    assert.throws(() => rescaleAtThreshold(50, -1, ADVANCE_LIVENESS_SCALE), refused);
  });
});

describe('dialect scores', () => {
  test('Tencent and Ace Data report the calibrated score', () => {
    assert.equal(tencentScore(71.52), 71.52);
  });

  for (const threshold of [RECOMMENDED_THRESHOLD, 10, 70]) {
    test(`ADVANCE.AI livenessScore: monotone, >= 50 exactly from threshold ${threshold}`, () => {
      let previous = -1;
      for (const s of scores) {
        const v = advanceLivenessScore(s, threshold);
        assert.ok(v >= previous && v >= 0 && v <= 100, `at ${s}`);
        assert.equal(v >= 50, s >= threshold, `cut-off at ${s}`);
        previous = v;
      }
      assert.equal(advanceLivenessScore(0, threshold), 0);
      assert.equal(advanceLivenessScore(100, threshold), 100);
    });

    test(`AccuAuth hack score: decreasing, < 0.98 exactly from threshold ${threshold}`, () => {
      let previous = 2;
      for (const s of scores) {
        const v = accuauthHackScore(s, threshold);
        assert.ok(v <= previous && v >= 0 && v <= 1, `at ${s}`);
        assert.equal(v < ACCUAUTH_HACK_THRESHOLD, s >= threshold, `cut-off at ${s}: ${v}`);
        previous = v;
      }
      assert.equal(accuauthHackScore(0, threshold), 1);
      assert.equal(accuauthHackScore(100, threshold), 0);
    });

    test(`AccuAuth live_proba: monotone, >= 0.5 exactly from threshold ${threshold}`, () => {
      let previous = -1;
      for (const s of scores) {
        const v = accuauthLiveProbability(s, threshold);
        assert.ok(v >= previous && v >= 0 && v <= 1, `at ${s}`);
        assert.equal(v >= 0.5, s >= threshold, `cut-off at ${s}: ${v}`);
        previous = v;
      }
    });
  }

  test('documented points', () => {
    assert.equal(advanceLivenessScore(40), 50);
    assert.equal(advanceLivenessScore(70), 75);
    assert.equal(advanceLivenessScore(10), 12.5);
    assert.equal(advanceLivenessScore(90), 91.66);
    assert.equal(accuauthHackScore(40), 0.97999);
    assert.equal(accuauthHackScore(39.99), 0.98001);
    assert.equal(accuauthHackScore(10), 0.995);
    assert.equal(accuauthHackScore(70), 0.48999);
    assert.equal(accuauthHackScore(90), 0.16333);
    assert.equal(accuauthLiveProbability(40), 0.5);
    assert.equal(accuauthLiveProbability(70), 0.75);
    // Exact decimal results where binary floating point alone would land one unit low.
    assert.equal(advanceLivenessScore(41.2), 51);
    assert.equal(accuauthLiveProbability(0.29, 1), 0.145);
    assert.throws(
      () => advanceLivenessScore(101),
      (e: unknown) => e instanceof FaceliveError && e.code === 'INVALID_ARGUMENT',
    );
  });
});
