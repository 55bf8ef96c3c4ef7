import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { SingleBar } from 'cli-progress';
import type { Command } from 'commander';
import { loadConfig } from '../config/load-config.js';
import type { Config } from '../config/schema.js';
import { sameModelSet } from '../engine/calibrate/calibration-file.js';
import type { PassProgress } from '../eval/engine-pass.js';
import { buildEvalReport } from '../eval/eval-report.js';
import { evaluationScoreMap } from '../eval/evaluation-score-map.js';
import { CANDIDATE_FUSIONS, parseModelsOption, type WeightedModel } from '../eval/fusion.js';
import { renderHtmlReport } from '../eval/html-report.js';
import { obtainResults } from '../eval/obtain-results.js';
import { formatSummary } from '../eval/summary-text.js';
import { parseNumberOption, type CliIo, withEngineOptions, type EngineCliOptions } from './cli-io.js';

/** Options of `facelive eval`. */
interface EvalOptions extends EngineCliOptions {
  readonly json?: string;
  readonly report?: string;
  readonly from?: string;
  readonly models?: string;
  readonly withoutSource?: string[];
  readonly threshold?: number;
  readonly calibration?: string;
}

/** A cli-progress bar on stderr when it is a terminal; nothing otherwise. */
export function progressOn(io: CliIo, what: string): PassProgress | undefined {
  if (!io.stderrIsTTY) return undefined;
  const bar = new SingleBar({ stream: io.stderr, format: `${what} {bar} {value}/{total} images | {eta}s left` });
  return { start: (total) => bar.start(total, 0), tick: () => bar.increment(), stop: () => bar.stop() };
}

/** The configured model set, named when it is a candidate fusion. */
export function configuredSet(config: Config): { readonly name: string | null; readonly models: readonly WeightedModel[] } {
  const { detector, pad } = config.models;
  const candidate = CANDIDATE_FUSIONS.find((c) => sameModelSet({ detector, pad: c.models }, { detector, pad }));
  return { name: candidate?.name ?? null, models: pad };
}

/** Writes an output file, creating its folder. */
export async function writeOutput(file: string, text: string): Promise<void> {
  await mkdir(path.dirname(path.resolve(file)), { recursive: true });
  await writeFile(file, text);
}

const collect = (value: string, previous: string[] | undefined): string[] => [...(previous ?? []), value];

/** Adds `facelive eval [dir]` to the program. */
export function registerEvalCommand(program: Command, io: CliIo): void {
  withEngineOptions(program.command('eval'))
    .description('ISO/IEC 30107-3 evaluation on a folder with labels.csv (or on saved results with --from)')
    .argument('[dir]', 'folder holding labels.csv and the images it lists')
    .option('--json <file>', 'write the figures and every per-image result as JSON (docs/evaluation.md)')
    .option('--report <file>', 'write a self-contained HTML report')
    .option('--from <file>', 'recompute from the results of an earlier --json instead of analysing images')
    .option('--models <set>', 'model set to evaluate: a candidate name (pair, pair+celeba, …) or id[=weight],… (default: configured)')
    .option('--without-source <repo>', 'also report figures without this source_repo (repeatable)', collect)
    .option('--threshold <score>', 'configured decision threshold on the 0..100 score', parseNumberOption)
    .option('--calibration <file>', 'calibration JSON (else calibration.file, else the shipped one)')
    .action(async (dir: string | undefined, options: EvalOptions) => {
      const config = loadConfig({
        configFile: options.config,
        modelsDir: options.modelsDir,
        threshold: options.threshold,
        workers: options.workers,
        calibrationFile: options.calibration,
      });
      const set = options.models ? parseModelsOption(options.models) : configuredSet(config);
      const detector = config.models.detector;
      // Read (and check) the calibration before a long engine pass, not after it.
      let scoreMap = await evaluationScoreMap(config, { detector, models: set.models });
      const results = await obtainResults({ dir, from: options.from }, config, [set.models], progressOn(io, 'evaluating'));
      if (results.run.detector !== detector) {
        io.stderr.write(`note: the results were produced with detector ${results.run.detector}, not the configured ${detector}\n`);
        scoreMap = await evaluationScoreMap(config, { detector: results.run.detector, models: set.models });
      }
      const report = buildEvalReport({
        ...results,
        fusion: { name: set.name, detector: results.run.detector, models: set.models },
        scoreMap,
        threshold: config.decision.threshold,
        secondaryFaceVerdict: config.decision.secondaryFaceVerdict,
        withoutSources: options.withoutSource ?? [],
      });
      if (scoreMap.note) io.stderr.write(`note: ${scoreMap.note}\n`);
      if (options.json) await writeOutput(options.json, `${JSON.stringify(report, null, 1)}\n`);
      if (options.report) await writeOutput(options.report, renderHtmlReport(report));
      io.stdout.write(formatSummary(report));
    });
}
