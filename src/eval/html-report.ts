/**
 * The self-contained HTML report of `facelive eval --report`: the figures as tables, a DET curve
 * and per-class score histograms as inline SVG. No scripts, no external resources: it opens in a
 * browser without a network.
 */
import { SCORE_LADDER } from '../engine/calibrate/score-ladder.js';
import { isScene, presentationOf, presentationRecords } from './breakdowns.js';
import type { EvalReport } from './eval-report.js';
import { decimal, percent, pointRate, rateText } from './format.js';
import { curveValue, type Figures, type RetryRule } from './iso-figures.js';
import type { ImageRecord } from './image-record.js';
import { operatingPoints } from './score-curve.js';
import { detCurveSvg, escapeXml, histogramsSvg, type DetSeries, type HistogramSeries } from './svg-charts.js';

const COLOURS = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd', '#ff7f0e', '#8c564b', '#e377c2', '#17becf'];
const HISTOGRAM_BINS = 20;

function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const head = header.map((h) => `<th>${escapeXml(h)}</th>`).join('');
  const body = rows.map((r) => `<tr>${r.map((c, i) => (i === 0 ? `<th>${escapeXml(c)}</th>` : `<td>${escapeXml(c)}</td>`)).join('')}</tr>`).join('');
  return `<table><thead><tr>${head}</tr></thead><tbody>${body}</tbody></table>`;
}

function detSeries(name: string, colour: string, records: readonly ImageRecord[], retry: RetryRule, figures: Figures): DetSeries {
  const presentations = presentationRecords(records).map(presentationOf);
  const live = presentations.filter((p) => p.bonaFide).map((p) => curveValue(p, retry));
  const attacks = presentations.filter((p) => !p.bonaFide).map((p) => curveValue(p, retry));
  const points = live.length && attacks.length
    ? operatingPoints(live, attacks).map((p) => ({ apcer: p.apcerErrors / attacks.length, bpcer: p.bpcerErrors / live.length }))
    : [];
  const marks = figures.atThresholds
    .filter((t) => t.apcerPooled.value !== null && t.bpcer.value !== null)
    .map((t) => ({ label: String(t.threshold), apcer: t.apcerPooled.value as number, bpcer: t.bpcer.value as number }));
  return { name: `${name} (n=${live.length}/${attacks.length})`, colour, points, marks };
}

function histogramSeries(records: readonly ImageRecord[]): HistogramSeries[] {
  const scored = records.filter((r) => r.label !== 'noface' && r.score !== null);
  const classes = [['live', 'live'], ...[...new Set(scored.filter((r) => r.label === 'spoof').map((r) => r.attack))].sort().map((a) => [`spoof: ${a}`, a])];
  return classes.map(([name, key], i) => {
    const counts = new Array<number>(HISTOGRAM_BINS).fill(0);
    for (const r of scored.filter((x) => (key === 'live' ? x.label === 'live' : x.label === 'spoof' && x.attack === key))) {
      counts[Math.min(HISTOGRAM_BINS - 1, Math.floor(((r.score as number) / 100) * HISTOGRAM_BINS))]++;
    }
    return { name, colour: COLOURS[i % COLOURS.length], counts };
  });
}

function headlineRow(name: string, f: Figures): string[] {
  return [
    name,
    f.retry,
    `${f.counts.bonaFide.total}/${f.counts.attacks.total}`,
    decimal(f.auc),
    f.eer ? `${percent(f.eer.value)} (A ${percent(f.eer.apcer)}, B ${percent(f.eer.bpcer)})` : '–',
    ...f.bpcerAtApcer.map((p) => rateText(pointRate(p, 'bpcer'))),
    ...f.apcerAtBpcer.map((p) => rateText(pointRate(p, 'apcer'))),
    `${rateText(f.apcer)}${f.apcer ? ` (${f.apcer.species})` : ''}`,
    rateText(f.bpcer),
    percent(f.acer),
  ];
}

const HEADLINE_HEADER = [
  'group', 'retry', 'live/attack', 'AUC', 'EER', 'BPCER@APCER 1%', 'BPCER@APCER 5%', 'BPCER@APCER 10%',
  'APCER@BPCER 1%', 'APCER@BPCER 5%', 'APCER (worst type) @ configured', 'BPCER @ configured', 'ACER',
];

function thresholdTable(f: Figures): string {
  const species = Object.keys(f.byAttack);
  return table(
    ['threshold', 'APCER (worst type)', 'APCER pooled', 'BPCER', 'ACER', ...species.map((s) => `APCER ${s}`)],
    f.atThresholds.map((t) => [
      `${t.threshold} ${t.documentedAs.join(', ')}`,
      `${rateText(t.apcer)}${t.apcer ? ` (${t.apcer.species})` : ''}`,
      rateText(t.apcerPooled),
      rateText(t.bpcer),
      percent(t.acer),
      ...species.map((s) => rateText(t.byAttack[s])),
    ]),
  );
}

function attackTable(f: Figures): string {
  return table(
    ['attack', 'presentations', 'no face / too small / error', 'retry', 'APCER @ configured', 'AUC', 'EER', 'BPCER@APCER 1%', '5%', '10%'],
    Object.entries(f.byAttack).map(([s, a]) => {
      const c = f.counts.bySpecies[s];
      return [
        s,
        String(c.total),
        `${c.noFace} / ${c.faceTooSmall} / ${c.error}`,
        String(c.retry),
        rateText(a),
        decimal(a.auc),
        percent(a.eer?.value),
        ...a.bpcerAtApcer.map((p) => rateText(p.bpcer)),
      ];
    }),
  );
}

const STYLE = `body{font:14px/1.4 system-ui,sans-serif;margin:2em;max-width:1400px;color:#222}
table{border-collapse:collapse;margin:0.5em 0 1.5em;font-size:12px}th,td{border:1px solid #ccc;padding:3px 6px;text-align:left;vertical-align:top}
thead th{background:#f0f0f0}tbody th{font-weight:normal;background:#fafafa}h2{margin-top:1.6em;border-bottom:1px solid #ddd}
.note{color:#555;max-width:60em}.warn{color:#a00;font-weight:bold}figure{display:inline-block;margin:0 2em 1em 0;vertical-align:top}`;

/**
 * The report as one HTML document.
 *
 * @example
 * await writeFile('report.html', renderHtmlReport(report));
 */
export function renderHtmlReport(report: EvalReport): string {
  const { dataset, fusion, thresholds, overall, byQuality } = report;
  const records = report.images;
  const sections: string[] = [];
  sections.push(
    `<h1>facelive evaluation</h1>`,
    table(['', ''], [
      ['dataset', `${dataset.dir} — ${dataset.images} images (${dataset.counts.live} live, ${dataset.counts.spoof} spoof, ${dataset.counts.noface} noface)`],
      ['labels.csv sha256', dataset.labelsSha256],
      ['model set', `${fusion.name ?? 'custom'}: ${fusion.models.map((m) => `${m.id} × ${m.weight}`).join(', ')}; detector ${fusion.detector}`],
      ['score scale', thresholds.scale === 'calibrated' ? `calibrated (${fusion.calibration})` : 'UNCALIBRATED: 100 × liveProbability'],
      ['thresholds', `ladder ${thresholds.ladder.join(', ')} (recommended ${thresholds.recommended}); configured ${thresholds.configured}`],
      ['engine pass', `${report.run.startedAt}, ${report.run.workers} workers, config hash ${report.run.configHash}; PAD models run: ${report.run.padModels.join(', ')}`],
      ['report created', report.createdAt],
    ]),
    thresholds.scale === 'uncalibrated' ? `<p class="warn">Scores are not calibrated for this model set: figures at thresholds use 100 × liveProbability.</p>` : '',
    `<p class="note">ISO/IEC 30107-3 definitions. APCER: share of attack presentations accepted as bona fide, per attack type (PAI species); the headline APCER is the worst type. BPCER: share of bona fide presentations rejected. ACER = (worst APCER + BPCER)/2. A presentation is accepted only with a score at or above the threshold; an image with no face, a face too small, or an error is never accepted (an attack without a face is not an accepted attack; a live image without a face is a rejected one). Under <i>retry = rejected</i> a retry verdict (e.g. insufficient context) is never accepted either; under <i>retry = ignored</i> the score alone decides. Threshold-free figures (AUC, EER, BPCER at fixed APCER) sweep the fused live probability with never-accepted presentations ranked lowest. Intervals are 95% Wilson intervals.</p>`,
  );
  const c = overall.counts;
  sections.push(
    `<h2>Outcomes</h2>`,
    table(['outcome', 'live', 'spoof'], (['total', 'scored', 'retry', 'noFace', 'faceTooSmall', 'error'] as const).map((k) => [k, String(c.bonaFide[k]), String(c.attacks[k])])),
    `<p class="note">noface rows: ${report.noface.total} (${report.noface.noFace} without a face, ${report.noface.faceFound} with a face found${report.noface.faceFoundFiles.length ? `: ${escapeXml(report.noface.faceFoundFiles.join(', '))}` : ''}, ${report.noface.error} errors).</p>`,
  );
  const groups: [string, Figures][] = [['overall', overall], ['scene', byQuality.scene], ['allScored', byQuality.allScored]];
  if (report.withoutSources) {
    const w = report.withoutSources.sources.join(', ');
    groups.push([`overall without ${w}`, report.withoutSources.overall], [`scene without ${w}`, report.withoutSources.scene]);
  }
  sections.push(`<h2>Headline figures</h2>`, table(HEADLINE_HEADER, groups.filter(([, f]) => f).map(([n, f]) => headlineRow(n, f))));
  sections.push(`<h2>At every threshold: overall (retry = rejected)</h2>`, thresholdTable(overall));
  if (byQuality.scene) sections.push(`<h2>At every threshold: scene images</h2>`, thresholdTable(byQuality.scene));
  sections.push(`<h2>Per attack type: overall</h2>`, attackTable(overall));
  if (byQuality.scene) sections.push(`<h2>Per attack type: scene images</h2>`, attackTable(byQuality.scene));
  sections.push(
    `<h2>By source</h2>`,
    table(HEADLINE_HEADER, Object.entries(report.bySource).map(([n, f]) => headlineRow(n, f))),
    `<h2>By quality condition</h2>`,
    `<p class="note">scene: a face with enough context around it; allScored: every image with a score; the other rows: images with that quality flag set. Every row judges by the score alone (retry ignored).</p>`,
    table(HEADLINE_HEADER, Object.entries(byQuality).map(([n, f]) => headlineRow(n, f))),
  );
  const selection = report.modelSelection;
  const w = selection.withoutSources.join(', ');
  sections.push(
    `<h2>Model selection</h2>`,
    `<p class="note">Criterion: ${escapeXml(selection.criterion)}. * marks the evaluated set.</p>`,
    table(
      ['set', 'models', 'scene live/attack', 'scene AUC', 'BPCER@APCER 1%', '5%', '10%', ...(w ? [`w/o ${w}: live/attack`, 'AUC', 'BPCER@APCER 1%', '5%', '10%'] : []), 'allScored AUC', 'BPCER@APCER 5%', 'caveats'],
      selection.rows.map((r) => [
        `${r.name}${r.evaluated ? ' *' : ''}`,
        r.models.map((m) => `${m.id.split('/')[1]} × ${m.weight}`).join(', '),
        `${r.scene.bonaFide}/${r.scene.attacks}`,
        decimal(r.scene.auc),
        ...r.scene.bpcerAtApcer.map((p) => rateText(p.bpcer)),
        ...(r.sceneWithout
          ? [`${r.sceneWithout.bonaFide}/${r.sceneWithout.attacks}`, decimal(r.sceneWithout.auc), ...r.sceneWithout.bpcerAtApcer.map((p) => rateText(p.bpcer))]
          : []),
        decimal(r.allScored.auc),
        rateText(r.allScored.bpcerAtApcer[1]?.bpcer),
        r.caveats.join('; '),
      ]),
    ),
  );
  const scored = records.filter((r) => r.quality !== null);
  const series: DetSeries[] = [
    detSeries('overall, retry rejected', COLOURS[0], records, 'rejected', overall),
    detSeries('scene', COLOURS[1], scored.filter(isScene), 'ignored', byQuality.scene),
    detSeries('allScored', COLOURS[2], scored, 'ignored', byQuality.allScored),
  ];
  if (report.withoutSources) {
    const kept = scored.filter((r) => !report.withoutSources?.sources.includes(r.source ?? ''));
    series.push(detSeries(`scene w/o ${w}`, COLOURS[3], kept.filter(isScene), 'ignored', report.withoutSources.scene));
  }
  sections.push(
    `<h2>DET curve and score distributions</h2>`,
    `<figure>${detCurveSvg(series.filter((s) => s.points.length > 0))}<figcaption>DET curve on probit axes (pooled APCER). Dots: the ladder and configured thresholds. Rates of 0 or beyond 0.1%–99% are drawn on the border.</figcaption></figure>`,
    `<figure>${histogramsSvg(histogramSeries(records), { min: 0, max: 100, label: `${thresholds.scale} score (images with a score, retry ignored)`, marks: [...SCORE_LADDER] })}<figcaption>Score histograms per class, bins of ${100 / HISTOGRAM_BINS}; dashed: ladder thresholds.</figcaption></figure>`,
  );
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>facelive evaluation</title><style>${STYLE}</style></head><body>${sections.join('\n')}</body></html>\n`;
}
