/**
 * The verdict over several judged faces (src/engine/calibrate/decision.ts judgeImage), the
 * context window (src/engine/crop/context-window.ts) and the retry-reason table
 * (src/engine/retry-reasons.ts): pure functions on hand-made inputs.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import { judgeImage, type JudgedFaceScore, type SecondaryFaceVerdict } from '../../src/engine/calibrate/decision.js';
import { contextFraction, fractionInside, miniFasNetWindow } from '../../src/engine/crop/context-window.js';
import { adaptBoxForMiniFasNet } from '../../src/engine/crop/crop-rules.js';
import { RETRY_REASON_CODES, RETRY_REASONS, retryHintsFor } from '../../src/engine/retry-reasons.js';
import { REPO_ROOT } from '../helpers/paths.js';

const face = (score: number): JudgedFaceScore => ({ liveProbability: score / 100, score });
const verdict = (scores: number[], secondaryFaceVerdict: SecondaryFaceVerdict = 'spoof', qualityReasons: ('insufficientContext' | 'monochrome')[] = []) =>
  judgeImage({ faces: scores.map(face), threshold: 40, qualityReasons, secondaryFaceVerdict });

describe('judgeImage: one or several faces', () => {
  test('one face: the plain decision (live at or above the threshold, spoof below, retry on quality reasons)', () => {
    assert.deepEqual(verdict([40]), { scoredFace: 0, liveProbability: 0.4, score: 40, decision: 'live', retryReasons: [] });
    assert.equal(verdict([39.99]).decision, 'spoof');
    assert.deepEqual(verdict([90], 'spoof', ['monochrome']).retryReasons, ['monochrome']);
    assert.equal(verdict([90], 'spoof', ['monochrome']).decision, 'retry');
  });

  test('the image scores as its least live face, the primary face on a tie', () => {
    assert.equal(verdict([90, 70, 80]).scoredFace, 1);
    assert.equal(verdict([90, 70, 80]).score, 70);
    assert.equal(verdict([70, 70]).scoredFace, 0);
    assert.equal(verdict([90, 70]).decision, 'live', 'every face live: live');
  });

  test('a live primary face and another below the threshold: spoof, or retry with multipleFaces', () => {
    assert.deepEqual(verdict([90, 12]), { scoredFace: 1, liveProbability: 0.12, score: 12, decision: 'spoof', retryReasons: [] });
    assert.deepEqual(verdict([90, 12], 'retry'), { scoredFace: 1, liveProbability: 0.12, score: 12, decision: 'retry', retryReasons: ['multipleFaces'] });
    assert.deepEqual(verdict([90, 12], 'retry', ['monochrome']).retryReasons, ['monochrome', 'multipleFaces']);
    assert.equal(verdict([90, 12], 'spoof', ['monochrome']).decision, 'spoof', 'an attack seen is reported as one');
  });

  test('a spoof primary face stays spoof whatever the other faces (no multipleFaces softening)', () => {
    assert.deepEqual(verdict([10, 90], 'retry'), { scoredFace: 0, liveProbability: 0.1, score: 10, decision: 'spoof', retryReasons: [] });
    assert.deepEqual(verdict([10, 5], 'retry').retryReasons, []);
  });

  test('at any threshold a caller applies to the score, the image passes only when every face does', () => {
    for (const scores of [
      [90, 12],
      [60, 45],
      [45, 60],
      [100, 0],
    ]) {
      const { score } = verdict(scores);
      for (let threshold = 0; threshold <= 100; threshold += 5) {
        assert.equal(
          score >= threshold,
          scores.every((s) => s >= threshold),
          `${scores} at ${threshold}`,
        );
      }
    }
  });
});

describe('context window', () => {
  const rule = { kind: 'minifasnet', scale: 2.7, boxAdapter: { widthFactor: 1.16, heightFactor: 0.86, centreYShift: 0.068 } } as const;

  test('the MiniFASNet window is the adapted box times the scale around its centre, unclamped', () => {
    const box = { x: -20, y: 100, width: 100, height: 140 };
    const adapted = adaptBoxForMiniFasNet(box, rule.boxAdapter);
    const window = miniFasNetWindow(box, rule);
    assert.equal(window.width, adapted.width * 2.7);
    assert.equal(window.height, adapted.height * 2.7);
    assert.equal(window.x + window.width / 2, adapted.x + adapted.width / 2);
    assert.equal(window.y + window.height / 2, adapted.y + adapted.height / 2);
    assert.ok(window.x < 0, 'not clamped to the image');
  });

  test('fraction of a window inside the image', () => {
    assert.equal(fractionInside({ x: 0, y: 0, width: 10, height: 10 }, 100, 100), 1);
    assert.equal(fractionInside({ x: -50, y: 0, width: 100, height: 100 }, 640, 480), 0.5);
    assert.equal(fractionInside({ x: -50, y: -50, width: 100, height: 100 }, 640, 480), 0.25);
    assert.equal(fractionInside({ x: 700, y: 0, width: 100, height: 100 }, 640, 480), 0);
  });

  test('a face filling a square image leaves about a seventh of its window inside; a small centred face all of it', () => {
    const tight = contextFraction({ x: 5, y: 0, width: 90, height: 100 }, 100, 100);
    assert.ok(tight > 0.1 && tight < 0.2, String(tight));
    assert.equal(contextFraction({ x: 450, y: 450, width: 100, height: 100 }, 1000, 1000), 1);
  });
});

describe('retry reasons', () => {
  test('every code has a short hint; hints follow the codes', () => {
    assert.deepEqual(RETRY_REASON_CODES, ['insufficientContext', 'monochrome', 'multipleFaces']);
    for (const code of RETRY_REASON_CODES) {
      const { hint } = RETRY_REASONS[code];
      assert.ok(hint.length > 10 && hint.length <= 100 && hint.endsWith('.'), `${code}: ${hint}`);
    }
    assert.deepEqual(retryHintsFor(['monochrome', 'insufficientContext']), [RETRY_REASONS.monochrome.hint, RETRY_REASONS.insufficientContext.hint]);
  });

  test('docs/engine.md lists every code with its hint', () => {
    const doc = readFileSync(path.join(REPO_ROOT, 'docs', 'engine.md'), 'utf8');
    for (const code of RETRY_REASON_CODES) assert.ok(doc.includes(`| \`${code}\` | ${RETRY_REASONS[code].hint} |`), code);
  });
});
