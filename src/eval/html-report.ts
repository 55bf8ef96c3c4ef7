/**
 * The self-contained HTML report of `facelive eval --report`: a summary, the contents, a DET curve
 * and per-class score histograms as inline SVG, then the figures as tables. No scripts, no
 * external resources (links point inside the page only): it opens in a browser without a network.
 */
import { SCORE_LADDER } from '../engine/calibrate/score-ladder.js';
import { isScene, presentationOf, presentationRecords } from './breakdowns.js';
import type { EvalReport } from './eval-report.js';
import { decimal, percent, pointRate, rateText } from './format.js';
import { curveValue, type Figures, type RetryRule } from './iso-figures.js';
import type { ImageRecord } from './image-record.js';
import { operatingPoints } from './score-curve.js';
import { contextCutOffTable } from './context-sweep.js';
import { multiFaceTable } from './multi-face-summary.js';
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
  const points =
    live.length && attacks.length
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
  'group',
  'retry',
  'live/attack',
  'AUC',
  'EER',
  'BPCER@APCER 1%',
  'BPCER@APCER 5%',
  'BPCER@APCER 10%',
  'APCER@BPCER 1%',
  'APCER@BPCER 5%',
  'APCER (worst type) @ configured',
  'BPCER @ configured',
  'ACER',
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

const STYLE = `body{font:14px/1.45 system-ui,sans-serif;margin:1.5em auto;max-width:1200px;padding:0 1em;color:#222}
table{border-collapse:collapse;margin:0.5em 0 1.5em;font-size:12px;max-width:100%}th,td{border:1px solid #ccc;padding:3px 6px;text-align:left;vertical-align:top;overflow-wrap:break-word}
thead th{background:#f0f0f0}tbody th{font-weight:normal;background:#fafafa;overflow-wrap:anywhere;min-width:6em}h2{margin-top:1.6em;border-bottom:1px solid #ddd}
.lead{font-size:15px;max-width:60em}.note{color:#555;max-width:60em}.warn{color:#a00;font-weight:bold}
nav ol{columns:2;max-width:40em}figure{display:inline-block;margin:0 2em 1em 0;vertical-align:top;max-width:100%}svg{max-width:100%;height:auto}`;

/** One section of the report: its anchor, its title in the contents, and its HTML. */
interface Section {
  readonly id: string;
  readonly title: string;
  readonly body: string;
}

/** The few sentences and the compact table the report opens with. */
function summary(report: EvalReport): string {
  const { dataset, fusion, thresholds, overall, byQuality } = report;
  const t = overall.threshold;
  const c = overall.counts;
  const scene = byQuality.scene;
  const lead = [
    `${escapeXml(dataset.dir)}: ${dataset.images} images (${dataset.counts.live} live, ${dataset.counts.spoof} spoof, ${dataset.counts.noface} without a face),`,
    `judged with the ${escapeXml(fusion.name ?? 'custom')} model set on the ${thresholds.scale} score at threshold ${t}.`,
    `Overall, counting retry as a rejection: APCER ${rateText(overall.apcer)}${overall.apcer ? ` (worst type: ${escapeXml(overall.apcer.species)})` : ''}, BPCER ${rateText(overall.bpcer)}.`,
    scene
      ? `On scene images (enough context around the face, ${scene.counts.bonaFide.total} live / ${scene.counts.attacks.total} attacks): APCER ${rateText(scene.apcerPooled)} pooled, BPCER ${rateText(scene.bpcer)}, AUC ${decimal(scene.auc)}.`
      : '',
    `Answered retry: ${c.bonaFide.retry} live and ${c.attacks.retry} attack images; no face or a face too small: ${c.bonaFide.noFace + c.bonaFide.faceTooSmall} live and ${c.attacks.noFace + c.attacks.faceTooSmall} attack images.`,
  ];
  const groups: [string, Figures | undefined][] = [
    ['overall (retry rejected)', overall],
    ['scene (retry ignored)', scene],
    ['allScored (retry ignored)', byQuality.allScored],
  ];
  const key = table(
    ['group', 'live/attacks', 'AUC', `APCER @${t} (worst type)`, 'APCER pooled', `BPCER @${t}`, 'BPCER @ APCER 5%'],
    groups.flatMap(([name, f]) =>
      f
        ? [
            [
              name,
              `${f.counts.bonaFide.total}/${f.counts.attacks.total}`,
              decimal(f.auc),
              rateText(f.apcer),
              rateText(f.apcerPooled),
              rateText(f.bpcer),
              rateText(pointRate(f.bpcerAtApcer[1], 'bpcer')),
            ],
          ]
        : [],
    ),
  );
  const warning =
    thresholds.scale === 'uncalibrated'
      ? `<p class="warn">Scores are not calibrated for this model set: figures at thresholds use 100 × liveProbability.</p>`
      : '';
  return `<p class="lead">${lead.filter(Boolean).join(' ')}</p>${warning}${key}`;
}

function contents(sections: readonly Section[]): string {
  return `<nav><h2>Contents</h2><ol>${sections.map((s) => `<li><a href="#${s.id}">${escapeXml(s.title)}</a></li>`).join('')}</ol></nav>`;
}

function chartsSection(report: EvalReport): Section {
  const { overall, byQuality, thresholds } = report;
  const records = report.images;
  const scored = records.filter((r) => r.quality !== null);
  const series: DetSeries[] = [
    detSeries('overall, retry rejected', COLOURS[0], records, 'rejected', overall),
    detSeries('scene', COLOURS[1], scored.filter(isScene), 'ignored', byQuality.scene),
    detSeries('allScored', COLOURS[2], scored, 'ignored', byQuality.allScored),
  ];
  if (report.withoutSources) {
    const kept = scored.filter((r) => !report.withoutSources?.sources.includes(r.source ?? ''));
    series.push(detSeries(`scene w/o ${report.withoutSources.sources.join(', ')}`, COLOURS[3], kept.filter(isScene), 'ignored', report.withoutSources.scene));
  }
  return {
    id: 'charts',
    title: 'DET curve and score distributions',
    body: [
      `<figure>${detCurveSvg(series.filter((s) => s.points.length > 0))}<figcaption>DET curve on probit axes (pooled APCER). Dots: the ladder and configured thresholds. Rates of 0 or beyond 0.1%–99% are drawn on the border.</figcaption></figure>`,
      `<figure>${histogramsSvg(histogramSeries(records), { min: 0, max: 100, label: `${thresholds.scale} score (images with a score, retry ignored)`, marks: [...SCORE_LADDER] })}<figcaption>Score histograms per class, bins of ${100 / HISTOGRAM_BINS}; dashed: ladder thresholds.</figcaption></figure>`,
    ].join(''),
  };
}

function selectionSection(report: EvalReport): Section {
  const selection = report.modelSelection;
  const w = selection.withoutSources.join(', ');
  return {
    id: 'model-selection',
    title: 'Model selection',
    body: [
      `<p class="note">Criterion: ${escapeXml(selection.criterion)}. * marks the evaluated set.</p>`,
      table(
        [
          'set',
          'models',
          'scene live/attack',
          'scene AUC',
          'BPCER@APCER 1%',
          '5%',
          '10%',
          ...(w ? [`w/o ${w}: live/attack`, 'AUC', 'BPCER@APCER 1%', '5%', '10%'] : []),
          'allScored AUC',
          'BPCER@APCER 5%',
          'caveats',
        ],
        selection.rows.map((r) => [
          `${r.name}${r.evaluated ? ' *' : ''}`,
          r.models.map((m) => `${m.id.split('/')[1]} × ${m.weight}`).join(', '),
          `${r.scene.bonaFide}/${r.scene.attacks}`,
          decimal(r.scene.auc),
          ...r.scene.bpcerAtApcer.map((p) => rateText(p.bpcer)),
          ...(r.sceneWithout
            ? [
                `${r.sceneWithout.bonaFide}/${r.sceneWithout.attacks}`,
                decimal(r.sceneWithout.auc),
                ...r.sceneWithout.bpcerAtApcer.map((p) => rateText(p.bpcer)),
              ]
            : []),
          decimal(r.allScored.auc),
          rateText(r.allScored.bpcerAtApcer[1]?.bpcer),
          r.caveats.join('; '),
        ]),
      ),
    ].join(''),
  };
}

function aboutSection(report: EvalReport): Section {
  const { dataset, fusion, thresholds } = report;
  return {
    id: 'about',
    title: 'About this run and the definitions',
    body: [
      table(
        ['', ''],
        [
          [
            'dataset',
            `${dataset.dir} — ${dataset.images} images (${dataset.counts.live} live, ${dataset.counts.spoof} spoof, ${dataset.counts.noface} noface)`,
          ],
          ['labels.csv sha256', dataset.labelsSha256],
          ['model set', `${fusion.name ?? 'custom'}: ${fusion.models.map((m) => `${m.id} × ${m.weight}`).join(', ')}; detector ${fusion.detector}`],
          ['score scale', thresholds.scale === 'calibrated' ? `calibrated (${fusion.calibration})` : 'UNCALIBRATED: 100 × liveProbability'],
          ['thresholds', `ladder ${thresholds.ladder.join(', ')} (recommended ${thresholds.recommended}); configured ${thresholds.configured}`],
          [
            'engine pass',
            `${report.run.startedAt}, ${report.run.workers} workers, config hash ${report.run.configHash}; PAD models run: ${report.run.padModels.join(', ')}`,
          ],
          ['report created', report.createdAt],
        ],
      ),
      `<p class="note">ISO/IEC 30107-3 definitions. APCER: share of attack presentations accepted as bona fide, per attack type (PAI species); the headline APCER is the worst type. BPCER: share of bona fide presentations rejected. ACER = (worst APCER + BPCER)/2. A presentation is accepted only with a score at or above the threshold; an image with no face, a face too small, or an error is never accepted (an attack without a face is not an accepted attack; a live image without a face is a rejected one). Under <i>retry = rejected</i> a retry verdict (e.g. insufficient context) is never accepted either; under <i>retry = ignored</i> the score alone decides. An image with several judged faces scores as its least live face. Threshold-free figures (AUC, EER, BPCER at fixed APCER) sweep the fused live probability with never-accepted presentations ranked lowest. Intervals are 95% Wilson intervals.</p>`,
    ].join(''),
  };
}

/**
 * The report as one HTML document: a summary and the contents first, then the charts, then the
 * tables (long ones last). Laid out to need no horizontal scrolling at 1280 px: the page is at
 * most 1200 px wide and table cells wrap.
 *
 * @example
 * await writeFile('report.html', renderHtmlReport(report));
 */
export function renderHtmlReport(report: EvalReport): string {
  const { overall, byQuality } = report;
  const c = overall.counts;
  const groups: [string, Figures][] = [
    ['overall', overall],
    ['scene', byQuality.scene],
    ['allScored', byQuality.allScored],
  ];
  if (report.withoutSources) {
    const w = report.withoutSources.sources.join(', ');
    groups.push([`overall without ${w}`, report.withoutSources.overall], [`scene without ${w}`, report.withoutSources.scene]);
  }
  const context = contextCutOffTable(report.contextCutOffs, overall.threshold);
  const faces = multiFaceTable(report.multipleFaces);
  const sections: Section[] = [
    chartsSection(report),
    {
      id: 'outcomes',
      title: 'Outcomes',
      body:
        table(
          ['outcome', 'live', 'spoof'],
          (['total', 'scored', 'retry', 'noFace', 'faceTooSmall', 'error'] as const).map((k) => [k, String(c.bonaFide[k]), String(c.attacks[k])]),
        ) +
        `<p class="note">noface rows: ${report.noface.total} (${report.noface.noFace} without a face, ${report.noface.faceFound} with a face found${report.noface.faceFoundFiles.length ? `: ${escapeXml(report.noface.faceFoundFiles.join(', '))}` : ''}, ${report.noface.error} errors).</p>`,
    },
    {
      id: 'headline',
      title: 'Headline figures',
      body: table(
        HEADLINE_HEADER,
        groups.filter(([, f]) => f).map(([n, f]) => headlineRow(n, f)),
      ),
    },
    { id: 'thresholds-overall', title: 'At every threshold: overall', body: thresholdTable(overall) },
    ...(byQuality.scene ? [{ id: 'thresholds-scene', title: 'At every threshold: scene images', body: thresholdTable(byQuality.scene) }] : []),
    { id: 'attacks-overall', title: 'Per attack type: overall', body: attackTable(overall) },
    ...(byQuality.scene ? [{ id: 'attacks-scene', title: 'Per attack type: scene images', body: attackTable(byQuality.scene) }] : []),
    {
      id: 'context',
      title: 'Context cut-off',
      body: report.contextCutOffs.length
        ? `<p class="note">Scored images on each side of candidate values of quality.minContextFraction (the share of the PAD models' context window inside the image), judged by the score alone.</p>${table(context.header, context.rows)}`
        : '<p class="note">The results hold no context fraction (written by an older facelive).</p>',
    },
    {
      id: 'faces',
      title: 'Several faces',
      body:
        `<p class="note">${report.multipleFaces.withSeveralFaces} images with more than one face; ${report.multipleFaces.judged.length} with more than one judged face (at least quality.minFaceSizePx wide), ${report.multipleFaces.changed} of which changed decision because of the other faces.</p>` +
        (faces.rows.length ? table(faces.header, faces.rows) : ''),
    },
    {
      id: 'sources',
      title: 'By source',
      body: table(
        HEADLINE_HEADER,
        Object.entries(report.bySource).map(([n, f]) => headlineRow(n, f)),
      ),
    },
    {
      id: 'quality',
      title: 'By quality condition',
      body:
        `<p class="note">scene: a face with enough context around it; allScored: every image with a score; the other rows: images with that quality flag set. Every row judges by the score alone (retry ignored).</p>` +
        table(
          HEADLINE_HEADER,
          Object.entries(byQuality).map(([n, f]) => headlineRow(n, f)),
        ),
    },
    selectionSection(report),
    aboutSection(report),
  ];
  const body = [
    `<h1>facelive evaluation</h1>`,
    summary(report),
    contents(sections),
    ...sections.map((s) => `<section id="${s.id}"><h2>${escapeXml(s.title)}</h2>${s.body}</section>`),
  ];
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>facelive evaluation</title><style>${STYLE}</style></head><body>${body.join('\n')}</body></html>\n`;
}
