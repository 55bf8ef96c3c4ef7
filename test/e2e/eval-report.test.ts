/**
 * The HTML report of `facelive eval --report` in a real browser (Debian's Chromium, playwright-core)
 * at 1280 px: it opens with a summary and a table of contents whose links all resolve, the charts
 * come before the tables, nothing needs horizontal scrolling and nothing is fetched. The report is
 * built from synthetic per-image records (long file names, every PAD model of the pack, images
 * with several faces and every outcome), so the layout is checked without an engine pass; the
 * pad-dev report itself is checked for self-containment by test/engine/eval-dev-set.test.ts.
 * A screenshot goes to test-artifacts/.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, test } from 'node:test';
import { loadConfig } from '../../src/config/load-config.js';
import { readCalibrationFile, SHIPPED_CALIBRATION_FILE } from '../../src/engine/calibrate/calibration-file.js';
import type { EnginePassInfo } from '../../src/eval/engine-pass.js';
import { buildEvalReport } from '../../src/eval/eval-report.js';
import { CANDIDATE_FUSIONS } from '../../src/eval/fusion.js';
import { renderHtmlReport } from '../../src/eval/html-report.js';
import type { ImageRecord } from '../../src/eval/image-record.js';
import { launchChromium } from '../helpers/chromium.js';
import { REPO_ROOT } from '../helpers/paths.js';

const PAD_MODELS = ['pad/minifasnet-v2-s2.7@1.0', 'pad/minifasnet-v1se-s4.0@1.0', 'pad/celeba-minifasv2se-128@98.20', 'pad/hyperfas-mbv050-224@1.0'];
const SOURCES = ['imironica/liveness', 'someone/a-liveness-tutorial-repository-with-a-long-name', 'serengil/deepface'];

/** A deterministic pseudo-random number in [0, 1) for record `i`, draw `k`. */
const draw = (i: number, k: number) => (((Math.sin(i * 12.9898 + k * 78.233) * 43758.5453) % 1) + 1) % 1;

function syntheticRecord(i: number): ImageRecord {
  const label = i % 17 === 0 ? 'noface' : i % 2 === 0 ? 'live' : 'spoof';
  const attack = label === 'spoof' ? ['print', 'replay', 'unknown'][i % 3] : 'none';
  const file = `images/${SOURCES[i % 3].replace('/', '-')}/${label}/a_rather_long_file_name_as_datasets_have__${String(i).padStart(4, '0')}.jpg`;
  const identity = { file, line: i + 2, label, attack, source: SOURCES[i % 3] } as const;
  if (label === 'noface' || i % 11 === 0) {
    const code = label === 'noface' || i % 22 === 0 ? 'FACE_NOT_FOUND' : 'FACE_TOO_SMALL';
    return {
      ...identity,
      outcome: code === 'FACE_NOT_FOUND' ? 'noFace' : 'faceTooSmall',
      error: { code, message: 'synthetic' },
      probabilities: null,
      retryReasons: null,
      quality: null,
      faces: null,
      image: null,
      liveProbability: null,
      score: null,
      decision: null,
    };
  }
  const bias = label === 'live' ? 0.35 : -0.35;
  const probabilities = (seed: number) =>
    Object.fromEntries(PAD_MODELS.map((id, m) => [id, Math.min(1, Math.max(0, 0.5 + bias + (draw(i + seed, m) - 0.5) * 0.9))]));
  const contextFraction = Number(draw(i, 9).toFixed(3));
  const insufficientContext = contextFraction < 0.25;
  const face = (x: number, probs: Record<string, number> | null) => ({
    box: { x, y: 100, width: 150, height: 200 },
    landmarks: [
      [x + 40, 180],
      [x + 110, 180],
      [x + 75, 220],
      [x + 50, 260],
      [x + 100, 260],
    ] as [number, number][],
    score: 0.93,
    probabilities: probs,
  });
  const faces = [face(100, probabilities(0)), ...(i % 9 === 0 ? [face(400, probabilities(500))] : []), ...(i % 5 === 0 ? [face(600, null)] : [])];
  return {
    ...identity,
    outcome: insufficientContext ? 'retry' : 'scored',
    error: null,
    probabilities: faces[0].probabilities,
    retryReasons: insufficientContext ? ['insufficientContext'] : [],
    quality: {
      faceSizePx: 150,
      faceCount: faces.length,
      contextRatio: 0.3,
      contextFraction,
      insufficientContext,
      dark: false,
      blurry: i % 13 === 0,
      monochrome: false,
    },
    faces,
    image: { width: 640, height: 480, format: 'jpeg' },
    liveProbability: null,
    score: null,
    decision: null,
  };
}

/** What the test reads from the rendered page. */
interface PageLayout {
  readonly scrollWidth: number;
  readonly innerWidth: number;
  /** The body's children: `h1`, `p.lead`, `table`, `nav`, `section#<id>`… */
  readonly order: string[];
  readonly links: string[];
  readonly unresolved: string[];
  readonly sections: { id: string; hasTable: boolean; hasChart: boolean }[];
}

const dir = mkdtempSync(path.join(os.tmpdir(), 'facelive-report-'));
after(() => rmSync(dir, { recursive: true, force: true }));

test('the evaluation report at 1280 px: summary and contents first, charts before tables, no horizontal scrolling', async () => {
  const config = loadConfig({}, {});
  const calibration = await readCalibrationFile(SHIPPED_CALIBRATION_FILE);
  const pair = CANDIDATE_FUSIONS.find((c) => c.name === 'pair')!;
  const fit = calibration.fits.find((f) => f.name === 'pair')!;
  const run: EnginePassInfo = {
    startedAt: '2026-01-01T00:00:00.000Z',
    durationMs: 1000,
    workers: 2,
    detector: config.models.detector,
    padModels: PAD_MODELS,
    skippedModels: [],
    settings: { detection: config.detection, quality: config.quality, limits: config.limits },
    configHash: '0123456789abcdef',
    node: process.version,
  };
  const report = buildEvalReport({
    records: Array.from({ length: 240 }, (_, i) => syntheticRecord(i)),
    dataset: { dir: '../shared/datasets/a-synthetic-set-with-a-long-directory-name', labelsSha256: 'f'.repeat(64) },
    run,
    fusion: { name: 'pair', detector: config.models.detector, models: pair.models },
    scoreMap: { knots: fit.knots, source: `${SHIPPED_CALIBRATION_FILE}#pair`, calibrated: true },
    threshold: 40,
    secondaryFaceVerdict: 'spoof',
    withoutSources: [SOURCES[0]],
    createdAt: '2026-01-01T00:00:01.000Z',
  });
  assert.ok(report.multipleFaces.judged.length > 0 && report.contextCutOffs.length > 0, 'the synthetic set exercises every section');
  const file = path.join(dir, 'report.html');
  writeFileSync(file, renderHtmlReport(report));

  const browser = await launchChromium({ viewport: { width: 1280, height: 900 } });
  const requests: string[] = [];
  browser.page.on('request', (request) => requests.push(request.url()));
  try {
    await browser.page.goto(pathToFileURL(file).href);
    // A string, evaluated in the page: the project's TypeScript has no DOM types.
    const layout = (await browser.page.evaluate(`(() => {
      const order = [...document.body.children].map((e) => (e.tagName === 'SECTION' ? 'section#' + e.id : e.tagName.toLowerCase() + (e.className ? '.' + e.className : '')));
      const links = [...document.querySelectorAll('nav a')].map((a) => a.getAttribute('href') || '');
      return {
        scrollWidth: document.documentElement.scrollWidth,
        innerWidth: window.innerWidth,
        order,
        links,
        unresolved: links.filter((href) => !href.startsWith('#') || !document.getElementById(href.slice(1))),
        sections: [...document.querySelectorAll('section')].map((s) => ({ id: s.id, hasTable: s.querySelector('table') !== null, hasChart: s.querySelector('svg') !== null })),
      };
    })()`)) as PageLayout;
    assert.ok(layout.scrollWidth <= layout.innerWidth, `horizontal scrolling: ${layout.scrollWidth} > ${layout.innerWidth}`);
    assert.deepEqual(layout.order.slice(0, 4), ['h1', 'p.lead', 'table', 'nav'], 'title, summary, key figures, contents');
    assert.equal(layout.links.length, layout.sections.length);
    assert.deepEqual(layout.unresolved, []);
    const firstTable = layout.sections.findIndex((s) => s.hasTable);
    const charts = layout.sections.findIndex((s) => s.hasChart);
    assert.equal(charts, 0, 'the charts come first');
    assert.ok(charts < firstTable);
    assert.deepEqual(requests, [pathToFileURL(file).href], 'nothing else is fetched');
    mkdirSync(path.join(REPO_ROOT, 'test-artifacts'), { recursive: true });
    await browser.page.screenshot({ path: path.join(REPO_ROOT, 'test-artifacts', 'eval-report-1280.png'), fullPage: true });
  } finally {
    await browser.close();
  }
});
