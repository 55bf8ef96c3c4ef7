/**
 * The readable summary `facelive eval` prints: what was evaluated, the outcome counts, the
 * headline figures per group, the figures at every threshold, per attack type, and the
 * model-selection table. The JSON and HTML reports hold everything else.
 */
import type { EvalReport } from './eval-report.js';
import { decimal, percent, pointRate, rateText, textTable } from './format.js';
import type { Figures } from './iso-figures.js';
import { contextCutOffTable } from './context-sweep.js';
import { multiFaceTable } from './multi-face-summary.js';

function headline(name: string, f: Figures): string[] {
  return [
    name,
    `${f.counts.bonaFide.total}/${f.counts.attacks.total}`,
    decimal(f.auc),
    percent(f.eer?.value),
    ...f.bpcerAtApcer.map((p) => rateText(pointRate(p, 'bpcer'))),
    ...f.apcerAtBpcer.map((p) => rateText(pointRate(p, 'apcer'))),
  ];
}

/** The summary as text lines. */
export function formatSummary(report: EvalReport): string {
  const { dataset, fusion, overall, thresholds } = report;
  const out: string[] = [];
  const models = fusion.models.map((m) => `${m.id}×${m.weight}`).join(', ');
  out.push(
    `facelive eval: ${dataset.dir}`,
    `  ${dataset.images} images (${dataset.counts.live} live, ${dataset.counts.spoof} spoof, ${dataset.counts.noface} noface); labels.csv sha256 ${dataset.labelsSha256.slice(0, 16)}…`,
    `  model set: ${fusion.name ?? 'custom'} (${models}); detector ${fusion.detector}`,
    `  scores: ${thresholds.scale === 'calibrated' ? `calibrated (${fusion.calibration})` : 'UNCALIBRATED, 100 × liveProbability'}; configured threshold ${thresholds.configured}`,
    `  engine pass: ${report.run.startedAt}, config hash ${report.run.configHash}, PAD models run: ${report.run.padModels.length}`,
    '',
  );
  const c = overall.counts;
  out.push(
    textTable(
      ['OUTCOME', 'live', 'spoof'],
      (['scored', 'retry', 'noFace', 'faceTooSmall', 'error'] as const).map((k) => [k, String(c.bonaFide[k]), String(c.attacks[k])]),
    ),
    `noface rows: ${report.noface.total} (${report.noface.noFace} no face, ${report.noface.faceFound} face found, ${report.noface.error} error)`,
    '',
  );
  const groups: [string, Figures][] = [
    ['overall (retry = rejected)', overall],
    ['scene (retry ignored)', report.byQuality.scene],
    ['allScored (retry ignored)', report.byQuality.allScored],
  ];
  if (report.withoutSources) {
    const w = report.withoutSources.sources.join(', ');
    groups.push([`overall without ${w}`, report.withoutSources.overall], [`scene without ${w}`, report.withoutSources.scene]);
  }
  out.push(
    textTable(
      ['GROUP', 'live/attack', 'AUC', 'EER', 'BPCER@APCER1%', 'BPCER@APCER5%', 'BPCER@APCER10%', 'APCER@BPCER1%', 'APCER@BPCER5%'],
      groups.filter(([, f]) => f).map(([name, f]) => headline(name, f)),
    ),
    '',
  );
  for (const [name, f] of [
    ['overall', overall],
    ['scene', report.byQuality.scene],
  ] as const) {
    if (!f) continue;
    out.push(
      `AT THRESHOLDS, ${name} (${thresholds.scale} score; APCER = worst attack type)`,
      textTable(
        ['threshold', 'APCER (type)', 'APCER pooled', 'BPCER', 'ACER'],
        f.atThresholds.map((t) => [
          `${t.threshold} ${t.documentedAs.filter((d) => d !== 'ladder').join(',')}`.trim(),
          `${rateText(t.apcer)} (${t.apcer?.species ?? '–'})`,
          rateText(t.apcerPooled),
          rateText(t.bpcer),
          percent(t.acer),
        ]),
      ),
      '',
    );
  }
  out.push(
    `PER ATTACK TYPE, overall at threshold ${overall.threshold}`,
    textTable(
      ['attack', 'APCER', 'AUC', 'BPCER@APCER5%'],
      Object.entries(overall.byAttack).map(([species, a]) => [species, rateText(a), decimal(a.auc), rateText(pointRate(a.bpcerAtApcer[1], 'bpcer'))]),
    ),
    '',
  );
  if (report.contextCutOffs.length > 0) {
    const table = contextCutOffTable(report.contextCutOffs, overall.threshold);
    out.push('CONTEXT CUT-OFF (quality.minContextFraction; scored images, retry ignored)', textTable(table.header, table.rows), '');
  }
  const faces = report.multipleFaces;
  const faceTable = multiFaceTable(faces);
  out.push(
    `SEVERAL FACES: ${faces.withSeveralFaces} images with more than one face, ${faces.judged.length} with more than one judged face, ${faces.changed} decisions changed by the other faces`,
    ...(faces.judged.length > 0 ? [textTable(faceTable.header, faceTable.rows)] : []),
    '',
  );
  const selection = report.modelSelection;
  const without = selection.withoutSources.length > 0 ? ` | scene without ${selection.withoutSources.join(', ')}` : '';
  out.push(
    `MODEL SELECTION: ${selection.criterion}${without}`,
    textTable(
      ['set', 'scene AUC', 'BPCER@APCER1%', '@5%', '@10%', ...(without ? ['w/o: AUC', 'BPCER@1%', '@5%', '@10%'] : []), 'allScored AUC', 'caveats'],
      selection.rows.map((r) => [
        `${r.name}${r.evaluated ? ' *' : ''}`,
        decimal(r.scene.auc),
        ...r.scene.bpcerAtApcer.map((p) => percent(p.bpcer?.value)),
        ...(r.sceneWithout ? [decimal(r.sceneWithout.auc), ...r.sceneWithout.bpcerAtApcer.map((p) => percent(p.bpcer?.value))] : []),
        decimal(r.allScored.auc),
        r.caveats.length > 0 ? r.caveats.map((x) => x.split(':')[0].split(';')[0]).join('; ') : '',
      ]),
    ),
    '(* = the evaluated set)',
  );
  return `${out.join('\n')}\n`;
}
