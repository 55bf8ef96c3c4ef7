/**
 * `facelive eval ../shared/datasets/pad-dev --json` through the real engine (one pass, every PAD
 * model): the JSON layout of docs/evaluation.md, sanity of the figures, an independent recount of
 * the decisions, agreement of the offline fusion with the engine itself, the shipped calibration's
 * ladder reproduced on pad-dev, the `--from` round trip, and an HTML report without network
 * resources. Prints the overall, scene and per-attack figures and the model-selection table.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import { Value } from '@sinclair/typebox/value';
import { buildProgram } from '../../src/cli/program.js';
import { readCalibrationFile, SHIPPED_CALIBRATION_FILE } from '../../src/engine/calibrate/calibration-file.js';
import { SCORE_LADDER } from '../../src/engine/calibrate/score-ladder.js';
import { createEngine } from '../../src/engine/pipeline.js';
import type { EvalReport } from '../../src/eval/eval-report.js';
import { fitCalibration } from '../../src/eval/fit-calibration.js';
import { percent, rateText } from '../../src/eval/format.js';
import { ImageRecordSchema } from '../../src/eval/image-record.js';
import type { Figures } from '../../src/eval/iso-figures.js';
import { testConfig } from '../helpers/engine.js';
import { MODELS_DIR, PAD_DEV_DIR, requireDir } from '../helpers/paths.js';

const NUAA = 'imironica/liveness';
/** Ladder figures may move by this many images between platforms (probabilities agree to ~1e-3, see reference-agreement). */
const LADDER_COUNT_TOLERANCE = 1;
/** And the refitted knots by this much raw probability. */
const KNOT_ATOL = 0.02;
/** Offline fusion vs the engine's own fused probability. */
const FUSION_ATOL = 1e-9;

async function runCli(args: string[]): Promise<string> {
  const stdout = new PassThrough();
  const chunks: Buffer[] = [];
  stdout.on('data', (c: Buffer) => chunks.push(c));
  const io = { stdout, stderr: new PassThrough(), stdin: new PassThrough(), stderrIsTTY: false };
  await buildProgram(io)
    .exitOverride()
    .parseAsync(['node', 'facelive', ...args]);
  return Buffer.concat(chunks).toString('utf8');
}

function headline(name: string, f: Figures): string {
  const at = (i: number) => rateText(f.bpcerAtApcer[i].bpcer);
  return (
    `${name}: live/attack ${f.counts.bonaFide.total}/${f.counts.attacks.total}, AUC ${f.auc?.toFixed(3)}, EER ${percent(f.eer?.value)}, ` +
    `at ${f.threshold}: APCER ${rateText(f.apcer)} (${f.apcer?.species}), BPCER ${rateText(f.bpcer)}, ACER ${percent(f.acer)}; ` +
    `BPCER@APCER 1% ${at(0)}, 5% ${at(1)}, 10% ${at(2)}`
  );
}

describe('facelive eval on pad-dev', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'facelive-eval-'));
  const json = path.join(dir, 'eval.json');
  const html = path.join(dir, 'eval.html');
  let report: EvalReport;
  let summary: string;

  before(async () => {
    requireDir(PAD_DEV_DIR, 'pad-dev');
    summary = await runCli(['eval', PAD_DEV_DIR, '--json', json, '--report', html, '--without-source', NUAA, '--models-dir', MODELS_DIR]);
    report = JSON.parse(readFileSync(json, 'utf8'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('JSON layout', () => {
    for (const key of [
      'schemaVersion',
      'dataset',
      'run',
      'fusion',
      'thresholds',
      'overall',
      'bySource',
      'byQuality',
      'withoutSources',
      'noface',
      'modelSelection',
      'images',
    ]) {
      assert.ok(key in report, key);
    }
    for (const key of ['auc', 'eer', 'apcer', 'apcerPooled', 'bpcer', 'acer', 'bpcerAtApcer', 'apcerAtBpcer', 'byAttack', 'counts', 'atThresholds']) {
      assert.ok(key in report.overall, `overall.${key}`);
    }
    assert.equal(report.schemaVersion, 1);
    assert.equal(report.images.length, 563);
    for (const image of report.images) assert.ok(Value.Check(ImageRecordSchema, image), image.file);
    assert.deepEqual(
      report.overall.bpcerAtApcer.map((p) => p.target),
      [0.01, 0.05, 0.1],
    );
    assert.deepEqual(
      report.overall.apcerAtBpcer.map((p) => p.target),
      [0.01, 0.05],
    );
    assert.deepEqual(Object.keys(report.overall.byAttack), ['print', 'replay', 'unknown']);
    assert.deepEqual(Object.keys(report.bySource).sort(), Object.keys(report.dataset.sources).sort());
    assert.deepEqual(report.thresholds, { scale: 'calibrated', ladder: SCORE_LADDER, recommended: 40, configured: 40 });
    assert.deepEqual(
      report.overall.atThresholds.map((t) => t.threshold),
      SCORE_LADDER,
    );
    assert.equal(report.fusion.name, 'pair');
    assert.equal(report.run.padModels.length, 4);
    assert.ok(['scene', 'allScored', 'insufficientContext'].every((g) => g in report.byQuality));
    assert.equal(report.modelSelection.rows.length, 11);
    assert.match(summary, /MODEL SELECTION/);
  });

  test('figures are sane and the counts add up', () => {
    assert.deepEqual(report.dataset.counts, { live: 303, spoof: 251, noface: 9 });
    const { bonaFide, attacks } = report.overall.counts;
    for (const c of [bonaFide, attacks]) assert.equal(c.scored + c.retry + c.noFace + c.faceTooSmall + c.error, c.total);
    assert.equal(bonaFide.total, 303);
    assert.equal(attacks.total, 251);
    assert.ok((report.byQuality.scene.auc ?? 0) > 0.8, `scene AUC ${report.byQuality.scene.auc}`);
    assert.ok((report.byQuality.allScored.auc ?? 0) > 0.8, `allScored AUC ${report.byQuality.allScored.auc}`);
    assert.ok((report.overall.apcer?.value ?? 1) < 0.1, 'worst-type APCER at the recommended threshold');
  });

  test('an independent recount of the per-image decisions gives the overall APCER and BPCER', () => {
    const live = report.images.filter((i) => i.label === 'live');
    assert.equal(report.overall.bpcer.errors, live.filter((i) => i.decision !== 'live').length);
    for (const [species, r] of Object.entries(report.overall.byAttack)) {
      const attacks = report.images.filter((i) => i.label === 'spoof' && i.attack === species);
      assert.deepEqual([r.errors, r.total], [attacks.filter((i) => i.decision === 'live').length, attacks.length], species);
    }
  });

  test('offline fusion and calibration equal what the engine reports with the default config', async () => {
    const sample = report.images.filter((i) => i.score !== null).filter((_, n) => n % 60 === 0);
    const engine = await createEngine(testConfig());
    try {
      for (const image of sample) {
        const result = await engine.analyse(readFileSync(path.join(PAD_DEV_DIR, image.file)));
        assert.ok(Math.abs(result.liveProbability - (image.liveProbability as number)) <= FUSION_ATOL, image.file);
        assert.equal(result.score, image.score, image.file);
        assert.equal(result.decision, image.decision, image.file);
      }
    } finally {
      await engine.close();
    }
  });

  test('the shipped calibration reproduces its ladder on pad-dev', async () => {
    const calibration = await readCalibrationFile(SHIPPED_CALIBRATION_FILE);
    const fit = calibration.fits.find((f) => f.name === 'pair');
    assert.ok(fit);
    const refit = fitCalibration(report.images, { name: 'pair', detector: fit.detector, models: fit.models });
    fit.knots.forEach(([p], i) => assert.ok(Math.abs(p - refit.knots[i][0]) <= KNOT_ATOL, `knot ${i}: ${p} vs ${refit.knots[i][0]}`));
    for (const point of fit.ladder) {
      const now = report.byQuality.allScored.atThresholds.find((t) => t.threshold === point.score100);
      assert.ok(now, String(point.score100));
      assert.equal(now.apcerPooled.total, point.calibration.apcer.total);
      assert.equal(now.bpcer.total, point.calibration.bpcer.total);
      assert.ok(Math.abs(now.apcerPooled.errors - point.calibration.apcer.errors) <= LADDER_COUNT_TOLERANCE, `APCER at ${point.score100}`);
      assert.ok(Math.abs(now.bpcer.errors - point.calibration.bpcer.errors) <= LADDER_COUNT_TOLERANCE, `BPCER at ${point.score100}`);
    }
  });

  test('--from recomputes the same report without analysing; --models re-fuses', async () => {
    const again = path.join(dir, 'again.json');
    await runCli(['eval', '--from', json, '--json', again, '--without-source', NUAA]);
    const second: EvalReport = JSON.parse(readFileSync(again, 'utf8'));
    assert.deepEqual({ ...second, createdAt: null }, { ...report, createdAt: null });

    const other = path.join(dir, 'celeba.json');
    await runCli(['eval', '--from', json, '--json', other, '--models', 'pair+celeba']);
    const fused: EvalReport = JSON.parse(readFileSync(other, 'utf8'));
    assert.equal(fused.fusion.name, 'pair+celeba');
    assert.equal(fused.thresholds.scale, 'calibrated');
    assert.notDeepEqual(fused.overall.auc, report.overall.auc);
  });

  test('the HTML report is self-contained', () => {
    const page = readFileSync(html, 'utf8');
    assert.equal(page.match(/<svg /g)?.length, 2);
    assert.doesNotMatch(page, /\bsrc=|href="(?!#)|<script|@import|url\(/, 'links point inside the page only');
    assert.deepEqual([...new Set(page.match(/https?:\/\/[^"' ]+/g))], ['http://www.w3.org/2000/svg']);
  });

  test('figures', (t) => {
    t.diagnostic(
      `model set ${report.fusion.name}, calibration ${path.basename(report.fusion.calibration)}, engine pass ${report.run.startedAt}, config hash ${report.run.configHash}`,
    );
    t.diagnostic(headline('overall (retry rejected)', report.overall));
    t.diagnostic(headline('scene (retry ignored)', report.byQuality.scene));
    t.diagnostic(headline('allScored (retry ignored)', report.byQuality.allScored));
    if (report.withoutSources) t.diagnostic(headline(`scene without ${NUAA}`, report.withoutSources.scene));
    for (const [name, f] of [
      ['overall', report.overall],
      ['scene', report.byQuality.scene],
    ] as const) {
      for (const [species, a] of Object.entries(f.byAttack)) {
        t.diagnostic(
          `${name} ${species}: APCER at ${f.threshold} ${rateText(a)}, AUC ${a.auc?.toFixed(3)}, BPCER@APCER 5% ${rateText(a.bpcerAtApcer[1].bpcer)}`,
        );
      }
    }
    for (const row of report.modelSelection.rows) {
      const at = (f: typeof row.scene | null, i: number) => (f ? percent(f.bpcerAtApcer[i].bpcer?.value) : '–');
      t.diagnostic(
        `selection ${row.name}: scene AUC ${row.scene.auc?.toFixed(3)} BPCER@APCER 1% ${at(row.scene, 0)} 5% ${at(row.scene, 1)}; without NUAA 1% ${at(row.sceneWithout, 0)} 10% ${at(row.sceneWithout, 2)}`,
      );
    }
  });
});
