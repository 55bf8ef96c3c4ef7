/**
 * The calibrated score: the knot map (monotone, exact at knots, flooring keeps threshold
 * semantics), the knot fitting, and the shipped calibration: it loads, is monotone, covers the default model set and
 * records the pad-dev labels it was fitted on; a calibration without a fit for the configured set
 * stops the engine at start-up with CONFIG_INVALID. (Its ladder is reproduced on pad-dev by
 * test/engine/eval-dev-set.test.ts, which has the engine pass.)
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { readCalibrationFile, sameModelSet, SHIPPED_CALIBRATION_FILE } from '../../src/engine/calibrate/calibration-file.js';
import { loadScoreMap } from '../../src/engine/calibrate/load-score-map.js';
import { SCORE_LADDER } from '../../src/engine/calibrate/score-ladder.js';
import { knotProblem, mapProbability, probabilityAtScore, scoreFromKnots, type Knot } from '../../src/engine/calibrate/score-map.js';
import { createEngine } from '../../src/engine/pipeline.js';
import { FaceliveError } from '../../src/errors/catalogue.js';
import { CANDIDATE_FUSIONS } from '../../src/eval/fusion.js';
import { fitKnots } from '../../src/eval/fit-calibration.js';
import { ALL_PAD_MODELS, testConfig } from '../helpers/engine.js';
import { PAD_DEV_DIR } from '../helpers/paths.js';

const KNOTS: Knot[] = [
  [0, 0],
  [0.2, 5],
  [0.5, 10],
  [0.78, 40],
  [0.93, 70],
  [0.997, 90],
  [1, 100],
];
const grid = (step: number, to = 1) => Array.from({ length: Math.round(to / step) + 1 }, (_, i) => Math.min(to, i * step));

function isConfigInvalid(pattern: RegExp) {
  return (error: unknown) => error instanceof FaceliveError && error.code === 'CONFIG_INVALID' && pattern.test(error.message);
}

describe('knot map', () => {
  test('valid knots; invalid ones are named', () => {
    assert.equal(knotProblem(KNOTS), undefined);
    assert.match(
      knotProblem([
        [0, 0],
        [0.5, 50],
      ]) ?? '',
      /last knot must be \[1, 100\]/,
    );
    assert.match(
      knotProblem([
        [0, 0],
        [0.5, 50],
        [0.5, 60],
        [1, 100],
      ]) ?? '',
      /do not rise strictly/,
    );
    assert.match(
      knotProblem([
        [0.1, 0],
        [1, 100],
      ]) ?? '',
      /first knot/,
    );
  });

  test('exact at knots, monotone, ends at 0 and 100, inverse agrees', () => {
    for (const [p, s] of KNOTS) assert.equal(mapProbability(KNOTS, p), s);
    let previous = -1;
    for (const p of grid(1e-4)) {
      const s = mapProbability(KNOTS, p);
      assert.ok(s >= previous, `not monotone at ${p}`);
      previous = s;
      assert.ok(Math.abs(probabilityAtScore(KNOTS, s) - p) < 1e-9, `inverse at ${p}`);
    }
    assert.equal(scoreFromKnots(KNOTS, 0), 0);
    assert.equal(scoreFromKnots(KNOTS, 1), 100);
  });

  test('flooring to 2 decimals keeps "score >= T" equal to "p >= knot" at whole-number thresholds', () => {
    const below = 0.78 - 1e-12;
    assert.ok(scoreFromKnots(KNOTS, below) < 40, 'just below the knot stays below 40');
    assert.equal(scoreFromKnots(KNOTS, 0.78), 40);
    for (const p of grid(1e-5)) {
      const score = scoreFromKnots(KNOTS, p);
      for (const t of SCORE_LADDER) assert.equal(score >= t, p >= probabilityAtScore(KNOTS, t), `p ${p} at ${t}`);
    }
  });
});

describe('fitting knots', () => {
  const live = [0.9, 0.8, 0.3];
  const attacks = [0.1, 0.2, 0.4, 0.7, 0.95];

  test('the knot sits mid-gap above the attack that must be rejected', () => {
    // APCER 20% of 5 attacks: one may pass (0.95), 0.7 must be rejected; next score above 0.7 is 0.8.
    assert.deepEqual(fitKnots(live, attacks, [{ score100: 40, apcerTarget: 0.2 }], 't').knots, [
      [0, 0],
      [0.75, 40],
      [1, 100],
    ]);
    // APCER 0: 0.95 must be rejected; nothing above it, so mid-way to 1.
    const strict = fitKnots(live, attacks, [{ score100: 90, apcerTarget: 0.01 }], 't');
    assert.deepEqual(strict.knots, [
      [0, 0],
      [0.975, 90],
      [1, 100],
    ]);
    assert.match(strict.warnings[0], /needs at least 100 attacks/);
  });

  test('targets in the same gap are separated, with a warning', () => {
    const { knots, warnings } = fitKnots(
      live,
      attacks,
      [
        { score100: 40, apcerTarget: 0.2 },
        { score100: 70, apcerTarget: 0.25 },
      ],
      't',
    );
    assert.deepEqual(knots, [
      [0, 0],
      [0.75, 40],
      [0.775, 70],
      [1, 100],
    ]);
    assert.equal(knotProblem(knots), undefined);
    assert.match(warnings.join(' '), /same gap/);
  });

  test('an attack at probability 1 that must be rejected makes the fit fail', () => {
    assert.throws(
      () => fitKnots(live, [1, 0.2], [{ score100: 90, apcerTarget: 0.01 }], 'x'),
      (error: unknown) => error instanceof FaceliveError && error.code === 'CALIBRATION_FIT_FAILED',
    );
  });
});

describe('the shipped calibration', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'facelive-calibration-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('loads, is monotone, and covers the default set and every candidate fusion', async () => {
    const calibration = await readCalibrationFile(SHIPPED_CALIBRATION_FILE);
    const defaults = testConfig().models;
    assert.ok(
      calibration.fits.some((f) => sameModelSet({ detector: f.detector, pad: f.models }, defaults)),
      'default set',
    );
    for (const c of CANDIDATE_FUSIONS) {
      assert.ok(
        calibration.fits.some((f) => sameModelSet({ detector: f.detector, pad: f.models }, { detector: defaults.detector, pad: c.models })),
        c.name,
      );
    }
    for (const fit of calibration.fits) {
      assert.equal(knotProblem(fit.knots), undefined, fit.name);
      assert.deepEqual(
        fit.knots.slice(1, -1).map(([, s]) => s),
        [...SCORE_LADDER],
        `${fit.name}: one knot per ladder threshold`,
      );
    }
  });

  test('records the pad-dev labels it was fitted on', async (t) => {
    const calibration = await readCalibrationFile(SHIPPED_CALIBRATION_FILE);
    assert.equal(calibration.dataset.name, 'pad-dev');
    const labels = path.join(PAD_DEV_DIR, 'labels.csv');
    if (!existsSync(labels)) return t.skip('pad-dev not present');
    assert.equal(calibration.dataset.labelsSha256, createHash('sha256').update(readFileSync(labels)).digest('hex'));
  });

  test('the engine config picks its fit; the test sets of other suites are covered too', async () => {
    const map = await loadScoreMap(testConfig());
    assert.match(map.source, /default\.json#pair$/);
    assert.equal(map.score(1), 100);
    const base = testConfig();
    const all = await loadScoreMap(testConfig({ models: { detector: base.models.detector, pad: ALL_PAD_MODELS } }));
    assert.match(all.source, /#v2\+v1se\+celeba$/);
    assert.throws(
      () => map.score(Number.NaN),
      (e: unknown) => e instanceof FaceliveError && e.code === 'INTERNAL_ERROR',
    );
  });

  test('calibration.enabled false means 100 × p', async () => {
    const base = testConfig();
    const map = await loadScoreMap(testConfig({ calibration: { ...base.calibration, enabled: false } }));
    assert.equal(map.source, 'uncalibrated');
    assert.equal(map.score(0.4273), 42.73);
  });

  test('a set the calibration does not cover stops the engine before any model loads', async () => {
    const base = testConfig();
    const config = testConfig({
      modelsDir: path.join(dir, 'no-models-here'),
      models: {
        detector: base.models.detector,
        pad: [
          { id: 'pad/minifasnet-v2-s2.7@1.0', weight: 1 },
          { id: 'pad/celeba-minifasv2se-128@98.20', weight: 3 },
        ],
      },
    });
    await assert.rejects(createEngine(config), isConfigInvalid(/no fit for the configured model set .*celeba-minifasv2se-128@98\.20×3.*it calibrates: pair/));
  });

  test('an unreadable or malformed calibration file is CONFIG_INVALID naming it', async () => {
    const base = testConfig();
    const missing = path.join(dir, 'absent.json');
    await assert.rejects(loadScoreMap(testConfig({ calibration: { ...base.calibration, file: missing } })), isConfigInvalid(/absent\.json cannot be read/));
    const shipped = JSON.parse(readFileSync(SHIPPED_CALIBRATION_FILE, 'utf8'));
    shipped.fits[0].knots[2] = [0.01, 10];
    const bad = path.join(dir, 'bad-knots.json');
    writeFileSync(bad, JSON.stringify(shipped));
    await assert.rejects(
      loadScoreMap(testConfig({ calibration: { ...base.calibration, file: bad } })),
      isConfigInvalid(/bad-knots\.json: \/fits\/0 .*do not rise strictly/),
    );
  });
});
